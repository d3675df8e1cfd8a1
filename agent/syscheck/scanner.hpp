// One scheduled scan of the configured directories, compared with the
// baseline, sending OSSEC 3.x messages:
//   9:rootcheck:Starting syscheck scan.
//   8:syscheck:<size>:<mode>:<uid>:<gid>:<md5>:<sha1> <path>   new or changed
//   8:syscheck:-1 <path>                                       deleted
//   9:rootcheck:Ending syscheck scan.
//   8:syscheck:syscheck-db-completed
// Paths are escaped (path_escape.hpp). Under report_changes a changed
// file's message goes on, after a newline, with the diff (diff_store.hpp),
// as OSSEC 3.x appends it; the text is cut at OSSEC's 6143 bytes. With an empty baseline (first scan)
// every file is sent, as OSSEC's first scan does; later only changes.
//
// The walk is single-threaded and deterministic: a directory's files, then
// its subdirectories, names sorted. Metadata
// and digests of each batch of files are computed by the WorkerPool, each
// file read once. Symlinks are not followed unless the directory asks for
// it (follow_symbolic_link); a directory reached again by (device, inode)
// - a symlink or bind-mount loop - is scanned once.
//
// An interrupted scan (stop requested, or the sink gave up) keeps what it
// recorded so far and reports nothing as deleted: it cannot know what it
// did not reach. Files under a directory that could not be listed are kept
// as they were, never reported deleted.
//
// Not thread safe; one scan at a time. The config, baseline, sink, pool and
// logger must outlive the scanner.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/logger.hpp"
#include "core/syscheck_config.hpp"
#include "syscheck/baseline.hpp"
#include "syscheck/diff_store.hpp"
#include "syscheck/event_sink.hpp"
#include "syscheck/worker_pool.hpp"

namespace syscheck {

struct ScanStats {
    bool complete = false;
    std::uint64_t files = 0;     // regular files (and symlinks) examined
    std::uint64_t added = 0;
    std::uint64_t changed = 0;
    std::uint64_t deleted = 0;
    std::uint64_t unreadable = 0;  // files or directories the OS refused
    std::uint64_t loops = 0;       // directories skipped as already scanned
};

// A part of the monitored tree to check again (real time): a directory
// and the <directories> entry it belongs to, at depth levels below it.
// A deep scope covers everything under path; a shallow one only the files
// directly in it, and whatever under a subdirectory that is gone.
struct ScanScope {
    std::string path;  // raw bytes, no trailing separator
    const core::SyscheckDirectory* directory = nullptr;
    int depth = 0;
    bool deep = true;
};

class Scanner {
public:
    using StopCheck = std::function<bool()>;

    // diffs serves report_changes; without it those directories are
    // scanned as the others. A <prefilter_cmd> of plain words runs (no
    // shell) with the file's path as its last argument, and its output is
    // hashed instead of the file; one with shell syntax is refused with an
    // error line.
    Scanner(const core::SyscheckConfig& config, Baseline& baseline, EventSink& sink,
            WorkerPool& pool, core::Logger& logger, DiffStore* diffs = nullptr);

    // Runs one scan; stop_requested is polled between batches of files.
    ScanStats scan(const StopCheck& stop_requested);

    // Checks only the given scopes: new, changed and deleted files under
    // them are sent and recorded, without the start and end notices. The
    // subdirectories listed in shallow scopes (those the scope's options
    // allow descending into) are appended to subdirectories, for the
    // caller to watch; a scope whose directory is gone reports every file
    // recorded under it as deleted. stats.complete as for scan().
    ScanStats scan_scopes(const std::vector<ScanScope>& scopes,
                          const StopCheck& stop_requested,
                          std::vector<ScanScope>& subdirectories);

private:
    const core::SyscheckConfig& config_;
    Baseline& baseline_;
    EventSink& sink_;
    WorkerPool& pool_;
    core::Logger& logger_;
    DiffStore* diffs_;
    std::vector<std::string> prefilter_;  // <prefilter_cmd> argv, or empty
};

// Messages, exposed for tests.
inline constexpr std::string_view kScanStarted = "Starting syscheck scan.";
inline constexpr std::string_view kScanEnded = "Ending syscheck scan.";
inline constexpr std::string_view kDatabaseCompleted = "syscheck-db-completed";

}  // namespace syscheck
