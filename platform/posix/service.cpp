#include "pal/service.hpp"

// POSIX has no service manager the agent registers with: ossec-control and
// the init script or systemd unit start the daemons.
namespace pal {

std::error_code install_service(const ServiceDefinition&) {
    return std::make_error_code(std::errc::not_supported);
}

std::error_code uninstall_service(const std::string&, std::chrono::milliseconds) {
    return std::make_error_code(std::errc::not_supported);
}

std::error_code stop_service(const std::string&, std::chrono::milliseconds) {
    return std::make_error_code(std::errc::not_supported);
}

std::error_code run_service(const std::string&, const std::function<int()>&,
                            const std::function<void()>&) {
    return std::make_error_code(std::errc::not_supported);
}

}  // namespace pal
