#include "enroll/enrollment_protocol.hpp"

#include <algorithm>
#include <cstdio>

#include "enroll/key_line.hpp"

namespace enroll {
namespace {

constexpr std::string_view kKeyPrefix = "OSSEC K:'";
constexpr std::string_view kErrorPrefix = "ERROR";

bool is_control(unsigned char c) {
    return c < 0x20 || c == 0x7f;
}

bool has_control_character(std::string_view text) {
    return std::any_of(text.begin(), text.end(),
                       [](unsigned char c) { return is_control(c); });
}

// True when line could still grow into something that starts with prefix.
bool may_become(std::string_view line, std::string_view prefix) {
    return line.size() < prefix.size() && prefix.starts_with(line);
}

// One line of the reply; whole says whether its '\n' has arrived.
struct Line {
    std::string_view text;
    bool whole = false;
};

Line take_line(std::string_view& rest) {
    const auto newline = rest.find('\n');
    Line line{rest.substr(0, newline), newline != std::string_view::npos};
    rest = line.whole ? rest.substr(newline + 1) : std::string_view{};
    if (line.text.ends_with('\r')) {
        line.text.remove_suffix(1);
    }
    return line;
}

EnrollmentReply malformed(EnrollmentReply reply, std::string problem) {
    reply.status = ReplyStatus::kMalformed;
    reply.problem = std::move(problem);
    return reply;
}

// Handles "OSSEC K:'...'"; the status stays kIncomplete while the closing
// quote may still come.
EnrollmentReply parse_key_reply(EnrollmentReply reply, const Line& line, bool closed) {
    const std::string_view body = line.text.substr(kKeyPrefix.size());
    const auto quote = body.find('\'');
    if (quote == std::string_view::npos) {
        if (!line.whole && !closed) {
            return reply;
        }
        return malformed(std::move(reply),
                         "the key reply ends before its closing quote (truncated)");
    }
    core::Result<core::AgentKey> key = parse_key_line(body.substr(0, quote));
    if (!key.ok()) {
        return malformed(std::move(reply),
                         "the manager sent an invalid key: " + key.error());
    }
    reply.status = ReplyStatus::kKey;
    reply.key = std::move(key).value();
    return reply;
}

}  // namespace

core::Result<std::string> build_enrollment_request(
    std::string_view agent_name, const std::optional<std::string>& password) {
    if (agent_name.empty()) {
        return core::Error{"the agent name is empty"};
    }
    if (agent_name.find('\'') != std::string_view::npos ||
        has_control_character(agent_name)) {
        return core::Error{"the agent name '" + printable_text(agent_name, 64) +
                           "' contains a quote or a control character"};
    }
    if (password && (password->empty() || has_control_character(*password))) {
        return core::Error{"the password is empty or contains a control character"};
    }

    std::string request;
    if (password) {
        request = "OSSEC PASS: " + *password + " ";
    }
    request += "OSSEC A:'" + std::string(agent_name) + "'\n";
    if (request.size() > kMaxRequestSize) {
        return core::Error{"the request is longer than " +
                           std::to_string(kMaxRequestSize) +
                           " bytes: shorten the agent name or the password"};
    }
    return request;
}

EnrollmentReply parse_enrollment_reply(std::string_view received, bool closed) {
    EnrollmentReply reply;
    bool any_text = false;
    std::string_view rest = received;
    while (!rest.empty()) {
        const Line line = take_line(rest);
        if (line.text.empty()) {
            continue;
        }
        any_text = true;

        if (line.text.starts_with(kKeyPrefix)) {
            return parse_key_reply(std::move(reply), line, closed);
        }
        const bool more_may_come = !line.whole && !closed;
        if (line.text.starts_with(kErrorPrefix)) {
            if (more_may_come) {
                return reply;
            }
            if (reply.errors.size() < kMaxErrorLines) {
                reply.errors.emplace_back(line.text);
            }
            continue;
        }
        if (more_may_come &&
            (may_become(line.text, kKeyPrefix) || may_become(line.text, kErrorPrefix))) {
            return reply;
        }
        return malformed(std::move(reply), "unexpected reply from the manager: '" +
                                               printable_text(line.text, 80) + "'");
    }

    if (!closed) {
        return reply;
    }
    if (!reply.errors.empty()) {
        reply.status = ReplyStatus::kRefused;
    } else if (!any_text) {
        reply.status = ReplyStatus::kNoReply;
    }
    return reply;
}

std::string printable_text(std::string_view text, std::size_t max_size) {
    std::string out;
    for (const char c : text.substr(0, max_size)) {
        if (is_control(static_cast<unsigned char>(c))) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x",
                          static_cast<unsigned char>(c));
            out += escaped;
        } else {
            out += c;
        }
    }
    if (text.size() > max_size) {
        out += "...";
    }
    return out;
}

}  // namespace enroll
