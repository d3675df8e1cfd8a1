// What execd must remember across a restart: the deletes still to run and
// how often each executable and IP has been blocked (repeated offenders).
// Saved as one JSON document under queue/execd/, written atomically.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "execd/ar_message.hpp"
#include "execd/collaborators.hpp"

namespace execd {

struct PendingDelete {
    ArProtocol protocol = ArProtocol::kOssec;
    std::string executable;          // plain file name in active-response/bin
    std::string key;                 // "<executable> <srcip or keys>": duplicates
    std::vector<std::string> args;   // OSSEC: argv after "delete"
    std::string stdin_text;          // Wazuh: the delete message, one line
    std::chrono::seconds block{0};   // length of the current block
    SteadyTime deadline;             // when the delete runs
};

struct PendingState {
    std::vector<PendingDelete> pending;
    std::map<std::string, int> offenders;  // key -> blocks so far
};

// The document, with deadlines saved as wall-clock times.
std::string format_state(const PendingState& state, const Clock& clock);

// Reads a saved document back, turning wall deadlines into steady ones
// (a deadline already past is due now). Entries that fail the same checks
// as a received command are left out and named in problems.
core::Result<PendingState> parse_state(std::string_view text, const Clock& clock,
                                       std::vector<std::string>& problems);

}  // namespace execd
