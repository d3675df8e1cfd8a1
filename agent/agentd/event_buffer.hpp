// Events waiting between the local queue and the manager: a bounded FIFO
// in memory. The queue reader blocks when it is full, which in turn makes
// the modules' sends wait, so nothing is dropped here.
//
// Thread safe: one producer (the local queue reader) and one consumer
// (the network thread).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace agentd {

class EventBuffer {
public:
    explicit EventBuffer(std::size_t capacity) : capacity_(capacity) {}

    // Adds an event, waiting while the buffer is full. Returns false once
    // the buffer is closed (the event is then not added).
    bool push(std::string event);
    // Removes the oldest event, if any.
    std::optional<std::string> pop();
    bool empty() const;
    std::size_t size() const;
    // Wakes a waiting push; later pushes fail.
    void close();

private:
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable space_;
    std::deque<std::string> events_;
    bool closed_ = false;
};

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

private:
    void refill(Clock::time_point now);

    double rate_;
    double burst_;
    double tokens_;
    Clock::time_point last_{};
    bool started_ = false;
};

}  // namespace agentd
