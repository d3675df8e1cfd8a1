// The syscheck module: file integrity monitoring. Scans the <syscheck>
// directories of ossec.conf at start (scan_on_start), every <frequency>
// seconds and when agentd leaves var/run/.syscheck_run (the manager's
// "#!-syscheck restart"), watches the realtime="yes" directories between
// scans, and sends what changed to agentd through queue/ossec/queue.
// The baseline lives in queue/syscheck/baseline. One thread runs the scans
// and the real-time checks, so they never race on the baseline.
// Rootcheck (<rootcheck>) runs here too, as in OSSEC, on a thread of its
// own with its own connection to the queue: at start (with scan_on_start)
// and every <frequency> seconds of its section.
#include "runners/syscheckd_runner.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/client_keys.hpp"
#include "core/config.hpp"
#include "core/home.hpp"
#include "core/logger.hpp"
#include "core/rootcheck_config.hpp"
#include "core/syscheck_config.hpp"
#include "pal/file_watcher.hpp"
#include "pal/local_queue.hpp"
#include "pal/paths.hpp"
#include "pal/process_control.hpp"
#include "pal/system_info.hpp"
#include "rootcheck/rootcheck.hpp"
#include "syscheck/baseline.hpp"
#include "syscheck/queue_sink.hpp"
#include "syscheck/registry_scanner.hpp"
#include "syscheck/realtime_monitor.hpp"
#include "syscheck/scan_schedule.hpp"
#include "syscheck/scanner.hpp"

namespace runners {
namespace {

constexpr const char* kProgram = "ossec-syscheckd";
constexpr auto kPollInterval = std::chrono::seconds(1);
constexpr auto kQueueRetry = std::chrono::milliseconds(1000);
constexpr std::size_t kMaxWorkers = 8;
// How often the baseline is saved while real-time changes come in. A crash
// loses at most this much: the next start's scan sends those changes again.
constexpr auto kRealtimeSaveInterval = std::chrono::seconds(60);

// Set from the control thread, waited on by the main loop and the sink.
class StopFlag {
  public:
    void request() {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        wake_.notify_all();
    }
    bool requested() {
        std::lock_guard lock(mutex_);
        return stopped_;
    }
    // Waits up to timeout; true once a stop was requested.
    bool wait_for(std::chrono::nanoseconds timeout) {
        std::unique_lock lock(mutex_);
        return wake_.wait_for(lock, timeout, [this] { return stopped_; });
    }

  private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopped_ = false;
};

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

core::Result<core::LoadedSyscheckConfig> load_syscheck(
    const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return core::Error{"cannot read configuration file '" + path.string() + "'"};
    }
    return core::parse_syscheck_config(read_text(path), path.string());
}

core::Result<core::LoadedRootcheckConfig> load_rootcheck(
    const std::filesystem::path& path) {
    return core::parse_rootcheck_config(read_text(path), path.string());
}

}  // namespace

int syscheckd_test_config(const std::filesystem::path& path) {
    auto loaded = load_syscheck(path);
    if (!loaded) {
        std::cerr << kProgram << ": ERROR: " << loaded.error() << "\n";
        return 1;
    }
    for (const auto& warning : loaded.value().warnings) {
        std::cerr << kProgram << ": WARNING: " << warning << "\n";
    }
    auto rootcheck = load_rootcheck(path);
    if (!rootcheck) {
        std::cerr << kProgram << ": ERROR: " << rootcheck.error() << "\n";
        return 1;
    }
    for (const auto& warning : rootcheck.value().warnings) {
        std::cerr << kProgram << ": WARNING: " << warning << "\n";
    }
    return 0;
}

namespace {

// Rootcheck's findings go to the queue as "9:rootcheck:<text>".
class SinkNotifier final : public rootcheck::Notifier {
  public:
    explicit SinkNotifier(syscheck::EventSink& sink) : sink_(sink) {}
    bool notify(std::string_view text) override {
        return sink_.send(rootcheck::kRootcheckQueue, rootcheck::kRootcheckLocation,
                          text);
    }

  private:
    syscheck::EventSink& sink_;
};

// Runs rootcheck until stop; its own queue connection and pacer, so it
// never shares the (single-threaded) syscheck sink.
void run_rootcheck(const core::RootcheckConfig& config, bool scan_on_start,
                   const core::Home& home, StopFlag& stop, core::Logger& logger) {
    syscheck::SteadyClock clock;
    syscheck::EventPacer pacer(100);
    const auto queue_path = home.event_queue();
    syscheck::QueueSink sink(
        [queue_path](std::error_code& ec) { return pal::connect_queue(queue_path, ec); },
        queue_path.string(), pacer, clock,
        [&stop](std::chrono::nanoseconds wait) { return !stop.wait_for(wait); },
        kQueueRetry, logger);
    SinkNotifier notifier(sink);
    rootcheck::PalSystemView system;
    rootcheck::Rootcheck scan(config, config.base_directory, system, notifier, logger);
    auto next =
        clock.now() + (scan_on_start ? std::chrono::seconds(0) : config.frequency);
    while (!stop.requested()) {
        if (clock.now() >= next) {
            scan.run([&stop] { return stop.requested(); });
            next = clock.now() + config.frequency;
        }
        stop.wait_for(kPollInterval);
    }
}

// "" when client.keys has no usable entry yet: a baseline is then only
// trusted by an agent that has no key either.
std::string agent_identity(const core::Home& home, core::Logger& logger) {
    auto key = core::first_agent_key(read_text(home.client_keys()));
    if (!key) {
        logger.warning("no agent key in '" + home.client_keys().string() + "' (" +
                       key.error() + "); the baseline is tied to no identity");
        return {};
    }
    return syscheck::baseline_identity(key.value());
}

void load_baseline(syscheck::Baseline& baseline, core::Logger& logger) {
    const std::string where = "'" + baseline.file().string() + "'";
    switch (baseline.load()) {
        case syscheck::BaselineLoad::kLoaded:
            logger.info("baseline " + where +
                        " loaded: " + std::to_string(baseline.records().size()) +
                        " files; only changes will be sent");
            break;
        case syscheck::BaselineLoad::kMissing:
            logger.info("no baseline " + where + " yet; the first scan sends every file");
            break;
        case syscheck::BaselineLoad::kOtherIdentity:
            logger.warning("baseline " + where +
                           " was made for another agent identity; "
                           "not trusted, the next scan sends every file");
            break;
        case syscheck::BaselineLoad::kCorrupt:
            logger.warning("baseline " + where +
                           " is damaged; discarded, the next scan "
                           "sends every file");
            break;
    }
}

void log_scan(const syscheck::ScanStats& stats, std::chrono::steady_clock::duration took,
              core::Logger& logger) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
    const std::string figures =
        std::to_string(stats.files) + " files, " + std::to_string(stats.added) +
        " new, " + std::to_string(stats.changed) + " changed, " +
        std::to_string(stats.deleted) + " deleted, " + std::to_string(stats.unreadable) +
        " unreadable, in " + std::to_string(ms) + " ms";
    if (stats.complete) {
        logger.info("scan finished: " + figures);
    } else {
        logger.info("scan interrupted after " + figures +
                    "; nothing reported deleted, the next scan resumes the comparison");
    }
}

// syscheck.<name>=<number> from internal_options.conf, then
// local_internal_options.conf (which wins); fallback when absent or invalid.
std::uint64_t internal_option(const core::Home& home, const std::string& name,
                              std::uint64_t fallback) {
    std::uint64_t value = fallback;
    const std::string key = "syscheck." + name + "=";
    for (const auto& file :
         {home.internal_options(), home.root() / "etc" / "local_internal_options.conf"}) {
        std::ifstream in(file);
        std::string line;
        while (std::getline(in, line)) {
            const std::string text =
                line.rfind(key, 0) == 0 ? line.substr(key.size()) : "";
            if (!text.empty() && text.size() < 10 &&
                text.find_first_not_of("0123456789") == std::string::npos) {
                value = std::stoull(text);
            }
        }
    }
    return value;
}

bool any_realtime(const core::SyscheckConfig& config) {
    return std::any_of(config.directories.begin(), config.directories.end(),
                       [](const core::SyscheckDirectory& d) { return d.realtime; });
}

// A watcher when some directory asks for real time and the OS gives one.
std::unique_ptr<pal::FileWatcher> realtime_watcher(const core::SyscheckConfig& config,
                                                   core::Logger& logger) {
    if (config.disabled || !any_realtime(config)) {
        return nullptr;
    }
    std::error_code ec;
    auto watcher = pal::create_file_watcher(ec);
    if (!watcher) {
        logger.warning(
            "cannot start real-time monitoring: " + ec.message() +
            "; the realtime directories are checked by the scheduled scan only");
    }
    return watcher;
}

std::tm local_now() {
    const std::time_t now = std::time(nullptr);
    // std::localtime shares one buffer; only this thread calls it here.
    const std::tm* local = std::localtime(&now);
    return local ? *local : std::tm{};
}

// <scan_time> and <scan_day>; an invalid one is left out with a line saying so.
syscheck::ScanSchedule scan_schedule(const core::SyscheckConfig& config,
                                     core::Logger& logger) {
    std::optional<int> time;
    std::optional<syscheck::ScanDays> days;
    if (!config.scan_time.empty() && !(time = syscheck::parse_scan_time(config.scan_time))) {
        logger.error("invalid <scan_time> '" + config.scan_time +
                     "' (expected e.g. 10pm or 22:30); ignored");
    }
    if (!config.scan_day.empty() && !(days = syscheck::parse_scan_day(config.scan_day))) {
        logger.error("invalid <scan_day> '" + config.scan_day +
                     "' (expected e.g. saturday, weekdays); ignored");
    }
    syscheck::ScanSchedule schedule(time, days, config.frequency);
    schedule.start(local_now());
    return schedule;
}

// True when agentd asked for a scan; the flag is removed (OSSEC does the same).
bool take_restart_flag(const std::filesystem::path& flag) {
    std::error_code ec;
    return std::filesystem::remove(flag, ec);
}

}  // namespace

int run_syscheckd(const daemon_support::ModuleHost& host) {
    const core::Home& home = host.home;
    const std::filesystem::path& config_path = host.config_file;
    core::Logger logger(kProgram, home.log_file(), host.foreground, host.debug_level);
    auto loaded = load_syscheck(config_path);
    if (!loaded) {
        logger.critical(loaded.error() + "; exiting");
        return 1;
    }
    for (const auto& warning : loaded.value().warnings) {
        logger.warning(warning);
    }
    const core::SyscheckConfig& config = loaded.value().config;
    auto rootcheck_loaded = load_rootcheck(config_path);
    if (!rootcheck_loaded) {
        logger.critical(rootcheck_loaded.error() + "; exiting");
        return 1;
    }
    for (const auto& warning : rootcheck_loaded.value().warnings) {
        logger.warning(warning);
    }
    const core::RootcheckConfig& rootcheck_config = rootcheck_loaded.value().config;

    if (host.standalone && !host.foreground) {
        if (const auto ec = pal::daemonize()) {
            logger.critical("cannot run in the background: " + ec.message() +
                            "; exiting");
            return 1;
        }
    }
    StopFlag stop;
    const auto watcher = realtime_watcher(config, logger);
    pal::FileWatcher* const wakeable = watcher.get();
    host.on_control([&stop, wakeable, &logger](pal::ControlRequest request) {
        if (request == pal::ControlRequest::kReload) {
            // OSSEC's syscheckd ignores SIGHUP too; 'ossec-control
            // reload' restarts it to apply a change.
            logger.info("reload requested: ossec-syscheckd reads its configuration at "
                        "start-up only; restart it (ossec-control reload) to apply a change");
            return;
        }
        stop.request();
        if (wakeable) {
            wakeable->wake();
        }
    });
    const auto pid_file = home.pid_file(kProgram);
    if (host.standalone) {
        if (const auto ec = pal::write_pid_file(pid_file)) {
            logger.error("cannot write pid file '" + pid_file.string() +
                         "': " + ec.message() + "; continuing without it");
        }
    }

    syscheck::Baseline baseline(home.root() / "queue" / "syscheck" / "baseline",
                                agent_identity(home, logger));
    load_baseline(baseline, logger);
    syscheck::SteadyClock clock;
    syscheck::EventPacer pacer(config.max_eps);
    const auto queue_path = home.event_queue();
    syscheck::QueueSink sink(
        [queue_path](std::error_code& ec) { return pal::connect_queue(queue_path, ec); },
        queue_path.string(), pacer, clock,
        [&stop](std::chrono::nanoseconds wait) { return !stop.wait_for(wait); },
        kQueueRetry, logger);
    const std::size_t workers =
        std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxWorkers);
    syscheck::WorkerPool pool(workers);
    syscheck::DiffStore diffs(home.root() / "queue" / "diff",
                              {config.diff_file_size_limit, config.diff_disk_quota}, logger);
    syscheck::Scanner scanner(config, baseline, sink, pool, logger, &diffs);
    syscheck::PalRegistry registry_reader;
    syscheck::RegistryScanner registry(config, registry_reader, sink, logger,
                                       home.root() / "queue" / "syscheck" / "registry");

    syscheck::ScanSchedule schedule = scan_schedule(config, logger);
    logger.info("started (pid " + std::to_string(pal::process_id()) + "), watching " +
                std::to_string(config.directories.size()) + " directories every " +
                std::to_string(schedule.frequency().count()) + " s with " +
                std::to_string(workers) + " workers");
    if (config.disabled) {
        logger.info("syscheck is disabled in the configuration; waiting for stop");
    }

    std::thread rootcheck_thread;
    if (rootcheck_config.disabled) {
        logger.info("rootcheck is disabled in the configuration");
    } else {
        rootcheck_thread = std::thread([&] {
            run_rootcheck(rootcheck_config, config.scan_on_start, home, stop, logger);
        });
    }

    const auto stop_check = [&stop] { return stop.requested(); };
    const auto save = [&baseline, &logger] {
        if (const auto ec = baseline.save()) {
            logger.error("cannot save the baseline '" + baseline.file().string() +
                         "': " + ec.message() + "; the next start resends every file");
        }
    };
    std::unique_ptr<syscheck::RealtimeMonitor> monitor;
    if (watcher) {
        monitor = std::make_unique<syscheck::RealtimeMonitor>(
            config, scanner, *watcher, sink, logger,
            internal_option(home, "max_watches", syscheck::kNoWatchLimit));
        monitor->start();
    }

    const auto flag = home.run_dir() / ".syscheck_run";
    auto next_scan = clock.now() + (config.scan_on_start ? std::chrono::seconds(0)
                                                         : schedule.frequency());
    bool unsaved = false;
    auto last_save = clock.now();
    while (!stop.requested()) {
        const bool asked = take_restart_flag(flag);
        const bool timed = schedule.due(local_now());
        if (!config.disabled && (asked || timed || clock.now() >= next_scan)) {
            logger.info(asked   ? "scan requested by the manager; starting"
                        : timed ? "starting the scan set by <scan_time>/<scan_day>"
                                : "starting the scheduled scan");
            const auto started = clock.now();
            const auto stats = scanner.scan(stop_check);
            log_scan(stats, clock.now() - started, logger);
            if (registry.configured()) {
                const auto keys = registry.scan(stop_check);
                logger.info("registry scan: " + std::to_string(keys.keys) + " keys, " +
                            std::to_string(keys.reported) + " new or changed");
            }
            save();
            unsaved = false;
            last_save = clock.now();
            next_scan = clock.now() + schedule.frequency();
        }
        if (!monitor) {
            stop.wait_for(kPollInterval);
            continue;
        }
        unsaved = monitor->run_once(kPollInterval, stop_check) > 0 || unsaved;
        if (unsaved && clock.now() - last_save >= kRealtimeSaveInterval) {
            save();
            unsaved = false;
            last_save = clock.now();
        }
    }
    if (unsaved) {
        save();
    }

    if (rootcheck_thread.joinable()) {
        rootcheck_thread.join();
    }
    if (host.standalone) {
        pal::remove_pid_file(pid_file);
    }
    logger.info("stopped");
    return 0;
}

}  // namespace runners
