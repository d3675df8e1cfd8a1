// ossec-syscheckd: file integrity monitoring (scheduled scans and
// realtime="yes" directories) and rootcheck; sends what it finds to
// ossec-agentd through queue/ossec/queue (the module's code is in
// runners/syscheckd_runner.cpp).
#include <iostream>
#include <string>
#include <vector>

#include "core/home.hpp"
#include "daemon/daemon_options.hpp"
#include "daemon/module_host.hpp"
#include "pal/paths.hpp"
#include "runners/syscheckd_runner.hpp"

namespace {

constexpr const char* kProgram = "ossec-syscheckd";

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    std::string error;
    const auto options = daemon_support::parse_daemon_options(args, error);
    if (!options) {
        std::cerr << kProgram << ": " << error << "\n"
                  << daemon_support::usage_text(kProgram);
        return 1;
    }
    if (options->show_help) {
        std::cout << daemon_support::usage_text(kProgram);
        return 0;
    }
    if (options->show_version) {
        std::cout << daemon_support::version_text(kProgram);
        return 0;
    }
    const core::Home home = core::Home::from_executable(pal::executable_path());
    const auto config_path = daemon_support::config_path(*options, home);
    if (options->test_config) {
        return runners::syscheckd_test_config(config_path);
    }
    return runners::run_syscheckd(
        daemon_support::standalone_host(*options, home, config_path));
}
