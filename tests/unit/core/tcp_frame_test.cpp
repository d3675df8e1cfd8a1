#include "core/tcp_frame.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace core {
namespace {

using Status = FrameReader::Status;

std::vector<std::string> drain(FrameReader& reader, Status& last) {
    std::vector<std::string> frames;
    std::string_view body;
    while ((last = reader.next(body)) == Status::kFrame) {
        frames.emplace_back(body);
    }
    return frames;
}

TEST(TcpFrameTest, HeaderIsFourBytesLittleEndianLength) {
    std::string out;
    append_frame(out, std::string(0x0102, 'x'));
    ASSERT_EQ(out.size(), 4u + 0x0102);
    EXPECT_EQ(out.substr(0, 4), std::string("\x02\x01\x00\x00", 4));

    std::string small;
    append_frame(small, "!001!#AES:abc");
    EXPECT_EQ(small, std::string("\x0d\x00\x00\x00!001!#AES:abc", 17));
}

TEST(TcpFrameTest, ReadsFramesFedOneByteAtATime) {
    std::string stream;
    append_frame(stream, "first");
    append_frame(stream, "second message");
    append_frame(stream, std::string(70, 'z'));

    FrameReader reader;
    std::vector<std::string> frames;
    Status last = Status::kNeedMore;
    for (char c : stream) {
        reader.feed(std::string_view(&c, 1));
        for (auto& f : drain(reader, last)) {
            frames.push_back(f);
        }
        EXPECT_EQ(last, Status::kNeedMore);
    }
    EXPECT_EQ(frames, (std::vector<std::string>{"first", "second message",
                                                std::string(70, 'z')}));
    EXPECT_EQ(reader.buffered(), 0u);
}

TEST(TcpFrameTest, ReadsSeveralFramesFromOneFeedAndKeepsThePartialRest) {
    std::string stream;
    append_frame(stream, "a");
    append_frame(stream, "bb");
    append_frame(stream, "ccc");
    FrameReader reader;
    reader.feed(std::string_view(stream).substr(0, stream.size() - 2));
    Status last;
    EXPECT_EQ(drain(reader, last), (std::vector<std::string>{"a", "bb"}));
    EXPECT_EQ(last, Status::kNeedMore);
    EXPECT_EQ(reader.buffered(), 5u);  // header of "ccc" and "c"

    reader.feed(std::string_view(stream).substr(stream.size() - 2));
    EXPECT_EQ(drain(reader, last), (std::vector<std::string>{"ccc"}));
}

TEST(TcpFrameTest, AcceptsTheLargestFrameAndRefusesOneByteMore) {
    std::string stream;
    append_frame(stream, std::string(kMaxFrame, 'm'));
    FrameReader reader;
    reader.feed(stream);
    std::string_view body;
    ASSERT_EQ(reader.next(body), Status::kFrame);
    EXPECT_EQ(body.size(), kMaxFrame);

    reader.feed(std::string("\x01\x00\x01\x00", 4));  // 65537
    EXPECT_EQ(reader.next(body), Status::kBadLength);
    EXPECT_EQ(reader.bad_length(), kMaxFrame + 1);
    EXPECT_EQ(reader.buffered(), 0u);
}

TEST(TcpFrameTest, HugeLengthIsRefusedBeforeItsBodyArrives) {
    FrameReader reader(1000);
    reader.feed(std::string("\xff\xff\xff\xff", 4));
    std::string_view body;
    EXPECT_EQ(reader.next(body), Status::kBadLength);
    EXPECT_EQ(reader.bad_length(), 0xffffffffu);
    // It stays refused: the stream cannot be trusted any more.
    std::string good;
    append_frame(good, "ok");
    reader.feed(good);
    EXPECT_EQ(reader.next(body), Status::kBadLength);
    EXPECT_EQ(reader.buffered(), 0u);

    reader.reset();
    reader.feed(good);
    ASSERT_EQ(reader.next(body), Status::kFrame);
    EXPECT_EQ(body, "ok");
}

TEST(TcpFrameTest, ZeroLengthIsRefused) {
    FrameReader reader;
    reader.feed(std::string("\x00\x00\x00\x00", 4));
    std::string_view body;
    EXPECT_EQ(reader.next(body), Status::kBadLength);
    EXPECT_EQ(reader.bad_length(), 0u);
}

}  // namespace
}  // namespace core
