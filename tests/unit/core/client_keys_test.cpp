#include "core/client_keys.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace core {
namespace {

const char kLine[] =
    "001 test-agent any d463111442d76de0c15defc0177c6fd547cb6f7251a36253cebb3e558cd324e5";

TEST(ClientKeysTest, DerivesTheVectorSessionKey) {
    Result<AgentKey> key = first_agent_key(kLine);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key.value().id, "001");
    EXPECT_EQ(key.value().name, "test-agent");
    EXPECT_EQ(key.value().ip, "any");
    const std::string session = derive_session_key(key.value());
    EXPECT_EQ(session.size(), 47u);
    EXPECT_EQ(session, testing_support::vector_value(
                           testing_support::data_dir() / "ossec-crypto-vectors.txt",
                           "blowfish_key_ascii"));
}

TEST(ClientKeysTest, SecondVectorKeyWithSingleHostIp) {
    const std::string line = testing_support::vector_value(
        testing_support::data_dir() / "ossec-crypto-vectors.txt", "client_keys_line_2");
    Result<AgentKey> key = first_agent_key(line);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(derive_session_key(key.value()), "1b55ea01370ad4b0661e96de9f65f74041f720d9ba2e4b7");
    EXPECT_TRUE(is_single_host(key.value().ip));
}

TEST(ClientKeysTest, TakesTheFirstValidEntry) {
    const std::string text = std::string("# comment\n 002 indented x y\n") +
                             "003 #*#*#*#*#*#*#*#*#*#*# any removed\n" + kLine +
                             "\n004 other any abc\n";
    Result<AgentKey> key = first_agent_key(text);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key.value().id, "001");
}

TEST(ClientKeysTest, TrailingCrAndSpacesDoNotChangeTheKey) {
    Result<AgentKey> plain = first_agent_key(kLine);
    Result<AgentKey> crlf = first_agent_key(std::string(kLine) + " \r\n");
    ASSERT_TRUE(crlf.ok());
    EXPECT_EQ(crlf.value().key, plain.value().key);
    EXPECT_EQ(derive_session_key(crlf.value()), derive_session_key(plain.value()));
}

TEST(ClientKeysTest, ReportsBadLinesWithTheirNumber) {
    const std::string text = std::string("abc name any key\n") + "005 x any key\n" +
                             "006 good-name any\n" + kLine + "\n";
    ClientKeys keys = parse_client_keys(text);
    ASSERT_EQ(keys.entries.size(), 1u);
    ASSERT_EQ(keys.problems.size(), 3u);
    EXPECT_EQ(keys.problems[0].rfind("line 1:", 0), 0u);
    EXPECT_EQ(keys.problems[1].rfind("line 2:", 0), 0u);
    EXPECT_EQ(keys.problems[2].rfind("line 3:", 0), 0u);
}

TEST(ClientKeysTest, EmptyFileIsAnError) {
    Result<AgentKey> key = first_agent_key("\n\n");
    ASSERT_FALSE(key.ok());
    EXPECT_NE(key.error().find("no valid agent key"), std::string::npos);
}

TEST(ClientKeysTest, KeyContainingSpacesKeepsThem) {
    Result<AgentKey> key = first_agent_key("007 host-7 10.0.0.1 a b c");
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key.value().key, "a b c");
}

TEST(ClientKeysTest, SingleHostRule) {
    EXPECT_FALSE(is_single_host("any"));
    EXPECT_FALSE(is_single_host("10.0.0.0/8"));
    EXPECT_TRUE(is_single_host("10.0.0.1/32"));
    EXPECT_TRUE(is_single_host("10.0.0.1"));
    EXPECT_TRUE(is_single_host("fe80::1"));
    EXPECT_FALSE(is_single_host("fe80::/64"));
    EXPECT_TRUE(is_single_host("fe80::1/128"));
}

TEST(ClientKeysTest, Md5HexOfKnownString) {
    EXPECT_EQ(md5_hex("test-agent"), "ab5346c1d6fd44d8eeabe65e764965f6");
    EXPECT_EQ(md5_hex("001"), "dc5c7986daef50c1e02ab09b442ee34f");
}

}  // namespace
}  // namespace core
