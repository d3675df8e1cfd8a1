// Where the collector's events go: toward agentd through the local queue in
// the program, a recording fake in tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/queue_message.hpp"

namespace logcollector {

class EventSink {
public:
    virtual ~EventSink() = default;

    // Takes one event "<queue>:<location>:<text>". Returns false, keeping
    // nothing, when it cannot take more now; the caller holds the event and
    // offers it again later (back-pressure, so the log file is the buffer).
    virtual bool offer(char queue, std::string_view location, std::string_view text) = 0;

    // True when every accepted event has been handed on and none is held
    // only in memory; read positions covering them may then be saved.
    virtual bool drained() const = 0;
};

// Keeps every event as its formatted queue message. Refuses events once
// capacity is reached (set it to test back-pressure). Not thread safe.
class RecordingSink final : public EventSink {
public:
    bool offer(char queue, std::string_view location, std::string_view text) override {
        if (messages.size() >= capacity) {
            return false;
        }
        messages.push_back(core::format_queue_message(queue, location, text));
        return true;
    }
    bool drained() const override { return drained_flag; }

    std::vector<std::string> messages;
    std::size_t capacity = static_cast<std::size_t>(-1);
    bool drained_flag = true;
};

}  // namespace logcollector
