// An active-response command as execd receives it from agentd (the text
// after "#!-execd "), parsed and checked field by field. Two forms:
//   OSSEC 3.x: "<name> <user> <srcip> <alertid> <ruleid> <location...> <file>"
//              split at every space, as OSSEC's execd does;
//   Wazuh 4.x: one JSON object {"version":1,"command":"<name>",
//              "parameters":{"extra_args":[...],"alert":{...}}, ...}.
// Anything that fails a check is refused as a whole: nothing of it runs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "execd/json.hpp"

namespace execd {

enum class ArProtocol { kOssec, kWazuh };

// Longest command text accepted (agentd's datagrams are at most 6144).
inline constexpr std::size_t kMaxMessage = 6144;

struct ArMessage {
    ArProtocol protocol = ArProtocol::kOssec;
    std::string name;  // the AR name, looked up in ar.conf
    // OSSEC: the words after the name (user, srcip, alertid, ruleid,
    // location words, file name), each checked.
    std::vector<std::string> args;
    // Wazuh: the whole message, checked.
    JsonValue json;
    // The source IP ("-" when none), the key of duplicates and offenders.
    std::string srcip = "-";
};

// Parses and checks the text; the error says which field was refused
// (quoting at most a short, escaped part of it).
core::Result<ArMessage> parse_ar_message(std::string_view text);

// text made safe for a log line: at most max_length characters, bytes
// outside printable ASCII written as \xHH.
std::string printable(std::string_view text, std::size_t max_length = 64);

}  // namespace execd
