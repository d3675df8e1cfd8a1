#include "pal/process.hpp"

#include <windows.h>

#include <algorithm>
#include <cwctype>

#include "unique_handle.hpp"
#include "win32_error.hpp"

namespace pal {
namespace {

using Clock = std::chrono::steady_clock;
using win32::UniqueHandle;

// How often the pipes are looked at while the program runs. Anonymous
// pipes cannot be waited on, so they are polled; this also ends the wait
// as soon as the program exits even when a descendant holds its output.
constexpr DWORD kPollSliceMs = 10;
constexpr DWORD kPipeSize = 64 * 1024;

std::wstring to_wide(std::string_view text) {
    if (text.empty()) {
        return {};
    }
    const int size = ::MultiByteToWideChar(CP_UTF8, 0, text.data(),
                                           static_cast<int>(text.size()), nullptr, 0);
    std::wstring wide(static_cast<std::size_t>(size), L'\0');
    ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                          wide.data(), size);
    return wide;
}

bool is_batch_file(const std::string& program) {
    std::wstring ext = std::filesystem::path(to_wide(program)).extension().wstring();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](wchar_t c) { return static_cast<wchar_t>(std::towlower(c)); });
    return ext == L".cmd" || ext == L".bat";
}

std::wstring system_cmd() {
    wchar_t dir[MAX_PATH];
    const UINT n = ::GetSystemDirectoryW(dir, MAX_PATH);
    return std::wstring(dir, n) + L"\\cmd.exe";
}

// The program to start and its command line. A batch file runs under
// cmd.exe with AutoRun (/d) and delayed expansion (/v:off) off, every
// argument quoted; arguments cmd.exe would interpret are refused.
std::error_code command_for(const std::vector<std::string>& argv, std::wstring& application,
                            std::wstring& line) {
    if (argv[0].find('"') != std::string::npos) {
        return std::make_error_code(std::errc::invalid_argument);
    }
    if (!is_batch_file(argv[0])) {
        application = to_wide(argv[0]);
        line = to_wide(build_command_line(argv));
        return {};
    }
    const auto batch = build_batch_command_line(argv);
    if (!batch) {
        return std::make_error_code(std::errc::invalid_argument);
    }
    application = system_cmd();
    line = L"\"" + application + L"\" /d /e:on /v:off /s /c \"" + to_wide(*batch) + L"\"";
    return {};
}

std::wstring environment_block(const std::vector<std::string>& environment) {
    std::wstring block;
    for (const auto& entry : environment) {
        block += to_wide(entry);
        block += L'\0';
    }
    block += L'\0';
    return block;
}

struct Pipe {
    UniqueHandle read;
    UniqueHandle write;
};

// A pipe whose child end (read for stdin, write for output) is inheritable.
std::error_code make_pipe(Pipe& pipe, bool child_reads) {
    SECURITY_ATTRIBUTES attributes{sizeof attributes, nullptr, TRUE};
    HANDLE read = nullptr;
    HANDLE write = nullptr;
    if (!::CreatePipe(&read, &write, &attributes, kPipeSize)) {
        return win32::last_error();
    }
    pipe.read.reset(read);
    pipe.write.reset(write);
    ::SetHandleInformation(child_reads ? write : read, HANDLE_FLAG_INHERIT, 0);
    return {};
}

// Owns the attribute list that limits inheritance to the three pipe ends,
// so handles other threads open meanwhile do not leak into the script.
class HandleList {
public:
    explicit HandleList(std::vector<HANDLE> handles) : handles_(std::move(handles)) {
        SIZE_T size = 0;
        ::InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
        storage_.resize(size);
        list_ = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(storage_.data());
        ok_ = ::InitializeProcThreadAttributeList(list_, 1, 0, &size) &&
              ::UpdateProcThreadAttribute(list_, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                          handles_.data(), handles_.size() * sizeof(HANDLE),
                                          nullptr, nullptr);
    }
    ~HandleList() {
        if (list_ != nullptr) {
            ::DeleteProcThreadAttributeList(list_);
        }
    }
    bool ok() const { return ok_; }
    LPPROC_THREAD_ATTRIBUTE_LIST get() const { return list_; }

private:
    std::vector<HANDLE> handles_;
    std::vector<char> storage_;
    LPPROC_THREAD_ATTRIBUTE_LIST list_ = nullptr;
    bool ok_ = false;
};

struct Started {
    UniqueHandle process;
    UniqueHandle job;
};

std::error_code start(const ProcessRequest& request, Pipe& in, Pipe& out, Pipe& err,
                      Started& started) {
    std::wstring application, line;
    if (const auto ec = command_for(request.argv, application, line)) {
        return ec;
    }
    HandleList handles({in.read.get(), out.write.get(), err.write.get()});
    if (!handles.ok()) {
        return win32::last_error();
    }
    STARTUPINFOEXW startup{};
    startup.StartupInfo.cb = sizeof startup;
    startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    startup.StartupInfo.hStdInput = in.read.get();
    startup.StartupInfo.hStdOutput = out.write.get();
    startup.StartupInfo.hStdError = err.write.get();
    startup.lpAttributeList = handles.get();

    std::wstring environment;
    if (request.environment) {
        environment = environment_block(*request.environment);
    }
    const std::wstring directory = request.working_directory.wstring();
    PROCESS_INFORMATION info{};
    const DWORD flags = EXTENDED_STARTUPINFO_PRESENT | CREATE_UNICODE_ENVIRONMENT |
                        CREATE_NO_WINDOW | CREATE_SUSPENDED;
    if (!::CreateProcessW(application.c_str(), line.data(), nullptr, nullptr, TRUE, flags,
                          request.environment ? environment.data() : nullptr,
                          directory.empty() ? nullptr : directory.c_str(),
                          &startup.StartupInfo, &info)) {
        return win32::last_error();
    }
    started.process.reset(info.hProcess);
    UniqueHandle thread(info.hThread);
    // The job holds everything the program starts, so a timeout kills all.
    started.job.reset(::CreateJobObjectW(nullptr, nullptr));
    if (started.job) {
        ::AssignProcessToJobObject(started.job.get(), info.hProcess);
    }
    ::ResumeThread(thread.get());
    return {};
}

// The parent's ends of the pipes and what came through them.
class Session {
public:
    Session(const ProcessRequest& request, ProcessResult& result, Pipe& in, Pipe& out,
            Pipe& err)
        : request_(request), result_(result), in_(in.write), out_(out.read),
          err_(err.read), keep_stdin_(static_cast<bool>(request.on_output_line)) {
        write_stdin(request.stdin_data);
    }

    void drain() {
        read_from(out_, result_.output, true);
        read_from(err_, result_.error_output, false);
    }

private:
    // Pipe buffers hold far more than the message and replies execd
    // writes, so these writes do not block.
    void write_stdin(const std::string& text) {
        DWORD written = 0;
        if (in_ && !text.empty() &&
            !::WriteFile(in_.get(), text.data(), static_cast<DWORD>(text.size()), &written,
                         nullptr)) {
            in_.reset();
        }
        if (!keep_stdin_) {
            in_.reset();
        }
    }

    void read_from(UniqueHandle& pipe, std::string& sink, bool is_stdout) {
        char buffer[4096];
        DWORD available = 0;
        while (pipe) {
            if (!::PeekNamedPipe(pipe.get(), nullptr, 0, nullptr, &available, nullptr)) {
                pipe.reset();  // the program and its descendants closed it
                return;
            }
            if (available == 0) {
                return;
            }
            DWORD n = 0;
            const DWORD want = std::min<DWORD>(available, sizeof buffer);
            if (!::ReadFile(pipe.get(), buffer, want, &n, nullptr) || n == 0) {
                pipe.reset();
                return;
            }
            const std::string_view chunk(buffer, n);
            keep(sink, chunk);
            if (is_stdout) {
                feed_lines(chunk);
            }
        }
    }

    void keep(std::string& sink, std::string_view chunk) {
        const std::size_t room =
            request_.output_limit - std::min(request_.output_limit, sink.size());
        sink.append(chunk.substr(0, room));
        if (chunk.size() > room) {
            result_.output_truncated = true;
        }
    }

    void feed_lines(std::string_view chunk) {
        if (!keep_stdin_) {
            return;
        }
        line_.append(chunk);
        std::size_t end;
        while (keep_stdin_ && (end = line_.find('\n')) != std::string::npos) {
            std::string line = line_.substr(0, end);
            line_.erase(0, end + 1);
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            StdinReply reply = request_.on_output_line(line);
            keep_stdin_ = !reply.close_stdin;
            write_stdin(reply.text);
        }
        if (line_.size() > request_.output_limit) {
            line_.clear();
        }
    }

    const ProcessRequest& request_;
    ProcessResult& result_;
    UniqueHandle& in_;
    UniqueHandle& out_;
    UniqueHandle& err_;
    std::string line_;
    bool keep_stdin_;
};

void wait_for(const ProcessRequest& request, Started& started, Session& session,
              ProcessResult& result) {
    const auto deadline = Clock::now() + request.timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - Clock::now());
        if (left.count() <= 0) {
            if (started.job) {
                ::TerminateJobObject(started.job.get(), 1);
            }
            ::TerminateProcess(started.process.get(), 1);
            ::WaitForSingleObject(started.process.get(), INFINITE);
            session.drain();
            result.outcome = ProcessOutcome::kTimedOut;
            return;
        }
        const DWORD slice = static_cast<DWORD>(std::min<long long>(left.count() + 1,
                                                                   kPollSliceMs));
        if (::WaitForSingleObject(started.process.get(), slice) == WAIT_OBJECT_0) {
            session.drain();
            DWORD code = 0;
            ::GetExitCodeProcess(started.process.get(), &code);
            result.outcome = ProcessOutcome::kExited;
            result.exit_code = static_cast<int>(code);
            return;
        }
        session.drain();
    }
}

}  // namespace

std::error_code run_process(const ProcessRequest& request, ProcessResult& result) {
    result = ProcessResult{};
    if (request.argv.empty() || request.argv[0].empty()) {
        return std::make_error_code(std::errc::invalid_argument);
    }
    Pipe in, out, err;
    if (auto ec = make_pipe(in, true)) {
        return ec;
    }
    if (auto ec = make_pipe(out, false)) {
        return ec;
    }
    if (auto ec = make_pipe(err, false)) {
        return ec;
    }

    const auto begun = Clock::now();
    Started started;
    if (const auto ec = start(request, in, out, err, started)) {
        return ec;
    }
    in.read.reset();
    out.write.reset();
    err.write.reset();

    Session session(request, result, in, out, err);
    wait_for(request, started, session, result);
    result.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - begun);
    return {};
}

}  // namespace pal
