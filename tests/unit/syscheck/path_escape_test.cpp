#include "syscheck/path_escape.hpp"

#include <gtest/gtest.h>

namespace syscheck {
namespace {

TEST(PathEscapeTest, OrdinaryPathsAreUnchanged) {
    EXPECT_EQ(escape_path("/etc/hosts"), "/etc/hosts");
    EXPECT_EQ(escape_path("/srv/a file"), "/srv/a file");
    EXPECT_EQ(escape_path("C:\\Windows\\win.ini"), "C:\\Windows\\win.ini");
    EXPECT_EQ(escape_path("/home/\xC3\xA9t\xC3\xA9"), "/home/\xC3\xA9t\xC3\xA9");
}

TEST(PathEscapeTest, ControlAndInvalidBytesBecomeHexEscapes) {
    EXPECT_EQ(escape_path("/a\nb"), "/a\\x0Ab");
    EXPECT_EQ(escape_path("/a\tb\r"), "/a\\x09b\\x0D");
    EXPECT_EQ(escape_path("/bad\xFF"), "/bad\\xFF");
    EXPECT_EQ(escape_path("/cut\xC3"), "/cut\\xC3");
    EXPECT_EQ(escape_path(std::string_view("/nul\0", 5)), "/nul\\x00");
}

TEST(PathEscapeTest, BackslashThatLooksLikeAnEscapeIsEscaped) {
    EXPECT_EQ(escape_path("C:\\x41"), "C:\\x5Cx41");
    EXPECT_EQ(escape_path("C:\\xampp"), "C:\\xampp");
}

TEST(PathEscapeTest, UnescapeGivesBackTheRawBytes) {
    for (const std::string& raw : {std::string("/a\nb"), std::string("/bad\xFF\xFE"),
                                  std::string("C:\\x41\\x5C"), std::string("/x\x7F y")}) {
        EXPECT_EQ(unescape_path(escape_path(raw)), raw);
    }
}

}  // namespace
}  // namespace syscheck
