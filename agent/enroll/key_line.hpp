// One agent identity line, "ID NAME IP KEY", as it arrives from outside:
// pasted by an admin (manage_agents -i) or sent by the manager's authd.
#pragma once

#include <string_view>

#include "core/client_keys.hpp"
#include "core/result.hpp"

namespace enroll {

// Accepts exactly the lines that core's client.keys parser reads back
// unchanged as one entry: four fields separated by single spaces, numeric
// ID, a valid agent name, an IP field of address characters ("any", IPv4,
// IPv6, CIDR), a non-empty key without spaces (OSSEC's tools never make
// one; its agent-auth refuses them too), each
// field at most 127 characters (OSSEC cuts longer fields, which would
// silently change the identity), no control characters and no trailing
// blanks. The error names the first problem.
core::Result<core::AgentKey> parse_key_line(std::string_view line);

}  // namespace enroll
