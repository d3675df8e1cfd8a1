// The EventSink of the program: events go to agentd through the local
// queue (queue/ossec/queue). agentd may start after the collector, or
// restart; meanwhile up to `capacity` events wait in memory and the
// connection is retried, at most once per retry interval. When that buffer
// is full, offer() refuses, and the collector waits with its files where
// they are, so nothing is lost while agentd is away.
//
// One line goes to the log when the queue becomes unavailable and one when
// it is back, never one per event. Not thread safe.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include "core/logger.hpp"
#include "logcollector/clock.hpp"
#include "logcollector/event_sink.hpp"
#include "pal/local_queue.hpp"

namespace logcollector {

class QueueSink final : public EventSink {
public:
    using Connector =
        std::function<std::unique_ptr<pal::QueueSender>(std::error_code& ec)>;

    // connect opens the queue (pal::connect_queue in the program); it is
    // called again after a failure. name is the queue's path, for messages.
    QueueSink(Connector connect, std::string name, std::size_t capacity,
              std::chrono::milliseconds retry_interval, const Clock& clock,
              core::Logger& logger);

    bool offer(char queue, std::string_view location, std::string_view text) override;
    bool drained() const override { return waiting_.empty(); }

    // Sends waiting events, if the queue can be reached. Call it regularly:
    // events only offered while agentd is away are sent from here.
    void flush();

    std::size_t waiting() const { return waiting_.size(); }

private:
    bool send(const std::string& message);
    void went_down(std::error_code ec);

    Connector connect_;
    std::string name_;
    std::size_t capacity_;
    std::chrono::milliseconds retry_interval_;
    const Clock& clock_;
    core::Logger& logger_;

    std::unique_ptr<pal::QueueSender> sender_;
    std::deque<std::string> waiting_;
    bool down_ = false;
    bool ever_connected_ = false;
    TimePoint next_attempt_{};
};

}  // namespace logcollector
