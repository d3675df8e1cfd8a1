// ossec.conf parsing.
#include <cstddef>
#include <cstdint>

#include "core/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto loaded = core::parse_config(input, "fuzz.conf");
    if (loaded.ok()) {
        for (const auto& server : loaded.value().config.client.servers) {
            if (server.host.empty() || server.port == 0) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
