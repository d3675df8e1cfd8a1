#include "syscheck/event_pacer.hpp"

#include <algorithm>

namespace syscheck {

EventPacer::EventPacer(std::uint32_t per_second) {
    if (per_second == 0) {
        return;
    }
    interval_ = std::chrono::nanoseconds(std::chrono::seconds(1)) / per_second;
    burst_ = interval_ * std::max<std::uint32_t>(per_second / 10, 1);
}

std::chrono::nanoseconds EventPacer::reserve(TimePoint now) {
    if (interval_.count() == 0) {
        return {};
    }
    // Unused slots older than the burst window are lost, not saved up.
    next_ = std::max(next_, now - burst_ + interval_);
    const auto wait = std::max(next_ - now, std::chrono::nanoseconds(0));
    next_ += interval_;
    return wait;
}

}  // namespace syscheck
