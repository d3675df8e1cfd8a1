#include "syscheck/path_escape.hpp"

namespace syscheck {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

bool is_escape_at(std::string_view text, std::size_t i) {
    return i + 3 < text.size() && text[i] == '\\' && text[i + 1] == 'x' &&
           hex_value(text[i + 2]) >= 0 && hex_value(text[i + 3]) >= 0;
}

// Length of the valid UTF-8 sequence starting at i, or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char first = byte(i);
    std::size_t length = 0;
    unsigned min = 0;
    unsigned value = 0;
    if (first >= 0xC2 && first <= 0xDF) {
        length = 2, min = 0x80, value = first & 0x1Fu;
    } else if (first >= 0xE0 && first <= 0xEF) {
        length = 3, min = 0x800, value = first & 0x0Fu;
    } else if (first >= 0xF0 && first <= 0xF4) {
        length = 4, min = 0x10000, value = first & 0x07u;
    } else {
        return 0;
    }
    if (i + length > text.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0u) != 0x80u) {
            return 0;
        }
        value = (value << 6) | (byte(i + k) & 0x3Fu);
    }
    const bool surrogate = value >= 0xD800 && value <= 0xDFFF;
    return (value < min || value > 0x10FFFF || surrogate) ? 0 : length;
}

void append_escape(unsigned char byte, std::string& out) {
    out += "\\x";
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 15u]);
}

}  // namespace

std::string escape_path(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    std::size_t i = 0;
    while (i < raw.size()) {
        const auto byte = static_cast<unsigned char>(raw[i]);
        if (byte < 0x20 || byte == 0x7F || (byte == '\\' && is_escape_at(raw, i))) {
            append_escape(byte, out);
            ++i;
        } else if (byte < 0x80) {
            out.push_back(raw[i++]);
        } else if (const std::size_t length = utf8_length(raw, i); length > 0) {
            out.append(raw.substr(i, length));
            i += length;
        } else {
            append_escape(byte, out);
            ++i;
        }
    }
    return out;
}

std::string unescape_path(std::string_view escaped) {
    std::string out;
    out.reserve(escaped.size());
    for (std::size_t i = 0; i < escaped.size();) {
        if (is_escape_at(escaped, i)) {
            out.push_back(static_cast<char>(hex_value(escaped[i + 2]) * 16 +
                                            hex_value(escaped[i + 3])));
            i += 4;
        } else {
            out.push_back(escaped[i++]);
        }
    }
    return out;
}

std::string raw_text(const std::filesystem::path& path) {
    const std::u8string text = path.u8string();
    return std::string(text.begin(), text.end());
}

std::filesystem::path path_of(std::string_view raw) {
    return std::filesystem::path(std::u8string(raw.begin(), raw.end()));
}

bool is_separator(char c) { return c == '/' || c == '\\'; }

// "/etc/" and "/etc" name the same entry; "/" stays "/".
std::string without_trailing_separator(std::string path) {
    while (path.size() > 1 && is_separator(path.back())) {
        path.pop_back();
    }
    return path;
}

bool is_under(std::string_view path, std::string_view root) {
    if (path.size() < root.size() || path.compare(0, root.size(), root) != 0) {
        return false;
    }
    return path.size() == root.size() || is_separator(root.back()) ||
           is_separator(path[root.size()]);
}

}  // namespace syscheck
