// Spaces events evenly at `per_second`, allowing a short burst (a tenth of
// a second's worth) after a quiet spell, so a scan never floods agentd and
// the manager. 0 means no pacing. Not thread safe.
#pragma once

#include <chrono>
#include <cstdint>

#include "syscheck/clock.hpp"

namespace syscheck {

class EventPacer {
public:
    explicit EventPacer(std::uint32_t per_second);

    // Books the next event's slot; returns how long to wait before sending
    // it (zero when it may go now).
    std::chrono::nanoseconds reserve(TimePoint now);

private:
    std::chrono::nanoseconds interval_{0};
    std::chrono::nanoseconds burst_{0};
    TimePoint next_{};
};

}  // namespace syscheck
