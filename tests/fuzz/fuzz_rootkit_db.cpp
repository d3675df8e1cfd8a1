// rootkit_files and rootkit_trojans databases: the same bytes through both
// parsers; every entry read must hold what the format allows.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rootcheck/databases.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto& entry : rootcheck::parse_rootkit_files(text)) {
        if (entry.file.empty() || entry.file.size() > 1023 ||
            entry.name.find(' ') != std::string::npos) {
            __builtin_trap();
        }
    }
    for (const auto& entry : rootcheck::parse_rootkit_trojans(text)) {
        if (entry.file.empty() || entry.signature.empty() ||
            entry.file.find('!') != std::string::npos) {
            __builtin_trap();
        }
    }
    return 0;
}
