// client.keys: "ID NAME IP KEY" lines, read the way OSSEC reads them, and
// the per-agent session key derived from an entry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/digest.hpp"
#include "core/result.hpp"

namespace core {

struct AgentKey {
    std::string id;    // decimal digits, kept as text: "001" and "1" differ
    std::string name;  // [A-Za-z0-9._:-], 2..128 characters
    std::string ip;    // "any", an address, or a CIDR block
    std::string key;   // the shared secret, any text
};

struct ClientKeys {
    std::vector<AgentKey> entries;      // valid entries, in file order
    std::vector<std::string> problems;  // "line N: ..." for each bad line
};

// Parses the whole file. Lines starting with '#' or a space and removed
// agents (NAME starting with '#') are skipped silently; a malformed line
// is skipped and reported in problems. A trailing CR and trailing spaces
// are removed from the key (OSSEC keeps them, which silently breaks keys
// edited on Windows). Each field is cut to 127 characters as OSSEC does,
// so long keys derive the same session key.
ClientKeys parse_client_keys(std::string_view text);

// The entry an agent uses: the first valid one.
Result<AgentKey> first_agent_key(std::string_view text);

// True unless ip covers several hosts ("any", or a CIDR block shorter
// than /32 or /128). Decides whether the agent needs the "!ID!" prefix.
bool is_single_host(std::string_view ip);

// The 47-character session key: md5hex(KEY) followed by the first 15
// characters of md5hex(md5hex(NAME) + md5hex(ID)). Its ASCII bytes are the
// Blowfish key.
std::string derive_session_key(const AgentKey& key);

// The "ID NAME IP KEY" line for an entry, without newline.
std::string format_key_line(const AgentKey& key);

}  // namespace core
