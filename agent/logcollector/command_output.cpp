#include "logcollector/command_output.hpp"

#include "logcollector/line_escape.hpp"

namespace logcollector {
namespace {

std::string header(std::string_view name, std::string_view end) {
    return "ossec: output: '" + std::string(name) + "':" + std::string(end);
}

}  // namespace

std::vector<std::string> command_events(std::string_view name, std::string_view output) {
    std::vector<std::string> events;
    const std::string prefix = header(name, " ");
    while (!output.empty()) {
        // fgets(): up to a newline or the buffer's size less its NUL.
        std::size_t take = output.find('\n');
        take = take == std::string_view::npos ? output.size() : take + 1;
        take = std::min(take, kCommandReadSize - 1);
        std::string_view line = output.substr(0, take);
        output.remove_prefix(take);

        if (!line.empty() && line.back() == '\n') {
            line.remove_suffix(1);
        }
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty()) {
            continue;
        }
        std::string event = prefix;
        escape_line(line, event);
        events.push_back(std::move(event));
    }
    return events;
}

std::string full_command_event(std::string_view name, std::string_view output) {
    std::string raw = header(name, "\n");
    raw.append(output.substr(0, kCommandReadSize));
    raw.resize(raw.rfind('\n'));  // the header's newline at least

    std::string event;
    std::string line;
    for (std::size_t i = 0; i <= raw.size(); ++i) {
        if (i < raw.size() && raw[i] == '\r') {
            continue;
        }
        if (i == raw.size() || raw[i] == '\n') {
            escape_line(line, event);
            line.clear();
            const bool pair = i + 1 < raw.size() && raw[i + 1] == '\n';
            if (i < raw.size()) {
                event += '\n';
                i += pair ? 1 : 0;
            }
            continue;
        }
        line += raw[i];
    }
    return event;
}

}  // namespace logcollector
