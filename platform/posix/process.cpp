#include "pal/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>

extern char** environ;

namespace pal {
namespace {

using Clock = std::chrono::steady_clock;

// Poll slice while the program runs: how late an exit is noticed when a
// descendant keeps its output open.
constexpr int kPollSliceMs = 10;

std::error_code last_error() { return {errno, std::generic_category()}; }

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    bool open() const { return fd_ >= 0; }
    void reset(int fd = -1) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

struct Pipe {
    Fd read;
    Fd write;
};

std::error_code make_pipe(Pipe& pipe) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return last_error();
    }
    pipe.read.reset(fds[0]);
    pipe.write.reset(fds[1]);
    return {};
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (const auto& s : strings) {
        out.push_back(const_cast<char*>(s.c_str()));
    }
    out.push_back(nullptr);
    return out;
}

// In the child, between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(char* const* argv, char* const* envp, const char* directory,
                             int in, int out, int err, int report) {
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGQUIT}) {
        ::signal(sig, SIG_DFL);
    }
    if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0 ||
        (directory != nullptr && ::chdir(directory) != 0)) {
        const int error = errno;
        [[maybe_unused]] const auto n = ::write(report, &error, sizeof error);
        ::_exit(127);
    }
    // Every other descriptor this process holds stays out of the script;
    // the report pipe is close-on-exec and carries an exec failure.
    const bool closed = (report <= 3 || ::close_range(3, report - 1, 0) == 0) &&
                        ::close_range(report + 1, ~0U, 0) == 0;
    if (!closed) {
        for (int fd = 3; fd < 65536; ++fd) {
            if (fd != report) {
                ::close(fd);
            }
        }
    }
    ::execve(argv[0], argv, envp);
    const int error = errno;
    [[maybe_unused]] const auto n = ::write(report, &error, sizeof error);
    ::_exit(127);
}

// Writing to a program that has exited raises SIGPIPE; it is blocked on
// this thread while the program runs and any pending one is discarded.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigset_t pipe_set;
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        ::pthread_sigmask(SIG_BLOCK, &pipe_set, &old_);
    }
    ~SigpipeGuard() {
        if (sigismember(&old_, SIGPIPE) == 0) {
            sigset_t pipe_set;
            sigemptyset(&pipe_set);
            sigaddset(&pipe_set, SIGPIPE);
            const timespec zero{0, 0};
            while (::sigtimedwait(&pipe_set, nullptr, &zero) == SIGPIPE) {
            }
        }
        ::pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }

private:
    sigset_t old_;
};

// The running program's pipes and what has been read from them.
class Session {
public:
    Session(const ProcessRequest& request, ProcessResult& result, Pipe& in, Pipe& out,
            Pipe& err)
        : request_(request), result_(result), in_(in.write), out_(out.read),
          err_(err.read), pending_stdin_(request.stdin_data) {
        keep_stdin_ = static_cast<bool>(request.on_output_line);
        set_nonblocking(in_.get());
        set_nonblocking(out_.get());
        set_nonblocking(err_.get());
    }

    // One slice of waiting: moves bytes both ways.
    void pump(int timeout_ms) {
        flush_stdin();
        pollfd fds[3] = {{out_.get(), POLLIN, 0}, {err_.get(), POLLIN, 0},
                         {in_.get(), POLLOUT, 0}};
        fds[2].fd = in_.open() && !pending_stdin_.empty() ? in_.get() : -1;
        if (!out_.open() && !err_.open() && fds[2].fd < 0) {
            ::poll(nullptr, 0, timeout_ms);
            return;
        }
        if (::poll(fds, 3, timeout_ms) > 0) {
            drain();
        }
    }

    // Reads whatever is available without waiting.
    void drain() {
        read_from(out_, result_.output, true);
        read_from(err_, result_.error_output, false);
    }

private:
    void flush_stdin() {
        while (in_.open() && !pending_stdin_.empty()) {
            const ssize_t n = ::write(in_.get(), pending_stdin_.data(), pending_stdin_.size());
            if (n < 0) {
                if (errno == EAGAIN || errno == EINTR) {
                    return;
                }
                in_.reset();  // the program closed its stdin or exited
                return;
            }
            pending_stdin_.erase(0, static_cast<std::size_t>(n));
        }
        if (in_.open() && pending_stdin_.empty() && !keep_stdin_) {
            in_.reset();
        }
    }

    void read_from(Fd& fd, std::string& sink, bool is_stdout) {
        char buffer[4096];
        while (fd.open()) {
            const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                if (n == 0 || errno != EAGAIN) {
                    fd.reset();
                }
                return;
            }
            const std::string_view chunk(buffer, static_cast<std::size_t>(n));
            keep(sink, chunk);
            if (is_stdout) {
                feed_lines(chunk);
            }
        }
    }

    void keep(std::string& sink, std::string_view chunk) {
        const std::size_t room = request_.output_limit - std::min(request_.output_limit,
                                                                  sink.size());
        sink.append(chunk.substr(0, room));
        if (chunk.size() > room) {
            result_.output_truncated = true;
        }
    }

    void feed_lines(std::string_view chunk) {
        if (!keep_stdin_) {
            return;
        }
        line_.append(chunk.substr(0, request_.output_limit));
        std::size_t end;
        while (keep_stdin_ && (end = line_.find('\n')) != std::string::npos) {
            const std::string line = line_.substr(0, end);
            line_.erase(0, end + 1);
            StdinReply reply = request_.on_output_line(line);
            pending_stdin_ += reply.text;
            keep_stdin_ = !reply.close_stdin;
        }
        if (line_.size() > request_.output_limit) {
            line_.clear();  // a "line" longer than any answer: not one
        }
        flush_stdin();
    }

    const ProcessRequest& request_;
    ProcessResult& result_;
    Fd& in_;
    Fd& out_;
    Fd& err_;
    std::string pending_stdin_;
    std::string line_;
    bool keep_stdin_ = false;
};

void record_status(int status, ProcessResult& result) {
    if (WIFSIGNALED(status)) {
        result.outcome = ProcessOutcome::kSignaled;
        result.exit_code = WTERMSIG(status);
    } else {
        result.outcome = ProcessOutcome::kExited;
        result.exit_code = WEXITSTATUS(status);
    }
}

void wait_for(pid_t pid, const ProcessRequest& request, ProcessResult& result,
              Session& session) {
    const auto deadline = Clock::now() + request.timeout;
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            session.drain();
            record_status(status, result);
            return;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - Clock::now());
        if (left.count() <= 0) {
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            session.drain();
            result.outcome = ProcessOutcome::kTimedOut;
            result.exit_code = 0;
            return;
        }
        session.pump(static_cast<int>(std::min<long long>(left.count() + 1, kPollSliceMs)));
    }
}

// Waits for the close-on-exec report pipe: closed by a successful exec,
// or carrying the errno of a failed one.
std::error_code exec_result(Pipe& report) {
    report.write.reset();
    int error = 0;
    ssize_t n;
    while ((n = ::read(report.read.get(), &error, sizeof error)) < 0 && errno == EINTR) {
    }
    return n == static_cast<ssize_t>(sizeof error)
               ? std::error_code(error, std::generic_category())
               : std::error_code();
}

}  // namespace

std::error_code run_process(const ProcessRequest& request, ProcessResult& result) {
    result = ProcessResult{};
    if (request.argv.empty() || request.argv[0].empty()) {
        return std::make_error_code(std::errc::invalid_argument);
    }
    const auto argv = c_strings(request.argv);
    const auto env_strings = request.environment.value_or(std::vector<std::string>{});
    const auto envp = c_strings(env_strings);
    const std::string directory = request.working_directory.string();

    Pipe in, out, err, report;
    for (Pipe* pipe : {&in, &out, &err, &report}) {
        if (const auto ec = make_pipe(*pipe)) {
            return ec;
        }
    }
    SigpipeGuard sigpipe_guard;
    const auto started = Clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        exec_child(argv.data(), request.environment ? envp.data() : environ,
                   directory.empty() ? nullptr : directory.c_str(), in.read.get(),
                   out.write.get(), err.write.get(), report.write.get());
    }
    if (pid < 0) {
        return last_error();
    }
    ::setpgid(pid, pid);  // also done by the child; whichever runs first
    in.read.reset();
    out.write.reset();
    err.write.reset();

    if (const auto ec = exec_result(report)) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        return ec;
    }
    Session session(request, result, in, out, err);
    wait_for(pid, request, result, session);
    result.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return {};
}

}  // namespace pal
