// The execd module: receives active responses from agentd through
// queue/alerts/execq, runs their scripts from active-response/bin and
// undoes them when their timeout expires.
#include "runners/execd_runner.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/home.hpp"
#include "core/logger.hpp"
#include "execd/execd.hpp"
#include "execd/run_log_file.hpp"
#include "pal/local_queue.hpp"
#include "pal/paths.hpp"
#include "pal/process_control.hpp"
#include "pal/system_info.hpp"

namespace runners {
namespace {

constexpr const char* kProgram = "ossec-execd";
constexpr auto kDefaultScriptTimeout = std::chrono::seconds(60);
// Longest wait for a message when no delete is due sooner.
constexpr auto kIdleWait = std::chrono::milliseconds(60000);

// execd.script_timeout=<seconds> in internal_options.conf: how long a
// script may run before it is killed.
std::chrono::milliseconds script_timeout(const core::Home& home) {
    std::ifstream in(home.internal_options());
    const std::string key = "execd.script_timeout=";
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key, 0) == 0) {
            const std::string value = line.substr(key.size());
            if (!value.empty() && value.size() < 7 &&
                value.find_first_not_of("0123456789") == std::string::npos &&
                std::stoi(value) > 0) {
                return std::chrono::seconds(std::stoi(value));
            }
        }
    }
    return kDefaultScriptTimeout;
}

std::chrono::milliseconds wait_time(const execd::Execd& execd,
                                    const execd::Clock& clock) {
    const auto next = execd.next_deadline();
    if (!next) {
        return kIdleWait;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*next - clock.now());
    return std::clamp(left, std::chrono::milliseconds(0), kIdleWait);
}

}  // namespace

int execd_test_config(const std::filesystem::path& path) {
    auto loaded = core::load_config(path);
    if (!loaded) {
        std::cerr << kProgram << ": ERROR: " << loaded.error() << "\n";
        return 1;
    }
    for (const auto& warning : loaded.value().warnings) {
        std::cerr << kProgram << ": WARNING: " << warning << "\n";
    }
    return 0;
}

namespace {

execd::ExecdSettings settings_for(const core::Home& home,
                                  const core::AgentConfig& config) {
    execd::ExecdSettings settings;
    settings.bin_dir = home.root() / "active-response" / "bin";
    settings.ar_conf = home.shared_dir() / "ar.conf";
    settings.state_file = home.root() / "queue" / "execd" / "pending.json";
    settings.working_directory = home.root();
    settings.repeated_offenders = config.active_response.repeated_offenders;
    settings.script_timeout = script_timeout(home);
    return settings;
}

void serve(pal::QueueReceiver& queue, execd::Execd& execd, const execd::Clock& clock,
           const std::atomic<bool>& stopping, core::Logger& logger) {
    while (!stopping) {
        std::error_code ec;
        const auto message = queue.receive(wait_time(execd, clock), ec);
        if (ec) {
            logger.error("cannot read the exec queue: " + ec.message() + "; retrying");
        }
        if (message && !stopping) {
            execd.handle(*message);
        }
        execd.run_due();
    }
}

}  // namespace

int run_execd(const daemon_support::ModuleHost& host) {
    const core::Home& home = host.home;
    const std::filesystem::path& config_path = host.config_file;
    core::Logger logger(kProgram, home.log_file(), host.foreground, host.debug_level);
    auto loaded = core::load_config(config_path);
    if (!loaded) {
        logger.critical(loaded.error() + "; exiting");
        return 1;
    }
    const core::AgentConfig& config = loaded.value().config;
    if (config.active_response.disabled || config.client.disable_active_response) {
        logger.info("active response is disabled in '" + config_path.string() +
                    "'; exiting");
        return 0;
    }
    if (host.standalone && !host.foreground) {
        if (const auto ec = pal::daemonize()) {
            logger.critical("cannot run in the background: " + ec.message() +
                            "; exiting");
            return 1;
        }
    }
    std::error_code ec;
    const auto queue = pal::bind_queue(home.exec_queue(), ec);
    if (!queue) {
        logger.critical("cannot bind the exec queue '" + home.exec_queue().string() +
                        "': " + ec.message() + "; exiting");
        return 1;
    }
    std::atomic<bool> stopping{false};
    host.on_control([&](pal::ControlRequest request) {
        if (request == pal::ControlRequest::kStop) {
            stopping = true;
            queue->close();
        }
    });
    const auto pid_file = home.pid_file(kProgram);
    if (host.standalone) {
        if (const auto ec = pal::write_pid_file(pid_file)) {
            logger.warning("cannot write pid file '" + pid_file.string() +
                           "': " + ec.message() + "; continuing without it");
        }
    }

    execd::SystemClock clock;
    execd::SystemProcessRunner runner;
    execd::FileRunLog run_log(home.root() / "logs" / "active-responses.log");
    if (!run_log.is_open()) {
        logger.warning(
            "cannot open logs/active-responses.log; runs are not recorded there");
    }
    execd::Execd execd(settings_for(home, config), clock, runner, run_log, logger);
    execd.restore();
    logger.info("started (pid " + std::to_string(pal::process_id()) + "), waiting on '" +
                home.exec_queue().string() + "'");
    serve(*queue, execd, clock, stopping, logger);

    execd.run_all_pending();
    if (host.standalone) {
        pal::remove_pid_file(pid_file);
    }
    logger.info("stopped");
    return 0;
}

}  // namespace runners
