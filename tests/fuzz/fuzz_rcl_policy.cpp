// Rootcheck policy files (rcl): parse, then run every value pattern (and
// so the OSSEC regex engine) against a few lines of the input itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rootcheck/databases.hpp"
#include "rootcheck/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto policy = rootcheck::parse_policy(text);
    const auto lines = rootcheck::split_lines(text, 1023);
    for (const auto& entry : policy.entries) {
        if (entry.title.find(']') != std::string::npos || entry.reference.size() > 255) {
            __builtin_trap();
        }
        for (const auto& check : entry.checks) {
            if (!check.pattern) {
                continue;
            }
            for (std::size_t i = 0; i < lines.size() && i < 4; ++i) {
                check.pattern->matches(lines[i]);
            }
            check.pattern->all_negated();
        }
    }
    return 0;
}
