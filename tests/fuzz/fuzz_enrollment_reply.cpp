// authd's reply to agent-auth, read as it arrives in pieces, and the key
// line check it relies on (also used by manage_agents -i).
#include <cstddef>
#include <cstdint>

#include "enroll/enrollment_protocol.hpp"
#include "enroll/key_import.hpp"
#include "enroll/key_line.hpp"

namespace {

void check(const enroll::EnrollmentReply& reply, bool closed) {
    if (closed && reply.status == enroll::ReplyStatus::kIncomplete) {
        __builtin_trap();
    }
    if (reply.status == enroll::ReplyStatus::kKey &&
        !enroll::parse_key_line(core::format_key_line(reply.key)).ok()) {
        __builtin_trap();
    }
    if (reply.errors.size() > enroll::kMaxErrorLines) {
        __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check(enroll::parse_enrollment_reply(input, true), true);
    // Every prefix, as if the reply arrived byte by byte (bounded for speed).
    for (std::size_t cut = 0; cut < input.size() && cut < 256; ++cut) {
        check(enroll::parse_enrollment_reply(input.substr(0, cut), false), false);
    }
    enroll::parse_import_key(input);
    enroll::printable_text(input, 64);
    return 0;
}
