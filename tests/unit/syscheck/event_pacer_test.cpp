#include "syscheck/event_pacer.hpp"

#include <gtest/gtest.h>

namespace syscheck {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST(EventPacerTest, ZeroRateNeverWaits) {
    EventPacer pacer(0);
    FakeClock clock;
    for (int i = 0; i < 1000; ++i) {
        EXPECT_EQ(pacer.reserve(clock.now()), nanoseconds(0));
    }
}

TEST(EventPacerTest, AllowsATenthOfASecondBurstThenSpacesEvents) {
    EventPacer pacer(100);  // one every 10 ms, burst of 10
    FakeClock clock;
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(pacer.reserve(clock.now()), nanoseconds(0)) << i;
    }
    EXPECT_EQ(pacer.reserve(clock.now()), milliseconds(10));
    EXPECT_EQ(pacer.reserve(clock.now()), milliseconds(20));
}

TEST(EventPacerTest, SustainedRateIsTheConfiguredOne) {
    EventPacer pacer(1000);
    FakeClock clock;
    int sent = 0;
    // Simulate a sender that waits as told, for one second.
    const auto end = clock.now() + std::chrono::seconds(1);
    while (clock.now() < end) {
        clock.advance(pacer.reserve(clock.now()));
        ++sent;
    }
    EXPECT_GE(sent, 1000);
    EXPECT_LE(sent, 1101);  // at most one burst more
}

TEST(EventPacerTest, QuietTimeIsNotSavedUpBeyondTheBurst) {
    EventPacer pacer(100);
    FakeClock clock;
    clock.advance(std::chrono::seconds(60));
    int immediate = 0;
    while (pacer.reserve(clock.now()) == nanoseconds(0)) {
        ++immediate;
    }
    EXPECT_EQ(immediate, 10);
}

}  // namespace
}  // namespace syscheck
