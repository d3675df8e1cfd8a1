#include "testmanager/agent_lookup.hpp"

#include <gtest/gtest.h>

namespace testmanager {
namespace {

std::vector<core::AgentKey> entries() {
    return {
        {"001", "roaming", "any", "k1"},
        {"002", "fixed", "192.168.1.10", "k2"},
        {"003", "lan", "10.0.0.0/8", "k3"},
        {"004", "v6", "fd00::/16", "k4"},
    };
}

TEST(AddressAllowedTest, AnyAllowsEveryAddress) {
    EXPECT_TRUE(address_allowed("any", "127.0.0.1"));
    EXPECT_TRUE(address_allowed("any", "::1"));
}

TEST(AddressAllowedTest, SingleAddressMustBeEqual) {
    EXPECT_TRUE(address_allowed("192.168.1.10", "192.168.1.10"));
    EXPECT_FALSE(address_allowed("192.168.1.10", "192.168.1.11"));
    EXPECT_TRUE(address_allowed("192.168.1.10", "::ffff:192.168.1.10"));
}

TEST(AddressAllowedTest, CidrBlockCoversItsHosts) {
    EXPECT_TRUE(address_allowed("10.0.0.0/8", "10.200.3.4"));
    EXPECT_FALSE(address_allowed("10.0.0.0/8", "11.0.0.1"));
    EXPECT_TRUE(address_allowed("192.168.1.0/25", "192.168.1.127"));
    EXPECT_FALSE(address_allowed("192.168.1.0/25", "192.168.1.128"));
    EXPECT_TRUE(address_allowed("0.0.0.0/0", "8.8.8.8"));
    EXPECT_TRUE(address_allowed("fd00::/16", "fd00:1::2"));
    EXPECT_FALSE(address_allowed("fd00::/16", "10.0.0.1"));
}

TEST(AddressAllowedTest, MalformedFieldAllowsNothing) {
    EXPECT_FALSE(address_allowed("10.0.0.0/33", "10.0.0.1"));
    EXPECT_FALSE(address_allowed("10.0.0.0/x", "10.0.0.1"));
    EXPECT_FALSE(address_allowed("host.example", "10.0.0.1"));
}

TEST(FindAgentTest, PrefixSelectsEntryAndStripsIt) {
    const auto found = find_agent(entries(), "!003!:cipher", "10.1.2.3");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->index, 2u);
    EXPECT_EQ(found->rest, ":cipher");
}

TEST(FindAgentTest, PrefixFromOutsideTheEntryAddressIsRefused) {
    EXPECT_FALSE(find_agent(entries(), "!002!:c", "192.168.1.11"));
    EXPECT_FALSE(find_agent(entries(), "!009!:c", "192.168.1.10"));
}

TEST(FindAgentTest, WithoutPrefixOnlyAnExactAddressMatches) {
    const auto found = find_agent(entries(), ":c", "192.168.1.10");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->index, 1u);
    EXPECT_EQ(found->rest, ":c");

    EXPECT_FALSE(find_agent(entries(), ":c", "10.1.2.3"));   // CIDR entry
    EXPECT_FALSE(find_agent(entries(), ":c", "127.0.0.1"));  // "any" entry
}

TEST(FindAgentTest, IdIsComparedAsText) {
    EXPECT_FALSE(find_agent(entries(), "!1!:c", "127.0.0.1"));
    EXPECT_TRUE(find_agent(entries(), "!001!:c", "127.0.0.1"));
}

}  // namespace
}  // namespace testmanager
