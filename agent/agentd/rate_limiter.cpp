#include "agentd/rate_limiter.hpp"

#include <algorithm>

namespace agentd {

RateLimiter::RateLimiter(std::uint32_t rate)
    : rate_(rate), burst_(std::max(1.0, rate / 4.0)), tokens_(burst_) {}

void RateLimiter::refill(Clock::time_point now) {
    if (!started_) {
        started_ = true;
        last_ = now;
        return;
    }
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    if (elapsed > 0) {
        tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
        last_ = now;
    }
}

void RateLimiter::set_rate(std::uint32_t rate) {
    rate_ = rate;
    burst_ = std::max(1.0, rate / 4.0);
    tokens_ = std::min(tokens_, burst_);
}

bool RateLimiter::try_take(Clock::time_point now) {
    if (rate_ == 0) {
        return true;
    }
    refill(now);
    if (tokens_ < 1.0) {
        return false;
    }
    tokens_ -= 1.0;
    return true;
}

RateLimiter::Clock::time_point RateLimiter::next_token(Clock::time_point now) const {
    if (rate_ == 0 || tokens_ >= 1.0) {
        return now;
    }
    const double wait = (1.0 - tokens_) / rate_;
    return now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait));
}

}  // namespace agentd
