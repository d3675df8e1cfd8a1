// Time as the collector sees it: a monotonic clock behind an interface, so
// tests move time by hand instead of sleeping.
#pragma once

#include <chrono>
#include <ctime>
#include <mutex>

namespace logcollector {

using TimePoint = std::chrono::steady_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    // The wall-clock time in the local time zone, for date patterns.
    virtual std::tm local_time() const = 0;
};

class SteadyClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::steady_clock::now(); }
    std::tm local_time() const override {
        // std::localtime shares one buffer; localtime_r is not standard C++.
        static std::mutex mutex;
        std::lock_guard lock(mutex);
        const std::time_t now = std::time(nullptr);
        const std::tm* local = std::localtime(&now);
        return local ? *local : std::tm{};
    }
};

// A clock that moves only when told to. Not thread safe.
class FakeClock final : public Clock {
public:
    TimePoint now() const override { return now_; }
    std::tm local_time() const override { return local_; }
    void advance(std::chrono::milliseconds step) { now_ += step; }
    void set_local_time(const std::tm& local) { local_ = local; }

private:
    TimePoint now_{std::chrono::hours(1)};
    std::tm local_{};
};

}  // namespace logcollector
