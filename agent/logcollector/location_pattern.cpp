#include "logcollector/location_pattern.hpp"

#include <algorithm>

namespace logcollector {
namespace {

bool has_wildcard(std::string_view text) {
    return text.find_first_of("*?[") != std::string_view::npos;
}

// Matches one "[...]" set at pattern[0] against c; advances pattern past
// it. Returns false for an unterminated set, which then matches '[' itself.
bool match_set(std::string_view& pattern, char c, bool& matched) {
    std::size_t i = 1;
    const bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
    i += negate ? 1 : 0;
    bool found = false;
    const std::size_t first = i;
    for (; i < pattern.size() && (pattern[i] != ']' || i == first); ++i) {
        if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
            found = found || (pattern[i] <= c && c <= pattern[i + 2]);
            i += 2;
        } else {
            found = found || pattern[i] == c;
        }
    }
    if (i >= pattern.size()) {
        return false;
    }
    pattern.remove_prefix(i + 1);
    matched = found != negate;
    return true;
}

// Matches the one-character element at pattern[p] ('?', a set, or a
// literal) against c; returns the position after it, or npos.
std::size_t match_one(std::string_view pattern, std::size_t p, char c) {
    if (pattern[p] == '[') {
        std::string_view rest = pattern.substr(p);
        bool matched = false;
        if (match_set(rest, c, matched)) {
            return matched ? pattern.size() - rest.size() : std::string_view::npos;
        }
    }
    return pattern[p] == '?' || pattern[p] == c ? p + 1 : std::string_view::npos;
}

// Linear backtracking to the last '*' only, so no pattern can make it
// exponential.
bool match_from(std::string_view pattern, std::string_view name) {
    constexpr auto npos = std::string_view::npos;
    std::size_t p = 0;
    std::size_t n = 0;
    std::size_t star_p = npos;
    std::size_t star_n = 0;
    while (n < name.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star_p = ++p;
            star_n = n;
            continue;
        }
        const std::size_t next = p < pattern.size() ? match_one(pattern, p, name[n]) : npos;
        if (next != npos) {
            p = next;
            ++n;
        } else if (star_p != npos) {
            p = star_p;
            n = ++star_n;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

std::vector<std::filesystem::path> matching_entries(const std::filesystem::path& directory,
                                                    const std::string& component) {
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    const auto where = directory.empty() ? std::filesystem::path(".") : directory;
    for (std::filesystem::directory_iterator it(where, ec), end; !ec && it != end;
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (glob_match(component, name)) {
            found.push_back(directory / name);
        }
    }
    return found;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view name) {
    if (!name.empty() && name.front() == '.' && (pattern.empty() || pattern.front() != '.')) {
        return false;  // as glob(): hidden names only when asked for
    }
    return match_from(pattern, name);
}

LocationPattern::LocationPattern(std::string location)
    : location_(std::move(location)),
      has_date_(location_.find('%') != std::string::npos),
      has_wildcards_(has_wildcard(location_)) {}

std::string LocationPattern::expand_date(const std::tm& local) const {
    if (!has_date_) {
        return location_;
    }
    std::string out(location_.size() + 256, '\0');
    const std::size_t n = std::strftime(out.data(), out.size(), location_.c_str(), &local);
    out.resize(n);
    return n > 0 ? out : location_;
}

std::vector<std::string> LocationPattern::match(const std::tm& local) const {
    const std::filesystem::path path(expand_date(local));
    if (!has_wildcards_) {
        return {path.string()};
    }
    std::vector<std::filesystem::path> candidates{path.root_path()};
    for (const auto& part : path.relative_path()) {
        const std::string component = part.string();
        std::vector<std::filesystem::path> next;
        for (const auto& candidate : candidates) {
            if (!has_wildcard(component)) {
                next.push_back(candidate / part);
                continue;
            }
            auto found = matching_entries(candidate, component);
            next.insert(next.end(), found.begin(), found.end());
        }
        candidates = std::move(next);
    }

    std::vector<std::string> matches;
    for (const auto& candidate : candidates) {
        std::error_code ec;
        if (std::filesystem::exists(candidate, ec)) {
            matches.push_back(candidate.string());
        }
    }
    std::sort(matches.begin(), matches.end());
    return matches;
}

std::filesystem::path LocationPattern::base_directory(const std::tm& local) const {
    const std::filesystem::path path(expand_date(local));
    std::filesystem::path base = path.root_path();
    for (const auto& part : path.relative_path()) {
        if (has_wildcard(part.string())) {
            return base;
        }
        base /= part;
    }
    return path.parent_path();
}

}  // namespace logcollector
