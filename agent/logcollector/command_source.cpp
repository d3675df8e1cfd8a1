#include "logcollector/command_source.hpp"

#include "core/queue_message.hpp"
#include "logcollector/command_output.hpp"
#include "pal/command.hpp"

namespace logcollector {
namespace {

// Output kept of one run: more than OSSEC ever reads for full_command,
// and plenty of lines for command.
constexpr std::size_t kOutputLimit = 1024 * 1024;

}  // namespace

CommandSource::CommandSource(CommandSpec spec, ProcessRunner runner, EventSink& sink,
                             const Clock& clock, core::Logger& logger)
    : spec_(std::move(spec)),
      name_(spec_.alias.empty() ? spec_.command : spec_.alias),
      runner_(std::move(runner)),
      sink_(sink),
      clock_(clock),
      logger_(logger) {}

CommandSource::~CommandSource() {
    if (run_.valid()) {
        run_.wait();
    }
}

bool CommandSource::step() {
    if (run_.valid() &&
        run_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        finish();
    }
    while (!pending_.empty() &&
           sink_.offer(core::kLocalFileQueue, name_, pending_.front())) {
        pending_.pop_front();
    }
    if (!run_.valid() && pending_.empty() && (!started_ || clock_.now() >= next_run_)) {
        launch();
    }
    return !pending_.empty();
}

void CommandSource::launch() {
    started_ = true;
    next_run_ = clock_.now() + spec_.frequency;
    pal::CommandArgv argv;
    if (const std::error_code ec = pal::command_argv(spec_.command, argv)) {
        report({ec, {}});
        return;
    }
    logger_.debug("running command '" + spec_.command + "'" +
                  (argv.through_shell ? " through the shell, as written" : ""));
    pal::ProcessRequest request;
    request.argv = std::move(argv.argv);
    request.timeout = spec_.timeout;
    request.output_limit = kOutputLimit;
    run_ = std::async(std::launch::async, [runner = runner_, request] {
        Outcome outcome;
        outcome.ec = runner(request, outcome.result);
        return outcome;
    });
}

void CommandSource::finish() {
    const Outcome outcome = run_.get();
    report(outcome);
    if (outcome.ec) {
        return;
    }
    const std::string& output = outcome.result.output;
    if (spec_.full) {
        pending_.push_back(full_command_event(name_, output));
        return;
    }
    for (auto& event : command_events(name_, output)) {
        pending_.push_back(std::move(event));
    }
}

void CommandSource::report(const Outcome& outcome) {
    const bool failed = outcome.ec || outcome.result.outcome == pal::ProcessOutcome::kTimedOut;
    if (failed && !failing_) {
        const std::string why = outcome.ec
            ? outcome.ec.message()
            : "it ran past " + std::to_string(spec_.timeout.count()) + " ms and was killed";
        logger_.warning("cannot run command '" + spec_.command + "': " + why +
                        "; trying again in " + std::to_string(spec_.frequency.count()) +
                        " s");
    } else if (!failed && failing_) {
        logger_.info("command '" + spec_.command + "' runs again");
    }
    failing_ = failed;
}

}  // namespace logcollector
