#include "rootcheck/policy.hpp"

#include <gtest/gtest.h>

#include "rootcheck/value_pattern.hpp"

namespace rootcheck {
namespace {

TEST(PolicyTest, ReadsVariablesEntriesAndChecks) {
    const auto policy = parse_policy(
        "# comment\n"
        "$conf=/etc/a,/etc/b;\n"
        "[Title one] [any required] [http://ref]\n"
        "f:$conf -> r:^x && !r:y;\n"
        "  d:/srv -> r:\\.php$ -> r:eval;\n"
        "[Title two] [none] []\n"
        "p:r:^sshd;\n"
        "r:HKLM\\Software\\X -> Value -> 1;\n"
        "f:!/etc/gone;\n");
    ASSERT_FALSE(policy.error) << *policy.error;
    EXPECT_EQ(policy.variables.at("$conf"), "/etc/a,/etc/b");
    ASSERT_EQ(policy.entries.size(), 2u);
    const auto& one = policy.entries[0];
    EXPECT_EQ(one.title, "Title one");
    EXPECT_EQ(one.condition, Condition::kAny);
    EXPECT_TRUE(one.required);
    EXPECT_EQ(one.reference, "http://ref");
    ASSERT_EQ(one.checks.size(), 2u);
    EXPECT_EQ(one.checks[0].target, "$conf");
    EXPECT_EQ(one.checks[0].pattern->text(), "r:^x && !r:y");
    EXPECT_EQ(one.checks[1].type, CheckType::kDirectory);
    EXPECT_EQ(one.checks[1].name, "r:\\.php$");
    EXPECT_EQ(one.checks[1].pattern->text(), "r:eval");
    const auto& two = policy.entries[1];
    EXPECT_EQ(two.condition, Condition::kNone);
    EXPECT_EQ(two.reference, "");
    ASSERT_EQ(two.checks.size(), 3u);
    EXPECT_EQ(two.checks[0].type, CheckType::kProcess);
    EXPECT_EQ(two.checks[1].type, CheckType::kRegistry);
    EXPECT_EQ(two.checks[1].target, "HKLM\\Software\\X");
    EXPECT_EQ(two.checks[1].name, "Value");
    EXPECT_TRUE(two.checks[2].negated);
    EXPECT_EQ(two.checks[2].target, "/etc/gone");
}

TEST(PolicyTest, StopsAtAMalformedLineKeepingWhatCameBefore) {
    const auto policy = parse_policy(
        "[One] [any] []\nf:/a;\n[Two] [any] []\nf:/b;\nq:/c;\n[Three] [any] []\nf:/d;\n");
    ASSERT_TRUE(policy.error);
    EXPECT_EQ(*policy.error, "line 5: invalid check 'q:/c;'");
    ASSERT_EQ(policy.entries.size(), 1u);
    EXPECT_EQ(policy.entries[0].title, "One");

    const auto bad_title = parse_policy("[One] [any] []\nf:/a;\n[Two] [sometimes] []\n");
    EXPECT_EQ(*bad_title.error, "line 3: invalid entry title '[Two] [sometimes] []'");
    EXPECT_EQ(bad_title.entries.size(), 1u);

    EXPECT_EQ(*parse_policy("f:/a;\n").error, "line 1: invalid entry title 'f:/a;'");
    EXPECT_EQ(*parse_policy("[A] [any] []\nf:/no-semicolon\n").error,
              "line 2: invalid check 'f:/no-semicolon'");
}

TEST(ValuePatternTest, OperatorsAndNegation) {
    EXPECT_TRUE(ValuePattern::compile("=:Yes").matches("yes"));
    EXPECT_TRUE(ValuePattern::compile("yes").matches("YES"));
    EXPECT_FALSE(ValuePattern::compile("yes").matches("yes "));
    EXPECT_TRUE(ValuePattern::compile("r:^a && !r:b").matches("ac"));
    EXPECT_FALSE(ValuePattern::compile("r:^a && !r:b").matches("ab"));
    EXPECT_TRUE(ValuePattern::compile("<:1.5").matches("2.0"));   // "1.5" < "2.0"
    EXPECT_FALSE(ValuePattern::compile("<:1.5").matches("1.0"));
    EXPECT_TRUE(ValuePattern::compile(">:1.5").matches("1.0"));
    EXPECT_TRUE(ValuePattern::compile("!r:^# && !r:x").all_negated());
    EXPECT_FALSE(ValuePattern::compile("!r:^# && r:x").all_negated());
    EXPECT_FALSE(ValuePattern::compile("r:\\q").matches("anything"));  // invalid regex
}

}  // namespace
}  // namespace rootcheck
