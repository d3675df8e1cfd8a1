#include "logcollector/line_escape.hpp"

namespace logcollector {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    return (c | 0x20) - 'a' + 10;
}

bool is_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7F; }

bool looks_like_escape(std::string_view s, std::size_t i) {
    return i + 3 < s.size() && s[i] == '\\' && s[i + 1] == 'x' && is_hex(s[i + 2]) &&
           is_hex(s[i + 3]);
}

// Length of the well-formed UTF-8 sequence starting at s[i] (RFC 3629: no
// overlong forms, no surrogates, nothing past U+10FFFF); 0 when there is
// none.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (i + length > s.size()) {
        return 0;
    }
    const auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < low || second > high) {
        return 0;
    }
    for (std::size_t k = 2; k < length; ++k) {
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
            return 0;
        }
    }
    return length;
}

void append_escape(unsigned char byte, std::string& out) {
    const char escape[4] = {'\\', 'x', kHex[byte >> 4], kHex[byte & 0x0F]};
    out.append(escape, 4);
}

}  // namespace

bool needs_escape(std::string_view raw) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const auto c = static_cast<unsigned char>(raw[i]);
        if (c >= 0x80) {
            const std::size_t length = utf8_length(raw, i);
            if (length == 0) {
                return true;
            }
            i += length - 1;
        } else if (is_control(c) || (c == '\\' && looks_like_escape(raw, i))) {
            return true;
        }
    }
    return false;
}

void escape_line(std::string_view raw, std::string& out) {
    out.reserve(out.size() + raw.size() + 16);
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const auto c = static_cast<unsigned char>(raw[i]);
        if (c >= 0x80) {
            const std::size_t length = utf8_length(raw, i);
            if (length == 0) {
                append_escape(c, out);
            } else {
                out.append(raw.substr(i, length));
                i += length - 1;
            }
        } else if (is_control(c) || (c == '\\' && looks_like_escape(raw, i))) {
            append_escape(c, out);
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
}

std::string unescape_line(std::string_view escaped) {
    std::string raw;
    raw.reserve(escaped.size());
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        if (looks_like_escape(escaped, i)) {
            raw.push_back(static_cast<char>(hex_value(escaped[i + 2]) * 16 +
                                            hex_value(escaped[i + 3])));
            i += 3;
        } else {
            raw.push_back(escaped[i]);
        }
    }
    return raw;
}

std::size_t safe_cut(std::string_view escaped, std::size_t limit) {
    if (limit >= escaped.size()) {
        return escaped.size();
    }
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(escaped[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    // An escape is four bytes; one that starts in the last three would be
    // split.
    for (std::size_t back = 1; back <= 3 && back <= cut; ++back) {
        if (looks_like_escape(escaped, cut - back)) {
            return cut - back;
        }
    }
    return cut;
}

}  // namespace logcollector
