#include "agentd/pace_controller.hpp"

#include <gtest/gtest.h>

#include "agentd/rate_limiter.hpp"

namespace agentd {
namespace {

using namespace std::chrono_literals;
using Change = PaceController::Change;
using TimePoint = PaceController::Clock::time_point;

// A fake clock: probes every 2 s, each ACKed after rtt.
class Probes {
public:
    explicit Probes(PaceController& pace) : pace_(pace) {}
    Change ack(std::chrono::milliseconds rtt) {
        const TimePoint sent = now_;
        now_ += rtt;
        const Change change = pace_.on_ack(sent, now_);
        now_ += 2s - rtt;
        return change;
    }
    Change timeout() {
        now_ += 15s;
        return pace_.on_timeout(now_);
    }
    TimePoint now() const { return now_; }

private:
    PaceController& pace_;
    TimePoint now_ = TimePoint{} + 1h;
};

TEST(PaceControllerTest, StartsAtTheCeilingAndStaysThereWhileAcksAreQuick) {
    PaceController pace(500);
    Probes probes(pace);
    EXPECT_EQ(pace.rate(), 500u);
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(probes.ack(3ms), Change::kNone);
    }
    EXPECT_EQ(pace.rate(), 500u);
    EXPECT_EQ(pace.base(), std::chrono::steady_clock::duration(3ms));
}

TEST(PaceControllerTest, SlowAckHalvesTheRate) {
    PaceController pace(500);
    Probes probes(pace);
    probes.ack(5ms);
    // Above 4 x 5 ms but not above 500 ms: no cut.
    EXPECT_EQ(probes.ack(400ms), Change::kNone);
    EXPECT_EQ(pace.rate(), 500u);
    EXPECT_EQ(probes.ack(600ms), Change::kCut);
    EXPECT_EQ(pace.rate(), 250u);
    EXPECT_EQ(probes.ack(1200ms), Change::kCut);
    EXPECT_EQ(pace.rate(), 125u);
}

TEST(PaceControllerTest, SlowAcksOfProbesSentBeforeACutCutNothingMore) {
    PaceController pace(400);
    const TimePoint t0 = TimePoint{} + 1h;
    pace.on_ack(t0, t0 + 2ms);
    // Three probes sent 2 s apart, all ACKed late, the first ACK arriving
    // after the third probe went out.
    EXPECT_EQ(pace.on_ack(t0 + 2s, t0 + 7s), Change::kCut);
    EXPECT_EQ(pace.rate(), 200u);
    EXPECT_EQ(pace.on_ack(t0 + 4s, t0 + 7500ms), Change::kNone);
    EXPECT_EQ(pace.on_ack(t0 + 6s, t0 + 8s), Change::kNone);
    EXPECT_EQ(pace.rate(), 200u);
    // A probe sent after the cut and still slow cuts again.
    EXPECT_EQ(pace.on_ack(t0 + 8s, t0 + 9s), Change::kCut);
    EXPECT_EQ(pace.rate(), 100u);
}

TEST(PaceControllerTest, AckTimeoutHalvesTheRate) {
    PaceController pace(500);
    Probes probes(pace);
    probes.ack(3ms);
    EXPECT_EQ(probes.timeout(), Change::kCut);
    EXPECT_EQ(pace.rate(), 250u);
    EXPECT_EQ(probes.timeout(), Change::kCut);
    EXPECT_EQ(pace.rate(), 125u);
}

TEST(PaceControllerTest, NeverBelowTheFloor) {
    PaceController pace(500);
    Probes probes(pace);
    probes.ack(3ms);
    const std::uint32_t expected[] = {250, 125, 62, 31, 20};
    for (std::uint32_t rate : expected) {
        EXPECT_EQ(probes.ack(1500ms), Change::kCut);
        EXPECT_EQ(pace.rate(), rate);
    }
    EXPECT_EQ(probes.ack(1500ms), Change::kNone);
    EXPECT_EQ(probes.timeout(), Change::kNone);
    EXPECT_EQ(pace.rate(), PaceController::kFloor);
}

TEST(PaceControllerTest, CeilingBelowTheFloorIsItsOwnFloor) {
    PaceController pace(10);
    Probes probes(pace);
    probes.ack(3ms);
    EXPECT_EQ(probes.timeout(), Change::kNone);
    EXPECT_EQ(pace.rate(), 10u);
}

TEST(PaceControllerTest, QuickAcksRaiseTheRateBackToTheCeiling) {
    PaceController pace(500);
    Probes probes(pace);
    probes.ack(3ms);
    for (int i = 0; i < 5; ++i) {
        probes.ack(1500ms);
    }
    ASSERT_EQ(pace.rate(), 20u);
    // A round trip between the bounds (above 250 ms, at most 500 ms) holds.
    EXPECT_EQ(probes.ack(300ms), Change::kNone);
    EXPECT_EQ(pace.rate(), 20u);
    // Each quick ACK adds 500 / 20 = 25 per second.
    EXPECT_EQ(probes.ack(4ms), Change::kRaised);
    EXPECT_EQ(pace.rate(), 45u);
    int acks = 1;
    Change change = Change::kRaised;
    while (change == Change::kRaised && acks < 100) {
        change = probes.ack(4ms);
        ++acks;
    }
    EXPECT_EQ(change, Change::kAtCeiling);
    EXPECT_EQ(pace.rate(), 500u);
    EXPECT_EQ(acks, 20);  // (500 - 20) / 25 = 19.2, so 20 steps
    EXPECT_EQ(probes.ack(4ms), Change::kNone);
    EXPECT_EQ(pace.rate(), 500u);
}

TEST(PaceControllerTest, SteadyHighRoundTripIsTheBaseNotCongestion) {
    PaceController pace(500);
    Probes probes(pace);
    // A far manager: every ACK 1.5 s after its probe.
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(probes.ack(1500ms), Change::kNone);
    }
    EXPECT_EQ(pace.rate(), 500u);
    // Above 4 x 1.5 s it is congestion.
    EXPECT_EQ(pace.on_ack(probes.now(), probes.now() + 6500ms), Change::kCut);
    EXPECT_EQ(pace.rate(), 250u);
}

TEST(PaceControllerTest, BaseForgetsSamplesOlderThanTheWindow) {
    PaceController pace(500);
    const TimePoint t0 = TimePoint{} + 1h;
    pace.on_ack(t0, t0 + 2ms);
    pace.on_ack(t0 + 1min, t0 + 1min + 40ms);
    EXPECT_EQ(pace.base(), std::chrono::steady_clock::duration(2ms));
    const TimePoint later = t0 + PaceController::kBaseWindow + 30s;
    pace.on_ack(later, later + 30ms);
    EXPECT_EQ(pace.base(), std::chrono::steady_clock::duration(30ms));
    pace.forget_base();
    EXPECT_EQ(pace.base(), std::chrono::steady_clock::duration::zero());
}

TEST(PaceControllerTest, ZeroCeilingMeansUnlimitedAndNoControl) {
    PaceController pace(0);
    Probes probes(pace);
    probes.ack(3ms);
    EXPECT_EQ(probes.ack(5000ms), Change::kNone);
    EXPECT_EQ(probes.timeout(), Change::kNone);
    EXPECT_EQ(pace.rate(), 0u);
}

TEST(RateLimiterTest, SetRateChangesThePace) {
    RateLimiter limiter(400);  // burst of 100
    const auto start = RateLimiter::Clock::time_point{} + 1h;
    while (limiter.try_take(start)) {
    }
    limiter.set_rate(40);  // burst of 10
    EXPECT_EQ(limiter.rate(), 40u);
    int taken = 0;
    while (limiter.try_take(start + 1s)) {
        ++taken;
    }
    EXPECT_EQ(taken, 10);
    EXPECT_EQ(limiter.next_token(start + 1s) - (start + 1s),
              std::chrono::duration_cast<RateLimiter::Clock::duration>(25ms));
}

}  // namespace
}  // namespace agentd
