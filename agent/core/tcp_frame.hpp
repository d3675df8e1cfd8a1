// Message framing on TCP, as Wazuh 4.x agents and managers use it in both
// directions: each message is a 4-byte little-endian unsigned length
// followed by that many bytes (the secure message, "!ID!" prefix
// included). OSSEC 3.x has no TCP; over UDP a datagram is one message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace core {

// Largest frame body accepted from the network: Wazuh's OS_MAXSTR. A
// manager never sends more, and a length above it cannot be trusted.
inline constexpr std::size_t kMaxFrame = 65536;
inline constexpr std::size_t kFrameHeader = 4;

// Appends the frame of message (header and body) to out.
void append_frame(std::string& out, std::string_view message);

// Cuts a received byte stream into frames. Holds at most one partial
// frame plus the bytes of the last feed, so its memory is bounded by
// max_frame plus what the caller feeds at once. A length of 0 or above
// max_frame cannot be resynchronised (the stream has no markers): the
// reader then stays in kBadLength and the caller must close the stream.
// Not thread safe.
class FrameReader {
public:
    enum class Status {
        kFrame,      // one frame was taken (see next())
        kNeedMore,   // no complete frame buffered
        kBadLength,  // zero or too large a length: close the stream
    };

    explicit FrameReader(std::size_t max_frame = kMaxFrame);

    void feed(std::string_view bytes);
    // Takes the next complete frame into body (valid until the next call
    // of feed() or next()).
    Status next(std::string_view& body);
    // The length announced by the header that caused kBadLength.
    std::uint32_t bad_length() const { return bad_length_; }
    std::size_t buffered() const { return buffer_.size() - start_; }
    void reset();

private:
    std::size_t max_frame_;
    std::string buffer_;
    std::size_t start_ = 0;  // first unread byte of buffer_
    bool bad_ = false;
    std::uint32_t bad_length_ = 0;
};

}  // namespace core
