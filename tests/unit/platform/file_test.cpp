// Contract of pal/file.hpp, run against the real implementation of each OS.
#include "pal/file.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace pal {
namespace {

using testing_support::TempDir;

TEST(FileTest, AtomicWriteReplacesContent) {
    TempDir dir;
    const auto path = dir.path() / "state";
    ASSERT_FALSE(write_file_atomically(path, "first"));
    ASSERT_FALSE(write_file_atomically(path, "second, longer"));
    EXPECT_EQ(testing_support::read_file(path), "second, longer");
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "state.tmp"));
}

TEST(FileTest, AtomicWriteIntoMissingDirectoryFails) {
    TempDir dir;
    EXPECT_TRUE(write_file_atomically(dir.path() / "missing" / "state", "x"));
}

TEST(FileTest, IdentityFollowsTheFileAcrossRename) {
    TempDir dir;
    testing_support::write_file(dir.path() / "a.log", "hello\n");
    FileInfo before;
    ASSERT_FALSE(stat_path(dir.path() / "a.log", before));
    EXPECT_TRUE(before.is_regular);
    EXPECT_EQ(before.size, 6u);

    std::filesystem::rename(dir.path() / "a.log", dir.path() / "a.log.1");
    testing_support::write_file(dir.path() / "a.log", "new\n");
    FileInfo renamed, fresh;
    ASSERT_FALSE(stat_path(dir.path() / "a.log.1", renamed));
    ASSERT_FALSE(stat_path(dir.path() / "a.log", fresh));
    EXPECT_EQ(renamed.id, before.id);
    EXPECT_NE(fresh.id, before.id);
}

TEST(FileTest, ReadsAnOpenFileAfterItWasRenamed) {
    TempDir dir;
    testing_support::write_file(dir.path() / "a.log", "0123456789");
    std::error_code ec;
    auto file = open_readable(dir.path() / "a.log", ec);
    ASSERT_TRUE(file) << ec.message();
    std::filesystem::rename(dir.path() / "a.log", dir.path() / "b.log");

    ASSERT_FALSE(file->seek(4));
    char buffer[16];
    const std::size_t n = file->read(buffer, sizeof buffer, ec);
    EXPECT_FALSE(ec);
    EXPECT_EQ(std::string(buffer, n), "456789");
    EXPECT_EQ(file->read(buffer, sizeof buffer, ec), 0u);

    FileInfo info;
    ASSERT_FALSE(file->info(info));
    FileInfo by_path;
    ASSERT_FALSE(stat_path(dir.path() / "b.log", by_path));
    EXPECT_EQ(info.id, by_path.id);
}

TEST(FileTest, OpeningMissingFileReportsNotFound) {
    std::error_code ec;
    auto file = open_readable("/definitely/not/here.log", ec);
    EXPECT_FALSE(file);
    EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
}

}  // namespace
}  // namespace pal

namespace pal {
namespace {

TEST(FileTest, DirectoryIsNotOpenedForReading) {
    testing_support::TempDir dir;
    std::error_code ec;
    EXPECT_FALSE(open_readable(dir.path(), ec));
    EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace pal
