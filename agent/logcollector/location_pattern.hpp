// A <location> as OSSEC 3.x reads it. A '%' makes it a strftime date
// pattern, expanded with the local time ("/var/log/app-%Y-%m-%d.log"
// names today's file); '*', '?' or '[' make it a glob pattern, matched as
// POSIX glob() without flags does: per path component, a leading '.' only
// matched by a '.' written in the pattern, results sorted. Both may appear
// in one location: the date is expanded first.
//
// Plain string and directory work; thread safe (no state but the pattern).
#pragma once

#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace logcollector {

// True when name (one path component) matches pattern: '*', '?', and
// "[...]" sets with ranges and '!' or '^' negation.
bool glob_match(std::string_view pattern, std::string_view name);

class LocationPattern {
public:
    explicit LocationPattern(std::string location);

    bool has_date() const { return has_date_; }
    bool has_wildcards() const { return has_wildcards_; }
    bool is_pattern() const { return has_date_ || has_wildcards_; }

    // The location with its date conversions expanded for local.
    std::string expand_date(const std::tm& local) const;

    // The paths the location names now, sorted: the dated name itself when
    // there are no wildcards (whether it exists or not), else every
    // existing match, directories included (the caller reports those).
    std::vector<std::string> match(const std::tm& local) const;

    // The deepest directory without wildcards: where new matches appear.
    std::filesystem::path base_directory(const std::tm& local) const;

    const std::string& location() const { return location_; }

private:
    std::string location_;
    bool has_date_;
    bool has_wildcards_;
};

}  // namespace logcollector
