#include "enroll/password_file.hpp"

#include <gtest/gtest.h>

namespace enroll {
namespace {

using namespace std::string_literals;

std::string password_of(const std::string& bytes) {
    const auto password = decode_password_file(bytes);
    return password.ok() ? password.value() : "<error: " + password.error() + ">";
}

TEST(PasswordFileTest, TakesTheFirstLineWithoutItsLineEnd) {
    EXPECT_EQ(password_of("s3cret"), "s3cret");
    EXPECT_EQ(password_of("s3cret\n"), "s3cret");
    EXPECT_EQ(password_of("s3cret\r\n"), "s3cret");
    EXPECT_EQ(password_of("s3cret\r"), "s3cret");
    EXPECT_EQ(password_of("s3cret\nsecond line\n"), "s3cret");
}

TEST(PasswordFileTest, KeepsSpacesInsideAndAtTheEnds) {
    EXPECT_EQ(password_of(" pass word \n"), " pass word ");
}

TEST(PasswordFileTest, DropsAUtf8ByteOrderMark) {
    EXPECT_EQ(password_of("\xEF\xBB\xBFs3cret\r\n"), "s3cret");
    EXPECT_EQ(password_of("\xEF\xBB\xBF"
                          "caf\xC3\xA9\n"),
              "caf\xC3\xA9");
}

TEST(PasswordFileTest, DecodesUtf16LittleEndianAsNotepadWritesIt) {
    EXPECT_EQ(password_of("\xFF\xFEs\0"
                          "3\0c\0\r\0\n\0"s),
              "s3c");
    EXPECT_EQ(password_of("\xFF\xFE"
                          "\xE9\0"s),
              "\xC3\xA9");  // U+00E9
    EXPECT_EQ(password_of("\xFF\xFE"
                          "\x3D\xD8\x00\xDE"s),
              "\xF0\x9F\x98\x80");  // U+1F600
}

TEST(PasswordFileTest, DecodesUtf16BigEndian) {
    EXPECT_EQ(password_of("\xFE\xFF\0s\0"
                          "3\0c\0\n"s),
              "s3c");
    EXPECT_EQ(password_of("\xFE\xFF\x20\xAC"s), "\xE2\x82\xAC");  // U+20AC
}

TEST(PasswordFileTest, RefusesBrokenUtf16) {
    EXPECT_FALSE(decode_password_file("\xFF\xFEs\0"
                                      "3"s)
                     .ok());                                          // odd size
    EXPECT_FALSE(decode_password_file("\xFF\xFE\x3D\xD8s\0"s).ok());  // lone high
    EXPECT_FALSE(decode_password_file("\xFF\xFE\x00\xDCs\0"s).ok());  // lone low
    EXPECT_FALSE(decode_password_file("\xFF\xFE\x3D\xD8"s).ok());     // cut pair
}

TEST(PasswordFileTest, RefusesEmptyPasswordsAndControlCharacters) {
    EXPECT_FALSE(decode_password_file("").ok());
    EXPECT_FALSE(decode_password_file("\n").ok());
    EXPECT_FALSE(decode_password_file("\xEF\xBB\xBF\r\n").ok());
    EXPECT_FALSE(decode_password_file("\xFF\xFE").ok());
    EXPECT_FALSE(decode_password_file("pa\tss").ok());
    EXPECT_FALSE(decode_password_file("pa\x7fss").ok());
}

TEST(PasswordFileTest, SaysUtf16WithoutByteOrderMarkCannotBeRead) {
    const auto password = decode_password_file(
        "s\0"
        "3\0c\0"s);
    ASSERT_FALSE(password.ok());
    EXPECT_NE(password.error().find("UTF-16"), std::string::npos);
}

}  // namespace
}  // namespace enroll
