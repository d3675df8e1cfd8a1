// Installing the agent's identity: the key an admin imports with
// manage_agents -i (base64 of "ID NAME IP KEY", as the manager's
// manage_agents -e prints it) or the key agent-auth receives from authd.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/client_keys.hpp"
#include "core/home.hpp"
#include "core/result.hpp"

namespace enroll {

// Decodes and validates an exported key (see parse_key_line for the
// rules). Blanks inside the base64 text and one trailing line break in
// the decoded line are tolerated; anything else is an error that says
// what is wrong, never the key itself.
core::Result<core::AgentKey> parse_import_key(std::string_view base64_text);

struct KeyInstallReport {
    // The identity the file held before, if it held a valid one.
    std::optional<core::AgentKey> previous;
    // Counter files removed (queue/rids/<ID>).
    std::vector<std::filesystem::path> removed_counters;
    // Counter files that exist but could not be removed, with the reason.
    std::vector<std::string> warnings;
};

// Replaces etc/client.keys with the single line of key, as OSSEC does
// (the agent uses one identity): a temporary file renamed over the old
// one and flushed, then made readable by its owner only. Then removes
// the stale counters of the manager's messages for the previous and the
// new agent ID (queue/rids/<ID>). Fails only when the key file could not
// be written; a counter that cannot be removed is a warning.
core::Result<KeyInstallReport> install_agent_key(const core::Home& home,
                                                 const core::AgentKey& key);

}  // namespace enroll
