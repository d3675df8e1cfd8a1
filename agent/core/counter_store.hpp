// Message counters that survive restarts and crashes.
//
// The sender pair is written to queue/rids/sender_counter ("GLOBAL:LOCAL:",
// the format OSSEC reads). Rather than writing after every message, the
// store reserves a whole global value: at start it moves to a global above
// anything saved and writes that before the first message, and it writes
// again each time the local counter wraps. After a crash the next start
// moves past the reserved global, so a pair is never used twice and the
// manager never sees the counters go back. Cost: one durable write per
// 9997 messages.
#pragma once

#include <filesystem>
#include <string>
#include <system_error>

#include "core/secure_message.hpp"

namespace core {

// Reads "G:L:" (extra trailing characters ignored, as OSSEC does).
// Returns false when the text holds no such pair.
bool parse_counter_text(std::string_view text, Counters& out);
std::string format_counter_text(Counters c);

class SenderCounter {
public:
    // Starts from max(saved global + 1, floor_global) with local 0 and
    // writes that reservation. floor_global lets the caller derive a start
    // from the clock, so an agent whose state was lost still starts above
    // what the manager remembers. On a write error, ec is set and the
    // counter still works (but a crash could then reuse pairs).
    SenderCounter(std::filesystem::path file, std::uint32_t floor_global,
                  std::error_code& ec);

    // The pair for the next message. Sets ec when a reservation could not
    // be written.
    Counters next(std::error_code& ec);
    Counters current() const { return current_; }

    // Moves the counter to at least global (used when the manager says our
    // counter is too low). Writes the reservation.
    std::error_code advance_to(std::uint32_t global);

private:
    std::error_code reserve(std::uint32_t global);

    std::filesystem::path file_;
    Counters current_;
};

// The last pair accepted from the manager (queue/rids/<ID>), to refuse
// replayed messages. Written on every accepted message, renamed into
// place but not flushed: it survives a crash of the agent; only a power
// loss may bring back an older pair (OSSEC writes it every 128 messages).
class ReceiveCounter {
public:
    explicit ReceiveCounter(std::filesystem::path file);

    // True when c is newer than the last accepted pair; then c becomes the
    // last pair and is written (a write error goes to ec, c still counts).
    bool accept(Counters c, std::error_code& ec);
    Counters last() const { return last_; }

private:
    std::filesystem::path file_;
    Counters last_;
};

}  // namespace core
