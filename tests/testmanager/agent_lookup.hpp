// How the manager finds the key for a datagram, as OSSEC's remoted does
// (remoted/secure.c):
//   - "!ID!:..." : the entry with that ID, if the source address falls
//     inside the entry's IP field ("any", an address, or a CIDR block);
//   - ":..."     : the entry whose IP field is exactly the source address
//     as text. An "any" or CIDR entry is never found this way, so such an
//     agent's datagrams are dropped when it leaves out the prefix.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "core/client_keys.hpp"

namespace testmanager {

struct AgentLookup {
    std::size_t index = 0;  // into the entries searched
    std::string_view rest;  // the datagram after any "!ID!" prefix
};

// The entry for datagram, received from source_ip (the address as text,
// "127.0.0.1"). nullopt when no entry fits; rest views into datagram.
std::optional<AgentLookup> find_agent(const std::vector<core::AgentKey>& entries,
                                      std::string_view datagram,
                                      std::string_view source_ip);

// True when source_ip lies inside ip_field: "any", a single address
// (compared as addresses) or "address/bits". An IPv4 source seen as an
// IPv4-mapped IPv6 address counts as IPv4.
bool address_allowed(std::string_view ip_field, std::string_view source_ip);

}  // namespace testmanager
