#include "logcollector/location_pattern.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace logcollector {
namespace {

using Paths = std::vector<std::string>;

std::tm day(int year, int month, int mday) {
    std::tm local{};
    local.tm_year = year - 1900;
    local.tm_mon = month - 1;
    local.tm_mday = mday;
    return local;
}

TEST(GlobMatchTest, MatchesStarsQuestionMarksAndSets) {
    EXPECT_TRUE(glob_match("*.log", "app.log"));
    EXPECT_TRUE(glob_match("app-?.log", "app-1.log"));
    EXPECT_FALSE(glob_match("app-?.log", "app-12.log"));
    EXPECT_TRUE(glob_match("app-[0-9].log", "app-7.log"));
    EXPECT_FALSE(glob_match("app-[!0-9].log", "app-7.log"));
    EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
    EXPECT_FALSE(glob_match("*.log", "app.log.1"));
}

TEST(GlobMatchTest, LeavesHiddenNamesOutUnlessThePatternStartsWithADot) {
    EXPECT_FALSE(glob_match("*", ".hidden.log"));
    EXPECT_TRUE(glob_match(".*.log", ".hidden.log"));
}

TEST(GlobMatchTest, TreatsAnUnterminatedSetAsABracket) {
    EXPECT_TRUE(glob_match("a[b", "a[b"));
}

TEST(LocationPatternTest, ExpandsStrftimeConversionsWithTheLocalDate) {
    const LocationPattern pattern("/var/log/app-%Y-%m-%d.log");
    EXPECT_TRUE(pattern.has_date());
    EXPECT_FALSE(pattern.has_wildcards());
    EXPECT_EQ(pattern.match(day(2024, 3, 9)), Paths{"/var/log/app-2024-03-09.log"});
}

TEST(LocationPatternTest, MatchesExistingFilesSorted) {
    testing_support::TempDir dir;
    for (const char* name : {"b.log", "a.log", "c.txt", ".h.log"}) {
        testing_support::write_file(dir.path() / name, "x\n");
    }
    const LocationPattern pattern((dir.path() / "*.log").string());
    EXPECT_EQ(pattern.match({}),
              (Paths{(dir.path() / "a.log").string(), (dir.path() / "b.log").string()}));
    EXPECT_EQ(pattern.base_directory({}), dir.path());
}

TEST(LocationPatternTest, MatchesWildcardsInDirectoryNames) {
    testing_support::TempDir dir;
    testing_support::write_file(dir.path() / "site1" / "access.log", "x\n");
    testing_support::write_file(dir.path() / "site2" / "access.log", "x\n");
    testing_support::write_file(dir.path() / "site3" / "error.log", "x\n");
    const LocationPattern pattern((dir.path() / "site*" / "access.log").string());
    EXPECT_EQ(pattern.match({}), (Paths{(dir.path() / "site1" / "access.log").string(),
                                        (dir.path() / "site2" / "access.log").string()}));
    EXPECT_EQ(pattern.base_directory({}), dir.path());
}

TEST(LocationPatternTest, CombinesADateAndWildcards) {
    testing_support::TempDir dir;
    testing_support::write_file(dir.path() / "app-20240309-1.log", "x\n");
    testing_support::write_file(dir.path() / "app-20240308-1.log", "x\n");
    const LocationPattern pattern((dir.path() / "app-%Y%m%d-*.log").string());
    EXPECT_EQ(pattern.match(day(2024, 3, 9)),
              Paths{(dir.path() / "app-20240309-1.log").string()});
}

}  // namespace
}  // namespace logcollector
