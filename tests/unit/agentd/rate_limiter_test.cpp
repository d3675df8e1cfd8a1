#include "agentd/rate_limiter.hpp"

#include <gtest/gtest.h>


namespace agentd {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiterTest, AllowsBurstThenPacesAtRate) {
    RateLimiter limiter(400);  // burst of 100
    const auto start = RateLimiter::Clock::time_point{} + 1h;
    int taken = 0;
    while (limiter.try_take(start)) {
        ++taken;
    }
    EXPECT_EQ(taken, 100);
    EXPECT_EQ(limiter.next_token(start) - start,
              std::chrono::duration_cast<RateLimiter::Clock::duration>(2500us));
    // One second later, 400 more would be due but the bucket holds 100.
    taken = 0;
    while (limiter.try_take(start + 1s)) {
        ++taken;
    }
    EXPECT_EQ(taken, 100);
    EXPECT_FALSE(limiter.try_take(start + 1s + 1ms));
    EXPECT_TRUE(limiter.try_take(start + 1s + 3ms));
}

TEST(RateLimiterTest, ZeroMeansUnlimited) {
    RateLimiter limiter(0);
    for (int i = 0; i < 100000; ++i) {
        ASSERT_TRUE(limiter.try_take({}));
    }
}

}  // namespace
}  // namespace agentd
