// A monotonic clock behind an interface, so tests move time by hand.
#pragma once

#include <chrono>

namespace syscheck {

using TimePoint = std::chrono::steady_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SteadyClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::steady_clock::now(); }
};

// Moves only when told to. Not thread safe.
class FakeClock final : public Clock {
public:
    TimePoint now() const override { return now_; }
    void advance(std::chrono::nanoseconds step) { now_ += step; }

private:
    TimePoint now_{std::chrono::hours(1)};
};

}  // namespace syscheck
