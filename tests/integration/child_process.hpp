// A program started by a test: fork and exec with an argv list (no
// shell), its stdout and stderr appended to a file, stopped with SIGTERM
// or SIGKILL, waited for with a deadline. POSIX only, like the
// integration tests that use it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace integration {

struct ExitStatus {
    bool signaled = false;  // killed by a signal, then code is its number
    int code = 0;
};

class ChildProcess {
  public:
    // argv[0] is the program's path. Nothing runs before start().
    ChildProcess(std::vector<std::string> argv, std::filesystem::path output_file);
    // Stops the program (terminate()) if it is still running.
    ~ChildProcess();

    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Starts the program; fails when it cannot be executed (the error of
    // execv, reported back through a close-on-exec pipe).
    std::error_code start();
    bool running();
    pid_t pid() const { return pid_; }

    // Sends a signal to the running program.
    void signal(int signal_number);
    // Waits until the program exits; nullopt on timeout.
    std::optional<ExitStatus> wait_for_exit(std::chrono::milliseconds timeout);
    // SIGTERM, then SIGKILL if it is still running after grace.
    std::optional<ExitStatus> terminate(
        std::chrono::milliseconds grace = std::chrono::seconds(10));
    // SIGKILL: a crash, as far as the program can tell.
    std::optional<ExitStatus> kill();

    const std::filesystem::path& output_file() const { return output_file_; }

  private:
    std::vector<std::string> argv_;
    std::filesystem::path output_file_;
    pid_t pid_ = -1;
    std::optional<ExitStatus> exit_status_;
};

std::string describe(const ExitStatus& status);

}  // namespace integration
