// One rootcheck scan, as OSSEC 3.8's run_rk_check does it, with OSSEC's
// message texts (the manager's rules 510-516 and the policy rules match
// them): "Starting rootcheck scan.", then the rootkit files, the trojan
// signatures, the policy files, /dev, the system directories, the
// processes, the ports and the interfaces, then "Ending rootcheck scan.".
// Only findings are sent (OSSEC's ROOTKIT_FOUND, SYSTEM_CRIT and POLICY
// results); "nothing found" summaries go to the log at DEBUG.
//
// Every path is taken under the configured base directory (OSSEC's
// base_directory; the system root by default), so tests run on a tree of
// their own. Files that cannot be read are logged and skipped; a scan
// never stops on bad input. Not thread safe: one scan at a time.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/logger.hpp"
#include "core/rootcheck_config.hpp"
#include "rootcheck/databases.hpp"
#include "rootcheck/policy.hpp"
#include "rootcheck/system_view.hpp"

namespace rootcheck {

inline constexpr char kRootcheckQueue = '9';
inline constexpr std::string_view kRootcheckLocation = "rootcheck";

// Where findings go: "9:rootcheck:<text>" toward agentd in the program.
class Notifier {
public:
    virtual ~Notifier() = default;
    // False when the program is stopping and the text was not sent.
    virtual bool notify(std::string_view text) = 0;
};

class Rootcheck {
public:
    using StopRequested = std::function<bool()>;

    // base is the directory paths are taken under ("" or "/" for the root).
    Rootcheck(core::RootcheckConfig config, std::string base, SystemView& system,
              Notifier& notifier, core::Logger& logger);

    void run(const StopRequested& stop);

    // The parts of run(), exposed for tests.
    void check_rootkit_files(const std::vector<RootkitFile>& files);
    void check_trojans(const std::vector<TrojanSignature>& signatures);
    void check_policy(const Policy& policy, std::string_view prefix);
    void check_dev();
    void check_sys();
    void check_pids();
    void check_ports();
    void check_interfaces();

private:
    struct EntryState;

    void send(const std::string& text);
    bool stopping() const { return stop_ && stop_(); }
    std::string under_base(std::string_view relative) const;
    std::string read_bounded(const std::string& path, const std::string& what);
    void run_policy_file(const std::string& path, std::string_view prefix);

    // nullopt when the check cannot run (an undefined variable).
    std::optional<bool> evaluate(const PolicyCheck& check, const Policy& policy,
                                 EntryState& state);
    bool file_check(const std::string& file, const std::optional<ValuePattern>& pattern,
                    EntryState& state);
    bool directory_check(const std::string& dir, const PolicyCheck& check, int depth,
                         EntryState& state);
    bool process_check(const PolicyCheck& check, EntryState& state);
    bool registry_check(const PolicyCheck& check);

    void dev_directory(const std::string& dir, int depth, int& found);
    void sys_directory(const std::string& dir, bool read, int depth, int& found);
    void sys_file(const std::string& path, bool read, int depth, int& found);

    void unsupported(const std::string& what, std::error_code ec);

    core::RootcheckConfig config_;
    std::string base_;
    SystemView& system_;
    Notifier& notifier_;
    core::Logger& logger_;
    StopRequested stop_;

    std::vector<RootkitFile> anywhere_;  // '*' entries, for check_sys
    std::vector<pal::ProcessEntry> processes_;
    bool processes_read_ = false;
    std::set<std::string> unsupported_logged_;
};

}  // namespace rootcheck
