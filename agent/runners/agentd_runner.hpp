// The agentd module as a function, run by the ossec-agentd program on
// Linux and on a thread of ossec-agent.exe on Windows.
#pragma once

#include <filesystem>

#include "core/home.hpp"
#include "daemon/module_host.hpp"

namespace runners {

// -t: checks ossec.conf and client.keys; 0 when usable, else 1 with the
// problem on standard error.
int agentd_test_config(const std::filesystem::path& config_file, const core::Home& home);

// Runs until a stop request; returns the exit status (non-zero when it
// could not start).
int run_agentd(const daemon_support::ModuleHost& host);

}  // namespace runners
