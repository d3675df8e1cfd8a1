#include "pal/local_queue.hpp"

#include <windows.h>

#include <atomic>
#include <deque>
#include <cwctype>
#include <vector>

#include "unique_handle.hpp"
#include "win32_error.hpp"

namespace pal {
namespace {

using Clock = std::chrono::steady_clock;
using win32::last_error;
using win32::UniqueHandle;

constexpr DWORD kPipeBuffer = 64 * 1024;
constexpr std::size_t kReadBuffer = 64 * 1024;
constexpr auto kConnectTimeout = std::chrono::seconds(5);
constexpr DWORD kSendTimeoutMs = 5000;
// Idle instances kept ready so that several senders can connect between
// two receive() calls.
constexpr std::size_t kIdleInstances = 4;
// One wait covers every instance plus the close event.
constexpr std::size_t kMaxInstances = MAXIMUM_WAIT_OBJECTS - 1;

std::uint64_t fnv1a(const std::wstring& text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const wchar_t c : text) {
        hash = (hash ^ static_cast<std::uint16_t>(c)) * 1099511628211ull;
    }
    return hash;
}

// The same queue path always gives the same pipe name: the absolute,
// normalised path, folded to lower case as Windows compares names, is
// hashed; the file name is kept in front so that a person can tell the
// pipes apart ("\\.\pipe\ossec-queue-5f0c...").
std::wstring pipe_name(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::path full = std::filesystem::absolute(path, ec);
    std::wstring key = (ec ? path : full).lexically_normal().wstring();
    for (wchar_t& c : key) {
        c = c == L'/' ? L'\\' : static_cast<wchar_t>(std::towlower(c));
    }

    std::wstring label;
    for (const wchar_t c : path.filename().wstring().substr(0, 32)) {
        label.push_back(std::iswalnum(c) || c == L'-' || c == L'_' ? c : L'_');
    }
    wchar_t hash[17];
    swprintf(hash, std::size(hash), L"%016llx",
             static_cast<unsigned long long>(fnv1a(key)));
    return L"\\\\.\\pipe\\ossec-" + label + L"-" + hash;
}

std::string without_trailing_nul(std::string message) {
    if (!message.empty() && message.back() == '\0') {
        message.pop_back();
    }
    return message;
}

// One server end of the pipe: first waiting for a sender to connect, then
// reading that sender's messages until it disconnects.
struct PipeInstance {
    enum class State { kListening, kReading };

    UniqueHandle pipe;
    UniqueHandle event;
    OVERLAPPED overlapped{};
    State state = State::kListening;
    bool pending = false;
    std::string buffer = std::string(kReadBuffer, '\0');
    std::string partial;

    void prepare() {
        overlapped = OVERLAPPED{};
        overlapped.hEvent = event.get();
    }

    // Waits until an operation the kernel still owns has finished, so the
    // OVERLAPPED and the buffer can be freed.
    void cancel() {
        if (pending) {
            DWORD ignored = 0;
            ::CancelIoEx(pipe.get(), &overlapped);
            ::GetOverlappedResult(pipe.get(), &overlapped, &ignored, TRUE);
            pending = false;
        }
    }
};

// A message-mode pipe served with overlapped I/O: each connected sender has
// its own instance, and one wait covers all of them and the close event.
// Senders are served in turn so that a busy one cannot starve the others.
class PipeQueueReceiver final : public QueueReceiver {
public:
    PipeQueueReceiver(std::wstring name, UniqueHandle close_event)
        : name_(std::move(name)), close_event_(std::move(close_event)) {}

    ~PipeQueueReceiver() override {
        for (auto& instance : instances_) {
            instance->cancel();
        }
    }

    std::error_code start() { return add_listeners(); }

    std::optional<std::string> receive(std::chrono::milliseconds timeout,
                                       std::error_code& ec) override {
        ec.clear();
        const auto deadline = Clock::now() + timeout;
        while (!closed_) {
            std::vector<HANDLE> handles{close_event_.get()};
            std::vector<std::size_t> owners;
            collect_waits(handles, owners);

            const DWORD result = ::WaitForMultipleObjects(
                static_cast<DWORD>(handles.size()), handles.data(), FALSE,
                remaining_ms(deadline));
            if (result == WAIT_TIMEOUT) {
                return std::nullopt;
            }
            if (result == WAIT_FAILED) {
                ec = last_error();
                return std::nullopt;
            }
            const std::size_t signalled = result - WAIT_OBJECT_0;
            if (signalled == 0 || signalled >= handles.size()) {
                continue;
            }
            if (auto message = complete(owners[signalled - 1], ec)) {
                return message;
            }
            if (ec) {
                return std::nullopt;
            }
        }
        return std::nullopt;
    }

    void close() override {
        closed_ = true;
        ::SetEvent(close_event_.get());
    }

private:
    static DWORD remaining_ms(Clock::time_point deadline) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        return left.count() > 0 ? static_cast<DWORD>(left.count()) : 0;
    }

    void collect_waits(std::vector<HANDLE>& handles, std::vector<std::size_t>& owners) {
        const std::size_t count = instances_.size();
        for (std::size_t k = 0; k < count; ++k) {
            const std::size_t index = (next_ + k) % count;
            if (instances_[index]->pending) {
                handles.push_back(instances_[index]->event.get());
                owners.push_back(index);
            }
        }
        next_ = count == 0 ? 0 : (next_ + 1) % count;
    }

    std::error_code add_listeners() {
        std::size_t listening = 0;
        for (const auto& instance : instances_) {
            listening += instance->state == PipeInstance::State::kListening ? 1 : 0;
        }
        while (listening < kIdleInstances && instances_.size() < kMaxInstances) {
            auto instance = std::make_unique<PipeInstance>();
            if (std::error_code ec = open_instance(*instance)) {
                return ec;
            }
            if (!listen(*instance)) {
                return last_error();
            }
            listening += instance->state == PipeInstance::State::kListening ? 1 : 0;
            instances_.push_back(std::move(instance));
        }
        return {};
    }

    std::error_code open_instance(PipeInstance& instance) {
        instance.event.reset(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
        if (!instance.event) {
            return last_error();
        }
        // No FILE_FLAG_FIRST_PIPE_INSTANCE: a sender of a receiver that was
        // just destroyed may still hold the name, and binding must succeed
        // then, as it does over a stale socket on POSIX.
        instance.pipe.reset(::CreateNamedPipeW(
            name_.c_str(), PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED,
            PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
            PIPE_UNLIMITED_INSTANCES, 0, kPipeBuffer, 0, nullptr));
        if (!instance.pipe) {
            return last_error();
        }
        return {};
    }

    // Starts waiting for a sender. False when the instance is unusable.
    static bool listen(PipeInstance& instance) {
        instance.state = PipeInstance::State::kListening;
        instance.prepare();
        if (::ConnectNamedPipe(instance.pipe.get(), &instance.overlapped)) {
            return read_next(instance);
        }
        switch (::GetLastError()) {
            case ERROR_IO_PENDING:
                instance.pending = true;
                return true;
            case ERROR_PIPE_CONNECTED:
                return read_next(instance);
            default:
                return false;
        }
    }

    // Starts reading the next message. False when the sender has gone.
    static bool read_next(PipeInstance& instance) {
        instance.state = PipeInstance::State::kReading;
        instance.prepare();
        const BOOL done = ::ReadFile(instance.pipe.get(), instance.buffer.data(),
                                     static_cast<DWORD>(instance.buffer.size()), nullptr,
                                     &instance.overlapped);
        const DWORD error = done ? ERROR_SUCCESS : ::GetLastError();
        // Even a read that finished at once signals the event, so the wait
        // loop collects every result the same way.
        instance.pending = done || error == ERROR_IO_PENDING || error == ERROR_MORE_DATA;
        return instance.pending;
    }

    std::optional<std::string> complete(std::size_t index, std::error_code& ec) {
        PipeInstance& instance = *instances_[index];
        DWORD size = 0;
        const BOOL ok = ::GetOverlappedResult(instance.pipe.get(), &instance.overlapped,
                                              &size, FALSE);
        const DWORD error = ok ? ERROR_SUCCESS : ::GetLastError();
        instance.pending = false;

        std::optional<std::string> message;
        bool usable = false;
        if (instance.state == PipeInstance::State::kListening) {
            usable = ok && read_next(instance);
        } else if (ok || error == ERROR_MORE_DATA) {
            // A message longer than the buffer arrives in pieces.
            instance.partial.append(instance.buffer.data(), size);
            if (ok) {
                message = without_trailing_nul(std::exchange(instance.partial, {}));
            }
            usable = read_next(instance);
        }
        if (!usable) {
            // The sender disconnected; its instance goes and a fresh one
            // takes its place.
            instance.cancel();
            instances_.erase(instances_.begin() + static_cast<std::ptrdiff_t>(index));
        }
        replenish(ec);
        return message;
    }

    // A failure to open new instances matters only when no sender can
    // connect any more; until then the connected ones are still served.
    void replenish(std::error_code& ec) {
        const std::error_code failure = add_listeners();
        if (!failure) {
            return;
        }
        for (const auto& instance : instances_) {
            if (instance->state == PipeInstance::State::kListening) {
                return;
            }
        }
        ec = failure;
    }

    std::wstring name_;
    UniqueHandle close_event_;
    std::atomic<bool> closed_{false};
    std::vector<std::unique_ptr<PipeInstance>> instances_;
    std::size_t next_ = 0;
};

bool receiver_went_away(DWORD error) {
    return error == ERROR_NO_DATA || error == ERROR_BROKEN_PIPE ||
           error == ERROR_PIPE_NOT_CONNECTED || error == ERROR_INVALID_HANDLE;
}

class PipeQueueSender final : public QueueSender {
public:
    explicit PipeQueueSender(std::wstring name) : name_(std::move(name)) {}

    std::error_code connect() {
        pipe_.reset();
        if (!event_) {
            event_.reset(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
            if (!event_) {
                return last_error();
            }
        }
        const auto deadline = Clock::now() + kConnectTimeout;
        for (;;) {
            pipe_.reset(::CreateFileW(name_.c_str(), GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
                                      FILE_FLAG_OVERLAPPED, nullptr));
            if (pipe_) {
                return {};
            }
            const DWORD error = ::GetLastError();
            const auto left =
                std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
            if (error != ERROR_PIPE_BUSY || left.count() <= 0) {
                return win32::to_error_code(error);
            }
            // Every instance is taken; wait for the receiver to open another.
            ::WaitNamedPipeW(name_.c_str(), static_cast<DWORD>(left.count()));
        }
    }

    std::error_code send(std::string_view message) override {
        DWORD error = pipe_ ? write(message) : ERROR_PIPE_NOT_CONNECTED;
        if (receiver_went_away(error)) {
            // The receiver was restarted and opened a new pipe; what was
            // still queued to the old one is gone, so resend the window.
            if (std::error_code ec = connect()) {
                return ec;
            }
            error = resend_recent();
            if (error == ERROR_SUCCESS) {
                error = write(message);
            }
        }
        if (error == ERROR_SUCCESS) {
            recent_.emplace_back(message);
            if (recent_.size() > kQueueResendWindow) {
                recent_.pop_front();
            }
        }
        return error == ERROR_SUCCESS ? std::error_code{} : win32::to_error_code(error);
    }

private:
    DWORD resend_recent() {
        for (const std::string& message : recent_) {
            if (const DWORD error = write(message); error != ERROR_SUCCESS) {
                return error;
            }
        }
        return ERROR_SUCCESS;
    }

    DWORD write(std::string_view message) {
        OVERLAPPED overlapped{};
        overlapped.hEvent = event_.get();
        const auto size = static_cast<DWORD>(message.size());
        if (!::WriteFile(pipe_.get(), message.data(), size, nullptr, &overlapped)) {
            const DWORD error = ::GetLastError();
            if (error != ERROR_IO_PENDING) {
                return error;
            }
            if (::WaitForSingleObject(event_.get(), kSendTimeoutMs) == WAIT_TIMEOUT) {
                ::CancelIoEx(pipe_.get(), &overlapped);
            }
        }
        DWORD written = 0;
        if (!::GetOverlappedResult(pipe_.get(), &overlapped, &written, TRUE)) {
            const DWORD error = ::GetLastError();
            return error == ERROR_OPERATION_ABORTED ? ERROR_TIMEOUT : error;
        }
        return written == size ? ERROR_SUCCESS : ERROR_WRITE_FAULT;
    }

    std::wstring name_;
    UniqueHandle pipe_;
    UniqueHandle event_;
    std::deque<std::string> recent_;
};

}  // namespace

// Named pipes vanish with the process that created them, so there is never
// a stale queue to replace. A second live receiver on the same path would
// share the name and the senders with the first; the agent's single
// service never does that.
std::unique_ptr<QueueReceiver> bind_queue(const std::filesystem::path& path,
                                          std::error_code& ec) {
    UniqueHandle close_event(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
    if (!close_event) {
        ec = last_error();
        return nullptr;
    }
    auto receiver = std::make_unique<PipeQueueReceiver>(pipe_name(path), std::move(close_event));
    ec = receiver->start();
    if (ec) {
        return nullptr;
    }
    return receiver;
}

std::unique_ptr<QueueSender> connect_queue(const std::filesystem::path& path,
                                           std::error_code& ec) {
    auto sender = std::make_unique<PipeQueueSender>(pipe_name(path));
    ec = sender->connect();
    if (ec) {
        return nullptr;
    }
    return sender;
}

}  // namespace pal
