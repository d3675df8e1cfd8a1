#include "enroll/base64.hpp"

#include <array>
#include <cstdint>

namespace enroll {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::int8_t kInvalid = -1;

constexpr std::array<std::int8_t, 256> make_table() {
    std::array<std::int8_t, 256> table{};
    table.fill(kInvalid);
    for (int i = 0; i < 64; ++i) {
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
    }
    return table;
}

constexpr auto kTable = make_table();

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
    std::string out;
    out.reserve(text.size() / 4 * 3 + 3);
    std::uint32_t bits = 0;
    int pending = 0;  // 6-bit groups in bits
    int padding = 0;

    for (const char c : text) {
        if (is_blank(c)) {
            continue;
        }
        if (c == '=') {
            ++padding;
            continue;
        }
        const std::int8_t value = kTable[static_cast<unsigned char>(c)];
        if (value == kInvalid || padding > 0) {
            return std::nullopt;
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        if (++pending == 4) {
            out.push_back(static_cast<char>(bits >> 16));
            out.push_back(static_cast<char>(bits >> 8));
            out.push_back(static_cast<char>(bits));
            bits = 0;
            pending = 0;
        }
    }

    if (pending == 1 || padding > 2 || (padding > 0 && pending + padding != 4)) {
        return std::nullopt;
    }
    if (pending == 2) {
        out.push_back(static_cast<char>(bits >> 4));
    } else if (pending == 3) {
        out.push_back(static_cast<char>(bits >> 10));
        out.push_back(static_cast<char>(bits >> 2));
    }
    return out;
}

std::string encode_base64(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t bits = static_cast<unsigned char>(bytes[i]) << 16 |
                                   static_cast<unsigned char>(bytes[i + 1]) << 8 |
                                   static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[bits >> 18 & 63];
        out += kAlphabet[bits >> 12 & 63];
        out += kAlphabet[bits >> 6 & 63];
        out += kAlphabet[bits & 63];
    }
    const std::size_t left = bytes.size() - i;
    if (left > 0) {
        std::uint32_t bits = static_cast<unsigned char>(bytes[i]) << 16;
        if (left == 2) {
            bits |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        }
        out += kAlphabet[bits >> 18 & 63];
        out += kAlphabet[bits >> 12 & 63];
        out += left == 2 ? kAlphabet[bits >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

}  // namespace enroll
