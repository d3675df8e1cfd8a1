// When the scheduled scans run: every <frequency> seconds, and, when
// <scan_time> and/or <scan_day> are set, once on each matching day at or
// after that time, as OSSEC 3.x does:
//   - with scan_time or scan_day set, the frequency becomes one week (a
//     scan at least weekly), whatever <frequency> says;
//   - a day already past the time when the agent starts is not scanned
//     again that day (scan_on_start decides the start);
//   - scan_time is "HH[:MM]" with an optional "am"/"pm" ("10pm", "22:30");
//     scan_day a list of days ("sunday", "mon", "weekdays", "weekends"),
//     separated by ',' or spaces, "!" in front negating it.
// Pure logic over the local time given; not thread safe.
#pragma once

#include <array>
#include <chrono>
#include <ctime>
#include <optional>
#include <string_view>

namespace syscheck {

// Minutes after midnight; nullopt when the text is not a valid time.
std::optional<int> parse_scan_time(std::string_view text);

struct ScanDays {
    std::array<bool, 7> on{};  // by tm_wday: 0 = Sunday
    bool negated = false;

    bool includes(int week_day) const;
};
std::optional<ScanDays> parse_scan_day(std::string_view text);

inline constexpr std::chrono::seconds kWeek{604800};

class ScanSchedule {
public:
    ScanSchedule(std::optional<int> scan_time, std::optional<ScanDays> scan_days,
                 std::chrono::seconds frequency);

    // The interval between frequency-driven scans.
    std::chrono::seconds frequency() const { return frequency_; }

    // Called once with the local time at start.
    void start(const std::tm& now);
    // True when a timed scan (scan_time/scan_day) is due now; it then
    // counts as done for this day.
    bool due(const std::tm& now);

private:
    bool matches(const std::tm& now) const;

    std::optional<int> time_;
    std::optional<ScanDays> days_;
    std::chrono::seconds frequency_;
    int day_ = -1;  // tm_mday of the day last considered
    bool day_scanned_ = false;
};

}  // namespace syscheck
