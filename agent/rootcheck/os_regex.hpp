// OSSEC's own regular expressions (OS_Regex), as rootcheck's "r:" patterns
// use them. OSSEC 3.8 translates them to PCRE2; this matches the same
// texts without PCRE2:
//   \w  A-Z a-z 0-9 @ _ -      \W  anything else
//   \d  0-9                    \D  anything else
//   \s  a space                \S  anything else
//   \p  ( ) * + , . : ; < = > ? [ ] ! " ' # % & $ | { } -
//   \.  any character
//   \t \$ \( \) \{ \} \[ \] \\ \| \<   the character itself (tab for \t)
//   ^ $  start and end of the text;  |  alternatives;  ( )  groups
//   + *  after an escape (two characters back is a backslash): one or more,
//        zero or more of what precedes; anywhere else a plain character
// Every other character is itself ('.', '[', '?' included); any other
// backslash sequence makes the pattern invalid, as in OSSEC (an invalid
// pattern matches nothing). Letters match without regard to ASCII case.
// Matching runs in time linear in the text (a Thompson NFA), so a hostile
// pattern cannot make it slow. Known difference: OSSEC's PCRE2 folds the
// case of non-ASCII letters too; this folds ASCII only.
// Immutable once compiled; safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rootcheck {

class OsRegex {
public:
    // OSSEC's OS_PATTERN_MAXSIZE.
    static constexpr std::size_t kMaxPatternSize = 2048;

    // nullopt when the pattern is invalid or too long.
    static std::optional<OsRegex> compile(std::string_view pattern);

    bool matches(std::string_view text) const;

    enum class Op : std::uint8_t { kByte, kClass, kAny, kSplit, kJump, kBegin, kEnd, kMatch };
    struct Instruction {
        Op op = Op::kMatch;
        std::uint8_t value = 0;  // the byte (lower case) or the class letter
        int next = 0;            // kSplit: first branch; kJump: target
        int alternative = 0;     // kSplit: second branch
    };

private:
    std::vector<Instruction> program_;
};

}  // namespace rootcheck
