#include "integration/child_process.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <thread>

namespace integration {
namespace {

std::error_code last_error() {
    return std::error_code(errno, std::generic_category());
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(char* const* argv, int output_fd, int error_pipe) {
    ::dup2(output_fd, STDOUT_FILENO);
    ::dup2(output_fd, STDERR_FILENO);
    // The test's own sockets (a test manager's listening TCP socket) must
    // not live on in the program: the kernel would keep accepting
    // connections for a manager the test stopped.
    if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        for (int fd = 3; fd < 1024; ++fd) {
            ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
    }
    ::execv(argv[0], argv);
    const int error = errno;
    [[maybe_unused]] const auto n = ::write(error_pipe, &error, sizeof error);
    ::_exit(127);
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv,
                           std::filesystem::path output_file)
    : argv_(std::move(argv)), output_file_(std::move(output_file)) {}

ChildProcess::~ChildProcess() {
    if (pid_ > 0 && !exit_status_) {
        terminate();
    }
}

std::error_code ChildProcess::start() {
    std::vector<char*> argv;
    for (auto& arg : argv_) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);

    const int output =
        ::open(output_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (output < 0) {
        return last_error();
    }
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        const auto ec = last_error();
        ::close(output);
        return ec;
    }

    const pid_t pid = ::fork();
    if (pid == 0) {
        exec_child(argv.data(), output, pipe_fds[1]);
    }
    const auto fork_error = last_error();
    ::close(output);
    ::close(pipe_fds[1]);
    if (pid < 0) {
        ::close(pipe_fds[0]);
        return fork_error;
    }

    // The pipe closes on a successful exec; otherwise it carries errno.
    int exec_error = 0;
    const auto n = ::read(pipe_fds[0], &exec_error, sizeof exec_error);
    ::close(pipe_fds[0]);
    pid_ = pid;
    exit_status_.reset();
    if (n == static_cast<ssize_t>(sizeof exec_error)) {
        wait_for_exit(std::chrono::seconds(5));
        return std::error_code(exec_error, std::generic_category());
    }
    return {};
}

bool ChildProcess::running() {
    return pid_ > 0 && !wait_for_exit(std::chrono::milliseconds(0));
}

void ChildProcess::signal(int signal_number) {
    if (pid_ > 0 && !exit_status_) {
        ::kill(pid_, signal_number);
    }
}

std::optional<ExitStatus> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
    if (exit_status_ || pid_ <= 0) {
        return exit_status_;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            exit_status_ = WIFSIGNALED(status) ? ExitStatus{true, WTERMSIG(status)}
                                               : ExitStatus{false, WEXITSTATUS(status)};
            return exit_status_;
        }
        if (done < 0 && errno != EINTR) {
            return std::nullopt;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::optional<ExitStatus> ChildProcess::terminate(std::chrono::milliseconds grace) {
    signal(SIGTERM);
    if (auto status = wait_for_exit(grace)) {
        return status;
    }
    return kill();
}

std::optional<ExitStatus> ChildProcess::kill() {
    signal(SIGKILL);
    return wait_for_exit(std::chrono::seconds(10));
}

std::string describe(const ExitStatus& status) {
    return status.signaled ? "killed by signal " + std::to_string(status.code)
                           : "exit code " + std::to_string(status.code);
}

}  // namespace integration
