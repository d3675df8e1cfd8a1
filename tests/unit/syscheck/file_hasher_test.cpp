#include "syscheck/file_hasher.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace syscheck {
namespace {

TEST(FileHasherTest, HelloHasTheKnownDigests) {
    testing_support::TempDir dir;
    testing_support::write_file(dir.path() / "hello", "hello\n");
    FileDigests digests;
    ASSERT_FALSE(hash_file(dir.path() / "hello", {true, true, true}, digests));
    EXPECT_EQ(digests.md5, "b1946ac92492d2347c6235b4d2611184");
    EXPECT_EQ(digests.sha1, "f572d396fae9206628714fb2ce00f72e94f2258f");
    EXPECT_EQ(digests.sha256,
              "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
}

TEST(FileHasherTest, OnlyRequestedDigestsAreComputed) {
    testing_support::TempDir dir;
    testing_support::write_file(dir.path() / "hello", "hello\n");
    FileDigests digests;
    ASSERT_FALSE(hash_file(dir.path() / "hello", {false, true, false}, digests));
    EXPECT_EQ(digests.md5, "");
    EXPECT_EQ(digests.sha1, "f572d396fae9206628714fb2ce00f72e94f2258f");
    EXPECT_EQ(digests.sha256, "");
}

TEST(FileHasherTest, FileSpanningManyBlocksHashesAsAWhole) {
    testing_support::TempDir dir;
    // 3 blocks and a bit of "a": md5 of 200000 'a' bytes computed once
    // with md5sum.
    testing_support::write_file(dir.path() / "big", std::string(200000, 'a'));
    testing_support::write_file(dir.path() / "empty", "");
    FileDigests big;
    FileDigests empty;
    ASSERT_FALSE(hash_file(dir.path() / "big", {true, false, false}, big));
    ASSERT_FALSE(hash_file(dir.path() / "empty", {true, false, false}, empty));
    EXPECT_EQ(big.md5, "561b1994f6baacd6e5eaf4baaa12849f");
    EXPECT_EQ(empty.md5, "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(FileHasherTest, MissingFileIsAnError) {
    testing_support::TempDir dir;
    FileDigests digests;
    EXPECT_EQ(hash_file(dir.path() / "none", {true, true, true}, digests),
              std::errc::no_such_file_or_directory);
}

}  // namespace
}  // namespace syscheck
