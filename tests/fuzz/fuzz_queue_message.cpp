// Local queue messages and counter files.
#include <cstddef>
#include <cstdint>

#include "core/counter_store.hpp"
#include "core/queue_message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (const auto message = core::parse_queue_message(input)) {
        if (core::format_queue_message(message->queue, message->location, message->text) !=
            input) {
            __builtin_trap();
        }
    }
    core::Counters counters;
    if (core::parse_counter_text(input, counters)) {
        core::Counters again;
        if (!core::parse_counter_text(core::format_counter_text(counters), again) ||
            !(again == counters)) {
            __builtin_trap();
        }
    }
    return 0;
}
