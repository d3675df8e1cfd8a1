// The <syscheck> sections of ossec.conf.
#include <cstddef>
#include <cstdint>

#include "core/syscheck_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto loaded = core::parse_syscheck_config(input, "fuzz.conf");
    if (loaded.ok()) {
        for (const auto& directory : loaded.value().config.directories) {
            if (directory.path.empty()) {
                __builtin_trap();
            }
            loaded.value().config.ignored(directory.path);
        }
    }
    return 0;
}
