#include "enroll/key_line.hpp"

#include <gtest/gtest.h>

namespace enroll {
namespace {

constexpr char kKey[] =
    "d463111442d76de0c15defc0177c6fd547cb6f7251a36253cebb3e558cd324e5";

TEST(KeyLineTest, AcceptsWhatManageAgentsAndAuthdWrite) {
    const auto key = parse_key_line(std::string("001 test-agent any ") + kKey);
    ASSERT_TRUE(key.ok()) << key.error();
    EXPECT_EQ(key.value().id, "001");
    EXPECT_EQ(key.value().name, "test-agent");
    EXPECT_EQ(key.value().ip, "any");
    EXPECT_EQ(key.value().key, kKey);

    EXPECT_TRUE(parse_key_line("1024 web.example:1 10.0.0.0/8 abc").ok());
    EXPECT_TRUE(parse_key_line("7 v6-host fe80::1/128 abc").ok());
}

TEST(KeyLineTest, RefusesBrokenFields) {
    EXPECT_FALSE(parse_key_line("").ok());
    EXPECT_FALSE(parse_key_line("001 test-agent any").ok());
    EXPECT_FALSE(parse_key_line("x01 test-agent any abc").ok());
    EXPECT_FALSE(parse_key_line("001 bad!name any abc").ok());
    EXPECT_FALSE(parse_key_line("001 a any abc").ok());
    EXPECT_FALSE(parse_key_line("001 test-agent any;rm abc").ok());
    EXPECT_FALSE(parse_key_line("001 #removed any abc").ok());
    EXPECT_FALSE(parse_key_line("#001 test-agent any abc").ok());
}

TEST(KeyLineTest, RefusesWhatCoreWouldSilentlyChange) {
    EXPECT_FALSE(parse_key_line("001 test-agent any abc\r").ok());
    EXPECT_FALSE(parse_key_line("001 test-agent any abc ").ok());
    EXPECT_FALSE(parse_key_line("001  test-agent any abc").ok());
    EXPECT_FALSE(parse_key_line("001 test-agent any  abc").ok());
    EXPECT_FALSE(parse_key_line("001 test-agent any ab c").ok());
    EXPECT_FALSE(parse_key_line("001 test-agent any abc\n002 b any c").ok());
    EXPECT_FALSE(
        parse_key_line(std::string("001 test-agent any ") + std::string(128, 'a')).ok());
    EXPECT_TRUE(
        parse_key_line(std::string("001 test-agent any ") + std::string(127, 'a')).ok());
}

TEST(KeyLineTest, ErrorNamesTheProblemWithoutLineNumber) {
    const auto key = parse_key_line("001 bad!name any abc");
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.error(), "agent name 'bad!name' is not valid");
}

}  // namespace
}  // namespace enroll
