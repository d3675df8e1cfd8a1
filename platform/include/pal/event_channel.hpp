// Reading a Windows event channel ("Security", "Microsoft-Windows-Sysmon/
// Operational", ...) from a bookmark: the events after it, each with the
// bookmark that stands just after it, so a reader that saves the bookmark
// of the last event it handed on resumes there after a restart.
//
// Only Windows has event channels; elsewhere open_event_channel fails
// with std::errc::function_not_supported.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace pal {

// The fields of one event that OSSEC's eventchannel reader sends, as
// text (UTF-8). Empty strings are fields the event does not have.
struct ChannelEvent {
    std::string channel;                // System/Channel
    std::uint32_t event_id = 0;         // System/EventID
    std::string provider;               // System/Provider/@Name
    std::string user;                   // account of System/Security/@UserID
    std::string domain;                 // its domain
    std::string computer;               // System/Computer
    std::tm time_created{};             // System/TimeCreated, local time
    std::optional<std::uint8_t> level;  // System/Level, when present
    std::uint64_t keywords = 0;         // System/Keywords
    std::string message;                // the provider's rendered message
    std::string bookmark;               // opaque: the position after this event
};

// Reads one channel. Not thread safe; one reader per thread.
class EventChannelReader {
public:
    virtual ~EventChannelReader() = default;

    // The next events, oldest first, at most max; waits up to timeout when
    // there is none. An empty result with ec set is a read error (the
    // channel may work again later).
    virtual std::vector<ChannelEvent> read(std::size_t max, std::chrono::milliseconds timeout,
                                           std::error_code& ec) = 0;
};

// Opens channel, filtered by an XPath query when query is not empty.
// With a bookmark (the text of some event's bookmark) reading starts right
// after that event; without one, or when the bookmark is no longer valid
// (the log was cleared), with the events raised from now on.
std::unique_ptr<EventChannelReader> open_event_channel(const std::string& channel,
                                                       const std::string& query,
                                                       const std::string& bookmark,
                                                       std::error_code& ec);

}  // namespace pal
