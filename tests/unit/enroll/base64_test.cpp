#include "enroll/base64.hpp"

#include <gtest/gtest.h>

namespace enroll {
namespace {

TEST(Base64Test, DecodesTheRfc4648Vectors) {
    EXPECT_EQ(decode_base64(""), "");
    EXPECT_EQ(decode_base64("Zg=="), "f");
    EXPECT_EQ(decode_base64("Zm8="), "fo");
    EXPECT_EQ(decode_base64("Zm9v"), "foo");
    EXPECT_EQ(decode_base64("Zm9vYg=="), "foob");
    EXPECT_EQ(decode_base64("Zm9vYmE="), "fooba");
    EXPECT_EQ(decode_base64("Zm9vYmFy"), "foobar");
}

TEST(Base64Test, AcceptsMissingPaddingAndLineBreaksFromAPaste) {
    EXPECT_EQ(decode_base64("Zm9vYg"), "foob");
    EXPECT_EQ(decode_base64(" Zm9v\r\nYmFy\n"), "foobar");
}

TEST(Base64Test, RefusesWhatNoEncoderProduces) {
    EXPECT_FALSE(decode_base64("Zm9v$"));
    EXPECT_FALSE(decode_base64("Z"));
    EXPECT_FALSE(decode_base64("Zg==Zg=="));
    EXPECT_FALSE(decode_base64("Zg==="));
    EXPECT_FALSE(decode_base64("Zm9=v"));
    EXPECT_FALSE(decode_base64("-_8="));  // the URL-safe alphabet
}

TEST(Base64Test, RoundTripsEveryByteValue) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) {
        bytes += static_cast<char>(i);
    }
    for (std::size_t size = 0; size < 8; ++size) {
        const std::string part = bytes.substr(100, size);
        EXPECT_EQ(decode_base64(encode_base64(part)), part);
    }
    EXPECT_EQ(decode_base64(encode_base64(bytes)), bytes);
}

}  // namespace
}  // namespace enroll
