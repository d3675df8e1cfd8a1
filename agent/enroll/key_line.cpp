#include "enroll/key_line.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace enroll {
namespace {

constexpr std::size_t kMaxField = 127;

bool has_control_character(std::string_view text) {
    return std::any_of(text.begin(), text.end(),
                       [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

bool valid_ip_field(std::string_view ip) {
    return ip == "any" || std::all_of(ip.begin(), ip.end(), [](unsigned char c) {
               return std::isxdigit(c) != 0 || c == '.' || c == ':' || c == '/';
           });
}

// ID, NAME and IP end at a space; the key is the rest of the line.
bool has_long_field(std::string_view line) {
    for (int field = 0; field < 3; ++field) {
        const auto space = line.find(' ');
        if (std::min(space, line.size()) > kMaxField) {
            return true;
        }
        line.remove_prefix(std::min(space + 1, line.size()));
    }
    return line.size() > kMaxField;
}

std::string check_fields(const core::AgentKey& key) {
    if (!valid_ip_field(key.ip)) {
        return "the IP field '" + key.ip + "' is not 'any', an address or a CIDR block";
    }
    return {};
}

}  // namespace

core::Result<core::AgentKey> parse_key_line(std::string_view line) {
    if (line.empty()) {
        return core::Error{"the key is empty"};
    }
    if (has_control_character(line)) {
        return core::Error{"the key contains a control character or a line break"};
    }
    if (std::count(line.begin(), line.end(), ' ') != 3) {
        return core::Error{
            "expected four fields 'ID NAME IP KEY' separated by single spaces"};
    }

    if (has_long_field(line)) {
        return core::Error{"a field is longer than " + std::to_string(kMaxField) +
                           " characters"};
    }

    core::ClientKeys parsed = core::parse_client_keys(line);
    if (!parsed.problems.empty()) {
        // "line 1: agent name 'x' is not valid" -> drop the line number.
        const std::string& problem = parsed.problems.front();
        const auto colon = problem.find(": ");
        return core::Error{colon == std::string::npos ? problem
                                                      : problem.substr(colon + 2)};
    }
    if (parsed.entries.size() != 1 || core::format_key_line(parsed.entries[0]) != line) {
        return core::Error{"expected 'ID NAME IP KEY' separated by single spaces"};
    }

    core::AgentKey key = std::move(parsed.entries[0]);
    if (std::string problem = check_fields(key); !problem.empty()) {
        return core::Error{problem};
    }
    return key;
}

}  // namespace enroll
