#include "logcollector/line_escape.hpp"

#include <gtest/gtest.h>

#include <random>

namespace logcollector {
namespace {

std::string escaped(std::string_view raw) {
    std::string out;
    escape_line(raw, out);
    return out;
}

TEST(LineEscapeTest, LeavesOrdinaryTextAndUtf8Alone) {
    const std::string line = "Dec  3 sshd[12]: caf\xC3\xA9 \xE2\x82\xAC\tC:\\Windows\\x";
    EXPECT_FALSE(needs_escape(line));
    EXPECT_EQ(escaped(line), line);
}

TEST(LineEscapeTest, EscapesNulControlAndDel) {
    EXPECT_EQ(escaped(std::string("a\0b\x01\r\x7F", 6)), "a\\x00b\\x01\\x0D\\x7F");
}

TEST(LineEscapeTest, EscapesInvalidUtf8BytesOneByOne) {
    EXPECT_EQ(escaped("\xFF\xC3(\xE2\x82"), "\\xFF\\xC3(\\xE2\\x82");
    EXPECT_EQ(escaped("\xC0\xAF"), "\\xC0\\xAF");          // overlong '/'
    EXPECT_EQ(escaped("\xED\xA0\x80"), "\\xED\\xA0\\x80");  // surrogate
}

TEST(LineEscapeTest, EscapesABackslashThatWouldReadAsAnEscape) {
    EXPECT_EQ(escaped("path \\x41 and \\xyz"), "path \\x5Cx41 and \\xyz");
}

TEST(LineEscapeTest, UnescapeGivesBackEveryRawByte) {
    std::mt19937 random(7);
    for (int round = 0; round < 2000; ++round) {
        std::string raw(static_cast<std::size_t>(random() % 40), '\0');
        for (char& c : raw) {
            const char alphabet[] = {'\\', 'x', '4', 'A', '\0', '\r', 'z'};
            c = random() % 2 ? static_cast<char>(random() % 256) : alphabet[random() % 7];
        }
        ASSERT_EQ(unescape_line(escaped(raw)), raw) << round;
    }
}

TEST(LineEscapeTest, SafeCutNeverSplitsACharacterOrAnEscape) {
    const std::string text = "ab\\x00\xC3\xA9z";
    EXPECT_EQ(safe_cut(text, 2), 2u);
    EXPECT_EQ(safe_cut(text, 4), 2u);  // inside "\x00"
    EXPECT_EQ(safe_cut(text, 6), 6u);
    EXPECT_EQ(safe_cut(text, 7), 6u);  // inside "é"
    EXPECT_EQ(safe_cut(text, 8), 8u);
}

}  // namespace
}  // namespace logcollector
