#include "rootcheck/os_regex.hpp"

#include <gtest/gtest.h>

namespace rootcheck {
namespace {

bool match(std::string_view pattern, std::string_view text) {
    const auto regex = OsRegex::compile(pattern);
    return regex && regex->matches(text);
}

TEST(OsRegexTest, PlainTextMatchesAnywhereIgnoringCase) {
    EXPECT_TRUE(match("root", "PermitRootLogin yes"));
    EXPECT_FALSE(match("rooted", "PermitRootLogin yes"));
}

TEST(OsRegexTest, AnchorsTieToStartAndEnd) {
    EXPECT_TRUE(match("^PermitRootLogin", "permitrootlogin yes"));
    EXPECT_FALSE(match("^PermitRootLogin", "#PermitRootLogin yes"));
    EXPECT_TRUE(match("yes$", "PermitRootLogin yes"));
    EXPECT_FALSE(match("yes$", "PermitRootLogin yes "));
    EXPECT_TRUE(match("^$", ""));
    EXPECT_FALSE(match("^$", "x"));
}

TEST(OsRegexTest, ClassesFollowOssecsTranslation) {
    EXPECT_TRUE(match("^PermitRootLogin\\s+yes", "PermitRootLogin   yes"));
    EXPECT_FALSE(match("^PermitRootLogin\\s+yes", "PermitRootLogin\tyes"));
    EXPECT_TRUE(match("^\\w+$", "user@host_name-1"));  // \w takes @ _ -
    EXPECT_FALSE(match("^\\w+$", "a.b"));
    EXPECT_TRUE(match("^\\d\\d\\D", "12x"));
    EXPECT_TRUE(match("^\\p+$", "()*+,.:;<=>?[]!\"'#%&$|{}-"));
    EXPECT_TRUE(match("^a\\.c$", "abc"));
    EXPECT_TRUE(match("^a\\.c$", "a\xC3\xA9" "c"));  // one UTF-8 character
    EXPECT_TRUE(match("^\\S+$", "no-spaces"));
    EXPECT_TRUE(match("a\\tb", "a\tb"));
}

TEST(OsRegexTest, QuantifiersOnlyFollowEscapes) {
    EXPECT_TRUE(match("^a+$", "a+"));   // '+' after a plain character is itself
    EXPECT_FALSE(match("^a+$", "aa"));
    EXPECT_TRUE(match("^\\d*x$", "x"));
    EXPECT_TRUE(match("^\\$+$", "$$$"));
    EXPECT_TRUE(match("^a.b$", "a.b"));  // '.' is itself
    EXPECT_FALSE(match("^a.b$", "axb"));
    EXPECT_TRUE(match("^a[1]?$", "a[1]?"));
}

TEST(OsRegexTest, AlternativesAndGroups) {
    EXPECT_TRUE(match("^telnet|^ftp", "ftp stream tcp"));
    EXPECT_TRUE(match("^(a|b)c$", "bc"));
    EXPECT_FALSE(match("^(a|b)c$", "cc"));
    EXPECT_TRUE(match("x|", "anything"));  // an empty alternative matches
}

TEST(OsRegexTest, InvalidPatternsCompileToNothing) {
    EXPECT_FALSE(OsRegex::compile("\\q"));
    EXPECT_FALSE(OsRegex::compile("abc\\"));
    EXPECT_FALSE(OsRegex::compile("(abc"));
    EXPECT_FALSE(OsRegex::compile("abc)"));
    EXPECT_FALSE(OsRegex::compile("\\\\^+"));  // a quantified anchor
    EXPECT_FALSE(OsRegex::compile(std::string(2049, 'a')));
    EXPECT_TRUE(OsRegex::compile(std::string(2048, 'a')));
}

TEST(OsRegexTest, NestedQuantifiersStayLinear) {
    const auto regex = OsRegex::compile("^\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*!$");
    ASSERT_TRUE(regex);
    EXPECT_FALSE(regex->matches(std::string(5000, 'a')));
}

}  // namespace
}  // namespace rootcheck
