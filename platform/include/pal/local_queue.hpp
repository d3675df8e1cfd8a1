// The local queue between the agent's programs: modules send
// "<Q>:<location>:<message>" datagrams to agentd, agentd sends active
// responses to execd. A Unix datagram socket on POSIX (the path OSSEC uses,
// queue/ossec/queue), a message-mode named pipe on Windows.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace pal {

// Largest datagram carried, as in OSSEC (OS_MAXSTR).
inline constexpr std::size_t kMaxQueueMessage = 6144;

// The receiving end, owned by the program that binds the queue. receive()
// may be called from one thread while close() is called from another.
class QueueReceiver {
public:
    virtual ~QueueReceiver() = default;

    // Waits up to timeout for one message. Returns nullopt on timeout or
    // after close(); ec is set on a real error.
    virtual std::optional<std::string> receive(std::chrono::milliseconds timeout,
                                               std::error_code& ec) = 0;
    // Wakes a blocked receive() and makes every later call return at once.
    virtual void close() = 0;
};

// Binds the queue at path, replacing a stale one left by a crashed process.
std::unique_ptr<QueueReceiver> bind_queue(const std::filesystem::path& path,
                                          std::error_code& ec);

// How many recent messages a sender keeps to send again after the
// receiver restarts (see QueueSender::send).
inline constexpr std::size_t kQueueResendWindow = 64;

// The sending end. Not thread safe; one sender per thread.
class QueueSender {
public:
    virtual ~QueueSender() = default;
    // Sends one message. Fails with an error when no receiver is bound or
    // its buffer stays full past the send timeout; the caller keeps the
    // message and tries again later.
    //
    // A receiver that dies takes the messages still queued to it along
    // (the OS frees them with its socket or pipe). So when a send finds
    // the receiver gone and reaches a new one, the last kQueueResendWindow
    // messages are sent again first: after a crash of agentd, events can
    // arrive twice, not be lost.
    virtual std::error_code send(std::string_view message) = 0;
};

std::unique_ptr<QueueSender> connect_queue(const std::filesystem::path& path,
                                           std::error_code& ec);

}  // namespace pal
