// The collector: one FileTail per configured log file, stepped in turn
// from one thread, and their read positions saved under queue/ so that a
// restart resumes where the last run stopped.
//
// Positions are saved only when the sink has handed on every event it
// accepted, so a position never covers a line that exists only in memory:
// after a crash, lines may be sent twice but never lost.
//
// Not thread safe: construct, start() and step() from one thread.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "core/logger.hpp"
#include "logcollector/clock.hpp"
#include "logcollector/event_sink.hpp"
#include "logcollector/file_tail.hpp"
#include "logcollector/log_format.hpp"
#include "logcollector/position_store.hpp"

namespace logcollector {

struct CollectorOptions {
    TailOptions tail;
    std::chrono::milliseconds save_interval{1000};
};

class LogCollector {
public:
    // store, sink, clock and logger must outlive the collector.
    LogCollector(std::vector<TailSpec> specs, PositionStore& store,
                 const CollectorOptions& options, EventSink& sink, const Clock& clock,
                 core::Logger& logger);

    // Loads saved positions and opens every file: where it was left when
    // its saved position still holds, else at its end (as OSSEC does, or
    // at its start with <only-future-events>no) when never seen before, else (rotated or rewritten while stopped) at its
    // start. A file that appears later is read from its start.
    void start();

    // One pass over every file, then a save of positions when due.
    // Returns true when some file has more to read right away.
    bool step();

    // Saves positions now if the sink is drained and a position moved;
    // returns false when they could not be saved.
    bool save_positions();

    std::size_t file_count() const { return tails_.size(); }

private:
    bool collect_positions();  // true when a position moved

    std::vector<TailSpec> specs_;
    PositionStore& store_;
    CollectorOptions options_;
    EventSink& sink_;
    const Clock& clock_;
    core::Logger& logger_;
    std::vector<std::unique_ptr<FileTail>> tails_;
    TimePoint next_save_{};
    bool save_failing_ = false;
    bool saved_once_ = false;
};

}  // namespace logcollector
