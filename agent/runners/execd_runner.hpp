// The execd module as a function, run by the ossec-execd program on
// Linux and on a thread of ossec-agent.exe on Windows.
#pragma once

#include <filesystem>

#include "daemon/module_host.hpp"

namespace runners {

// -t: checks the configuration file; 0 when usable, else 1 with the
// problem on standard error.
int execd_test_config(const std::filesystem::path& config_file);

// Runs until a stop request; returns the exit status (non-zero when it
// could not start).
int run_execd(const daemon_support::ModuleHost& host);

}  // namespace runners
