// Every module of the agent (agentd, logcollector, syscheckd, execd) on
// its own thread of one process, with the same module code as the Linux
// programs: what ossec-agent.exe runs as a Windows service or in the
// foreground. The modules still talk through the local queues (named
// pipes on Windows), exactly as the separate programs do.
#pragma once

#include <filesystem>
#include <string>

#include "core/home.hpp"
#include "daemon/module_host.hpp"

namespace runners {

class AgentHost {
  public:
    // program names the host's own lines in ossec.log.
    AgentHost(std::string program, core::Home home, std::filesystem::path config_file,
              bool foreground, int debug_level);

    // Starts every module and waits until all have returned. A module that
    // fails to start (non-zero status) stops the others, so the agent does
    // not half-run; one that has nothing to do and returns 0 (execd with
    // active response disabled) leaves the others running. Returns 0, or
    // the first non-zero status. Call once.
    int run();

    // Asks every module to stop; run() then returns once they have saved
    // their state. Any thread, any time, also before run().
    void stop() { hub_.request(pal::ControlRequest::kStop); }

  private:
    daemon_support::ModuleHost module_host();

    std::string program_;
    core::Home home_;
    std::filesystem::path config_file_;
    bool foreground_;
    int debug_level_;
    daemon_support::ControlHub hub_;
};

// -t for the whole agent: every module's check of the configuration.
// 0 when all pass.
int test_agent_config(const std::filesystem::path& config_file, const core::Home& home);

}  // namespace runners
