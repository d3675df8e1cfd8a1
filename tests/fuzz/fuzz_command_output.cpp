// Command output framing (command and full_command) and location glob
// matching: no crash, and every event starts with OSSEC's header.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "logcollector/command_output.hpp"
#include "logcollector/location_pattern.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    for (const auto& event : logcollector::command_events("c", input)) {
        if (event.rfind("ossec: output: 'c': ", 0) != 0 || event.find('\n') != event.npos) {
            __builtin_trap();
        }
    }
    if (logcollector::full_command_event("c", input).rfind("ossec: output: 'c':", 0) != 0) {
        __builtin_trap();
    }
    const std::size_t half = size / 2;
    logcollector::glob_match(input.substr(0, half), input.substr(half));
    return 0;
}
