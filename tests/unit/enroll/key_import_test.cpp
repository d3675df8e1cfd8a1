#include "enroll/key_import.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "enroll/base64.hpp"
#include "support/test_support.hpp"

namespace enroll {
namespace {

using testing_support::read_file;
using testing_support::TempDir;
using testing_support::write_file;

constexpr char kLine[] =
    "001 test-agent any d463111442d76de0c15defc0177c6fd547cb6f7251a36253cebb3e558cd324e5";

TEST(KeyImportTest, DecodesTheManagersExport) {
    const auto key = parse_import_key(encode_base64(kLine));
    ASSERT_TRUE(key.ok()) << key.error();
    EXPECT_EQ(core::format_key_line(key.value()), kLine);
}

TEST(KeyImportTest, ToleratesATrailingLineBreakInTheDecodedText) {
    EXPECT_TRUE(parse_import_key(encode_base64(std::string(kLine) + "\n")).ok());
    EXPECT_TRUE(parse_import_key(encode_base64(std::string(kLine) + "\r\n")).ok());
    EXPECT_FALSE(parse_import_key(encode_base64(std::string(kLine) + "\n\n")).ok());
}

TEST(KeyImportTest, RefusesBadBase64AndBadKeysWithoutQuotingTheKey) {
    const auto not_base64 = parse_import_key("not base64!");
    ASSERT_FALSE(not_base64.ok());
    EXPECT_EQ(not_base64.error(), "the key is not valid base64");

    const auto three_fields = parse_import_key(encode_base64("001 test-agent secret"));
    ASSERT_FALSE(three_fields.ok());
    EXPECT_EQ(three_fields.error().find("secret"), std::string::npos);
}

class KeyInstallTest : public ::testing::Test {
  protected:
    KeyInstallTest() : home_(dir_.path()) {
        std::filesystem::create_directories(home_.rids_dir());
        std::filesystem::create_directories(home_.client_keys().parent_path());
    }

    core::AgentKey key(std::string id) {
        return {std::move(id), "new-agent", "any", "k3y"};
    }

    TempDir dir_;
    core::Home home_;
};

TEST_F(KeyInstallTest, ReplacesTheWholeKeyFile) {
    write_file(home_.client_keys(), "005 old-agent any old\n006 other any x\n");

    const auto report = install_agent_key(home_, key("001"));
    ASSERT_TRUE(report.ok()) << report.error();
    EXPECT_EQ(read_file(home_.client_keys()), "001 new-agent any k3y\n");
    ASSERT_TRUE(report.value().previous.has_value());
    EXPECT_EQ(report.value().previous->id, "005");
}

TEST_F(KeyInstallTest, RemovesTheManagerCountersButNeverTheSenderCounter) {
    write_file(home_.client_keys(), "005 old-agent any old\n");
    write_file(home_.rids_dir() / "005", "10:20:");
    write_file(home_.rids_dir() / "001", "3:4:");
    write_file(home_.rids_dir() / "sender_counter", "99:1:");

    const auto report = install_agent_key(home_, key("001"));
    ASSERT_TRUE(report.ok()) << report.error();
    EXPECT_FALSE(std::filesystem::exists(home_.rids_dir() / "005"));
    EXPECT_FALSE(std::filesystem::exists(home_.rids_dir() / "001"));
    EXPECT_EQ(read_file(home_.rids_dir() / "sender_counter"), "99:1:");
    EXPECT_EQ(report.value().removed_counters.size(), 2u);
    EXPECT_TRUE(report.value().warnings.empty());
}

TEST_F(KeyInstallTest, WorksWithoutAPreviousKeyFile) {
    const auto report = install_agent_key(home_, key("1024"));
    ASSERT_TRUE(report.ok()) << report.error();
    EXPECT_FALSE(report.value().previous.has_value());
    EXPECT_EQ(read_file(home_.client_keys()), "1024 new-agent any k3y\n");
}

TEST_F(KeyInstallTest, FailsWhenTheEtcDirectoryIsMissing) {
    std::filesystem::remove_all(home_.client_keys().parent_path());
    const auto report = install_agent_key(home_, key("001"));
    ASSERT_FALSE(report.ok());
    EXPECT_NE(report.error().find("cannot write the key file"), std::string::npos);
}

}  // namespace
}  // namespace enroll
