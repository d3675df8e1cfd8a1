#include "core/sregex.hpp"

#include <gtest/gtest.h>

namespace core {
namespace {

bool match(std::string_view pattern, std::string_view text) {
    const auto regex = SimpleRegex::compile(pattern);
    EXPECT_TRUE(regex.has_value()) << pattern;
    return regex && regex->matches(text);
}

TEST(SimpleRegexTest, PlainPatternMatchesAnywhereIgnoringCase) {
    EXPECT_TRUE(match(".log", "/var/log/app.LOG.1"));
    EXPECT_TRUE(match("TMP", "/var/tmp/x"));
    EXPECT_FALSE(match(".log", "/var/lo"));
}

TEST(SimpleRegexTest, CaretAnchorsAtTheStart) {
    EXPECT_TRUE(match("^/etc/mtab", "/etc/mtab"));
    EXPECT_TRUE(match("^/etc/mtab", "/ETC/mtab.bak"));
    EXPECT_FALSE(match("^/etc/mtab", "/x/etc/mtab"));
}

TEST(SimpleRegexTest, DollarAnchorsAtTheEnd) {
    EXPECT_TRUE(match(".swp$", "/home/a/.file.SWP"));
    EXPECT_FALSE(match(".swp$", "/home/a/.file.swp.x"));
}

TEST(SimpleRegexTest, CaretAndDollarMatchTheWholeText) {
    EXPECT_TRUE(match("^/etc/hosts$", "/etc/HOSTS"));
    EXPECT_FALSE(match("^/etc/hosts$", "/etc/hosts.allow"));
    EXPECT_TRUE(match("^$", ""));
    EXPECT_FALSE(match("^$", "a"));
}

TEST(SimpleRegexTest, BarSeparatesAlternatives) {
    EXPECT_TRUE(match(".log$|.tmp$|^/proc", "/proc/1/stat"));
    EXPECT_TRUE(match(".log$|.tmp$|^/proc", "/a/b.tmp"));
    EXPECT_FALSE(match(".log$|.tmp$|^/proc", "/a/proc"));
}

TEST(SimpleRegexTest, EmptyAlternativeMatchesEverythingAsInOssec) {
    EXPECT_TRUE(match("abc|", "zzz"));
    EXPECT_TRUE(match("", "zzz"));
    EXPECT_TRUE(match("^", "zzz"));
    EXPECT_TRUE(match("$", "zzz"));
}

// OSSEC's sregex has no negation: '!' is an ordinary character.
TEST(SimpleRegexTest, ExclamationMarkIsLiteral) {
    EXPECT_TRUE(match("!tmp", "/a/!tmp"));
    EXPECT_FALSE(match("!tmp", "/a/other"));
    EXPECT_FALSE(match("!tmp", "/a/tmp"));
}

TEST(SimpleRegexTest, OtherRegexCharactersAreLiteral) {
    EXPECT_TRUE(match("a.*b", "xa.*by"));
    EXPECT_FALSE(match("a.*b", "axxb"));
    EXPECT_TRUE(match("^c:\\windows", "C:\\Windows\\x"));
}

TEST(SimpleRegexTest, MultibyteMarkerMakesPlainPartsCaseSensitive) {
    const std::string pattern = "\xE3\x81\x82" "ABC";  // lowered to "abc" as OSSEC does
    EXPECT_TRUE(match(pattern, "x\xE3\x81\x82" "abc"));
    EXPECT_FALSE(match(pattern, "x\xE3\x81\x82" "ABC"));
}

TEST(SimpleRegexTest, TextStopsAtNulAsOssecCStrings) {
    EXPECT_FALSE(match("b", std::string_view("a\0b", 3)));
}

TEST(SimpleRegexTest, PatternLongerThanOssecLimitDoesNotCompile) {
    EXPECT_FALSE(SimpleRegex::compile(std::string(2049, 'a')).has_value());
    EXPECT_TRUE(SimpleRegex::compile(std::string(2048, 'a')).has_value());
}

}  // namespace
}  // namespace core
