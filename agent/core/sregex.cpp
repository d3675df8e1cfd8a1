#include "core/sregex.hpp"

#include <algorithm>

namespace core {
namespace {

constexpr char kExactCaseMarker = static_cast<char>(0xE3);

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(),
                      [](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

std::optional<SimpleRegex> SimpleRegex::compile(std::string_view pattern) {
    if (pattern.size() > kMaxPatternSize) {
        return std::nullopt;
    }
    SimpleRegex regex;
    regex.pattern_ = std::string(pattern);
    const bool exact_case = pattern.find(kExactCaseMarker) != std::string_view::npos;
    // OSSEC lowers the whole pattern first, so even an exact-case search
    // looks for the lowered text.
    const std::string source = lowered(pattern);

    std::size_t start = 0;
    while (true) {
        const std::size_t bar = source.find('|', start);
        std::string_view piece = std::string_view(source).substr(
            start, bar == std::string::npos ? std::string::npos : bar - start);
        Part part;
        const bool begins = !piece.empty() && piece.front() == '^';
        const bool ends = !piece.empty() && piece.back() == '$';
        if (begins && ends) {
            part.kind = Kind::kWhole;
            part.text = std::string(piece.substr(1, piece.size() - 2));
        } else if (piece.empty()) {
            part.kind = Kind::kAnything;
        } else if (ends) {
            part.kind = Kind::kSuffix;
            part.text = std::string(piece.substr(0, piece.size() - 1));
        } else if (begins) {
            part.kind = Kind::kPrefix;
            part.text = std::string(piece.substr(1));
        } else {
            part.kind = exact_case ? Kind::kExactSubstring : Kind::kSubstring;
            part.text = std::string(piece);
        }
        regex.parts_.push_back(std::move(part));
        if (bar == std::string::npos) {
            break;
        }
        start = bar + 1;
    }
    return regex;
}

bool SimpleRegex::matches(std::string_view text) const {
    // OSSEC works on C strings: a NUL ends the text.
    text = text.substr(0, text.find('\0'));
    return std::any_of(parts_.begin(), parts_.end(),
                       [text](const Part& part) { return part_matches(part, text); });
}

bool SimpleRegex::part_matches(const Part& part, std::string_view text) {
    switch (part.kind) {
    case Kind::kAnything:
        return true;
    case Kind::kWhole:
        return equal_ignoring_case(part.text, text);
    case Kind::kSuffix:
        return text.size() >= part.text.size() &&
               equal_ignoring_case(part.text, text.substr(text.size() - part.text.size()));
    case Kind::kPrefix:
        return text.size() >= part.text.size() &&
               equal_ignoring_case(part.text, text.substr(0, part.text.size()));
    case Kind::kExactSubstring:
        return text.find(part.text) != std::string_view::npos;
    case Kind::kSubstring:
        break;
    }
    return std::search(text.begin(), text.end(), part.text.begin(), part.text.end(),
                       [](char x, char y) { return lower(x) == y; }) != text.end();
}

}  // namespace core
