#include "logcollector/log_collector.hpp"

#include <algorithm>

#include "pal/system_info.hpp"

namespace logcollector {
namespace {

// Ids of files followed before, kept to recognise a rotated file that a
// pattern matches; old ones are forgotten past this many.
constexpr std::size_t kMaxSeenIds = 4096;

}  // namespace

LogCollector::LogCollector(std::vector<TailSpec> specs, PositionStore& store,
                           const CollectorOptions& options, EventSink& sink,
                           const Clock& clock, core::Logger& logger)
    : specs_(std::move(specs)),
      store_(store),
      options_(options),
      sink_(sink),
      clock_(clock),
      logger_(logger) {
    for (const TailSpec& spec : specs_) {
        patterns_.emplace_back(spec.location);
    }
    if (options_.hostname.empty()) {
        const std::string host = pal::host_name();
        options_.hostname = host.substr(0, host.find('.'));
    }
}

LogCollector::~LogCollector() = default;

void LogCollector::start() {
    if (const std::error_code ec = store_.load()) {
        logger_.error("cannot read saved log positions '" + store_.file().string() +
                      "': " + ec.message() + "; files without a position start at their end");
    } else if (store_.skipped_lines() > 0) {
        logger_.warning("ignored " + std::to_string(store_.skipped_lines()) +
                        " malformed lines in '" + store_.file().string() + "'");
    }
    rescan(true);
    store_.retain_if([this](const std::string& location) {
        return tails_.contains(location);
    });
    // Saved at once: a file first opened at its end must be read from
    // that point after a crash, even one within the first save_interval
    // (otherwise it starts at its end again and what was written between
    // the two starts is never read).
    save_positions();
    next_save_ = clock_.now() + options_.save_interval;
}

void LogCollector::rescan(bool first) {
    last_rescan_ = clock_.now();
    rescan_requested_ = false;
    for (auto& [path, followed] : tails_) {
        followed.matched = false;
    }
    const std::tm local = clock_.local_time();
    for (std::size_t i = 0; i < specs_.size(); ++i) {
        for (const std::string& path : patterns_[i].match(local)) {
            if (usable_match(path, specs_[i])) {
                follow(path, specs_[i], first);
            }
        }
    }
}

bool LogCollector::usable_match(const std::string& path, const TailSpec& spec) {
    if (!LocationPattern(spec.location).has_wildcards()) {
        return true;  // a plain or dated name: FileTail reports its troubles
    }
    pal::FileInfo info;
    if (pal::stat_path(path, info) || info.is_regular) {
        return true;
    }
    if (reported_.insert(path).second) {
        logger_.warning("'" + path + "', matched by log location '" + spec.location +
                        "', is not a regular file; ignoring it");
    }
    return false;
}

void LogCollector::follow(const std::string& path, const TailSpec& spec, bool first) {
    if (const auto it = tails_.find(path); it != tails_.end()) {
        it->second.matched = true;
        return;
    }
    // Already there at start: as configured. Appeared later: from its
    // start, unless it is a file followed before under another name.
    StartPolicy policy = spec.only_future_events ? StartPolicy::kFromEnd
                                                 : StartPolicy::kFromStart;
    pal::FileInfo info;
    if (!first) {
        const bool seen = !pal::stat_path(path, info) &&
                          seen_ids_.contains({info.id.device, info.id.index});
        policy = seen ? StartPolicy::kFromEnd : StartPolicy::kFromStart;
    }
    if (!first && LocationPattern(spec.location).is_pattern()) {
        logger_.info("log file '" + path + "' now matches log location '" +
                     spec.location + "'");
    }
    std::unique_ptr<EventAssembler> assembler;
    if (spec.assembled) {
        const FormatContext context{path, options_.hostname,
                                    event_text_limit(path, options_.tail.max_line), &clock_,
                                    &logger_};
        AssemblerChoice choice = make_assembler(spec.source, context);
        if (!choice.error.empty()) {
            if (reported_.insert(path).second) {
                logger_.error(choice.error);
            }
            return;
        }
        assembler = std::move(choice.assembler);
    }
    auto tail = std::make_unique<FileTail>(path, spec.queue, options_.tail, sink_, clock_,
                                           logger_, std::move(assembler));
    tail->start(store_.find(path), policy);
    tails_.emplace(path, Followed{std::move(tail), &spec, true});
}

bool LogCollector::step() {
    const TimePoint now = clock_.now();
    if (now - last_rescan_ >= options_.rescan_interval ||
        (rescan_requested_ && now - last_rescan_ >= options_.rescan_min_gap)) {
        rescan(false);
    }

    bool more = false;
    for (auto it = tails_.begin(); it != tails_.end();) {
        const bool tail_more = it->second.tail->step();
        more = tail_more || more;
        if (!it->second.matched && !tail_more) {
            logger_.info("log file '" + it->first + "' no longer matches log location '" +
                         it->second.spec->location + "'; read to its end, dropped");
            it = tails_.erase(it);
        } else {
            ++it;
        }
    }
    remember_ids();
    if (clock_.now() >= next_save_ && save_positions()) {
        next_save_ = clock_.now() + options_.save_interval;
    }
    return more;
}

void LogCollector::remember_ids() {
    if (seen_ids_.size() > kMaxSeenIds) {
        seen_ids_.clear();
    }
    for (const auto& [path, followed] : tails_) {
        if (const auto position = followed.tail->position()) {
            seen_ids_.insert({position->id.device, position->id.index});
        }
    }
}

bool LogCollector::save_positions() {
    if (!sink_.drained()) {
        return false;
    }
    if (!collect_positions() && saved_once_ && !save_failing_) {
        return true;  // nothing moved since the last save
    }
    const std::error_code ec = store_.save();
    if (ec && !save_failing_) {
        logger_.error("cannot save log positions to '" + store_.file().string() + "': " +
                      ec.message() + "; retrying, lines may be sent twice after a restart");
    } else if (!ec && save_failing_) {
        logger_.info("log positions saved to '" + store_.file().string() + "' again");
    }
    save_failing_ = static_cast<bool>(ec);
    saved_once_ = saved_once_ || !ec;
    return !ec;
}

std::vector<std::filesystem::path> LogCollector::watch_directories() const {
    std::set<std::filesystem::path> directories;
    for (const auto& [path, followed] : tails_) {
        directories.insert(std::filesystem::path(path).parent_path());
    }
    const std::tm local = clock_.local_time();
    for (const LocationPattern& pattern : patterns_) {
        directories.insert(pattern.base_directory(local));
    }
    return {directories.begin(), directories.end()};
}

bool LogCollector::collect_positions() {
    bool changed = false;
    for (const auto& [path, followed] : tails_) {
        const auto position = followed.tail->position();
        if (position && store_.find(path) != position) {
            store_.set(path, *position);
            changed = true;
        }
    }
    return changed;
}

}  // namespace logcollector
