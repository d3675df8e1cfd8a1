// A <localfile> with log_format command or full_command: the command runs
// at start and then every <frequency> seconds (360 when not set, as in
// OSSEC), and its output becomes events (see command_output.hpp).
//
// The command runs through pal::command_argv (no shell unless the command
// is written in shell syntax) on a thread of its own, with a timeout and
// its output bounded, so a slow command never holds up the log files; its
// events go out from step(), on the collector's thread. When the sink
// refuses, the rest waits for the next step. A run that is still going
// when the next is due is not doubled: the next starts after it.
//
// Not thread safe: construct and step() from one thread.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <future>
#include <string>

#include "core/logger.hpp"
#include "logcollector/clock.hpp"
#include "logcollector/event_sink.hpp"
#include "pal/process.hpp"

namespace logcollector {

struct CommandSpec {
    std::string command;
    std::string alias;  // the location and name in events; the command if empty
    bool full = false;  // full_command
    std::chrono::seconds frequency{360};
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};
};

// Runs a program; pal::run_process in the program, a fake in tests. Called
// from the command's thread.
using ProcessRunner =
    std::function<std::error_code(const pal::ProcessRequest&, pal::ProcessResult&)>;

class CommandSource {
public:
    // sink, clock and logger must outlive the source.
    CommandSource(CommandSpec spec, ProcessRunner runner, EventSink& sink,
                  const Clock& clock, core::Logger& logger);
    ~CommandSource();  // waits for a run in progress

    CommandSource(const CommandSource&) = delete;
    CommandSource& operator=(const CommandSource&) = delete;

    // Starts the command when due and sends the events of a finished run.
    // Returns true when events are still waiting for the sink.
    bool step();

    const std::string& name() const { return name_; }
    bool running() const { return run_.valid(); }

private:
    struct Outcome {
        std::error_code ec;
        pal::ProcessResult result;
    };

    void launch();
    void finish();
    void report(const Outcome& outcome);

    CommandSpec spec_;
    std::string name_;
    ProcessRunner runner_;
    EventSink& sink_;
    const Clock& clock_;
    core::Logger& logger_;
    std::future<Outcome> run_;
    std::deque<std::string> pending_;
    TimePoint next_run_{};
    bool started_ = false;
    bool failing_ = false;
};

}  // namespace logcollector
