#include "enroll/enrollment_protocol.hpp"

#include <gtest/gtest.h>

namespace enroll {
namespace {

using namespace std::string_literals;

constexpr char kKeyReply[] =
    "OSSEC K:'1024 py-agent any "
    "97cf6c7a1e1d7b0e4b85d4612837a71f24bb4b92d9d4e8aa0b1c2d3e4f5a"
    "5ea4'\n\n";

// Request --------------------------------------------------------------

TEST(EnrollmentRequestTest, BuildsOssecsRequestWithAndWithoutPassword) {
    EXPECT_EQ(build_enrollment_request("web-01", std::nullopt).value(),
              "OSSEC A:'web-01'\n");
    EXPECT_EQ(build_enrollment_request("web-01", "s3cret pw").value(),
              "OSSEC PASS: s3cret pw OSSEC A:'web-01'\n");
}

TEST(EnrollmentRequestTest, LeavesTheNameRulesToTheManager) {
    EXPECT_EQ(build_enrollment_request("bad name!", std::nullopt).value(),
              "OSSEC A:'bad name!'\n");
}

TEST(EnrollmentRequestTest, RefusesWhatWouldBreakTheRequest) {
    EXPECT_FALSE(build_enrollment_request("", std::nullopt).ok());
    EXPECT_FALSE(build_enrollment_request("it's", std::nullopt).ok());
    EXPECT_FALSE(build_enrollment_request("a\nOSSEC A:'b", std::nullopt).ok());
    EXPECT_FALSE(build_enrollment_request("web", ""s).ok());
    EXPECT_FALSE(build_enrollment_request("web", "pw\r\n"s).ok());
    EXPECT_FALSE(build_enrollment_request("web", "p\0w"s).ok());
    EXPECT_FALSE(
        build_enrollment_request(std::string(kMaxRequestSize, 'a'), std::nullopt).ok());
}

// Reply ----------------------------------------------------------------

TEST(EnrollmentReplyTest, AcceptsAuthdsKeyReply) {
    const EnrollmentReply reply = parse_enrollment_reply(kKeyReply, false);
    ASSERT_EQ(reply.status, ReplyStatus::kKey) << reply.problem;
    EXPECT_EQ(reply.key.id, "1024");
    EXPECT_EQ(reply.key.name, "py-agent");
    EXPECT_EQ(reply.key.ip, "any");
    EXPECT_EQ(reply.key.key.size(), 64u);
    EXPECT_TRUE(reply.errors.empty());
}

TEST(EnrollmentReplyTest, WaitsForTheClosingQuote) {
    const std::string whole = kKeyReply;
    for (std::size_t size = 0; size < whole.find("'\n"); ++size) {
        EXPECT_EQ(parse_enrollment_reply(whole.substr(0, size), false).status,
                  ReplyStatus::kIncomplete)
            << size;
    }
    EXPECT_EQ(
        parse_enrollment_reply(whole.substr(0, whole.find("'\n") + 1), false).status,
        ReplyStatus::kKey);
}

TEST(EnrollmentReplyTest, TruncatedKeyReplyIsMalformedOnceTheManagerCloses) {
    const EnrollmentReply reply =
        parse_enrollment_reply("OSSEC K:'1024 a1 any abc", true);
    EXPECT_EQ(reply.status, ReplyStatus::kMalformed);
    EXPECT_NE(reply.problem.find("truncated"), std::string::npos);
    EXPECT_EQ(parse_enrollment_reply("OSSEC K:'1024 a1 any abc\n", false).status,
              ReplyStatus::kMalformed);
    EXPECT_EQ(parse_enrollment_reply("OSSEC K:", true).status, ReplyStatus::kMalformed);
}

TEST(EnrollmentReplyTest, CollectsErrorLinesAsWrittenUntilTheManagerCloses) {
    const std::string text =
        "ERROR: Invalid agent name: bad name!\n\nERROR: Unable to add agent.\n\n";
    EXPECT_EQ(parse_enrollment_reply(text, false).status, ReplyStatus::kIncomplete);

    const EnrollmentReply reply = parse_enrollment_reply(text, true);
    ASSERT_EQ(reply.status, ReplyStatus::kRefused);
    ASSERT_EQ(reply.errors.size(), 2u);
    EXPECT_EQ(reply.errors[0], "ERROR: Invalid agent name: bad name!");
    EXPECT_EQ(reply.errors[1], "ERROR: Unable to add agent.");
}

TEST(EnrollmentReplyTest, AnErrorLineWithoutLineEndStillCountsWhenClosed) {
    const EnrollmentReply reply =
        parse_enrollment_reply("ERROR: Invalid IP address", true);
    ASSERT_EQ(reply.status, ReplyStatus::kRefused);
    EXPECT_EQ(reply.errors[0], "ERROR: Invalid IP address");
}

TEST(EnrollmentReplyTest, SilenceThenCloseMeansNoReply) {
    EXPECT_EQ(parse_enrollment_reply("", false).status, ReplyStatus::kIncomplete);
    EXPECT_EQ(parse_enrollment_reply("", true).status, ReplyStatus::kNoReply);
    EXPECT_EQ(parse_enrollment_reply("\n\r\n", true).status, ReplyStatus::kNoReply);
}

TEST(EnrollmentReplyTest, KeepsErrorsSentBeforeAKey) {
    const EnrollmentReply reply =
        parse_enrollment_reply("ERROR: something odd\n\n"s + kKeyReply, false);
    ASSERT_EQ(reply.status, ReplyStatus::kKey);
    ASSERT_EQ(reply.errors.size(), 1u);
}

TEST(EnrollmentReplyTest, RefusesAnInvalidKey) {
    for (const char* text : {"OSSEC K:'1024 py-agent any'\n",       // three fields
                             "OSSEC K:'x24 py-agent any abc'\n",    // bad ID
                             "OSSEC K:'1024 bad/name any abc'\n",   // bad name
                             "OSSEC K:'1024 web any a\x1b[2Jb'\n",  // control character
                             "OSSEC K:'1024 web any  abc'\n",       // double space
                             "OSSEC K:''\n"}) {
        const EnrollmentReply reply = parse_enrollment_reply(text, true);
        EXPECT_EQ(reply.status, ReplyStatus::kMalformed) << text;
        EXPECT_NE(reply.problem.find("invalid key"), std::string::npos) << text;
    }
}

TEST(EnrollmentReplyTest, RefusesOtherTextAndShowsItSafely) {
    const EnrollmentReply reply = parse_enrollment_reply("HTTP/1.1 400\x1b[31m\n", false);
    ASSERT_EQ(reply.status, ReplyStatus::kMalformed);
    EXPECT_EQ(reply.problem.find('\x1b'), std::string::npos);
    EXPECT_NE(reply.problem.find("\\x1b"), std::string::npos);

    EXPECT_EQ(parse_enrollment_reply("OSS", false).status, ReplyStatus::kIncomplete);
    EXPECT_EQ(parse_enrollment_reply("OSS", true).status, ReplyStatus::kMalformed);
    EXPECT_EQ(parse_enrollment_reply("OSSX", false).status, ReplyStatus::kMalformed);
    EXPECT_EQ(parse_enrollment_reply("\0\0\0"s, true).status, ReplyStatus::kMalformed);
}

TEST(EnrollmentReplyTest, KeepsABoundedNumberOfErrorLines) {
    std::string text;
    for (int i = 0; i < 1000; ++i) {
        text += "ERROR: again\n";
    }
    const EnrollmentReply reply = parse_enrollment_reply(text, true);
    EXPECT_EQ(reply.status, ReplyStatus::kRefused);
    EXPECT_EQ(reply.errors.size(), kMaxErrorLines);
}

TEST(PrintableTextTest, EscapesControlBytesAndCutsLongText) {
    EXPECT_EQ(printable_text("a\x1b[0m\tb"), "a\\x1b[0m\\x09b");
    EXPECT_EQ(printable_text("abcdef", 3), "abc...");
    EXPECT_EQ(printable_text("caf\xC3\xA9"), "caf\xC3\xA9");
}

}  // namespace
}  // namespace enroll
