#include "agentd/event_buffer.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace agentd {
namespace {

using namespace std::chrono_literals;

TEST(EventBufferTest, KeepsOrder) {
    EventBuffer buffer(10);
    ASSERT_TRUE(buffer.push("a"));
    ASSERT_TRUE(buffer.push("b"));
    EXPECT_EQ(buffer.size(), 2u);
    EXPECT_EQ(buffer.pop(), "a");
    EXPECT_EQ(buffer.pop(), "b");
    EXPECT_EQ(buffer.pop(), std::nullopt);
}

TEST(EventBufferTest, PushWaitsForSpaceInsteadOfDropping) {
    EventBuffer buffer(1);
    ASSERT_TRUE(buffer.push("first"));
    std::atomic<bool> pushed{false};
    std::thread producer([&] {
        buffer.push("second");
        pushed = true;
    });
    std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(pushed);
    EXPECT_EQ(buffer.pop(), "first");
    producer.join();
    EXPECT_TRUE(pushed);
    EXPECT_EQ(buffer.pop(), "second");
}

TEST(EventBufferTest, CloseReleasesAWaitingProducer) {
    EventBuffer buffer(1);
    ASSERT_TRUE(buffer.push("first"));
    std::thread producer([&] { EXPECT_FALSE(buffer.push("second")); });
    buffer.close();
    producer.join();
    EXPECT_EQ(buffer.size(), 1u);
}

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
