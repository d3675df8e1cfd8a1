#include "logcollector/queue_sink.hpp"

namespace logcollector {

QueueSink::QueueSink(Connector connect, std::string name, std::size_t capacity,
                     std::chrono::milliseconds retry_interval, const Clock& clock,
                     core::Logger& logger)
    : connect_(std::move(connect)),
      name_(std::move(name)),
      capacity_(capacity),
      retry_interval_(retry_interval),
      clock_(clock),
      logger_(logger) {}

bool QueueSink::offer(char queue, std::string_view location, std::string_view text) {
    std::string message = core::format_queue_message(queue, location, text);
    if (!waiting_.empty()) {
        flush();
    }
    if (waiting_.empty() && send(message)) {
        return true;
    }
    if (waiting_.size() >= capacity_) {
        return false;
    }
    waiting_.push_back(std::move(message));
    return true;
}

void QueueSink::flush() {
    while (!waiting_.empty() && send(waiting_.front())) {
        waiting_.pop_front();
    }
}

bool QueueSink::send(const std::string& message) {
    if (!sender_) {
        if (clock_.now() < next_attempt_) {
            return false;
        }
        std::error_code ec;
        sender_ = connect_(ec);
        if (!sender_) {
            went_down(ec);
            return false;
        }
    }
    if (const std::error_code ec = sender_->send(message)) {
        sender_.reset();
        went_down(ec);
        return false;
    }
    if (down_ || !ever_connected_) {
        logger_.info((ever_connected_ ? "connected to the local queue '" + name_ + "' again"
                                      : "connected to the local queue '" + name_ + "'") +
                     "; " + std::to_string(waiting_.size()) + " events waiting");
    }
    down_ = false;
    ever_connected_ = true;
    return true;
}

void QueueSink::went_down(std::error_code ec) {
    next_attempt_ = clock_.now() + retry_interval_;
    if (down_) {
        return;
    }
    down_ = true;
    logger_.warning("cannot send to the local queue '" + name_ + "': " + ec.message() +
                    " (is ossec-agentd running?); keeping up to " +
                    std::to_string(capacity_) +
                    " events in memory, then pausing the log files, and retrying");
}

}  // namespace logcollector
