// The enrollment password file (etc/authd.pass, agent-auth -P FILE).
#include <cstddef>
#include <cstdint>

#include "enroll/enrollment_protocol.hpp"
#include "enroll/password_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const core::Result<std::string> password = enroll::decode_password_file(input);
    if (!password.ok()) {
        return 0;
    }
    // A password the decoder accepts always makes a well-formed request
    // (unless it is too long).
    const auto request = enroll::build_enrollment_request("agent", password.value());
    if (!request.ok() && password.value().size() < 1000) {
        __builtin_trap();
    }
    return 0;
}
