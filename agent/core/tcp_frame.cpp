#include "core/tcp_frame.hpp"

namespace core {

void append_frame(std::string& out, std::string_view message) {
    const auto n = static_cast<std::uint32_t>(message.size());
    const char header[kFrameHeader] = {
        static_cast<char>(n & 0xffu), static_cast<char>((n >> 8) & 0xffu),
        static_cast<char>((n >> 16) & 0xffu), static_cast<char>((n >> 24) & 0xffu)};
    out.append(header, kFrameHeader);
    out.append(message);
}

FrameReader::FrameReader(std::size_t max_frame) : max_frame_(max_frame) {}

void FrameReader::feed(std::string_view bytes) {
    if (bad_) {
        return;
    }
    // Drop what was already handed out before growing the buffer, so it
    // never holds more than one partial frame and this feed.
    if (start_ > 0) {
        buffer_.erase(0, start_);
        start_ = 0;
    }
    buffer_.append(bytes);
}

FrameReader::Status FrameReader::next(std::string_view& body) {
    if (bad_) {
        return Status::kBadLength;
    }
    if (buffered() < kFrameHeader) {
        return Status::kNeedMore;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(buffer_.data() + start_);
    const std::uint32_t length = static_cast<std::uint32_t>(p[0]) |
                                 static_cast<std::uint32_t>(p[1]) << 8 |
                                 static_cast<std::uint32_t>(p[2]) << 16 |
                                 static_cast<std::uint32_t>(p[3]) << 24;
    if (length == 0 || length > max_frame_) {
        bad_ = true;
        bad_length_ = length;
        buffer_.clear();
        start_ = 0;
        return Status::kBadLength;
    }
    if (buffered() - kFrameHeader < length) {
        return Status::kNeedMore;
    }
    body = std::string_view(buffer_).substr(start_ + kFrameHeader, length);
    start_ += kFrameHeader + length;
    return Status::kFrame;
}

void FrameReader::reset() {
    buffer_.clear();
    start_ = 0;
    bad_ = false;
    bad_length_ = 0;
}

}  // namespace core
