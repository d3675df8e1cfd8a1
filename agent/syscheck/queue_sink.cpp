#include "syscheck/queue_sink.hpp"

namespace syscheck {

QueueSink::QueueSink(Connector connect, std::string name, EventPacer& pacer,
                     const Clock& clock, Waiter wait,
                     std::chrono::milliseconds retry_interval, core::Logger& logger)
    : connect_(std::move(connect)),
      name_(std::move(name)),
      pacer_(pacer),
      clock_(clock),
      wait_(std::move(wait)),
      retry_interval_(retry_interval),
      logger_(logger) {}

bool QueueSink::send(char queue, std::string_view location, std::string_view text) {
    const std::string message = core::format_queue_message(queue, location, text);
    const auto delay = pacer_.reserve(clock_.now());
    if (delay.count() > 0 && !wait_(delay)) {
        return false;
    }
    while (!try_send(message)) {
        if (!wait_(retry_interval_)) {
            return false;
        }
    }
    ++sent_;
    return true;
}

bool QueueSink::try_send(const std::string& message) {
    if (!sender_) {
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
        logger_.info(std::string(ever_connected_ ? "connected again to the local queue '"
                                                 : "connected to the local queue '") +
                     name_ + "'");
    }
    down_ = false;
    ever_connected_ = true;
    return true;
}

void QueueSink::went_down(std::error_code ec) {
    if (down_) {
        return;
    }
    down_ = true;
    logger_.warning("cannot send to the local queue '" + name_ + "': " + ec.message() +
                    " (is ossec-agentd running?); the scan waits and retries every " +
                    std::to_string(retry_interval_.count()) + " ms");
}

}  // namespace syscheck
