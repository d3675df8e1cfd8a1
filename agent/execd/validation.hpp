// The checks every field of an active-response command passes before
// anything runs. Text in these commands partly comes from log lines an
// attacker wrote, so each check accepts a narrow, known shape and nothing
// else.
#pragma once

#include <string_view>

namespace execd {

// Longest field accepted, and most words after the command name (OSSEC
// passes at most 30 to a script).
inline constexpr std::size_t kMaxFieldLength = 256;
inline constexpr std::size_t kMaxArguments = 30;

// A script or AR name: letters, digits, '.', '_', '-', not starting with
// '.' or '-', at most 64 characters. Refuses '/', '\', "..", drive letters
// and absolute paths by construction.
bool is_plain_name(std::string_view name);

// An IPv4 address in dotted decimal (no leading zeros) or an IPv6 address
// (RFC 4291 text, optionally ending in dotted IPv4; no zone, no prefix).
bool is_ip_address(std::string_view text);

// A source IP as OSSEC sends it: an address, "-" (unknown) or "null"
// (agent_control -R).
bool is_valid_srcip(std::string_view text);

// A user name: "-", or letters, digits, '.', '_', '-', '@' not starting
// with '-' (so it can never read as an option), at most 64 characters.
bool is_valid_user(std::string_view text);

// Any other word given to a script (alert id, rule id, location, file
// name): letters, digits and ._-/\:@,+=()[]{}>~# only, within the length
// bound. No quotes, '$', '`', ';', '|', '&', '<', '*', '?', '!', '%',
// spaces or control characters. '>' is allowed for OSSEC locations
// ("any->/var/log/x"), '\' for Windows paths.
bool is_safe_word(std::string_view text);

}  // namespace execd
