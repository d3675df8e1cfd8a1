#include "logcollector/change_waiter.hpp"

namespace logcollector {

ChangeWaiter::ChangeWaiter(pal::FileWatcher* watcher, const WaitOptions& options,
                           core::Logger& logger)
    : watcher_(watcher), options_(options), logger_(logger) {
    if (watcher_ == nullptr) {
        logger_.info("cannot watch directories for changes; polling log files every " +
                     std::to_string(options_.unwatched_poll.count()) + " ms");
    }
}

void ChangeWaiter::watch(const std::vector<std::filesystem::path>& directories) {
    if (watcher_ == nullptr) {
        return;
    }
    for (const auto& directory : directories) {
        if (watched_.contains(directory)) {
            continue;
        }
        if (const std::error_code ec = watcher_->add(directory)) {
            unwatched_.insert(directory);
            report_unwatched(directory, ec);
            continue;
        }
        unwatched_.erase(directory);
        watched_.insert(directory);
    }
}

void ChangeWaiter::report_unwatched(const std::filesystem::path& directory,
                                    std::error_code ec) {
    if (ec == std::errc::no_such_file_or_directory || !reported_.insert(directory).second) {
        return;  // a missing directory is the file's story, told by its tail
    }
    logger_.info("cannot watch directory '" + directory.string() + "': " + ec.message() +
                 "; polling its log files every " +
                 std::to_string(options_.unwatched_poll.count()) + " ms instead");
}

bool ChangeWaiter::wait(bool now) {
    const auto timeout = now ? std::chrono::milliseconds(0)
                         : polling_only() ? options_.unwatched_poll
                                          : options_.watched_poll;
    if (watcher_ == nullptr) {
        std::unique_lock lock(mutex_);
        woken_.wait_for(lock, timeout, [this] { return wake_requested_; });
        wake_requested_ = false;
        return false;
    }

    events_.clear();
    if (const std::error_code ec = watcher_->wait(timeout, events_)) {
        if (!watch_failing_) {
            logger_.warning("cannot wait for directory changes: " + ec.message() +
                            "; polling log files every " +
                            std::to_string(options_.unwatched_poll.count()) + " ms");
        }
        watch_failing_ = true;
        return false;
    }
    watch_failing_ = false;
    for (const auto& event : events_) {
        std::error_code ec;
        if (event.kind == pal::WatchEvent::Kind::kChanged &&
            !std::filesystem::is_directory(event.directory, ec)) {
            watched_.erase(event.directory);  // removed: watch it again once back
        }
    }
    return !events_.empty();
}

void ChangeWaiter::wake() {
    if (watcher_ != nullptr) {
        watcher_->wake();
        return;
    }
    std::lock_guard lock(mutex_);
    wake_requested_ = true;
    woken_.notify_all();
}

}  // namespace logcollector
