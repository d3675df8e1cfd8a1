// Turns the lines of a log file into events, for the formats that do more
// than send each line unchanged: they join several lines into one event
// (multi-line:N, multi-line-regex, snort-full, postgresql_log), rewrite a
// line (mysql_log, djb-multilog, nmapg) or drop the lines that are not of
// their kind (json). Each follows what OSSEC 3.x's reader for the format
// sends (Wazuh's for json and multi-line-regex): same queue character,
// same text.
//
// Lines come from the LineFramer: without their newline, escaped, cut to
// the maximum length. An assembler works on one file; it is not thread
// safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "core/logger.hpp"
#include "core/queue_message.hpp"
#include "logcollector/clock.hpp"

namespace logcollector {

// Where an assembler sends its events.
class EventOut {
public:
    virtual ~EventOut() = default;
    // Returns false when the event was refused (the sink is full).
    virtual bool emit(char queue, std::string_view text) = 0;
};

class EventAssembler {
public:
    virtual ~EventAssembler() = default;

    // Takes the next line of the file. Emits at most one event. Returns
    // false when out refused that event: then nothing changed, and the
    // same line is offered again later.
    virtual bool take(std::string_view line, EventOut& out) = 0;

    // How many lines already taken wait, unsent, for the rest of their
    // event; 1 right after a line that starts a new held event. The read
    // position saved for the file must stay before the first of them.
    virtual std::size_t held_lines() const { return 0; }

    // How long held lines wait for more before flush() sends them; nullopt
    // when they wait for the rest of their event however long it takes.
    virtual std::optional<std::chrono::milliseconds> hold_timeout() const {
        return std::nullopt;
    }

    // Sends the held lines as an event now (timeout, or the file is being
    // left), or drops them when they are no event of this format. Returns
    // false when out refused; the lines stay held.
    virtual bool flush(EventOut& out) { (void)out; return true; }

    // Forgets what was held (the file was truncated and is read again).
    virtual void reset() {}
};

// What a file's format needs besides its lines.
struct FormatContext {
    std::string location;  // the log file's path (djb-multilog's program)
    std::string hostname;  // djb-multilog's syslog header, domain removed
    std::size_t max_text = 5888;   // longest event text
    const Clock* clock = nullptr;  // local time for that header
    core::Logger* logger = nullptr;  // bad lines of nmapg and snort-full
    // clock and logger must outlive the assembler.
};

// The assembler for a <localfile>'s format; nullptr for the formats whose
// every line is one event unchanged (syslog and its kin), and for those
// that are not files. A djb-multilog location that is not
// ".../<program>/current" gives an error message instead.
struct AssemblerChoice {
    std::unique_ptr<EventAssembler> assembler;
    std::string error;
};
AssemblerChoice make_assembler(const core::LocalFile& file, const FormatContext& context);

// The formats make_assembler knows, with their queue character.
std::optional<char> assembled_format_queue(std::string_view log_format);

}  // namespace logcollector
