// The EventSink of the program: messages go to agentd through the local
// queue (queue/ossec/queue), paced by an EventPacer. agentd may start after
// syscheckd, or restart: the connection is then retried every
// retry_interval, and the scan waits (it is the back-pressure), so nothing
// is lost and nothing piles up in memory.
//
// Waiting goes through `wait`, which the program makes stop-aware: it
// returns false when the program is stopping, and send() gives up.
// One line goes to the log when the queue becomes unavailable and one when
// it is back. Not thread safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include "core/logger.hpp"
#include "pal/local_queue.hpp"
#include "syscheck/clock.hpp"
#include "syscheck/event_pacer.hpp"
#include "syscheck/event_sink.hpp"

namespace syscheck {

class QueueSink final : public EventSink {
public:
    using Connector =
        std::function<std::unique_ptr<pal::QueueSender>(std::error_code& ec)>;
    // Waits up to the given time; false when the wait was cut by a stop.
    using Waiter = std::function<bool(std::chrono::nanoseconds)>;

    QueueSink(Connector connect, std::string name, EventPacer& pacer, const Clock& clock,
              Waiter wait, std::chrono::milliseconds retry_interval, core::Logger& logger);

    bool send(char queue, std::string_view location, std::string_view text) override;

    std::uint64_t sent() const { return sent_; }

private:
    bool try_send(const std::string& message);
    void went_down(std::error_code ec);

    Connector connect_;
    std::string name_;
    EventPacer& pacer_;
    const Clock& clock_;
    Waiter wait_;
    std::chrono::milliseconds retry_interval_;
    core::Logger& logger_;

    std::unique_ptr<pal::QueueSender> sender_;
    bool down_ = false;
    bool ever_connected_ = false;
    std::uint64_t sent_ = 0;
};

}  // namespace syscheck
