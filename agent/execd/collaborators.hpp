// What execd's logic uses from the outside world, as interfaces so unit
// tests drive it with a fake clock and a fake process runner.
#pragma once

#include <chrono>
#include <string_view>
#include <system_error>

#include "pal/process.hpp"

namespace execd {

using SteadyTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

// Monotonic time for timers, wall time for what is saved across restarts.
class Clock {
public:
    virtual ~Clock() = default;
    virtual SteadyTime now() const = 0;
    virtual WallTime wall_now() const = 0;
};

class SystemClock final : public Clock {
public:
    SteadyTime now() const override { return std::chrono::steady_clock::now(); }
    WallTime wall_now() const override { return std::chrono::system_clock::now(); }
};

// Both times move together, only when told to. Not thread safe.
class FakeClock final : public Clock {
public:
    SteadyTime now() const override { return steady_; }
    WallTime wall_now() const override { return wall_; }
    void advance(std::chrono::milliseconds step) {
        steady_ += step;
        wall_ += step;
    }

private:
    SteadyTime steady_{std::chrono::hours(1)};
    WallTime wall_{std::chrono::seconds(1700000000)};
};

// Runs a script and waits for it (pal::run_process in production).
class ProcessRunner {
public:
    virtual ~ProcessRunner() = default;
    virtual std::error_code run(const pal::ProcessRequest& request,
                                pal::ProcessResult& result) = 0;
};

class SystemProcessRunner final : public ProcessRunner {
public:
    std::error_code run(const pal::ProcessRequest& request,
                        pal::ProcessResult& result) override {
        return pal::run_process(request, result);
    }
};

// logs/active-responses.log: one line per script run.
class RunLog {
public:
    virtual ~RunLog() = default;
    virtual void record(std::string_view line) = 0;
};

}  // namespace execd
