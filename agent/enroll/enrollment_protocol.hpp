// The text agent-auth and the manager's authd exchange inside TLS
// (OSSEC 3.x, os_auth/main-client.c and main-server.c):
//   request  "OSSEC PASS: <password> OSSEC A:'<name>'\n"  or  "OSSEC A:'<name>'\n"
//   success  "OSSEC K:'<ID> <NAME> <IP> <KEY>'\n\n"
//   refusal  one or more "ERROR: <text>\n\n", then the manager closes
// A wrong or missing password gets no reply at all: the manager closes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/client_keys.hpp"
#include "core/result.hpp"

namespace enroll {

// authd reads the request with one read into a 4 KB buffer; OSSEC's
// client builds it in 2 KB. Longer requests are refused here.
constexpr std::size_t kMaxRequestSize = 2047;

// The request for agent_name, with the password when there is one. The
// name is the manager's to judge (it answers "ERROR: Invalid agent name"),
// so only what would break the request's framing is refused here: an
// empty name, a quote, a control character; a password that is empty or
// holds a control character; a request over kMaxRequestSize.
core::Result<std::string> build_enrollment_request(
    std::string_view agent_name, const std::optional<std::string>& password);

enum class ReplyStatus {
    kIncomplete,  // more bytes may complete it: keep reading
    kKey,         // a valid key arrived (key is set)
    kRefused,     // the manager sent only ERROR lines and closed
    kNoReply,     // closed without a byte: wrong or missing password
    kMalformed,   // not what authd sends (problem says why)
};

struct EnrollmentReply {
    ReplyStatus status = ReplyStatus::kIncomplete;
    core::AgentKey key;               // kKey
    std::vector<std::string> errors;  // every complete "ERROR: ..." line, as sent
    std::string problem;              // kMalformed
};

// Parses what the manager has sent so far. closed says whether the
// manager has closed the connection (nothing more will come). A key is
// accepted as soon as its closing quote arrives; ERROR lines are
// collected until the manager closes. Any input is safe: the parser never
// reads past received and keeps at most kMaxErrorLines lines.
constexpr std::size_t kMaxErrorLines = 16;
EnrollmentReply parse_enrollment_reply(std::string_view received, bool closed);

// Text from the manager made safe to print: control bytes and DEL become
// \xNN, and text longer than max_size is cut and ends with "...".
std::string printable_text(std::string_view text, std::size_t max_size = 512);

}  // namespace enroll
