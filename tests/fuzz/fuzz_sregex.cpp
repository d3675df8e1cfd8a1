// OSSEC simple regex: the first line is the pattern, the rest the text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/sregex.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const auto pattern = input.substr(0, newline);
    const auto text = newline == std::string_view::npos ? std::string_view()
                                                        : input.substr(newline + 1);
    const auto regex = core::SimpleRegex::compile(pattern);
    if (regex) {
        // A plain pattern equal to the whole text must match it (except with
        // OSSEC's multibyte marker 0xE3, which makes the search exact-case
        // against the lowered pattern).
        if (pattern.find_first_of("|^$\xE3") == std::string_view::npos && pattern == text &&
            text.find('\0') == std::string_view::npos && !regex->matches(text)) {
            __builtin_trap();
        }
        regex->matches(text);
    }
    return 0;
}
