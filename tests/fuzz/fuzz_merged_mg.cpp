// merged.mg unpacking: every entry must have a safe name and fit.
#include <cstddef>
#include <cstdint>

#include "agentd/shared_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto entries = agentd::unmerge(input);
    if (entries.ok()) {
        std::size_t total = 0;
        for (const auto& entry : entries.value()) {
            if (!agentd::is_safe_file_name(entry.name)) {
                __builtin_trap();
            }
            total += entry.content.size();
        }
        if (total > size) {
            __builtin_trap();
        }
    }
    return 0;
}
