// Events between the agent's programs: "<Q>:<location>:<message>", where Q
// is one character naming the manager-side queue (1 log files, 8 syscheck,
// 9 rootcheck, ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace core {

inline constexpr char kLocalFileQueue = '1';
inline constexpr char kSyscheckQueue = '8';
inline constexpr char kRootcheckQueue = '9';

struct QueueMessage {
    char queue = kLocalFileQueue;
    std::string location;
    std::string text;
};

std::string format_queue_message(char queue, std::string_view location,
                                 std::string_view text);

// Splits a message at the first ':' after the queue character. Fails when
// there is no queue character or no location separator.
std::optional<QueueMessage> parse_queue_message(std::string_view data);

}  // namespace core
