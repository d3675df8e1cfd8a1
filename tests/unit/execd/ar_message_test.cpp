// Parsing and checking of the commands execd receives.
#include "execd/ar_message.hpp"

#include <gtest/gtest.h>

#include "execd/validation.hpp"

namespace execd {
namespace {

TEST(ArMessageTest, SplitsOssecMessagesAtEverySpace) {
    const auto parsed = parse_ar_message(
        "firewall-drop600 - 10.0.0.5 1701604800.12345 5712 (web 01) any->/var/log/a b.log "
        "(null)");
    ASSERT_TRUE(parsed.ok()) << parsed.error();
    EXPECT_EQ(parsed.value().protocol, ArProtocol::kOssec);
    EXPECT_EQ(parsed.value().name, "firewall-drop600");
    EXPECT_EQ(parsed.value().srcip, "10.0.0.5");
    EXPECT_EQ(parsed.value().args,
              (std::vector<std::string>{"-", "10.0.0.5", "1701604800.12345", "5712", "(web",
                                        "01)", "any->/var/log/a", "b.log", "(null)"}));
}

TEST(ArMessageTest, AcceptsTheTrailingNulAgentdMaySend) {
    EXPECT_TRUE(parse_ar_message(std::string("restart-ossec0 - null a b\0", 26)).ok());
}

TEST(ArMessageTest, RefusalNamesTheFieldAndEscapesIt) {
    const auto parsed = parse_ar_message("fw - 1.2.3.4;id\x01 x");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error(), "invalid source IP '1.2.3.4;id\\x01'");
}

TEST(ArMessageTest, WazuhSourceIpComesFromTheAlert) {
    const auto parsed = parse_ar_message(
        R"({"version":1,"command":"fw0","parameters":{"alert":{"data":{"srcip":"::1"}}}})");
    ASSERT_TRUE(parsed.ok()) << parsed.error();
    EXPECT_EQ(parsed.value().protocol, ArProtocol::kWazuh);
    EXPECT_EQ(parsed.value().srcip, "::1");
}

TEST(ValidationTest, IpAddresses) {
    for (const char* good : {"1.2.3.4", "0.0.0.0", "255.255.255.255", "::", "::1",
                             "fe80::1", "2001:db8::8:800:200c:417a", "::ffff:10.0.0.1",
                             "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4"}) {
        EXPECT_TRUE(is_ip_address(good)) << good;
    }
    for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.4 ",
                            "1..2.3", "a.b.c.d", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9",
                            "12345::", "fe80::1%eth0", "10.0.0.0/8", "::1.2.3", "-",
                            "1:2:3:4:5:6:7::8:9"}) {
        EXPECT_FALSE(is_ip_address(bad)) << bad;
    }
    EXPECT_TRUE(is_valid_srcip("-"));
    EXPECT_TRUE(is_valid_srcip("null"));
}

TEST(ValidationTest, NamesUsersAndWords) {
    EXPECT_TRUE(is_plain_name("firewall-drop.sh"));
    for (const char* bad : {"", "..", "../x", "a/b", "a\\b", "C:x", ".hidden", "-x", "a b",
                            "a..b"}) {
        EXPECT_FALSE(is_plain_name(bad)) << bad;
    }
    EXPECT_TRUE(is_valid_user("www-data"));
    EXPECT_TRUE(is_valid_user("john.doe@corp"));
    for (const char* bad : {"", "a;reboot", "-rf", "$(id)", "a b", "`id`"}) {
        EXPECT_FALSE(is_valid_user(bad)) << bad;
    }
    EXPECT_TRUE(is_safe_word("(agent)"));
    EXPECT_TRUE(is_safe_word("any->C:\\logs\\x.log"));
    for (const char* bad : {"", "\"", "'", "$(x)", "`x`", "a;b", "a|b", "a&b", "<x", "*",
                            "?", "!", "%PATH%", "a b", "a\tb"}) {
        EXPECT_FALSE(is_safe_word(bad)) << bad;
    }
    EXPECT_FALSE(is_safe_word(std::string(kMaxFieldLength + 1, 'a')));
}

}  // namespace
}  // namespace execd
