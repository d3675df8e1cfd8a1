#include "logcollector/log_collector.hpp"

#include <algorithm>

namespace logcollector {

LogCollector::LogCollector(std::vector<TailSpec> specs, PositionStore& store,
                           const CollectorOptions& options, EventSink& sink,
                           const Clock& clock, core::Logger& logger)
    : specs_(std::move(specs)),
      store_(store),
      options_(options),
      sink_(sink),
      clock_(clock),
      logger_(logger) {}

void LogCollector::start() {
    if (const std::error_code ec = store_.load()) {
        logger_.error("cannot read saved log positions '" + store_.file().string() +
                      "': " + ec.message() + "; files without a position start at their end");
    } else if (store_.skipped_lines() > 0) {
        logger_.warning("ignored " + std::to_string(store_.skipped_lines()) +
                        " malformed lines in '" + store_.file().string() + "'");
    }
    for (const TailSpec& spec : specs_) {
        // As OSSEC by default: a file already there with no saved position
        // starts at its end; one that appears later is read from its start.
        const StartPolicy policy = spec.only_future_events ? StartPolicy::kFromEnd
                                                           : StartPolicy::kFromStart;
        auto tail = std::make_unique<FileTail>(spec.location, spec.queue, options_.tail,
                                               sink_, clock_, logger_);
        tail->start(store_.find(spec.location), policy);
        tails_.push_back(std::move(tail));
    }
    store_.retain_if([this](const std::string& location) {
        return std::any_of(specs_.begin(), specs_.end(),
                           [&](const TailSpec& spec) { return spec.location == location; });
    });
    next_save_ = clock_.now() + options_.save_interval;
}

bool LogCollector::step() {
    bool more = false;
    for (auto& tail : tails_) {
        more = tail->step() || more;
    }
    if (clock_.now() >= next_save_ && save_positions()) {
        next_save_ = clock_.now() + options_.save_interval;
    }
    return more;
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

bool LogCollector::collect_positions() {
    bool changed = false;
    for (const auto& tail : tails_) {
        const auto position = tail->position();
        if (position && store_.find(tail->location()) != position) {
            store_.set(tail->location(), *position);
            changed = true;
        }
    }
    return changed;
}

}  // namespace logcollector
