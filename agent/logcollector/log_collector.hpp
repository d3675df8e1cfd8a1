// The collector: one FileTail per log file followed, stepped in turn from
// one thread, and their read positions saved under queue/ so that a
// restart resumes where the last run stopped.
//
// A location with wildcards or a date pattern (see location_pattern.hpp)
// is looked at again when rescan_soon() says a watched directory changed,
// and every rescan_interval regardless: a file that starts to match is
// followed from its start (a file that was never seen cannot have been
// read), one that stops matching is dropped once read to its end. A file
// that was followed under another name before (a rotated file matched by
// the same pattern) is followed from its end, so no line is sent twice.
//
// Positions are saved only when the sink has handed on every event it
// accepted, so a position never covers a line that exists only in memory:
// after a crash, lines may be sent twice but never lost.
//
// Not thread safe: construct, start() and step() from one thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "core/logger.hpp"
#include "logcollector/clock.hpp"
#include "logcollector/event_sink.hpp"
#include "logcollector/file_tail.hpp"
#include "logcollector/location_pattern.hpp"
#include "logcollector/log_format.hpp"
#include "logcollector/position_store.hpp"

namespace logcollector {

struct CollectorOptions {
    TailOptions tail;
    std::chrono::milliseconds save_interval{1000};
    // Patterns are matched again at least this often, and at most every
    // rescan_min_gap when watched directories keep changing.
    std::chrono::milliseconds rescan_interval{2000};
    std::chrono::milliseconds rescan_min_gap{100};
    // djb-multilog's host name; empty: this machine's, domain removed.
    std::string hostname;
};

class LogCollector {
public:
    // store, sink, clock and logger must outlive the collector.
    LogCollector(std::vector<TailSpec> specs, PositionStore& store,
                 const CollectorOptions& options, EventSink& sink, const Clock& clock,
                 core::Logger& logger);
    ~LogCollector();

    // Loads saved positions and opens every file: where it was left when
    // its saved position still holds, else at its end (as OSSEC does, or
    // at its start with <only-future-events>no) when never seen before,
    // else (rotated or rewritten while stopped) at its start. A file that
    // appears later is read from its start.
    void start();

    // One pass over every file, then a save of positions when due.
    // Returns true when some file has more to read right away.
    bool step();

    // A watched directory changed: match the patterns again on the next
    // step (at most every rescan_min_gap).
    void rescan_soon() { rescan_requested_ = true; }

    // Saves positions now if the sink is drained and a position moved;
    // returns false when they could not be saved.
    bool save_positions();

    std::size_t file_count() const { return tails_.size(); }

    // The directories to watch for changes: those holding the files
    // followed and those where a pattern's new matches would appear.
    std::vector<std::filesystem::path> watch_directories() const;

private:
    struct Followed {
        std::unique_ptr<FileTail> tail;
        const TailSpec* spec;
        bool matched = true;  // still named by its location
    };

    void rescan(bool first);
    void follow(const std::string& path, const TailSpec& spec, bool first);
    bool usable_match(const std::string& path, const TailSpec& spec);
    void remember_ids();
    bool collect_positions();  // true when a position moved

    std::vector<TailSpec> specs_;
    std::vector<LocationPattern> patterns_;  // one per spec
    PositionStore& store_;
    CollectorOptions options_;
    EventSink& sink_;
    const Clock& clock_;
    core::Logger& logger_;
    std::map<std::string, Followed> tails_;  // by path
    std::set<std::string> reported_;         // matches that are not files
    std::set<std::pair<std::uint64_t, std::uint64_t>> seen_ids_;
    TimePoint next_save_{};
    TimePoint last_rescan_{};
    bool rescan_requested_ = false;
    bool save_failing_ = false;
    bool saved_once_ = false;
};

}  // namespace logcollector
