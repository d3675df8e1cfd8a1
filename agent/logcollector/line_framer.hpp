// Cuts a byte stream into log lines, as each line will be sent: without
// its "\n" and a "\r" before it, escaped (see line_escape.hpp), and no
// longer than a maximum. A line longer than the maximum is sent once, cut,
// with kCutMarker at its end; the rest of it, up to its newline, is
// dropped and never becomes an event of its own.
//
// One framer per file; it remembers only whether it is in the middle of
// dropping an over-long line. Not thread safe.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "logcollector/line_escape.hpp"

namespace logcollector {

inline constexpr std::string_view kCutMarker = " [line cut]";
inline constexpr std::string_view kPartialMarker = " [no newline]";

class LineFramer {
public:
    // max_text is the most bytes of text an event may carry; at least 64.
    explicit LineFramer(std::size_t max_text) : max_text_(max_text < 64 ? 64 : max_text) {}

    // Calls emit(std::string_view text) -> bool for each complete line at
    // the start of data, in order, and stops when emit returns false.
    // Returns how many bytes of data are done with (emitted, or dropped as
    // the rest of an over-long line); the caller keeps the others and
    // passes them again, followed by newer bytes, next time.
    template <class Emit>
    std::size_t frame(std::string_view data, Emit&& emit);

    // Sends data, a last line still waiting for its newline, with
    // kPartialMarker at its end. When its newline comes later, the empty
    // remainder is not sent again. Returns false when emit refused it.
    template <class Emit>
    bool flush_partial(std::string_view data, Emit&& emit);

    // Forgets any state (the file was reopened or truncated).
    void reset() {
        dropping_ = false;
        after_partial_ = false;
    }

    std::size_t max_text() const { return max_text_; }
    // True between an over-long line's cut part and its newline.
    bool dropping() const { return dropping_; }
    // While emit runs: where the line it is given starts in data.
    std::size_t line_start() const { return line_start_; }

private:
    // The text to send for one raw line; may point into raw or scratch_.
    std::string_view text_of(std::string_view raw, std::string_view marker);

    std::size_t max_text_;
    bool dropping_ = false;
    bool after_partial_ = false;
    std::size_t line_start_ = 0;
    std::string scratch_;
};

template <class Emit>
std::size_t LineFramer::frame(std::string_view data, Emit&& emit) {
    std::size_t pos = 0;
    while (pos < data.size()) {
        const void* found = std::memchr(data.data() + pos, '\n', data.size() - pos);
        const std::size_t newline =
            found ? static_cast<std::size_t>(static_cast<const char*>(found) - data.data())
                  : std::string_view::npos;
        if (dropping_) {
            if (newline == std::string_view::npos) {
                return data.size();
            }
            dropping_ = false;
            pos = newline + 1;
            continue;
        }
        if (newline == std::string_view::npos) {
            if (data.size() - pos < max_text_) {
                return pos;  // wait for the rest of the line
            }
            line_start_ = pos;
            if (!emit(text_of(data.substr(pos, max_text_), kCutMarker))) {
                return pos;
            }
            dropping_ = true;
            after_partial_ = false;
            pos += max_text_;
            continue;
        }

        std::string_view raw = data.substr(pos, newline - pos);
        if (!raw.empty() && raw.back() == '\r') {
            raw.remove_suffix(1);
        }
        if (after_partial_ && raw.empty()) {
            after_partial_ = false;  // the newline of a line already flushed
            pos = newline + 1;
            continue;
        }
        const std::string_view text = raw.size() > max_text_
            ? text_of(raw.substr(0, max_text_), kCutMarker)
            : text_of(raw, {});
        line_start_ = pos;
        if (!emit(text)) {
            return pos;
        }
        after_partial_ = false;
        pos = newline + 1;
    }
    return pos;
}

template <class Emit>
bool LineFramer::flush_partial(std::string_view data, Emit&& emit) {
    std::string_view raw = data;
    if (!raw.empty() && raw.back() == '\r') {
        raw.remove_suffix(1);
    }
    line_start_ = 0;
    if (!emit(text_of(raw, kPartialMarker))) {
        return false;
    }
    after_partial_ = true;
    return true;
}

}  // namespace logcollector
