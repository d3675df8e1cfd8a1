// The events OSSEC 3.x makes of a command's output, on queue '1' with the
// alias (or the command) as location:
//
// - command: one event per line, "ossec: output: '<name>': <line>";
//   empty lines are skipped, a line longer than OSSEC's fgets() buffer
//   (5632 bytes) goes out in pieces, as fgets() cuts it;
// - full_command: one event for the first 5632 bytes of output,
//   "ossec: output: '<name>':\n<output>", cut after its last newline,
//   with every CR removed and each pair of newlines made one.
//
// Text is escaped as file lines are (line_escape.hpp), newlines of
// full_command kept. Plain functions; thread safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace logcollector {

// OS_MAXSTR - OS_LOG_HEADER - 256: what OSSEC reads of output at a time.
inline constexpr std::size_t kCommandReadSize = 6144 - 256 - 256;

std::vector<std::string> command_events(std::string_view name, std::string_view output);
std::string full_command_event(std::string_view name, std::string_view output);

}  // namespace logcollector
