#include "enroll/password_file.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace enroll {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

void append_utf8(std::uint32_t code_point, std::string& out) {
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xC0 | code_point >> 6);
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
        out += static_cast<char>(0xE0 | code_point >> 12);
        out += static_cast<char>(0x80 | (code_point >> 6 & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | code_point >> 18);
        out += static_cast<char>(0x80 | (code_point >> 12 & 0x3F));
        out += static_cast<char>(0x80 | (code_point >> 6 & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
}

// UTF-16 code units (after the byte order mark) to UTF-8; nullopt on an
// odd byte count or an unpaired surrogate.
std::optional<std::string> utf16_to_utf8(std::string_view bytes, bool big_endian) {
    if (bytes.size() % 2 != 0) {
        return std::nullopt;
    }
    auto unit = [&](std::size_t i) {
        const auto a = static_cast<unsigned char>(bytes[i]);
        const auto b = static_cast<unsigned char>(bytes[i + 1]);
        return static_cast<std::uint32_t>(big_endian ? a << 8 | b : b << 8 | a);
    };

    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 2) {
        std::uint32_t code_point = unit(i);
        if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
            return std::nullopt;
        }
        if (code_point >= 0xD800 && code_point <= 0xDBFF) {
            i += 2;
            if (i >= bytes.size() || unit(i) < 0xDC00 || unit(i) > 0xDFFF) {
                return std::nullopt;
            }
            code_point = 0x10000 + ((code_point - 0xD800) << 10) + (unit(i) - 0xDC00);
        }
        append_utf8(code_point, out);
    }
    return out;
}

std::optional<std::string> to_utf8(std::string_view bytes) {
    if (bytes.starts_with(kUtf8Bom)) {
        return std::string(bytes.substr(kUtf8Bom.size()));
    }
    if (bytes.starts_with(kUtf16LeBom)) {
        return utf16_to_utf8(bytes.substr(2), false);
    }
    if (bytes.starts_with(kUtf16BeBom)) {
        return utf16_to_utf8(bytes.substr(2), true);
    }
    return std::string(bytes);
}

}  // namespace

core::Result<std::string> decode_password_file(std::string_view bytes) {
    std::optional<std::string> text = to_utf8(bytes);
    if (!text) {
        return core::Error{
            "the password file is UTF-16 with an odd size or a broken "
            "surrogate pair"};
    }

    const auto end = text->find_first_of("\r\n");
    std::string password = text->substr(0, end);
    if (password.empty()) {
        return core::Error{"the password file's first line is empty"};
    }
    const bool bad = std::any_of(password.begin(), password.end(),
                                 [](unsigned char c) { return c < 0x20 || c == 0x7f; });
    if (bad) {
        return core::Error{
            "the password contains a NUL or control character (a UTF-16 "
            "file without byte order mark? save it as UTF-8)"};
    }
    return password;
}

}  // namespace enroll
