// The value patterns of rootcheck policies (the text after "->"), matched
// against one line of a file, a process name or a registry value:
//   r:<regex>   OSSEC regex (os_regex.hpp)
//   =:<text>    the whole text, ignoring ASCII case (also the default)
//   <:<text>    true when <text> sorts before the value (strcmp < 0)
//   >:<text>    true when <text> sorts after the value (strcmp > 0)
//   !           before any of them: the opposite
// Several patterns joined by " && " must all hold. The order of <: and >:
// reads backwards, but it is what OSSEC does and policies are written
// for it. Immutable once compiled; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rootcheck/os_regex.hpp"

namespace rootcheck {

class ValuePattern {
public:
    static ValuePattern compile(std::string_view text);

    bool matches(std::string_view value) const;
    // Every part negated: a file "matches" when no line holds the thing.
    bool all_negated() const;
    const std::string& text() const { return text_; }

private:
    enum class Kind { kEqual, kRegex, kBefore, kAfter };
    struct Part {
        Kind kind = Kind::kEqual;
        bool negated = false;
        std::string operand;
        std::optional<OsRegex> regex;  // kRegex; nullopt when invalid
    };

    std::string text_;
    std::vector<Part> parts_;
};

}  // namespace rootcheck
