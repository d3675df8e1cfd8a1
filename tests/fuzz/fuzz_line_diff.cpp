// report_changes' in-process diff: the input is two file contents split at
// the first 0xFF byte (before, after). Checks what must always hold: equal
// contents have no diff, a diff of text starts with a hunk header, and the
// excerpt never passes OSSEC's 4094 bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "syscheck/line_diff.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto split = input.find('\xFF');
    const auto before = input.substr(0, split);
    const auto after = split == std::string_view::npos ? std::string_view()
                                                       : input.substr(split + 1);
    const std::string diff = syscheck::normal_diff(before, after);
    if ((before == after) != diff.empty()) {
        __builtin_trap();
    }
    if (!diff.empty() && diff != "Binary files differ\n" &&
        (diff[0] < '0' || diff[0] > '9')) {
        __builtin_trap();
    }
    if (syscheck::ossec_diff_excerpt(diff).size() > 4094) {
        __builtin_trap();
    }
    if (!diff.empty() && diff != "Binary files differ\n" &&
        syscheck::normal_diff(after, before).empty()) {
        __builtin_trap();
    }
    return 0;
}
