#include "agentd/keepalive.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace agentd {
namespace {

// The payload of vector D2, made by OSSEC 3.8's own code.
TEST(KeepaliveTest, MatchesTheOssecVectorLayout) {
    const std::string expected = testing_support::from_hex(
        "23212d4c696e757820746573742d686f737420362e312e302d31332d616d64363420233120534d50205052"
        "45454d50545f44594e414d49432044656269616e20362e312e35352d312028323032332d30392d32392920"
        "7838365f3634202d204f5353454320484944532076332e382e300a78206d65726765642e6d670a");
    EXPECT_EQ(build_keepalive("Linux test-host 6.1.0-13-amd64 #1 SMP PREEMPT_DYNAMIC Debian "
                              "6.1.55-1 (2023-09-29) x86_64",
                              "OSSEC HIDS v3.8.0", std::nullopt, std::nullopt),
              expected);
}

TEST(KeepaliveTest, CarriesMergedAndAgentConfChecksums) {
    EXPECT_EQ(build_keepalive("Linux h", "OSSEC HIDS v3.8.0", std::string("abc"),
                              std::string("6c2218efdece8ec100493737221b0753")),
              "#!-Linux h - OSSEC HIDS v3.8.0 / abc\n6c2218efdece8ec100493737221b0753 "
              "merged.mg\n");
}

}  // namespace
}  // namespace agentd
