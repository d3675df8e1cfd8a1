#include "logcollector/line_framer.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace logcollector {
namespace {

struct Framed {
    std::vector<std::string> lines;
    std::size_t consumed = 0;
};

Framed frame(LineFramer& framer, std::string_view data, std::size_t accept = 1000) {
    Framed result;
    result.consumed = framer.frame(data, [&](std::string_view text) {
        if (result.lines.size() >= accept) {
            return false;
        }
        result.lines.emplace_back(text);
        return true;
    });
    return result;
}

TEST(LineFramerTest, SplitsCompleteLinesAndKeepsThePartialOne) {
    LineFramer framer(100);
    const auto result = frame(framer, "one\ntwo\r\n\nthr");
    EXPECT_EQ(result.lines, (std::vector<std::string>{"one", "two", ""}));
    EXPECT_EQ(result.consumed, 10u);
}

TEST(LineFramerTest, RemovesOnlyTheCrBeforeTheNewline) {
    LineFramer framer(100);
    const auto result = frame(framer, "a\rb\r\r\n");
    EXPECT_EQ(result.lines, (std::vector<std::string>{"a\\x0Db\\x0D"}));
}

TEST(LineFramerTest, StopsAtTheLineTheSinkRefuses) {
    LineFramer framer(100);
    const auto result = frame(framer, "one\ntwo\nthree\n", 2);
    EXPECT_EQ(result.lines, (std::vector<std::string>{"one", "two"}));
    EXPECT_EQ(result.consumed, 8u);
}

TEST(LineFramerTest, CutsAnOverLongLineOnceAndDropsItsRest) {
    LineFramer framer(64);
    const std::string data = std::string(200, 'x') + "\nnext\n";
    const auto result = frame(framer, data);
    ASSERT_EQ(result.lines.size(), 2u);
    EXPECT_EQ(result.lines[0], std::string(64 - kCutMarker.size(), 'x') +
                                   std::string(kCutMarker));
    EXPECT_EQ(result.lines[1], "next");
    EXPECT_EQ(result.consumed, data.size());
}

TEST(LineFramerTest, CutsAnOverLongLineArrivingInPieces) {
    LineFramer framer(64);
    auto first = frame(framer, std::string(70, 'y'));
    ASSERT_EQ(first.lines.size(), 1u);
    EXPECT_EQ(first.consumed, 70u);  // 64 cut and sent, 6 dropped
    EXPECT_TRUE(framer.dropping());
    auto second = frame(framer, std::string(500, 'y'));
    EXPECT_TRUE(second.lines.empty());
    EXPECT_EQ(second.consumed, 500u);
    auto third = frame(framer, "yyy\nafter\n");
    EXPECT_EQ(third.lines, (std::vector<std::string>{"after"}));
}

TEST(LineFramerTest, CutsWhenEscapingMakesTheLineTooLong) {
    LineFramer framer(64);
    const auto result = frame(framer, std::string(40, '\0') + "\n");
    ASSERT_EQ(result.lines.size(), 1u);
    const std::string& line = result.lines[0];
    EXPECT_LE(line.size(), 64u);
    EXPECT_EQ(line.substr(line.size() - kCutMarker.size()), kCutMarker);
    EXPECT_EQ(line.substr(0, 8), "\\x00\\x00");
    EXPECT_EQ((line.size() - kCutMarker.size()) % 4, 0u);
}

TEST(LineFramerTest, FlushedPartialLineIsNotSentAgainWhenItsNewlineComes) {
    LineFramer framer(100);
    std::vector<std::string> lines;
    auto emit = [&](std::string_view text) {
        lines.emplace_back(text);
        return true;
    };
    ASSERT_TRUE(framer.flush_partial("half", emit));
    framer.frame("\nwhole\n", emit);
    EXPECT_EQ(lines, (std::vector<std::string>{"half [no newline]", "whole"}));
}

}  // namespace
}  // namespace logcollector
