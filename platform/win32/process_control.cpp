#include "pal/process_control.hpp"

#include <windows.h>

#include <cerrno>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

namespace pal {
namespace {

// Console control events arrive on a thread the system creates for each
// event. They are handed to one long-lived thread that runs the callback,
// so the callback sees the same threading as on POSIX.
class StopRequests {
public:
    void post() {
        {
            std::lock_guard lock(mutex_);
            ++pending_;
        }
        ready_.notify_one();
    }

    void wait() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return pending_ > 0; });
        --pending_;
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    unsigned pending_ = 0;
};

// The handler is a plain function, so the requests it posts to must be
// reachable without an argument. Created on first use, never destroyed,
// because the handler may run while static destructors do.
StopRequests& stop_requests() {
    static auto* requests = new StopRequests;
    return *requests;
}

// Windows ends the process soon after the handler returns from a close or
// shutdown event; waiting here gives the program that time to stop.
constexpr DWORD kShutdownGraceMs = 4000;

BOOL WINAPI on_console_event(DWORD event) {
    switch (event) {
        case CTRL_C_EVENT:
        case CTRL_BREAK_EVENT:
            stop_requests().post();
            return TRUE;
        case CTRL_CLOSE_EVENT:
        case CTRL_SHUTDOWN_EVENT:
            stop_requests().post();
            ::Sleep(kShutdownGraceMs);
            return TRUE;
        default:
            // A user logging off must not stop an agent that runs as a
            // service; keep running.
            return TRUE;
    }
}

}  // namespace

// Windows has no reload request (OSSEC's Windows agent has none either), so
// the callback only ever sees kStop.
void on_control_request(std::function<void(ControlRequest)> callback) {
    std::thread([callback = std::move(callback)]() {
        for (;;) {
            stop_requests().wait();
            callback(ControlRequest::kStop);
        }
    }).detach();
    ::SetConsoleCtrlHandler(on_console_event, TRUE);
}

// A Windows program runs in the background as a service; there is no
// terminal to leave.
std::error_code daemonize() { return {}; }

std::error_code write_pid_file(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    errno = 0;
    std::ofstream out(path, std::ios::trunc);
    out << ::GetCurrentProcessId() << "\n";
    out.flush();
    if (!out) {
        return {errno != 0 ? errno : EIO, std::generic_category()};
    }
    return {};
}

void remove_pid_file(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
}

// A Windows service gets its rights from the account the Service Control
// Manager runs it under; there is nothing to switch inside the process.
std::optional<AccountIds> find_account(const std::string&, const std::string&,
                                       std::error_code& ec) {
    ec = std::make_error_code(std::errc::function_not_supported);
    return std::nullopt;
}

PrivilegeChange drop_privileges(const AccountIds&, std::error_code& ec) {
    ec.clear();
    return PrivilegeChange::kNotPrivileged;
}

// Windows has no chroot; the service's account limits what it reaches.
std::error_code change_root(const std::filesystem::path&) {
    return std::make_error_code(std::errc::function_not_supported);
}

}  // namespace pal
