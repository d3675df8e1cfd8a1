// client.keys parsing and key derivation.
#include <cstddef>
#include <cstdint>

#include "core/client_keys.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    for (const auto& key : core::parse_client_keys(input).entries) {
        if (key.id.empty() || key.name.size() < 2 || key.key.empty()) {
            __builtin_trap();
        }
        if (core::derive_session_key(key).size() != 47) {
            __builtin_trap();
        }
        core::is_single_host(key.ip);
    }
    return 0;
}
