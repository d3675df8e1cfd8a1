#include "runners/agent_host.hpp"

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/logger.hpp"
#include "runners/agentd_runner.hpp"
#include "runners/execd_runner.hpp"
#include "runners/logcollector_runner.hpp"
#include "runners/syscheckd_runner.hpp"

namespace runners {
namespace {

using RunFunction = int (*)(const daemon_support::ModuleHost&);

struct Module {
    const char* name;
    RunFunction run;
};

// agentd first: it binds the event queue the others send to (they retry
// until it is there, so the order only saves a retry).
constexpr Module kModules[] = {
    {"agentd", run_agentd},
    {"execd", run_execd},
    {"logcollector", run_logcollector},
    {"syscheckd", run_syscheckd},
};

// A module's stop callback refers to objects on its thread's stack. Once
// the module has returned they are gone, so the hub must not call it any
// more: the guard drops the callback when the module returns, and calls it
// only under its lock.
struct CallbackGuard {
    std::mutex mutex;
    daemon_support::ControlCallback callback;

    void call(pal::ControlRequest request) {
        std::lock_guard lock(mutex);
        if (callback) {
            callback(request);
        }
    }
    void drop() {
        std::lock_guard lock(mutex);
        callback = nullptr;
    }
};

}  // namespace

AgentHost::AgentHost(std::string program, core::Home home,
                     std::filesystem::path config_file, bool foreground, int debug_level)
    : program_(std::move(program)),
      home_(std::move(home)),
      config_file_(std::move(config_file)),
      foreground_(foreground),
      debug_level_(debug_level) {}

daemon_support::ModuleHost AgentHost::module_host() {
    return daemon_support::ModuleHost{home_,         config_file_,  foreground_,
                                      debug_level_,  false,         {},
                                      core::kAgentUser, core::kAgentGroup};
}

int AgentHost::run() {
    core::Logger logger(program_, home_.log_file(), foreground_, debug_level_);
    logger.info("starting " + std::to_string(std::size(kModules)) + " modules (home '" +
                home_.root().string() + "')");

    std::mutex status_mutex;
    int first_failure = 0;
    std::vector<std::thread> threads;
    for (const Module& module : kModules) {
        auto guard = std::make_shared<CallbackGuard>();
        daemon_support::ModuleHost host = module_host();
        host.on_control = [this, guard](daemon_support::ControlCallback callback) {
            {
                std::lock_guard lock(guard->mutex);
                guard->callback = std::move(callback);
            }
            hub_.subscribe(
                [guard](pal::ControlRequest request) { guard->call(request); });
        };
        threads.emplace_back([&, module, guard, host = std::move(host)] {
            const int status = module.run(host);
            guard->drop();
            if (status == 0) {
                logger.debug(std::string("module ") + module.name + " returned");
                return;
            }
            {
                std::lock_guard lock(status_mutex);
                if (first_failure == 0) {
                    first_failure = status;
                }
            }
            if (!hub_.stop_requested()) {
                logger.error(std::string("module ") + module.name +
                             " stopped with status " + std::to_string(status) +
                             "; stopping the agent");
            }
            stop();
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    logger.info("every module stopped");
    return first_failure;
}

int test_agent_config(const std::filesystem::path& config_file, const core::Home& home) {
    int status = agentd_test_config(config_file, home);
    status = logcollector_test_config(config_file) != 0 ? 1 : status;
    status = syscheckd_test_config(config_file) != 0 ? 1 : status;
    status = execd_test_config(config_file) != 0 ? 1 : status;
    return status;
}

}  // namespace runners
