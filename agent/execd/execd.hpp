// The logic of ossec-execd: checks an active-response command, runs its
// script from active-response/bin with an argument vector (never a shell),
// and runs it again with "delete" when its timeout expires.
//
// OSSEC 3.x semantics, with these differences:
//   - deletes run at their deadline (next_deadline() tells the caller when
//     to call run_due()), not up to 90 s late;
//   - pending deletes and offender counts are saved under queue/ after
//     every change, so a crash or power loss does not leave an IP blocked
//     forever (restore() picks them up; overdue ones run at once);
//   - Wazuh 4.x JSON commands are accepted too (JSON on the script's
//     stdin, check_keys answered with continue or abort).
// Scripts run one at a time on the caller's thread; a delete that falls due
// while another script runs waits for it (at most script_timeout).
// Not thread safe: one thread calls every member.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/logger.hpp"
#include "execd/ar_message.hpp"
#include "execd/ar_table.hpp"
#include "execd/collaborators.hpp"
#include "execd/pending_state.hpp"

namespace execd {

struct ExecdSettings {
    std::filesystem::path bin_dir;      // active-response/bin
    std::filesystem::path ar_conf;      // etc/shared/ar.conf
    std::filesystem::path state_file;   // empty: nothing saved
    std::filesystem::path working_directory;  // the agent home
    // <repeated_offenders>: block lengths for IPs blocked again.
    std::vector<std::chrono::minutes> repeated_offenders;
    std::chrono::milliseconds script_timeout{std::chrono::seconds(60)};
    std::size_t output_limit = 16 * 1024;
    std::size_t max_pending = 10000;  // more are refused, logged
};

class Execd {
public:
    Execd(ExecdSettings settings, Clock& clock, ProcessRunner& runner, RunLog& run_log,
          core::Logger& logger);

    // Loads the saved state, if any. Deletes already due run at the next
    // run_due().
    void restore();
    // One command from queue/alerts/execq.
    void handle(std::string_view text);
    // Runs every delete whose deadline has come.
    void run_due();
    // The earliest pending deadline; nullopt when nothing is pending.
    std::optional<SteadyTime> next_deadline() const;
    // Runs every pending delete now (on a clean stop, as OSSEC does).
    void run_all_pending();

    std::size_t pending_count() const { return state_.pending.size(); }

private:
    struct Script {
        std::string executable;
        std::filesystem::path path;
        std::chrono::seconds timeout{0};
    };

    std::optional<Script> resolve(const ArMessage& message);
    void handle_ossec(const ArMessage& message, const Script& script);
    void handle_wazuh(ArMessage message, const Script& script);
    PendingDelete* find_pending(const std::string& key);
    std::chrono::seconds next_block(const std::string& key, const std::string& srcip,
                                    std::chrono::seconds base);
    void extend(PendingDelete& entry, const std::string& srcip);
    void schedule(PendingDelete entry, const std::string& srcip, std::chrono::seconds base);
    pal::ProcessRequest request_for(const std::string& executable,
                                    std::vector<std::string> args) const;
    bool run_script(const pal::ProcessRequest& request, const std::string& what);
    void run_delete(const PendingDelete& entry);
    void refuse(const std::string& reason);
    void save();

    ExecdSettings settings_;
    Clock& clock_;
    ProcessRunner& runner_;
    RunLog& run_log_;
    core::Logger& logger_;
    ArTable table_;
    PendingState state_;
    std::set<std::string> refused_;  // reasons already logged as warnings
};

}  // namespace execd
