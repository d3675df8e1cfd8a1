#include "rootcheck/databases.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace rootcheck {
namespace {

TEST(DatabasesTest, ReadsRootkitFilesAsOssecDoes) {
    const auto entries = parse_rootkit_files(
        testing_support::read_file(testing_support::data_dir() / "rootcheck/rootkit_files.txt"));
    ASSERT_EQ(entries.size(), 5u);
    EXPECT_EQ(entries[0].file, "tmp/mcliZokhb");
    EXPECT_EQ(entries[0].name, "Bash");  // OSSEC ends the name at a space
    EXPECT_FALSE(entries[0].anywhere);
    EXPECT_EQ(entries[2].file, "klogd.o");
    EXPECT_TRUE(entries[2].anywhere);
    EXPECT_EQ(entries[3].file, "usr/lib/libt");
    EXPECT_EQ(entries[3].name, "Tab");
    EXPECT_EQ(entries[4].file, "dev/.missing");
}

TEST(DatabasesTest, ReadsTrojanSignatures) {
    const auto entries = parse_rootkit_trojans(testing_support::read_file(
        testing_support::data_dir() / "rootcheck/rootkit_trojans.txt"));
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[0].file, "ls");
    EXPECT_EQ(entries[0].signature, "bash|^/bin/sh|file\\.h");
    EXPECT_EQ(entries[0].comment, "");
    EXPECT_EQ(entries[1].signature, "/dev/ttyop|/dev/pty[0-9]");
    EXPECT_EQ(entries[1].comment, "Known ps trojan");
}

TEST(DatabasesTest, LongLinesAreCutLikeFgets) {
    const std::string text = std::string(1030, 'a') + "\nb\r\n";
    const auto lines = split_lines(text, 1023);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].size(), 1023u);
    EXPECT_EQ(lines[1].size(), 7u);
    EXPECT_EQ(lines[2], "b");
}

}  // namespace
}  // namespace rootcheck
