#include "pal/process_control.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <thread>

namespace pal {

void on_control_request(std::function<void(ControlRequest)> callback) {
    // Block the signals in every thread (threads started later inherit the
    // mask) and take them synchronously on one thread with sigwait.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    std::thread([set, callback = std::move(callback)]() {
        for (;;) {
            int signal_number = 0;
            if (sigwait(&set, &signal_number) != 0) {
                continue;
            }
            callback(signal_number == SIGHUP ? ControlRequest::kReload
                                             : ControlRequest::kStop);
        }
    }).detach();
}

std::error_code daemonize() {
    const pid_t child = fork();
    if (child < 0) {
        return {errno, std::generic_category()};
    }
    if (child > 0) {
        _exit(0);
    }
    setsid();
    const int null_fd = ::open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
        dup2(null_fd, 0);
        dup2(null_fd, 1);
        dup2(null_fd, 2);
        if (null_fd > 2) {
            ::close(null_fd);
        }
    }
    return {};
}

std::error_code write_pid_file(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::trunc);
    out << getpid() << "\n";
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

}  // namespace pal
