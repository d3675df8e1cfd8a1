// The first layer anything from the network meets: prefix split, block
// check, Blowfish, padding, inflate, checksum and counter fields.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/client_keys.hpp"
#include "core/secure_message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const core::SecureCodec codec(core::derive_session_key(
        {"001", "test-agent", "any",
         "d463111442d76de0c15defc0177c6fd547cb6f7251a36253cebb3e558cd324e5"}));
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    std::string id;
    std::string_view rest;
    core::split_agent_prefix(input, id, rest);
    const auto opened = codec.open(rest);
    if (opened.ok() && opened.value().payload.size() > core::kMaxInflated) {
        __builtin_trap();  // the inflate bound was not enforced
    }
    return 0;
}
