// How a module's run function is hosted. On Linux every module is its own
// program (ossec-agentd, ossec-logcollector, ...) and owns its process:
// it detaches, writes a pid file and takes stop requests from the OS. In
// the Windows service (ossec-agent.exe) every module runs on a thread of
// one process, and the host owns those things instead. The module code is
// the same in both; this struct is the only difference it sees.
#pragma once

#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/home.hpp"
#include "daemon/daemon_options.hpp"
#include "pal/process_control.hpp"

namespace daemon_support {

using ControlCallback = std::function<void(pal::ControlRequest)>;

struct ModuleHost {
    core::Home home;
    std::filesystem::path config_file;
    bool foreground = false;  // log lines echoed to standard error too
    int debug_level = 0;
    // A program of its own: detaches unless foreground, writes its pid
    // file, and (agentd) drops root. False when hosted by ossec-agent.exe.
    bool standalone = true;
    // Registers the module's callback for stop and reload requests; the
    // module calls it once. It runs on a thread other than the module's.
    std::function<void(ControlCallback)> on_control;
    // The account a standalone agentd switches to (-u, -g).
    std::string user = core::kAgentUser;
    std::string group = core::kAgentGroup;
};

// The host for a Linux daemon: the OS's requests through
// pal::on_control_request.
ModuleHost standalone_host(const DaemonOptions& options, const core::Home& home,
                           const std::filesystem::path& config_file);

// Hands one stop request to every module of a process. A module that
// subscribes after the stop was requested is told at once, so a stop that
// arrives while the modules start is never lost. Thread safe.
class ControlHub {
  public:
    void subscribe(ControlCallback callback);
    // Calls every subscriber with request (outside the lock, in the order
    // they subscribed). A stop is remembered for later subscribers.
    void request(pal::ControlRequest request);
    bool stop_requested() const;

  private:
    mutable std::mutex mutex_;
    std::vector<ControlCallback> subscribers_;
    bool stopped_ = false;
};

}  // namespace daemon_support
