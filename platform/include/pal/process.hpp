// Running a program with an argument vector, never through a shell: fork
// and execve on POSIX, CreateProcessW with MSVCRT-quoted arguments on
// Windows. The program gets the given standard input, its standard output
// and error are captured up to a bound, and it is killed (with everything
// it started in its process group or job) when it runs past its time.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace pal {

// What the program answers on its standard output while its standard input
// is still open (Wazuh's check_keys exchange).
struct StdinReply {
    std::string text;          // written to the program's stdin as is
    bool close_stdin = true;   // then closes it, so the program sees EOF
};

struct ProcessRequest {
    // argv[0] is the program: an absolute path, used as is (no PATH
    // search). The rest are passed unchanged, one element per argument.
    std::vector<std::string> argv;
    // Environment as "NAME=value" strings; nullopt inherits this process's.
    std::optional<std::vector<std::string>> environment;
    // Working directory; empty keeps this process's.
    std::filesystem::path working_directory;
    // Written to the program's standard input first.
    std::string stdin_data;
    // When set, stdin stays open after stdin_data and this is called with
    // each complete line (without its '\n') the program writes to stdout,
    // until a reply closes stdin. It runs on the caller's thread or on a
    // thread of the runner, never concurrently with itself. When unset,
    // stdin is closed right after stdin_data.
    std::function<StdinReply(std::string_view line)> on_output_line;
    // Past this the program and its descendants are killed.
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};
    // Bytes kept of stdout and of stderr each; the rest is read and dropped.
    std::size_t output_limit = 64 * 1024;
};

enum class ProcessOutcome {
    kExited,    // exit_code holds its status
    kSignaled,  // killed by a signal it did not expect (POSIX); exit_code
                // holds the signal number
    kTimedOut,  // ran past the timeout and was killed
};

struct ProcessResult {
    ProcessOutcome outcome = ProcessOutcome::kExited;
    int exit_code = 0;
    std::string output;        // stdout, at most output_limit bytes
    std::string error_output;  // stderr, at most output_limit bytes
    bool output_truncated = false;
    std::chrono::milliseconds duration{0};
};

// Starts the program and waits until it exits or is killed. Returns an
// error (and runs nothing) when it cannot be started: a missing or
// non-executable file, an empty argv, or, on Windows, an argument that
// cannot be passed to a batch file safely. Waiting ends when the program
// itself exits; descendants that keep its output open are not waited for.
// Thread safe: concurrent calls run independent programs.
std::error_code run_process(const ProcessRequest& request, ProcessResult& result);

// MSVCRT command-line quoting, exposed for every platform so its round trip
// is tested everywhere. build_command_line joins argv so that the MSVCRT
// (and CommandLineToArgvW) parse it back into exactly argv; argv[0] must not
// contain '"'. parse_command_line is that parser (post-2008 rules).
std::string build_command_line(const std::vector<std::string>& argv);
std::vector<std::string> parse_command_line(std::string_view line);

// The command line cmd.exe /c runs for a batch file: every argument
// quoted. Fails (nullopt) when an argument holds a character cmd.exe
// cannot be kept from interpreting inside quotes: '"', '%', CR, LF, NUL.
std::optional<std::string> build_batch_command_line(const std::vector<std::string>& argv);

}  // namespace pal
