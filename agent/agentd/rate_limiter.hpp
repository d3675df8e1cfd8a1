// Pacing of events toward the manager.
#pragma once

#include <chrono>
#include <cstdint>

namespace agentd {

// A token bucket: at most rate events per second on average, with bursts
// of up to a quarter second's worth. rate 0 means unlimited. Driven by the
// caller's clock, so tests can use any time they like.
class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(std::uint32_t rate);
    // Takes one token if available.
    bool try_take(Clock::time_point now);
    // When the next token will be available.
    Clock::time_point next_token(Clock::time_point now) const;
    // A new rate (0: unlimited) from now on; the burst follows it and
    // tokens above the new burst are dropped.
    void set_rate(std::uint32_t rate);
    std::uint32_t rate() const { return static_cast<std::uint32_t>(rate_); }

private:
    void refill(Clock::time_point now);

    double rate_;
    double burst_;
    double tokens_;
    Clock::time_point last_{};
    bool started_ = false;
};

}  // namespace agentd
