// OSSEC's simple regex ("sregex", OS_Match), as <ignore type="sregex">,
// <nodiff type="sregex"> and restrict="..." use it. OSSEC documents three
// special characters and nothing else:
//   ^  at the start of a sub-pattern: the text starts with it
//   $  at the end of a sub-pattern: the text ends with it
//   |  separates sub-patterns; the text matches when any one matches
// Without ^ or $ a sub-pattern matches anywhere in the text. Everything
// else is literal, '!' included (OSSEC's sregex has no negation; that is
// rootcheck's rcl syntax, not this one). Matching ignores ASCII case, as
// OSSEC compiles these patterns without OS_CASE_SENSITIVE.
//
// Edge cases follow OSSEC's OSMatch_Compile/OSMatch_Execute exactly: an
// empty sub-pattern ("a|", "") matches everything; "^$" matches only the
// empty text; a pattern holding byte 0xE3 (OSSEC's marker for multibyte
// text) makes its plain sub-patterns exact-case substring searches.
// Immutable once compiled; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core {

class SimpleRegex {
public:
    // OSSEC's OS_PATTERN_MAXSIZE: longer patterns do not compile.
    static constexpr std::size_t kMaxPatternSize = 2048;

    // nullopt when the pattern is longer than kMaxPatternSize.
    static std::optional<SimpleRegex> compile(std::string_view pattern);

    bool matches(std::string_view text) const;
    const std::string& pattern() const { return pattern_; }

private:
    enum class Kind { kAnything, kWhole, kSuffix, kPrefix, kExactSubstring, kSubstring };
    struct Part {
        Kind kind = Kind::kSubstring;
        std::string text;  // lower case, except for kExactSubstring's source
    };

    static bool part_matches(const Part& part, std::string_view text);

    std::string pattern_;
    std::vector<Part> parts_;
};

}  // namespace core
