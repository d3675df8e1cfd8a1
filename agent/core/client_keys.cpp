#include "core/client_keys.hpp"

#include "core/digest.hpp"

#include <algorithm>
#include <cctype>

namespace core {
namespace {

constexpr std::size_t kMaxField = 127;

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isdigit(c) != 0;
    });
}

bool valid_name(std::string_view s) {
    if (s.size() < 2 || s.size() > 128) {
        return false;
    }
    return std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '.' || c == '_' || c == ':' || c == '-';
    });
}

std::string_view next_field(std::string_view& rest) {
    const auto space = rest.find(' ');
    std::string_view field = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    return field;
}

std::string cut(std::string_view field) {
    return std::string(field.substr(0, kMaxField));
}

// Returns an empty string when the line is valid, else the problem.
std::string parse_line(std::string_view line, AgentKey& out) {
    std::string_view rest = line;
    const std::string_view id = next_field(rest);
    const std::string_view name = next_field(rest);
    const std::string_view ip = next_field(rest);
    std::string_view key = rest;
    while (!key.empty() && (key.back() == '\r' || key.back() == ' ')) {
        key.remove_suffix(1);
    }

    if (!all_digits(id)) {
        return "agent id '" + std::string(id) + "' is not a number";
    }
    if (!valid_name(name)) {
        return "agent name '" + std::string(name) + "' is not valid";
    }
    if (ip.empty() || key.empty()) {
        return "expected 'ID NAME IP KEY'";
    }
    out = AgentKey{cut(id), cut(name), cut(ip), cut(key)};
    return {};
}

}  // namespace

ClientKeys parse_client_keys(std::string_view text) {
    ClientKeys result;
    std::size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);

        std::string_view trimmed = line;
        while (!trimmed.empty() && (trimmed.back() == '\r' || trimmed.back() == ' ')) {
            trimmed.remove_suffix(1);
        }
        if (trimmed.empty() || line.front() == '#' || line.front() == ' ') {
            continue;
        }
        std::string_view probe = line;
        next_field(probe);
        if (!probe.empty() && probe.front() == '#') {
            continue;  // an agent removed with manage_agents
        }

        AgentKey key;
        const std::string problem = parse_line(line, key);
        if (problem.empty()) {
            result.entries.push_back(std::move(key));
        } else {
            result.problems.push_back("line " + std::to_string(line_number) + ": " +
                                      problem);
        }
    }
    return result;
}

Result<AgentKey> first_agent_key(std::string_view text) {
    ClientKeys keys = parse_client_keys(text);
    if (keys.entries.empty()) {
        std::string message = "no valid agent key";
        if (!keys.problems.empty()) {
            message += " (" + keys.problems.front() + ")";
        }
        return Error{message};
    }
    return std::move(keys.entries.front());
}

bool is_single_host(std::string_view ip) {
    if (ip == "any") {
        return false;
    }
    const auto slash = ip.find('/');
    if (slash == std::string_view::npos) {
        return true;
    }
    const std::string_view bits = ip.substr(slash + 1);
    const bool v6 = ip.find(':') != std::string_view::npos;
    return bits == (v6 ? "128" : "32");
}

std::string derive_session_key(const AgentKey& key) {
    const std::string identity = md5_hex(md5_hex(key.name) + md5_hex(key.id));
    return md5_hex(key.key) + identity.substr(0, 15);
}

std::string format_key_line(const AgentKey& key) {
    return key.id + " " + key.name + " " + key.ip + " " + key.key;
}

}  // namespace core
