// Running as a system service and registering one with the OS's service
// manager: the Service Control Manager on Windows. On POSIX the agent's
// daemons are started by ossec-control (init script, systemd unit), so
// these functions fail there with std::errc::not_supported.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <system_error>

namespace pal {

struct ServiceDefinition {
    std::string name;          // the key name ("OssecSvc"), what sc takes
    std::string display_name;  // shown in the services list
    std::string description;
    std::filesystem::path executable;  // absolute; started with no arguments
};

// Registers the service to start automatically at boot, as LocalSystem.
// Fails (ERROR_SERVICE_EXISTS on Windows) when one by that name exists.
std::error_code install_service(const ServiceDefinition& service);

// Stops the service if it runs (waiting up to stop_timeout for it to
// stop), then removes it. Fails when no service has that name.
std::error_code uninstall_service(const std::string& name,
                                  std::chrono::milliseconds stop_timeout);

// Asks the service to stop and waits up to timeout until it has stopped.
// Succeeds at once when it is not running.
std::error_code stop_service(const std::string& name, std::chrono::milliseconds timeout);

// Hands this process to the service manager as service name: body runs
// (on a thread the manager creates) while the service reports itself
// running; a stop or shutdown from the manager calls on_stop, which must
// return quickly and make body return. Returns when body has returned and
// the service is reported stopped, with body's status as the service's
// exit code. Fails at once when the process was not started by the service
// manager (ERROR_FAILED_SERVICE_CONTROLLER_CONNECT on Windows).
std::error_code run_service(const std::string& name, const std::function<int()>& body,
                            const std::function<void()>& on_stop);

}  // namespace pal
