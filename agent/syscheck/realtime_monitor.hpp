// Real-time file integrity (realtime="yes"): every directory of those
// entries is watched through pal::FileWatcher, and a directory the OS says
// changed is checked again at once (Scanner::scan_scopes), so a change
// reaches the queue in milliseconds with the same message a scheduled scan
// sends ("8:syscheck:<checksum> <path>", "8:syscheck:-1 <path>").
//
//   - A new subdirectory is watched as it appears, and its files checked
//     (they may have been written before the watch existed).
//   - Ignored subtrees, directories beyond recursion_level, symlinked
//     directories not followed, and (skip_nfs) network file systems are
//     never watched.
//   - When the OS lost events (queue overflow), every real-time tree - or
//     the one named by the overflow - is checked again in full.
//   - When no more watches can be had (the system's limit, or the
//     max_watches given here), the remaining directories stay unwatched:
//     one warning in ossec.log with the counts, and one message to the
//     manager on the rootcheck queue naming them and why
//     (kWatchLimitNotice). The scheduled scans still cover them; they are
//     only not seen in real time. Later unwatched directories are counted
//     and logged at debug level, not announced again.
//
// Known shortcoming: under Wine (and possibly Windows, where a directory
// deleted while a handle is open on it stays "delete pending"), the watch
// of a deleted subdirectory is not let go, because the directory still
// lists and opens; its files are reported deleted all the same. Real
// Windows was not available to check.
//
// Not thread safe: start() and run_once() from one thread, the thread that
// also runs the scheduled scans (they share the baseline). The watcher's
// wake() may be called from any thread to end a run_once() early.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/logger.hpp"
#include "core/syscheck_config.hpp"
#include "pal/file_watcher.hpp"
#include "syscheck/event_sink.hpp"
#include "syscheck/scanner.hpp"

namespace syscheck {

// 0: no limit of our own; only the OS's.
inline constexpr std::size_t kNoWatchLimit = 0;

// The start of the notice sent to the manager when directories are left
// unwatched; the counts, the reason and the names follow.
inline constexpr std::string_view kWatchLimitNotice = "Real-time file monitoring incomplete: ";

struct RealtimeStats {
    std::size_t watched = 0;
    std::size_t unwatched = 0;
    std::uint64_t overflows = 0;
    ScanStats last;  // of the last check run_once made
};

class RealtimeMonitor {
public:
    RealtimeMonitor(const core::SyscheckConfig& config, Scanner& scanner,
                    pal::FileWatcher& watcher, EventSink& sink, core::Logger& logger,
                    std::size_t max_watches = kNoWatchLimit);

    // Watches the directories of every realtime entry. False when the sink
    // gave up (stopping) while sending the watch-limit notice.
    bool start();

    // Waits up to timeout for changes and checks the directories that
    // changed. Returns the number of messages sent (new, changed, deleted
    // files); stop_requested as for Scanner::scan.
    std::uint64_t run_once(std::chrono::milliseconds timeout,
                           const Scanner::StopCheck& stop_requested);

    const RealtimeStats& stats() const { return stats_; }
    bool watching(const std::string& raw_directory) const {
        return watched_.count(raw_directory) > 0;
    }

private:
    struct Place {
        const core::SyscheckDirectory* directory = nullptr;
        int depth = 0;
    };

    void watch_tree(const std::string& raw, const Place& place);
    bool try_watch(const std::string& raw, const Place& place);
    bool announce_unwatched();
    std::vector<ScanScope> scopes_for(const std::vector<pal::WatchEvent>& events);
    std::vector<ScanScope> whole_trees(const std::string& only_raw);
    void forget_gone(const std::vector<ScanScope>& scopes);
    void forget_unlisted(const std::vector<ScanScope>& scopes,
                         const std::vector<ScanScope>& found);
    std::uint64_t check(std::vector<ScanScope> scopes, const Scanner::StopCheck& stop);

    const core::SyscheckConfig& config_;
    Scanner& scanner_;
    pal::FileWatcher& watcher_;
    EventSink& sink_;
    core::Logger& logger_;
    std::size_t max_watches_;

    std::map<std::string, Place> watched_;
    std::set<std::string> unwatched_;
    std::string limit_reason_;  // why the first directory was left unwatched
    bool announced_ = false;
    RealtimeStats stats_;
};

}  // namespace syscheck
