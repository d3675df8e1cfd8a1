// Sleeps between collector passes until something changes in a directory
// that holds a followed file, or the poll interval ends, whichever comes
// first. The watch is only a way to wake up sooner: every file is still
// looked at on every pass, so a watch that fails, or never fires (network
// file systems), costs latency, never lines.
//
// Without a watcher (the OS refused one) it only sleeps. Not thread safe,
// except wake(), which may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <vector>

#include "core/logger.hpp"
#include "pal/file_watcher.hpp"

namespace logcollector {

struct WaitOptions {
    // Longest sleep when every directory is watched.
    std::chrono::milliseconds watched_poll{1000};
    // Longest sleep when some directory cannot be watched.
    std::chrono::milliseconds unwatched_poll{100};
};

class ChangeWaiter {
public:
    // watcher may be null (polling only); it and logger must outlive this.
    ChangeWaiter(pal::FileWatcher* watcher, const WaitOptions& options,
                 core::Logger& logger);

    // Watches these directories from now on, in addition to those already
    // watched. A directory that cannot be watched yet (missing) is tried
    // again on the next call.
    void watch(const std::vector<std::filesystem::path>& directories);

    // Sleeps up to the poll interval, or not at all when now is set; returns
    // true when a watched directory changed (or events were lost).
    bool wait(bool now = false);

    // Ends a wait() early; callable from any thread.
    void wake();

    bool polling_only() const { return watcher_ == nullptr || !unwatched_.empty(); }

private:
    void report_unwatched(const std::filesystem::path& directory, std::error_code ec);

    pal::FileWatcher* watcher_;
    WaitOptions options_;
    core::Logger& logger_;
    std::set<std::filesystem::path> watched_;
    std::set<std::filesystem::path> unwatched_;
    std::set<std::filesystem::path> reported_;
    std::vector<pal::WatchEvent> events_;
    bool watch_failing_ = false;

    std::mutex mutex_;  // for the sleep without a watcher
    std::condition_variable woken_;
    bool wake_requested_ = false;
};

}  // namespace logcollector
