#include "core/queue_message.hpp"

namespace core {

std::string format_queue_message(char queue, std::string_view location,
                                 std::string_view text) {
    std::string out;
    out.reserve(3 + location.size() + text.size());
    out.push_back(queue);
    out.push_back(':');
    out.append(location).push_back(':');
    out.append(text);
    return out;
}

std::optional<QueueMessage> parse_queue_message(std::string_view data) {
    if (data.size() < 3 || data[1] != ':') {
        return std::nullopt;
    }
    const auto colon = data.find(':', 2);
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    return QueueMessage{data[0], std::string(data.substr(2, colon - 2)),
                        std::string(data.substr(colon + 1))};
}

}  // namespace core
