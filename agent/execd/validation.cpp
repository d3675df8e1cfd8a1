#include "execd/validation.hpp"

#include <algorithm>

namespace execd {
namespace {

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_octet(std::string_view part) {
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) {
        return false;
    }
    int value = 0;
    for (char c : part) {
        if (c < '0' || c > '9') {
            return false;
        }
        value = value * 10 + (c - '0');
    }
    return value <= 255;
}

bool is_ipv4(std::string_view text) {
    for (int part = 0; part < 3; ++part) {
        const std::size_t dot = text.find('.');
        if (dot == std::string_view::npos || !is_octet(text.substr(0, dot))) {
            return false;
        }
        text.remove_prefix(dot + 1);
    }
    return is_octet(text);
}

// Counts the 16-bit groups of one side of "::"; false on a bad group.
bool ipv6_groups(std::string_view side, bool may_end_in_ipv4, int& groups) {
    groups = 0;
    if (side.empty()) {
        return true;
    }
    std::size_t pos = 0;
    for (;;) {
        const std::size_t end = std::min(side.find(':', pos), side.size());
        const std::string_view group = side.substr(pos, end - pos);
        if (end == side.size() && may_end_in_ipv4 && group.find('.') != std::string_view::npos) {
            groups += 2;
            return is_ipv4(group);
        }
        if (group.empty() || group.size() > 4 || !std::all_of(group.begin(), group.end(), is_hex)) {
            return false;
        }
        ++groups;
        if (end == side.size()) {
            return true;
        }
        pos = end + 1;
    }
}

bool is_ipv6(std::string_view text) {
    if (text.size() < 2 || text.size() > 45) {
        return false;
    }
    const std::size_t gap = text.find("::");
    if (gap == std::string_view::npos) {
        int groups = 0;
        return ipv6_groups(text, true, groups) && groups == 8;
    }
    if (text.find("::", gap + 1) != std::string_view::npos) {
        return false;
    }
    int before = 0;
    int after = 0;
    return ipv6_groups(text.substr(0, gap), false, before) &&
           ipv6_groups(text.substr(gap + 2), true, after) && before + after <= 7;
}

}  // namespace

bool is_plain_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && name[0] != '.' && name[0] != '-' &&
           name.find("..") == std::string_view::npos &&
           std::all_of(name.begin(), name.end(),
                       [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

bool is_ip_address(std::string_view text) {
    return text.find(':') == std::string_view::npos ? is_ipv4(text) : is_ipv6(text);
}

bool is_valid_srcip(std::string_view text) {
    return text == "-" || text == "null" || is_ip_address(text);
}

bool is_valid_user(std::string_view text) {
    if (text == "-") {
        return true;
    }
    return !text.empty() && text.size() <= 64 && text[0] != '-' && text[0] != '.' &&
           std::all_of(text.begin(), text.end(), [](char c) {
               return is_alnum(c) || c == '.' || c == '_' || c == '-' || c == '@';
           });
}

bool is_safe_word(std::string_view text) {
    constexpr std::string_view kAllowed = "._-/\\:@,+=()[]{}>~#";
    return !text.empty() && text.size() <= kMaxFieldLength &&
           std::all_of(text.begin(), text.end(), [&](char c) {
               return is_alnum(c) || kAllowed.find(c) != std::string_view::npos;
           });
}

}  // namespace execd
