#include "syscheck/scan_schedule.hpp"

#include <cctype>
#include <string>

namespace syscheck {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_ignoring_case(std::string_view text, std::string_view word) {
    if (text.size() < word.size()) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (lower(text[i]) != word[i]) {
            return false;
        }
    }
    return true;
}

void skip_blanks(std::string_view& text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
}

struct DayName {
    std::string_view name;
    int day;  // tm_wday, or 7 weekdays, 8 weekends
};

// Longer names first, so "monday" is not read as "mon" + "day".
constexpr DayName kDays[] = {
    {"sunday", 0},    {"sun", 0},      {"monday", 1},   {"mon", 1},  {"tuesday", 2},
    {"tue", 2},       {"wednesday", 3}, {"wed", 3},     {"thursday", 4}, {"thu", 4},
    {"friday", 5},    {"fri", 5},      {"saturday", 6}, {"sat", 6},  {"weekdays", 7},
    {"weekends", 8},
};

}  // namespace

std::optional<int> parse_scan_time(std::string_view text) {
    skip_blanks(text);
    std::size_t digits = 0;
    int hour = 0;
    while (digits < text.size() && is_digit(text[digits])) {
        hour = hour * 10 + (text[digits] - '0');
        if (++digits > 2) {
            return std::nullopt;
        }
    }
    if (digits == 0 || hour > 23) {
        return std::nullopt;
    }
    text.remove_prefix(digits);
    int minute = 0;
    if (!text.empty() && text.front() == ':') {
        if (text.size() < 3 || !is_digit(text[1]) || !is_digit(text[2])) {
            return std::nullopt;
        }
        minute = (text[1] - '0') * 10 + (text[2] - '0');
        if (minute > 59) {
            return std::nullopt;
        }
        text.remove_prefix(3);
    }
    skip_blanks(text);
    if (starts_with_ignoring_case(text, "pm")) {
        hour = hour == 12 ? 12 : hour + 12;
        text.remove_prefix(2);
    } else if (starts_with_ignoring_case(text, "am")) {
        text.remove_prefix(2);
    }
    skip_blanks(text);
    if (!text.empty() || hour > 23) {
        return std::nullopt;
    }
    return hour * 60 + minute;
}

bool ScanDays::includes(int week_day) const {
    const bool listed = week_day >= 0 && week_day < 7 && on[static_cast<std::size_t>(week_day)];
    return listed != negated;
}

std::optional<ScanDays> parse_scan_day(std::string_view text) {
    ScanDays days;
    skip_blanks(text);
    if (!text.empty() && text.front() == '!') {
        days.negated = true;
        text.remove_prefix(1);
        skip_blanks(text);
    }
    bool any = false;
    while (!text.empty()) {
        const DayName* found = nullptr;
        for (const auto& day : kDays) {
            if (starts_with_ignoring_case(text, day.name)) {
                found = &day;
                break;
            }
        }
        if (!found) {
            return std::nullopt;
        }
        text.remove_prefix(found->name.size());
        if (found->day == 7) {
            for (int d = 1; d <= 5; ++d) {
                days.on[static_cast<std::size_t>(d)] = true;
            }
        } else if (found->day == 8) {
            days.on[0] = days.on[6] = true;
        } else {
            days.on[static_cast<std::size_t>(found->day)] = true;
        }
        any = true;
        if (!text.empty() && text.front() != ',' && text.front() != ' ') {
            return std::nullopt;
        }
        while (!text.empty() && (text.front() == ',' || text.front() == ' ')) {
            text.remove_prefix(1);
        }
    }
    if (!any) {
        return std::nullopt;
    }
    return days;
}

ScanSchedule::ScanSchedule(std::optional<int> scan_time, std::optional<ScanDays> scan_days,
                           std::chrono::seconds frequency)
    : time_(scan_time),
      days_(scan_days),
      frequency_(scan_time || scan_days ? kWeek : frequency) {}

bool ScanSchedule::matches(const std::tm& now) const {
    const bool time_ok = !time_ || now.tm_hour * 60 + now.tm_min >= *time_;
    const bool day_ok = !days_ || days_->includes(now.tm_wday);
    return time_ok && day_ok;
}

void ScanSchedule::start(const std::tm& now) {
    day_ = now.tm_mday;
    day_scanned_ = (time_ || days_) && matches(now);
}

bool ScanSchedule::due(const std::tm& now) {
    if (!time_ && !days_) {
        return false;
    }
    if (now.tm_mday != day_) {
        day_ = now.tm_mday;
        day_scanned_ = false;
    }
    if (day_scanned_ || !matches(now)) {
        return false;
    }
    day_scanned_ = true;
    return true;
}

}  // namespace syscheck
