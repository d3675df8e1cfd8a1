// ossec-agent: the whole agent in one process, as OSSEC's Windows agent is.
// Every module (agentd, logcollector, syscheckd, execd) runs on its own
// thread with the same code as the Linux programs. Its home is the
// directory holding this program (etc/, logs/, queue/ below it).
//
//   ossec-agent                    run as the service (started by the SCM)
//   ossec-agent install-service    register the service OssecSvc (auto start)
//   ossec-agent uninstall-service  stop and remove it
//   ossec-agent stop-service       stop it and wait until it has stopped
//   ossec-agent start [-d] [-c F]  run in the foreground until Ctrl-C
//   ossec-agent setup [-m MANAGER] [-p PORT] [-k KEY]
//                                  what the installer runs (agent_setup.hpp)
//   ossec-agent -t [-c F]          check the configuration
//   ossec-agent -V | -h | help | /?
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/home.hpp"
#include "daemon/daemon_options.hpp"
#include "pal/paths.hpp"
#include "pal/process_control.hpp"
#include "pal/service.hpp"
#include "runners/agent_host.hpp"
#include "runners/agent_setup.hpp"

namespace {

constexpr char kProgram[] = "ossec-agent";
// The names OSSEC's Windows agent registers, so scripts and admins that
// run "net stop OssecSvc" keep working.
constexpr char kServiceName[] = "OssecSvc";
constexpr char kDisplayName[] = "OSSEC HIDS";
constexpr char kDescription[] =
    "OSSEC host intrusion detection agent (ossec-agent-ng): sends logs and file "
    "changes to the OSSEC manager and runs its active responses";
constexpr auto kUninstallStopWait = std::chrono::seconds(30);

void print_usage(std::FILE* out) {
    std::fprintf(out,
                 "usage: %s [install-service | uninstall-service | start [-d] [-c FILE] |"
                 " -t [-c FILE] | setup [-m MANAGER] [-p PORT] [-k KEY] | -V | -h]\n"
                 "  (no argument)      run as the Windows service %s\n"
                 "  install-service    register the service (starts at boot)\n"
                 "  uninstall-service  stop and remove the service\n"
                 "  start              run in the foreground until Ctrl-C\n"
                 "  -t                 check the configuration and exit\n"
                 "  setup              lay out the home, set the manager, import a key\n",
                 kProgram, kServiceName);
}

core::Home agent_home() {
    return core::Home(pal::executable_path().parent_path());
}

int install() {
    const pal::ServiceDefinition definition{kServiceName, kDisplayName, kDescription,
                                            pal::executable_path()};
    if (const std::error_code ec = pal::install_service(definition)) {
        std::fprintf(stderr, "%s: cannot register the service %s: %s\n", kProgram,
                     kServiceName, ec.message().c_str());
        return 1;
    }
    std::printf("%s: service %s registered\n", kProgram, kServiceName);
    return 0;
}

int uninstall() {
    if (const std::error_code ec =
            pal::uninstall_service(kServiceName, kUninstallStopWait)) {
        std::fprintf(stderr, "%s: cannot remove the service %s: %s\n", kProgram,
                     kServiceName, ec.message().c_str());
        return 1;
    }
    std::printf("%s: service %s removed\n", kProgram, kServiceName);
    return 0;
}

int setup(const std::vector<std::string>& args) {
    const auto options = agent_setup::parse_setup_options(args);
    if (!options.ok()) {
        std::fprintf(stderr, "%s: %s\n", kProgram, options.error().c_str());
        return 2;
    }
    std::vector<std::string> done;
    const auto result = agent_setup::run_setup(agent_home(), options.value(), done);
    for (const std::string& line : done) {
        std::printf("%s: %s\n", kProgram, line.c_str());
    }
    if (!result.ok()) {
        std::fprintf(stderr, "%s: setup failed: %s\n", kProgram, result.error().c_str());
        return 1;
    }
    return 0;
}

// What the MSI runs before it removes the files: Wine's msiexec does not
// wait for the service to stop, and a running ossec-agent.exe cannot be
// deleted.
int stop() {
    if (const std::error_code ec = pal::stop_service(kServiceName, kUninstallStopWait)) {
        std::fprintf(stderr, "%s: cannot stop the service %s: %s\n", kProgram,
                     kServiceName, ec.message().c_str());
        return 1;
    }
    return 0;
}

int run_as_service() {
    const core::Home home = agent_home();
    runners::AgentHost host(kProgram, home, home.config_file(), false, 0);
    if (const std::error_code ec = pal::run_service(
            kServiceName, [&host] { return host.run(); }, [&host] { host.stop(); })) {
        std::fprintf(stderr,
                     "%s: not started by the service manager (%s); use 'start' to run in "
                     "the foreground\n",
                     kProgram, ec.message().c_str());
        print_usage(stderr);
        return 1;
    }
    return 0;
}

int run_in_foreground(const daemon_support::DaemonOptions& options) {
    const core::Home home = agent_home();
    runners::AgentHost host(kProgram, home, daemon_support::config_path(options, home),
                            true, options.debug_level);
    pal::on_control_request([&host](pal::ControlRequest request) {
        if (request == pal::ControlRequest::kStop) {
            host.stop();
        }
    });
    return host.run();
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        return run_as_service();
    }
    const std::string command = args.front();
    if (command == "install-service" && args.size() == 1) {
        return install();
    }
    if (command == "uninstall-service" && args.size() == 1) {
        return uninstall();
    }
    if (command == "stop-service" && args.size() == 1) {
        return stop();
    }
    if (command == "setup") {
        return setup(std::vector<std::string>(args.begin() + 1, args.end()));
    }
    if (command == "help" || command == "/?") {
        print_usage(stdout);
        return 0;
    }
    const bool start = command == "start";
    if (start) {
        args.erase(args.begin());
    }
    std::string error;
    const auto options = daemon_support::parse_daemon_options(args, error);
    if (!options) {
        std::fprintf(stderr, "%s: %s\n", kProgram, error.c_str());
        print_usage(stderr);
        return 2;
    }
    if (options->show_help) {
        print_usage(stdout);
        return 0;
    }
    if (options->show_version) {
        std::printf("%s", daemon_support::version_text(kProgram).c_str());
        return 0;
    }
    if (options->test_config) {
        const core::Home home = agent_home();
        return runners::test_agent_config(daemon_support::config_path(*options, home),
                                          home);
    }
    if (!start && !options->foreground) {
        std::fprintf(stderr, "%s: say 'start' (or -f) to run in the foreground\n",
                     kProgram);
        print_usage(stderr);
        return 2;
    }
    return run_in_foreground(*options);
}
