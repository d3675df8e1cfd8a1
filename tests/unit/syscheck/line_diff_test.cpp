#include "syscheck/line_diff.hpp"

#include <gtest/gtest.h>

#include <string>

namespace syscheck {
namespace {

// Expected outputs are those of GNU diff 3.8 on the same two files.
TEST(LineDiffTest, ChangeAndAppendAsDiffPrintsThem) {
    EXPECT_EQ(normal_diff("a\nb\nc\n", "a\nB\nc\nd\n"), "2c2\n< b\n---\n> B\n3a4\n> d\n");
}

TEST(LineDiffTest, DeletionNamesTheLineItFollows) {
    EXPECT_EQ(normal_diff("a\nb\nc\nd\n", "a\nd\n"), "2,3d1\n< b\n< c\n");
}

TEST(LineDiffTest, AdditionToAnEmptyFile) {
    EXPECT_EQ(normal_diff("", "a\nd\n"), "0a1,2\n> a\n> d\n");
}

TEST(LineDiffTest, MissingFinalNewlineIsSaid) {
    EXPECT_EQ(normal_diff("x", "y"),
              "1c1\n< x\n\\ No newline at end of file\n---\n> y\n"
              "\\ No newline at end of file\n");
    EXPECT_EQ(normal_diff("x\n", "x"), "1c1\n< x\n---\n> x\n\\ No newline at end of file\n");
}

TEST(LineDiffTest, EqualContentHasNoDiff) { EXPECT_EQ(normal_diff("a\nb\n", "a\nb\n"), ""); }

TEST(LineDiffTest, BinaryContentIsNotShown) {
    EXPECT_EQ(normal_diff(std::string("a\0b", 3), "ab"), "Binary files differ\n");
}

TEST(LineDiffTest, ShortestScriptInsideALongCommonText) {
    std::string before;
    for (int i = 0; i < 1000; ++i) {
        before += "line " + std::to_string(i) + "\n";
    }
    std::string after = before;
    after.replace(after.find("line 500\n"), 9, "line five hundred\n");
    after.insert(after.find("line 10\n"), "new\n");
    EXPECT_EQ(normal_diff(before, after),
              "10a11\n> new\n501c502\n< line 500\n---\n> line five hundred\n");
}

TEST(LineDiffTest, TooManyEditsBecomeOneChange) {
    std::string before;
    std::string after;
    for (std::size_t i = 0; i < kMaxEdits; ++i) {
        before += "a" + std::to_string(i) + "\n";
        after += "b" + std::to_string(i) + "\n";
    }
    const std::string diff = normal_diff("same\n" + before, "same\n" + after);
    const std::string head = "2," + std::to_string(kMaxEdits + 1) + "c2," +
                             std::to_string(kMaxEdits + 1) + "\n< a0\n< a1\n";
    EXPECT_EQ(diff.substr(0, head.size()), head);
    EXPECT_NE(diff.find("< a999\n---\n> b0\n> b1\n"), std::string::npos);
}

TEST(LineDiffExcerptTest, ShortDiffIsKeptWhole) {
    EXPECT_EQ(ossec_diff_excerpt("1c1\n< a\n---\n> b\n"), "1c1\n< a\n---\n> b\n");
}

TEST(LineDiffExcerptTest, TwentiethLineEndsTheExcerpt) {
    std::string diff;
    for (int i = 1; i <= 25; ++i) {
        diff += "> " + std::to_string(i) + "\n";
    }
    std::string expected;
    for (int i = 1; i <= 19; ++i) {
        expected += "> " + std::to_string(i) + "\n";
    }
    expected += "> 20\nMore changes..";
    EXPECT_EQ(ossec_diff_excerpt(diff), expected);
}

TEST(LineDiffExcerptTest, NineteenLinesAlreadySayMoreChangesAsOssecDoes) {
    std::string diff;
    for (int i = 1; i <= 19; ++i) {
        diff += "> x\n";
    }
    EXPECT_EQ(ossec_diff_excerpt(diff), diff + "\nMore changes..");
}

TEST(LineDiffExcerptTest, LongDiffIsCutBackToItsLastWholeLine) {
    const std::string line = "> " + std::string(297, 'x') + "\n";  // 300 bytes
    std::string diff;
    for (int i = 0; i < 15; ++i) {
        diff += line;
    }
    // 4095 bytes read: 13 whole lines and part of the 14th, which goes.
    EXPECT_EQ(ossec_diff_excerpt(diff), diff.substr(0, 13 * 300 - 1));
}

TEST(LineDiffExcerptTest, OneHugeLineIsCutAt256Bytes) {
    const std::string diff = "> " + std::string(5000, 'y');
    EXPECT_EQ(ossec_diff_excerpt(diff), diff.substr(0, 256));
}

}  // namespace
}  // namespace syscheck
