#include "syscheck/realtime_monitor.hpp"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "pal/file_metadata.hpp"
#include "syscheck/path_escape.hpp"

namespace syscheck {
namespace {

namespace fs = std::filesystem;

// The notice to the manager names at most this many bytes of directories.
constexpr std::size_t kNoticeNamesBudget = 4000;

bool is_gone(std::error_code ec) {
    return ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory;
}

bool is_directory(const std::string& raw, const core::SyscheckDirectory& entry) {
    pal::FileMetadata metadata;
    const auto follow =
        entry.follow_symbolic_link ? pal::FollowLinks::kYes : pal::FollowLinks::kNo;
    return !pal::read_metadata(path_of(raw), follow, false, metadata) &&
           metadata.kind == pal::FileKind::kDirectory;
}

}  // namespace

RealtimeMonitor::RealtimeMonitor(const core::SyscheckConfig& config, Scanner& scanner,
                                 pal::FileWatcher& watcher, EventSink& sink,
                                 core::Logger& logger, std::size_t max_watches)
    : config_(config),
      scanner_(scanner),
      watcher_(watcher),
      sink_(sink),
      logger_(logger),
      max_watches_(max_watches) {}

bool RealtimeMonitor::start() {
    for (const auto& entry : config_.directories) {
        const std::string root = without_trailing_separator(entry.path);
        if (entry.realtime && !config_.ignored(root) && is_directory(root, entry)) {
            watch_tree(root, {&entry, 0});
        }
    }
    stats_.watched = watched_.size();
    stats_.unwatched = unwatched_.size();
    logger_.info("real-time monitoring of " + std::to_string(watched_.size()) +
                 " directories started");
    return announce_unwatched();
}

// Watches raw and every directory below it that its entry's options let
// the scan descend into. Walks on past the watch limit, to count.
void RealtimeMonitor::watch_tree(const std::string& raw, const Place& place) {
    const core::SyscheckDirectory& entry = *place.directory;
    std::vector<std::pair<std::string, int>> stack{{raw, place.depth}};
    std::set<std::pair<std::uint64_t, std::uint64_t>> visited;
    while (!stack.empty()) {
        const auto [current, depth] = std::move(stack.back());
        stack.pop_back();
        pal::FileMetadata metadata;
        if (pal::read_metadata(path_of(current), pal::FollowLinks::kYes, false, metadata) ||
            !visited.insert({metadata.id.device, metadata.id.index}).second) {
            continue;  // gone, or a loop
        }
        if (config_.skip_nfs && pal::is_network_file_system(path_of(current))) {
            continue;
        }
        try_watch(current, {&entry, depth});

        const bool limited = entry.recursion_level != core::kUnlimitedRecursion;
        if (limited && depth + 1 > entry.recursion_level) {
            continue;
        }
        std::vector<std::string> children;
        std::error_code ec;
        for (fs::directory_iterator it(path_of(current), ec), end; !ec && it != end;
             it.increment(ec)) {
            const std::string child = raw_text(it->path());
            std::error_code kind_ec;
            const bool link = it->is_symlink(kind_ec);
            if ((link && !entry.follow_symbolic_link) || !it->is_directory(kind_ec) ||
                config_.ignored(child)) {
                continue;
            }
            const bool other_entry = std::any_of(
                config_.directories.begin(), config_.directories.end(),
                [&child](const core::SyscheckDirectory& d) {
                    return without_trailing_separator(d.path) == child;
                });
            if (!other_entry) {
                children.push_back(child);
            }
        }
        // Name order, as the scan goes: which directories a watch limit
        // leaves out does not depend on the order the OS lists them.
        std::sort(children.rbegin(), children.rend());
        for (auto& child : children) {
            stack.emplace_back(std::move(child), depth + 1);
        }
    }
}

bool RealtimeMonitor::try_watch(const std::string& raw, const Place& place) {
    if (watched_.count(raw) > 0) {
        return true;
    }
    std::string reason;
    if (max_watches_ != kNoWatchLimit && watched_.size() >= max_watches_) {
        reason = "the limit of " + std::to_string(max_watches_) +
                 " watches set for syscheck was reached";
    } else if (const auto ec = watcher_.add(path_of(raw))) {
        if (is_gone(ec)) {
            return false;
        }
        reason = ec == std::errc::no_space_on_device
                     ? "the system's limit on watches was reached"
                     : "the system refused a watch (" + ec.message() + ")";
    } else {
        watched_[raw] = place;
        unwatched_.erase(raw);
        return true;
    }
    if (limit_reason_.empty()) {
        limit_reason_ = reason;
    }
    if (unwatched_.insert(raw).second && announced_) {
        logger_.debug("not watching '" + escape_path(raw) + "' in real time: " + reason +
                      "; the scheduled scan checks it");
    }
    return false;
}

bool RealtimeMonitor::announce_unwatched() {
    if (announced_ || unwatched_.empty()) {
        return true;
    }
    announced_ = true;
    const std::string counts = std::to_string(unwatched_.size()) + " of " +
                               std::to_string(unwatched_.size() + watched_.size()) +
                               " directories";
    logger_.warning("real-time monitoring incomplete: " + counts + " not watched, as " +
                    limit_reason_ + "; they are checked by the scheduled scan (every " +
                    std::to_string(config_.frequency.count()) + " s) only");

    std::string names;
    std::size_t named = 0;
    for (const auto& raw : unwatched_) {
        const std::string name = "'" + escape_path(raw) + "'";
        if (names.size() + name.size() > kNoticeNamesBudget) {
            break;
        }
        names += (named++ == 0 ? "" : ", ") + name;
    }
    if (named < unwatched_.size()) {
        names += " and " + std::to_string(unwatched_.size() - named) + " more";
    }
    const std::string notice = std::string(kWatchLimitNotice) + counts +
                               " not watched because " + limit_reason_ +
                               "; checked by the scheduled scan only: " + names;
    return sink_.send(core::kRootcheckQueue, kRootcheckLocation, notice);
}

std::uint64_t RealtimeMonitor::run_once(std::chrono::milliseconds timeout,
                                        const Scanner::StopCheck& stop_requested) {
    std::vector<pal::WatchEvent> events;
    if (const auto ec = watcher_.wait(timeout, events)) {
        // The scheduled scan still covers everything; do not spin.
        logger_.debug("waiting for real-time events failed: " + ec.message());
        std::this_thread::sleep_for(timeout);
        return 0;
    }
    std::vector<ScanScope> scopes = scopes_for(events);
    return scopes.empty() ? 0 : check(std::move(scopes), stop_requested);
}

std::vector<ScanScope> RealtimeMonitor::scopes_for(const std::vector<pal::WatchEvent>& events) {
    std::vector<ScanScope> scopes;
    std::set<std::string> shallow;
    for (const auto& event : events) {
        const std::string raw = raw_text(event.directory);
        if (event.kind == pal::WatchEvent::Kind::kOverflow) {
            ++stats_.overflows;
            logger_.warning("real-time events were lost (the system's event queue "
                            "overflowed); checking " +
                            (raw.empty() ? std::string("every real-time directory")
                                         : "'" + escape_path(raw) + "'") +
                            " again");
            const auto trees = whole_trees(raw);
            scopes.insert(scopes.end(), trees.begin(), trees.end());
            continue;
        }
        const auto place = watched_.find(raw);
        if (place != watched_.end() && shallow.insert(raw).second) {
            scopes.push_back({raw, place->second.directory, place->second.depth, false});
        }
    }
    return scopes;
}

// Deep scopes for every real-time entry, or for the watched tree at only.
std::vector<ScanScope> RealtimeMonitor::whole_trees(const std::string& only) {
    if (const auto place = watched_.find(only); place != watched_.end()) {
        return {{only, place->second.directory, place->second.depth, true}};
    }
    std::vector<ScanScope> scopes;
    for (const auto& entry : config_.directories) {
        if (entry.realtime) {
            scopes.push_back({without_trailing_separator(entry.path), &entry, 0, true});
        }
    }
    return scopes;
}

// Drops the watches of directories that are gone (the OS dropped them too).
void RealtimeMonitor::forget_gone(const std::vector<ScanScope>& scopes) {
    for (const auto& scope : scopes) {
        // A directory deleted while watched may stay, unlistable, until its
        // watch lets go (Windows keeps it "delete pending"): let go then.
        std::error_code ec;
        fs::directory_iterator listing(path_of(scope.path), ec);
        if (!ec && is_directory(scope.path, *scope.directory)) {
            continue;
        }
        for (auto it = watched_.lower_bound(scope.path); it != watched_.end() &&
                                                         is_under(it->first, scope.path);) {
            watcher_.remove(path_of(it->first));
            it = watched_.erase(it);
        }
    }
}

// Watched subdirectories a shallow check no longer listed are gone (or
// moved away): not every OS reports the removal of a watched directory
// to its own watch (Wine does not), so the parent's listing decides.
void RealtimeMonitor::forget_unlisted(const std::vector<ScanScope>& scopes,
                                      const std::vector<ScanScope>& found) {
    std::set<std::string> listed;
    for (const auto& sub : found) {
        listed.insert(sub.path);
    }
    std::vector<std::string> gone;
    for (const auto& scope : scopes) {
        if (scope.deep) {
            continue;
        }
        for (auto it = watched_.lower_bound(scope.path);
             it != watched_.end() && is_under(it->first, scope.path); ++it) {
            const bool child = it->first != scope.path &&
                               raw_text(path_of(it->first).parent_path()) == scope.path;
            if (child && listed.count(it->first) == 0) {
                gone.push_back(it->first);
            }
        }
    }
    for (const auto& top : gone) {
        for (auto it = watched_.lower_bound(top); it != watched_.end() && is_under(it->first, top);) {
            watcher_.remove(path_of(it->first));
            it = watched_.erase(it);
        }
    }
}

std::uint64_t RealtimeMonitor::check(std::vector<ScanScope> scopes,
                                     const Scanner::StopCheck& stop) {
    std::vector<ScanScope> found;
    stats_.last = scanner_.scan_scopes(scopes, stop, found);
    std::uint64_t sent = stats_.last.added + stats_.last.changed + stats_.last.deleted;
    forget_gone(scopes);
    forget_unlisted(scopes, found);

    // New subdirectories: watch them first, then check what they already hold.
    std::vector<ScanScope> fresh;
    for (const auto& scope : scopes) {
        if (scope.deep) {
            watch_tree(scope.path, {scope.directory, scope.depth});  // after an overflow
        }
    }
    for (const auto& sub : found) {
        if (watched_.count(sub.path) == 0 && unwatched_.count(sub.path) == 0) {
            watch_tree(sub.path, {sub.directory, sub.depth});
            fresh.push_back(sub);
        }
    }
    if (!fresh.empty() && stats_.last.complete) {
        std::vector<ScanScope> ignored;
        const ScanStats more = scanner_.scan_scopes(fresh, stop, ignored);
        sent += more.added + more.changed + more.deleted;
        stats_.last = more;
    }
    stats_.watched = watched_.size();
    stats_.unwatched = unwatched_.size();
    announce_unwatched();
    return sent;
}

}  // namespace syscheck
