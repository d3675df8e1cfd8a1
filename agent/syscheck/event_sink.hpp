// Where syscheck's messages go: toward agentd through the local queue in
// the program (QueueSink), a recording fake in tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/queue_message.hpp"

namespace syscheck {

inline constexpr std::string_view kSyscheckLocation = "syscheck";
inline constexpr std::string_view kRootcheckLocation = "rootcheck";

class EventSink {
public:
    virtual ~EventSink() = default;

    // Delivers one "<queue>:<location>:<text>" message, waiting (paced,
    // retrying) as long as it takes. Returns false only when it gave up
    // because the program is stopping; the message was then not sent.
    virtual bool send(char queue, std::string_view location, std::string_view text) = 0;
};

// Keeps every message, formatted. With fail_after set, refuses every
// message after that many (a stop arriving mid-scan). Not thread safe.
class RecordingSink final : public EventSink {
public:
    bool send(char queue, std::string_view location, std::string_view text) override {
        if (messages.size() >= fail_after) {
            return false;
        }
        messages.push_back(core::format_queue_message(queue, location, text));
        return true;
    }

    std::vector<std::string> messages;
    std::size_t fail_after = static_cast<std::size_t>(-1);
};

}  // namespace syscheck
