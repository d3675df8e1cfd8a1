#include "agentd/shared_files.hpp"

#include <gtest/gtest.h>

#include "core/digest.hpp"
#include "support/test_support.hpp"

namespace agentd {
namespace {

using testing_support::read_file;
using testing_support::TempDir;

class SharedFilesTest : public ::testing::Test {
protected:
    SharedFilesTest() : logger_("test", dir_.path() / "ossec.log", false, 0) {}

    void transfer(const std::string& name, const std::string& content,
                  const std::string& md5_override = "") {
        SharedFileReceiver receiver(shared(), logger_);
        receiver.begin((md5_override.empty() ? core::md5_hex(content) : md5_override) + " " +
                       name + "\n");
        for (std::size_t i = 0; i < content.size(); i += 900) {
            receiver.append(std::string_view(content).substr(i, 900));
        }
        receiver.finish();
    }

    std::filesystem::path shared() const { return dir_.path() / "shared"; }
    std::string log() const { return read_file(dir_.path() / "ossec.log"); }

    TempDir dir_;
    core::Logger logger_;
};

const std::string kArConf =
    "restart-ossec0 - restart-ossec.sh - 0\nrestart-ossec0 - restart-ossec.cmd - 0\n"
    "firewall-drop600 - firewall-drop.sh - 600\n";

TEST_F(SharedFilesTest, UnpacksMergedMgAndKeepsItBinaryExact) {
    const std::string merged = "!119 ar.conf\n" + kArConf + "!4 bin.dat\n" +
                               std::string("\0\x01\xff\n", 4);
    // Vector E4/E5: this merged.mg's md5 as OSSEC computed it.
    EXPECT_EQ(core::md5_hex("!119 ar.conf\n" + kArConf), "4c24287750e880d856c523a8e7ab45d1");
    transfer("merged.mg", merged);
    EXPECT_EQ(read_file(shared() / "merged.mg"), merged);
    EXPECT_EQ(read_file(shared() / "ar.conf"), kArConf);
    EXPECT_EQ(read_file(shared() / "bin.dat"), std::string("\0\x01\xff\n", 4));
}

TEST_F(SharedFilesTest, RealOssecMergedMgUnpacksIntoItsFiles) {
    const auto sample = testing_support::shared_dir() / "samples/ossec-3.8/merged.mg";
    if (!std::filesystem::exists(sample)) {
        GTEST_SKIP() << "OSSEC's sample merged.mg is not at " << sample
                     << " (../shared is absent)";
    }
    const std::string merged = read_file(sample);
    EXPECT_EQ(core::md5_hex(merged), "6c2218efdece8ec100493737221b0753");
    transfer("merged.mg", merged);
    EXPECT_EQ(read_file(shared() / "merged.mg"), merged);
    EXPECT_TRUE(std::filesystem::exists(shared() / "ar.conf"));
    EXPECT_EQ(std::filesystem::file_size(shared() / "cis_win2016_memberL1_rcl.txt"), 106791u);
}

TEST_F(SharedFilesTest, BadChecksumChangesNothing) {
    testing_support::write_file(shared() / "ar.conf", "old");
    transfer("merged.mg", "!3 ar.conf\nnew", std::string(32, 'a'));
    EXPECT_EQ(read_file(shared() / "ar.conf"), "old");
    EXPECT_FALSE(std::filesystem::exists(shared() / "merged.mg"));
    EXPECT_NE(log().find("checksum mismatch"), std::string::npos);
}

TEST_F(SharedFilesTest, HostileNamesRejectTheWholeFile) {
    for (const std::string bad :
         {"../evil", "..", "a/b", "a\\b", "C:evil", "/etc/passwd", "", "x\ny"}) {
        testing_support::write_file(shared() / "ar.conf", "old");
        transfer("merged.mg", "!3 ar.conf\nnew!4 " + bad + "\nbad!");
        EXPECT_EQ(read_file(shared() / "ar.conf"), "old") << bad;
        EXPECT_FALSE(std::filesystem::exists(shared() / "merged.mg")) << bad;
    }
    EXPECT_FALSE(std::filesystem::exists(dir_.path() / "evil"));
    EXPECT_NE(log().find("etc/shared is left unchanged"), std::string::npos);
}

TEST_F(SharedFilesTest, DeclaredSizeLargerThanTheRestIsRejected) {
    transfer("merged.mg", "!1000 ar.conf\nshort");
    EXPECT_FALSE(std::filesystem::exists(shared() / "ar.conf"));
    EXPECT_NE(log().find("declares 1000 bytes but only 5 remain"), std::string::npos);
}

TEST_F(SharedFilesTest, HostileTransferNameIsRefused) {
    transfer("../../etc/cron.d/x", "data");
    EXPECT_FALSE(std::filesystem::exists(shared()));
    EXPECT_NE(log().find("bad header"), std::string::npos);
}

TEST_F(SharedFilesTest, PlainFileIsWrittenAsIs) {
    transfer("agent.conf", "<agent_config/>\n");
    EXPECT_EQ(read_file(shared() / "agent.conf"), "<agent_config/>\n");
}

TEST(UnmergeTest, SplitsEntries) {
    auto entries = unmerge("!1 a\nx!0 b\n!2 c\nyz");
    ASSERT_TRUE(entries.ok()) << entries.error();
    ASSERT_EQ(entries.value().size(), 3u);
    EXPECT_EQ(entries.value()[1].name, "b");
    EXPECT_EQ(entries.value()[1].content, "");
    EXPECT_EQ(entries.value()[2].content, "yz");
    EXPECT_FALSE(unmerge("no header").ok());
    EXPECT_FALSE(unmerge("!x a\n").ok());
    EXPECT_FALSE(unmerge("!99999999999 a\n").ok());
}

}  // namespace
}  // namespace agentd

namespace agentd {
namespace {

// Found by the hostile-input review: a duplicated name was half installed.
TEST(UnmergeTest, DuplicateNamesAndAnInnerMergedMgAreRefused) {
    EXPECT_FALSE(unmerge("!1 a\nx!1 a\ny").ok());
    EXPECT_FALSE(unmerge("!1 merged.mg\nx").ok());
}

TEST_F(SharedFilesTest, LongestAllowedNameIsInstalled) {
    const std::string name(255, 'n');
    transfer("merged.mg", "!2 " + name + "\nok");
    EXPECT_EQ(read_file(shared() / name), "ok");
}

}  // namespace
}  // namespace agentd
