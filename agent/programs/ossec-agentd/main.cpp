// ossec-agentd: the agent's link to the manager. Reads ossec.conf and
// client.keys, then forwards events from the local queue and handles what
// the manager sends back (the module's code is in runners/agentd_runner.cpp).
#include <cstdio>
#include <string>
#include <vector>

#include "core/home.hpp"
#include "daemon/daemon_options.hpp"
#include "daemon/module_host.hpp"
#include "pal/paths.hpp"
#include "runners/agentd_runner.hpp"

namespace {

constexpr char kProgram[] = "ossec-agentd";

}  // namespace

int main(int argc, char** argv) {
    std::string error;
    constexpr auto kUserFlags = daemon_support::UserFlags::kAccepted;
    const auto options = daemon_support::parse_daemon_options(
        std::vector<std::string>(argv + 1, argv + argc), error, kUserFlags);
    if (!options) {
        std::fprintf(stderr, "%s: %s\n%s", kProgram, error.c_str(),
                     daemon_support::usage_text(kProgram, kUserFlags).c_str());
        return 2;
    }
    if (options->show_help) {
        std::printf("%s", daemon_support::usage_text(kProgram, kUserFlags).c_str());
        return 0;
    }
    if (options->show_version) {
        std::printf("%s", daemon_support::version_text(kProgram).c_str());
        return 0;
    }
    const core::Home home = core::Home::from_executable(pal::executable_path());
    const auto config_file = daemon_support::config_path(*options, home);
    if (options->test_config) {
        return runners::agentd_test_config(config_file, home);
    }
    return runners::run_agentd(
        daemon_support::standalone_host(*options, home, config_file));
}
