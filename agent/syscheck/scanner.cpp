#include "syscheck/scanner.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <unordered_set>
#include <vector>

#include "pal/command.hpp"
#include "pal/file_metadata.hpp"
#include "pal/process.hpp"
#include "syscheck/file_hasher.hpp"
#include "syscheck/path_escape.hpp"

namespace syscheck {
namespace {

namespace fs = std::filesystem;
using core::SyscheckDirectory;

constexpr std::size_t kBatchSize = 512;
// OSSEC's longest message text (OS_MAXSTR less its terminating NUL).
constexpr std::size_t kMaxMessageText = 6143;
// A prefilter_cmd's output is hashed only when whole within this bound.
constexpr std::size_t kPrefilterOutputLimit = 64 * 1024 * 1024;
constexpr auto kPrefilterTimeout = std::chrono::seconds(60);

bool is_gone(std::error_code ec) {
    return ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory;
}

struct PendingFile {
    fs::path path;
    std::string raw;
    const SyscheckDirectory* directory = nullptr;
};

enum class FileState { kOk, kGone, kUnreadable, kIrregular };

struct FileResult {
    FileState state = FileState::kOk;
    FileRecord record;
    std::error_code error;
};

// The digests of what "<prefilter argv> <file>" prints (OSSEC hashes that
// instead of the file, for prelink -y for instance). Fails when it cannot
// run, times out, fails, or prints more than the bound.
std::error_code hash_prefiltered(const std::vector<std::string>& prefilter,
                                 const fs::path& path, const HashRequest& request,
                                 FileDigests& digests) {
    pal::ProcessRequest run;
    run.argv = prefilter;
    run.argv.push_back(raw_text(path));
    run.timeout = kPrefilterTimeout;
    run.output_limit = kPrefilterOutputLimit;
    pal::ProcessResult result;
    if (auto ec = pal::run_process(run, result)) {
        return ec;
    }
    if (result.outcome != pal::ProcessOutcome::kExited || result.exit_code != 0 ||
        result.output_truncated) {
        return std::make_error_code(std::errc::io_error);
    }
    digests = hash_bytes(result.output, request);
    return {};
}

FileResult examine(const PendingFile& file, const std::vector<std::string>& prefilter) {
    FileResult result;
    const auto follow = file.directory->follow_symbolic_link ? pal::FollowLinks::kYes
                                                             : pal::FollowLinks::kNo;
    pal::FileMetadata metadata;
    if (auto ec = pal::read_metadata(file.path, follow, false, metadata)) {
        result.state = is_gone(ec) ? FileState::kGone : FileState::kUnreadable;
        result.error = ec;
        return result;
    }
    bool hashable = metadata.kind == pal::FileKind::kRegular;
    if (metadata.kind == pal::FileKind::kSymlink) {
        // OSSEC reports the link's own metadata and the digests of the
        // file it leads to, when that is a regular file.
        pal::FileMetadata target;
        hashable = !pal::read_metadata(file.path, pal::FollowLinks::kYes, false, target) &&
                   target.kind == pal::FileKind::kRegular;
    } else if (!hashable) {
        result.state = FileState::kIrregular;
        return result;
    }
    const auto& checks = file.directory->checks;
    FileDigests digests;
    if (hashable && checks.any_hash()) {
        const HashRequest request{checks.md5, checks.sha1, checks.sha256};
        if (!prefilter.empty()) {
            // Unhashable output leaves "xxx", as OSSEC does when it fails.
            hash_prefiltered(prefilter, file.path, request, digests);
        } else if (auto ec = hash_file(file.path, request, digests); is_gone(ec)) {
            result.state = FileState::kGone;
            return result;
        }
    }
    result.record = make_record(metadata, digests, checks);
    return result;
}

// The state of one scan while it runs.
class ScanRun {
public:
    ScanRun(const core::SyscheckConfig& config, Baseline& baseline, EventSink& sink,
            WorkerPool& pool, core::Logger& logger, DiffStore* diffs,
            const std::vector<std::string>& prefilter, const Scanner::StopCheck& stop)
        : config_(config),
          baseline_(baseline),
          sink_(sink),
          pool_(pool),
          logger_(logger),
          diffs_(diffs),
          prefilter_(prefilter),
          stop_(stop) {
        for (const auto& directory : config.directories) {
            roots_.insert(without_trailing_separator(directory.path));
        }
    }

    ScanStats run() {
        if (!notice(kScanStarted)) {
            return stats_;
        }
        for (const auto& directory : config_.directories) {
            if (!walk_root(directory)) {
                return stats_;
            }
        }
        if (!flush() || !report_deletions() || !notice(kScanEnded) ||
            !sink_.send(core::kSyscheckQueue, kSyscheckLocation, kDatabaseCompleted)) {
            return stats_;
        }
        stats_.complete = true;
        return stats_;
    }

    ScanStats run_scopes(const std::vector<ScanScope>& scopes, std::vector<ScanScope>& found) {
        for (const auto& scope : scopes) {
            if (stop_() || !walk_scope(scope, found)) {
                return stats_;
            }
        }
        if (!flush()) {
            return stats_;
        }
        for (const auto& scope : scopes) {
            if (!report_deletions_under(scope)) {
                return stats_;
            }
        }
        stats_.complete = true;
        return stats_;
    }

private:
    struct PendingDirectory {
        fs::path path;
        int depth = 0;
    };

    bool walk_scope(const ScanScope& scope, std::vector<ScanScope>& found) {
        if (config_.ignored(scope.path)) {
            return true;
        }
        const PendingDirectory top{path_of(scope.path), scope.depth};
        if (scope.deep) {
            return walk_tree(top, *scope.directory);
        }
        std::vector<PendingDirectory> subdirectories;
        collect_directories_ = true;
        const bool entered = enter(top, *scope.directory, subdirectories);
        collect_directories_ = false;
        for (auto it = subdirectories.rbegin(); it != subdirectories.rend(); ++it) {
            found.push_back({raw_text(it->path), scope.directory, it->depth, true});
        }
        return entered && flush_if_full();
    }

    bool notice(std::string_view text) {
        return sink_.send(core::kRootcheckQueue, kRootcheckLocation, text);
    }

    bool walk_root(const SyscheckDirectory& directory) {
        const std::string root = without_trailing_separator(directory.path);
        if (config_.ignored(root)) {
            return true;
        }
        pal::FileMetadata metadata;
        const auto follow = directory.follow_symbolic_link ? pal::FollowLinks::kYes
                                                           : pal::FollowLinks::kNo;
        if (auto ec = pal::read_metadata(path_of(root), follow, false, metadata)) {
            if (!is_gone(ec)) {
                keep_unreached(root, ec);
            }
            return true;
        }
        if (metadata.kind != pal::FileKind::kDirectory) {
            add_file(path_of(root), root, directory);
            return flush_if_full();
        }
        return walk_tree({path_of(root), 0}, directory);
    }

    bool walk_tree(const PendingDirectory& top, const SyscheckDirectory& directory) {
        std::vector<PendingDirectory> stack{top};
        while (!stack.empty()) {
            const PendingDirectory current = std::move(stack.back());
            stack.pop_back();
            if (stop_()) {
                return false;
            }
            if (!enter(current, directory, stack) || !flush_if_full()) {
                return false;
            }
        }
        return true;
    }

    // Lists one directory: its files go to the batch, its subdirectories
    // onto the stack (in reverse, so they come off in name order).
    bool enter(const PendingDirectory& current, const SyscheckDirectory& directory,
               std::vector<PendingDirectory>& stack) {
        const std::string raw = raw_text(current.path);
        if (!first_visit(current.path, raw)) {
            return true;
        }
        std::error_code ec;
        std::vector<fs::directory_entry> entries;
        for (fs::directory_iterator it(current.path, ec), end; !ec && it != end;
             it.increment(ec)) {
            entries.push_back(*it);
        }
        if (ec) {
            if (!is_gone(ec)) {
                keep_unreached(raw, ec);
            }
            return true;
        }
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.path() < b.path(); });
        std::vector<PendingDirectory> subdirectories;
        for (const auto& entry : entries) {
            classify(entry, current.depth, directory, subdirectories);
        }
        stack.insert(stack.end(), subdirectories.rbegin(), subdirectories.rend());
        return true;
    }

    void classify(const fs::directory_entry& entry, int depth,
                  const SyscheckDirectory& directory,
                  std::vector<PendingDirectory>& subdirectories) {
        const std::string raw = raw_text(entry.path());
        if (config_.ignored(raw)) {
            return;
        }
        std::error_code ec;
        const bool link = entry.is_symlink(ec);
        const bool is_directory =
            (!link || directory.follow_symbolic_link) && entry.is_directory(ec);
        if (is_directory && collect_directories_) {
            listed_directories_.insert(raw);
        }
        if (!is_directory) {
            if (!directory.restrict || directory.restrict->matches(raw)) {
                add_file(entry.path(), raw, directory);
            }
            return;
        }
        const bool limited = directory.recursion_level != core::kUnlimitedRecursion;
        if (roots_.count(raw) > 0 || (limited && depth + 1 > directory.recursion_level)) {
            return;  // another entry covers it with its own options, or too deep
        }
        subdirectories.push_back({entry.path(), depth + 1});
    }

    // False for a directory already scanned under another name (a loop) and
    // for one skip_nfs leaves out.
    bool first_visit(const fs::path& path, const std::string& raw) {
        pal::FileMetadata metadata;
        if (auto ec = pal::read_metadata(path, pal::FollowLinks::kYes, false, metadata)) {
            return true;  // listing it reports the problem
        }
        if (!visited_.insert({metadata.id.device, metadata.id.index}).second) {
            ++stats_.loops;
            logger_.debug("not scanning '" + escape_path(raw) +
                          "' again: it is a directory already scanned (symlink or "
                          "bind-mount loop)");
            return false;
        }
        if (config_.skip_nfs && metadata.id.device != last_device_) {
            last_device_ = metadata.id.device;
            last_device_remote_ = pal::is_network_file_system(path);
        }
        if (config_.skip_nfs && last_device_remote_) {
            excluded_.push_back(raw);
            logger_.debug("skipping '" + escape_path(raw) + "': network file system");
            return false;
        }
        return true;
    }

    void keep_unreached(const std::string& raw, std::error_code ec) {
        ++stats_.unreadable;
        kept_.push_back(raw);
        logger_.warning("cannot scan '" + escape_path(raw) + "': " + ec.message() +
                        "; its files keep their recorded state until it can be read");
    }

    void add_file(const fs::path& path, const std::string& raw,
                  const SyscheckDirectory& directory) {
        batch_.push_back({path, raw, &directory});
    }

    bool flush_if_full() { return batch_.size() < kBatchSize || flush(); }

    bool flush() {
        std::vector<FileResult> results(batch_.size());
        pool_.run(batch_.size(), [this, &results](std::size_t i) {
            results[i] = examine(batch_[i], prefilter_);
        });
        for (std::size_t i = 0; i < batch_.size(); ++i) {
            if (!record(batch_[i], results[i])) {
                return false;
            }
        }
        batch_.clear();
        return !stop_();
    }

    bool record(const PendingFile& file, const FileResult& result) {
        if (result.state == FileState::kUnreadable) {
            ++stats_.unreadable;
            seen_.insert(file.raw);
            logger_.debug("cannot read metadata of '" + escape_path(file.raw) +
                          "': " + result.error.message() + "; keeping its recorded state");
            return true;
        }
        if (result.state != FileState::kOk) {
            return true;
        }
        ++stats_.files;
        seen_.insert(file.raw);
        const FileRecord* old = baseline_.find(file.raw);
        if (old && *old == result.record) {
            return true;
        }
        std::string text = checksum_text(result.record) + " " + escape_path(file.raw);
        if (diffs_ && file.directory->report_changes) {
            const auto diff =
                diffs_->update(file.raw, file.path, old != nullptr, config_.no_diff(file.raw));
            if (diff) {
                text += "\n" + *diff;
                text.resize(std::min(text.size(), kMaxMessageText));
            }
        }
        if (!sink_.send(core::kSyscheckQueue, kSyscheckLocation, text)) {
            return false;
        }
        ++(old ? stats_.changed : stats_.added);
        baseline_.put(file.raw, result.record);
        return true;
    }

    bool covered(const std::string& raw) const {
        const auto under = [&raw](const std::string& prefix) { return is_under(raw, prefix); };
        if (std::any_of(kept_.begin(), kept_.end(), under) ||
            std::any_of(excluded_.begin(), excluded_.end(), under) || config_.ignored(raw)) {
            return false;
        }
        return std::any_of(roots_.begin(), roots_.end(), under);
    }

    bool report_deletions() {
        std::vector<std::string> missing;
        for (const auto& [raw, record] : baseline_.records()) {
            if (seen_.count(raw) == 0) {
                missing.push_back(raw);
            }
        }
        return report_missing(missing);
    }

    // The recorded files under scope that this run did not see. A shallow
    // scope answers for its own files and for subdirectories that are no
    // longer there; the others have their own scopes (their own watches).
    bool report_deletions_under(const ScanScope& scope) {
        const std::string& top = scope.path;
        const std::size_t rest = is_separator(top.back()) ? top.size() : top.size() + 1;
        const auto& records = baseline_.records();
        std::vector<std::string> missing;
        for (auto it = records.lower_bound(top);
             it != records.end() && it->first.compare(0, top.size(), top) == 0; ++it) {
            const std::string& raw = it->first;
            if (raw.size() <= rest || !is_under(raw, top) || seen_.count(raw) > 0) {
                continue;
            }
            const auto separator = std::find_if(raw.begin() + static_cast<std::ptrdiff_t>(rest),
                                                raw.end(), is_separator);
            const bool in_listed_subdirectory =
                separator != raw.end() &&
                listed_directories_.count(std::string(raw.begin(), separator)) > 0;
            const bool own = scope.deep ? !under_nested_root(raw, top) : !in_listed_subdirectory;
            if (own) {
                missing.push_back(raw);
            }
        }
        return report_missing(missing);
    }

    // Another <directories> entry below top answers for raw.
    bool under_nested_root(const std::string& raw, const std::string& top) const {
        return std::any_of(roots_.begin(), roots_.end(), [&](const std::string& root) {
            return root.size() > top.size() && is_under(root, top) && is_under(raw, root);
        });
    }

    bool report_missing(const std::vector<std::string>& missing) {
        for (const auto& raw : missing) {
            const bool kept =
                std::any_of(kept_.begin(), kept_.end(),
                            [&raw](const std::string& prefix) { return is_under(raw, prefix); });
            if (kept) {
                continue;
            }
            if (covered(raw)) {
                if (!sink_.send(core::kSyscheckQueue, kSyscheckLocation,
                                "-1 " + escape_path(raw))) {
                    return false;
                }
                ++stats_.deleted;
            }
            if (diffs_) {
                diffs_->forget(raw);
            }
            baseline_.erase(raw);
        }
        return true;
    }

    struct IdHash {
        std::size_t operator()(const std::pair<std::uint64_t, std::uint64_t>& id) const {
            return std::hash<std::uint64_t>()(id.first * 0x9E3779B97F4A7C15ULL ^ id.second);
        }
    };

    const core::SyscheckConfig& config_;
    Baseline& baseline_;
    EventSink& sink_;
    WorkerPool& pool_;
    core::Logger& logger_;
    DiffStore* diffs_;
    const std::vector<std::string>& prefilter_;
    const Scanner::StopCheck& stop_;

    std::set<std::string> roots_;
    std::vector<PendingFile> batch_;
    std::unordered_set<std::string> seen_;
    std::unordered_set<std::pair<std::uint64_t, std::uint64_t>, IdHash> visited_;
    std::unordered_set<std::string> listed_directories_;  // by shallow scopes
    bool collect_directories_ = false;
    std::vector<std::string> kept_;      // could not be listed: entries stay
    std::vector<std::string> excluded_;  // skip_nfs: entries dropped quietly
    std::uint64_t last_device_ = ~std::uint64_t{0};
    bool last_device_remote_ = false;
    ScanStats stats_;
};

}  // namespace

Scanner::Scanner(const core::SyscheckConfig& config, Baseline& baseline, EventSink& sink,
                 WorkerPool& pool, core::Logger& logger, DiffStore* diffs)
    : config_(config),
      baseline_(baseline),
      sink_(sink),
      pool_(pool),
      logger_(logger),
      diffs_(diffs) {
    if (config.prefilter_cmd.empty()) {
        return;
    }
    pal::CommandArgv command;
    const auto ec = pal::command_argv(config.prefilter_cmd, command);
    if (ec || command.through_shell) {
        // The file name would have to be pasted into shell text; a name
        // holding quotes or ';' would then run as commands. Not done.
        logger_.error("cannot use <prefilter_cmd> '" + config.prefilter_cmd + "': " +
                      (ec ? ec.message() : std::string("shell syntax is not supported")) +
                      "; files are hashed as they are");
        return;
    }
    prefilter_ = command.argv;
    logger_.info("files are hashed through the prefilter '" + config.prefilter_cmd + "'");
}

ScanStats Scanner::scan(const StopCheck& stop_requested) {
    ScanRun run(config_, baseline_, sink_, pool_, logger_, diffs_, prefilter_, stop_requested);
    return run.run();
}

ScanStats Scanner::scan_scopes(const std::vector<ScanScope>& scopes,
                               const StopCheck& stop_requested,
                               std::vector<ScanScope>& subdirectories) {
    ScanRun run(config_, baseline_, sink_, pool_, logger_, diffs_, prefilter_, stop_requested);
    return run.run_scopes(scopes, subdirectories);
}

}  // namespace syscheck
