#include "enroll/key_import.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include "enroll/base64.hpp"
#include "enroll/key_line.hpp"
#include "pal/file.hpp"

namespace enroll {
namespace {

std::optional<core::AgentKey> read_current_key(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    core::Result<core::AgentKey> key = core::first_agent_key(text.str());
    if (!key.ok()) {
        return std::nullopt;
    }
    return std::move(key).value();
}

// The manager's counter for an identity lives in queue/rids/<ID>. A new
// key starts a new session: the manager that issued it may have been
// reinstalled, and its counters start again from zero, so a pair kept from
// before would make the agent refuse every message of the new manager.
// OSSEC means to do this too (it removes "rids/sender", a file that does
// not exist).
//
// queue/rids/sender_counter is deliberately kept. It holds the agent's own
// sending counter, and the manager refuses any message whose counter is
// not above the last one it stored for that agent ID. If the same ID is
// kept (a re-keyed agent, a re-import of the same line), a counter that
// went back to zero would be refused until an admin deletes the manager's
// rids file and restarts remoted; for a new ID the manager has no stored
// counter, so a high one costs nothing. Never going back is always safe.
void remove_counter(const core::Home& home, const std::string& id,
                    KeyInstallReport& report) {
    const std::filesystem::path file = home.rids_dir() / id;
    std::error_code ec;
    if (std::filesystem::remove(file, ec)) {
        report.removed_counters.push_back(file);
    } else if (ec) {
        report.warnings.push_back("cannot remove the stale counter file '" +
                                  file.string() + "': " + ec.message() +
                                  "; remove it by hand before starting the agent");
    }
}

}  // namespace

core::Result<core::AgentKey> parse_import_key(std::string_view base64_text) {
    const std::optional<std::string> decoded = decode_base64(base64_text);
    if (!decoded) {
        return core::Error{"the key is not valid base64"};
    }

    std::string_view line = *decoded;
    if (line.ends_with('\n')) {
        line.remove_suffix(1);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
    }
    core::Result<core::AgentKey> key = parse_key_line(line);
    if (!key.ok()) {
        return core::Error{"the decoded key is not valid: " + key.error()};
    }
    return key;
}

core::Result<KeyInstallReport> install_agent_key(const core::Home& home,
                                                 const core::AgentKey& key) {
    KeyInstallReport report;
    const std::filesystem::path file = home.client_keys();
    report.previous = read_current_key(file);

    const std::string content = core::format_key_line(key) + "\n";
    if (const std::error_code ec = pal::write_file_atomically(file, content)) {
        return core::Error{"cannot write the key file '" + file.string() +
                           "': " + ec.message()};
    }
    // 0640 root:ossec as OSSEC keeps it (agentd may read it after giving
    // up root); 0600 where there is no ossec group. Never world-readable.
    const std::error_code mode_ec = pal::restrict_to_group(file, core::kAgentGroup);
    if (mode_ec && mode_ec != std::errc::no_such_file_or_directory) {
        report.warnings.push_back("cannot make '" + file.string() + "' readable by root and group '" +
                                  core::kAgentGroup + "' only: " + mode_ec.message());
    }

    if (report.previous && report.previous->id != key.id) {
        remove_counter(home, report.previous->id, report);
    }
    remove_counter(home, key.id, report);
    return report;
}

}  // namespace enroll
