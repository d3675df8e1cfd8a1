// The strict JSON reader and writer.
#include "execd/json.hpp"

#include <gtest/gtest.h>

namespace execd {
namespace {

TEST(JsonTest, RoundTripsADocument) {
    const std::string text =
        R"({"a":[1,-2.5e3,true,false,null],"s":"q\"\\\n\u0001é","o":{}})";
    const auto json = parse_json(text);
    ASSERT_TRUE(json);
    EXPECT_EQ(json->find("s")->text, "q\"\\\n\x01\xc3\xa9");
    EXPECT_EQ(to_json(*json), text);
}

TEST(JsonTest, DecodesEscapes) {
    const auto json = parse_json(R"(["\u00e9\ud83d\ude00\/"])");
    ASSERT_TRUE(json);
    EXPECT_EQ(json->items[0].text, "\xc3\xa9\xf0\x9f\x98\x80/");
}

TEST(JsonTest, RefusesAnythingNotStrictJson) {
    for (const char* bad : {"", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\":1}{}", "01",
                            "1.", ".5", "+1", "\"\\x\"", "\"a\nb\"", "{\"a\":1,\"a\":2}",
                            "\"\\ud800\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "nul",
                            "[1 2]", "{\"a\" 1}", "// c\n1"}) {
        EXPECT_FALSE(parse_json(bad)) << bad;
    }
}

TEST(JsonTest, BoundsDepthAndSize) {
    EXPECT_FALSE(parse_json(std::string(100, '[') + std::string(100, ']')));
    EXPECT_TRUE(parse_json(std::string(10, '[') + std::string(10, ']')));
    EXPECT_FALSE(parse_json("\"" + std::string(100, 'a') + "\"", JsonLimits{50, 4}));
}

}  // namespace
}  // namespace execd
