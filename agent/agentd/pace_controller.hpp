// Adapts the event rate toward the manager to how fast it confirms.
//
// A fixed <client_buffer><events_per_second> cannot fit every manager:
// measured against an OSSEC 3.8 manager, syscheck events (slow for it: it
// looks each one up in a flat per-agent file) at 250/s overflowed its UDP
// socket buffer and a quarter of a 20k-file scan was lost, while log
// events at 2000/s all arrived. UDP gives no back-pressure, so the agent
// watches the one signal it has: the round trip of its probe keep-alives
// (control message sent -> its ACK). The manager reads its socket in
// order, so a probe waits behind every event still queued there; a
// growing round trip means the queue is growing.
//
//   Cut:  an ACK whose round trip exceeds max(kCutFactor x base,
//         kCutMinimum), or an ACK timeout, halves the rate (kCutDivisor),
//         not below kFloor. base is the smallest round trip seen in the
//         last kBaseWindow, so a manager that is merely far away (a steady
//         high round trip) is not taken for a slow one. After a cut, ACKs
//         of probes sent before it cut nothing more: they were queued
//         behind events sent at the old rate.
//   Raise: an ACK whose round trip is at most max(kRaiseFactor x base,
//         kRaiseMaximum) adds kRaiseSteps-th of the ceiling, up to the
//         ceiling (the configured events_per_second). Probes go every 2 s
//         while events flow, so from the floor back to the ceiling takes
//         about kRaiseSteps x 2 s = 40 s. Round trips between the two
//         bounds keep the rate as it is.
//
// A ceiling of 0 (unlimited) turns the controller off: rate() stays 0.
// Known shortcomings: the rate is only raised while events flow (no
// probes otherwise), so after a burst it may start the next burst below
// the ceiling; a manager that is overloaded for longer than kBaseWindow
// makes its slow round trip the new base (ACK timeouts still cut).
//
// Driven by the caller's clock; not thread safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <utility>

namespace agentd {

class PaceController {
public:
    using Clock = std::chrono::steady_clock;

    static constexpr std::uint32_t kFloor = 20;
    static constexpr int kCutFactor = 4;
    static constexpr std::chrono::milliseconds kCutMinimum{500};
    static constexpr int kCutDivisor = 2;
    static constexpr int kRaiseFactor = 2;
    static constexpr std::chrono::milliseconds kRaiseMaximum{250};
    static constexpr std::uint32_t kRaiseSteps = 20;
    static constexpr std::chrono::minutes kBaseWindow{10};
    static constexpr std::size_t kMaxSamples = 1024;

    enum class Change { kNone, kCut, kRaised, kAtCeiling };

    explicit PaceController(std::uint32_t ceiling);

    // The ACK of a probe sent at sent arrived at now.
    Change on_ack(Clock::time_point sent, Clock::time_point now);
    // A control message was left unanswered for the ACK timeout.
    Change on_timeout(Clock::time_point now);
    // Another manager: its round trips say nothing about the last one's.
    void forget_base();

    // Events per second now (0: unlimited).
    std::uint32_t rate() const { return rate_; }
    std::uint32_t ceiling() const { return ceiling_; }
    // The smallest recent round trip (zero before the first ACK).
    Clock::duration base() const;

private:
    Change cut(Clock::time_point now);

    std::uint32_t ceiling_;
    std::uint32_t floor_;
    std::uint32_t rate_;
    Clock::time_point last_cut_{};
    bool cut_once_ = false;
    std::deque<std::pair<Clock::time_point, Clock::duration>> samples_;
};

}  // namespace agentd
