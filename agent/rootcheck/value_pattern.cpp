#include "rootcheck/value_pattern.hpp"

#include <algorithm>

namespace rootcheck {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(),
                      [](char x, char y) { return lower(x) == lower(y); });
}

bool prefix_is(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && equal_ignoring_case(text.substr(0, 2), prefix);
}

}  // namespace

ValuePattern ValuePattern::compile(std::string_view text) {
    ValuePattern pattern;
    pattern.text_ = std::string(text);
    std::size_t start = 0;
    while (true) {
        const std::size_t separator = text.find(" && ", start);
        std::string_view piece = text.substr(start, separator == std::string_view::npos
                                                        ? std::string_view::npos
                                                        : separator - start);
        Part part;
        if (!piece.empty() && piece.front() == '!') {
            part.negated = true;
            piece.remove_prefix(1);
        }
        if (prefix_is(piece, "=:")) {
            piece.remove_prefix(2);
        } else if (prefix_is(piece, "r:")) {
            part.kind = Kind::kRegex;
            piece.remove_prefix(2);
            part.regex = OsRegex::compile(piece);
        } else if (prefix_is(piece, "<:")) {
            part.kind = Kind::kBefore;
            piece.remove_prefix(2);
        } else if (prefix_is(piece, ">:")) {
            part.kind = Kind::kAfter;
            piece.remove_prefix(2);
        }
        part.operand = std::string(piece);
        pattern.parts_.push_back(std::move(part));
        if (separator == std::string_view::npos) {
            break;
        }
        start = separator + 4;
    }
    return pattern;
}

bool ValuePattern::matches(std::string_view value) const {
    for (const Part& part : parts_) {
        bool hit = false;
        switch (part.kind) {
        case Kind::kEqual: hit = equal_ignoring_case(part.operand, value); break;
        case Kind::kRegex: hit = part.regex && part.regex->matches(value); break;
        case Kind::kBefore: hit = part.operand.compare(value) < 0; break;
        case Kind::kAfter: hit = part.operand.compare(value) > 0; break;
        }
        if (hit == part.negated) {
            return false;
        }
    }
    return true;
}

bool ValuePattern::all_negated() const {
    return std::all_of(parts_.begin(), parts_.end(), [](const Part& p) { return p.negated; });
}

}  // namespace rootcheck
