// Active-response input: the commands execd receives (OSSEC words and
// Wazuh JSON), its JSON reader, and ar.conf. Invariants: an accepted
// OSSEC command has only checked words; JSON written back parses to the
// same text.
#include <cstddef>
#include <cstdint>

#include "execd/ar_message.hpp"
#include "execd/ar_table.hpp"
#include "execd/json.hpp"
#include "execd/validation.hpp"

namespace {

void check_message(std::string_view input) {
    const auto parsed = execd::parse_ar_message(input);
    if (!parsed.ok() || parsed.value().protocol != execd::ArProtocol::kOssec) {
        return;
    }
    const auto& message = parsed.value();
    if (!execd::is_plain_name(message.name) || message.args.size() < 2 ||
        message.args.size() > execd::kMaxArguments || !execd::is_valid_user(message.args[0]) ||
        !execd::is_valid_srcip(message.args[1])) {
        __builtin_trap();
    }
    for (std::size_t i = 2; i < message.args.size(); ++i) {
        if (!execd::is_safe_word(message.args[i])) {
            __builtin_trap();
        }
    }
}

void check_json(std::string_view input) {
    const auto json = execd::parse_json(input);
    if (!json) {
        return;
    }
    const std::string text = execd::to_json(*json);
    const auto again = execd::parse_json(text, execd::JsonLimits{text.size() + 1, 64});
    if (!again || execd::to_json(*again) != text) {
        __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check_message(input);
    check_json(input);
    for (const auto& entry : execd::parse_ar_conf(input).entries) {
        if (!execd::is_plain_name(entry.executable)) {
            __builtin_trap();
        }
    }
    return 0;
}
