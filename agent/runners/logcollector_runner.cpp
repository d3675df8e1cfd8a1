// The logcollector module: follows the <localfile> logs of ossec.conf and
// sends their lines to agentd through queue/ossec/queue.
#include "runners/logcollector_runner.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/home.hpp"
#include "core/logger.hpp"
#include "logcollector/change_waiter.hpp"
#include "logcollector/command_source.hpp"
#include "logcollector/event_channel_source.hpp"
#include "logcollector/log_collector.hpp"
#include "logcollector/queue_sink.hpp"
#include "pal/event_channel.hpp"
#include "pal/file_watcher.hpp"
#include "pal/local_queue.hpp"
#include "pal/paths.hpp"
#include "pal/process.hpp"
#include "pal/process_control.hpp"
#include "pal/system_info.hpp"

namespace runners {
namespace {

constexpr const char* kProgram = "ossec-logcollector";
constexpr auto kQueueRetry = std::chrono::milliseconds(1000);
constexpr std::size_t kQueueBacklog = 10000;

// What logcollector follows: the files, commands and event channels of
// <localfile>.
struct Sources {
    std::unique_ptr<logcollector::LogCollector> collector;
    std::vector<std::unique_ptr<logcollector::CommandSource>> commands;
    std::vector<std::unique_ptr<logcollector::EventChannelSource>> channels;
};

Sources make_sources(logcollector::Selection selection, logcollector::PositionStore& store,
                     const std::filesystem::path& bookmarks, logcollector::EventSink& sink,
                     const logcollector::Clock& clock, core::Logger& logger) {
    Sources sources;
    sources.collector = std::make_unique<logcollector::LogCollector>(
        std::move(selection.tails), store, logcollector::CollectorOptions{}, sink, clock,
        logger);
    sources.collector->start();
    for (auto& spec : selection.commands) {
        sources.commands.push_back(std::make_unique<logcollector::CommandSource>(
            std::move(spec), pal::run_process, sink, clock, logger));
    }
    for (auto& spec : selection.channels) {
        auto source = std::make_unique<logcollector::EventChannelSource>(
            std::move(spec), pal::open_event_channel, bookmarks, sink, logger);
        if (source->start()) {
            sources.channels.push_back(std::move(source));
        }
    }
    return sources;
}

std::string describe(const Sources& sources) {
    return std::to_string(sources.collector->file_count()) + " log files, " +
           std::to_string(sources.commands.size()) + " commands and " +
           std::to_string(sources.channels.size()) + " event channels";
}

// Reads ossec.conf and picks the <localfile> entries to follow; every
// warning of the configuration and every entry skipped goes to warn.
core::Result<logcollector::Selection> load_selection(
    const std::filesystem::path& config_path,
    const std::function<void(const std::string&)>& warn) {
    auto loaded = core::load_config(config_path);
    if (!loaded) {
        return core::Error{loaded.error()};
    }
    for (const auto& warning : loaded.value().warnings) {
        warn(warning);
    }
    auto selection = logcollector::select_localfiles(loaded.value().config.localfiles,
                                                     config_path.string());
    for (const auto& skipped : selection.skipped) {
        warn(skipped);
    }
    return selection;
}

// SIGHUP: reads ossec.conf again and follows its <localfile> set from now
// on. Files followed before and after resume where they were (their
// positions are saved first; a line still in the sink's memory may be
// sent twice, never lost); a new file is read from its end, as at
// start-up. A configuration that does not load keeps the current set.
// Nothing else is reloaded (the log, the queue path and the debug level
// stay as they were at start-up).
void reload_sources(Sources& sources, const std::filesystem::path& config_path,
                    logcollector::PositionStore& store, const std::filesystem::path& bookmarks,
                    logcollector::QueueSink& sink,
                    const logcollector::Clock& clock, core::Logger& logger) {
    auto selection = load_selection(
        config_path, [&logger](const std::string& warning) { logger.warning(warning); });
    if (!selection) {
        logger.error("cannot reload the configuration: " + selection.error() +
                     "; following the same log files as before");
        return;
    }
    sink.flush();
    sources.collector->save_positions();
    for (auto& channel : sources.channels) {
        channel->save_bookmark();
    }
    sources = {};
    sources = make_sources(std::move(selection.value()), store, bookmarks, sink, clock, logger);
    logger.info("configuration reloaded from '" + config_path.string() + "': following " +
                describe(sources));
}

}  // namespace

int logcollector_test_config(const std::filesystem::path& path) {
    const auto selection = load_selection(path, [](const std::string& warning) {
        std::cerr << kProgram << ": WARNING: " << warning << "\n";
    });
    if (!selection) {
        std::cerr << kProgram << ": ERROR: " << selection.error() << "\n";
        return 1;
    }
    return 0;
}

int run_logcollector(const daemon_support::ModuleHost& host) {
    const core::Home& home = host.home;
    const std::filesystem::path& config_path = host.config_file;
    core::Logger logger(kProgram, home.log_file(), host.foreground, host.debug_level);
    auto selection = load_selection(
        config_path, [&logger](const std::string& warning) { logger.warning(warning); });
    if (!selection) {
        logger.critical(selection.error() + "; exiting");
        return 1;
    }

    if (host.standalone && !host.foreground) {
        if (const auto ec = pal::daemonize()) {
            logger.critical("cannot run in the background: " + ec.message() +
                            "; exiting");
            return 1;
        }
    }
    std::error_code watch_error;
    const auto watcher = pal::create_file_watcher(watch_error);
    logcollector::ChangeWaiter waiter(watcher.get(), {}, logger);
    std::atomic<bool> stop{false};
    std::atomic<bool> reload{false};
    host.on_control([&stop, &reload, &waiter](pal::ControlRequest request) {
        (request == pal::ControlRequest::kStop ? stop : reload) = true;
        waiter.wake();
    });
    const auto pid_file = home.pid_file(kProgram);
    if (host.standalone) {
        if (const auto ec = pal::write_pid_file(pid_file)) {
            logger.error("cannot write pid file '" + pid_file.string() +
                         "': " + ec.message() + "; continuing without it");
        }
    }

    logcollector::SteadyClock clock;
    const auto queue_path = home.event_queue();
    logcollector::QueueSink sink(
        [queue_path](std::error_code& ec) { return pal::connect_queue(queue_path, ec); },
        queue_path.string(), kQueueBacklog, kQueueRetry, clock, logger);
    logcollector::PositionStore store(home.root() / "queue" / "logcollector" /
                                      "positions");
    const auto bookmarks = home.root() / "queue" / "logcollector" / "bookmarks";
    Sources sources =
        make_sources(std::move(selection.value()), store, bookmarks, sink, clock, logger);
    logger.info("started (pid " + std::to_string(pal::process_id()) + "), following " +
                describe(sources));

    // A change under a watched directory ends the wait at once; the poll
    // interval is the fallback for what the watch misses.
    bool more = false;
    while (!stop) {
        if (reload.exchange(false)) {
            reload_sources(sources, config_path, store, bookmarks, sink, clock, logger);
        }
        waiter.watch(sources.collector->watch_directories());
        if (waiter.wait(more)) {
            sources.collector->rescan_soon();
        }
        sink.flush();
        more = sources.collector->step();
        for (auto& command : sources.commands) {
            more = command->step() || more;
        }
        // Event channels are polled at the collector's pace.
        for (auto& channel : sources.channels) {
            more = channel->step() || more;
        }
    }

    sink.flush();
    sources.collector->save_positions();
    for (auto& channel : sources.channels) {
        channel->save_bookmark();
    }
    if (host.standalone) {
        pal::remove_pid_file(pid_file);
    }
    logger.info("stopped" +
                std::string(sink.waiting() > 0
                                ? "; " + std::to_string(sink.waiting()) +
                                      " events not delivered will be read again "
                                      "from the files at the next start"
                                : ""));
    return 0;
}

}  // namespace runners
