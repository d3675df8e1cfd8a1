#include "agentd/event_buffer.hpp"

#include <algorithm>

namespace agentd {

bool EventBuffer::push(std::string event) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [this] { return closed_ || events_.size() < capacity_; });
    if (closed_) {
        return false;
    }
    events_.push_back(std::move(event));
    return true;
}

std::optional<std::string> EventBuffer::pop() {
    std::lock_guard lock(mutex_);
    if (events_.empty()) {
        return std::nullopt;
    }
    std::string event = std::move(events_.front());
    events_.pop_front();
    space_.notify_one();
    return event;
}

bool EventBuffer::empty() const {
    std::lock_guard lock(mutex_);
    return events_.empty();
}

std::size_t EventBuffer::size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
}

void EventBuffer::close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    space_.notify_all();
}

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
