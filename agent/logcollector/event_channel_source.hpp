// One <localfile> with log_format eventchannel: reads a Windows event
// channel through pal::EventChannelReader and sends each event as OSSEC
// 3.x's eventchannel reader does, on queue '1' from location "WinEvtLog":
//
//   <YYYY Mon DD hh:mm:ss> WinEvtLog: <channel>: <CATEGORY>(<id>):
//   <source>: <user>: <domain>: <computer>: <message>
//
// (one line; missing fields read "no source", "(no user)", "no domain",
// "no computer", "(no message)"; newlines in the message become spaces).
//
// Unless <only-future-events> is yes, the bookmark of the last event the
// sink has handed on is saved under queue/ (one file per channel, its last
// '/' made '_', as OSSEC names it), so events raised while the agent was
// down are read at the next start, once. A sink that refuses an event
// keeps it here and it is offered again; nothing further is read meanwhile.
//
// Not thread safe: start() and step() from one thread.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/logger.hpp"
#include "logcollector/event_sink.hpp"
#include "pal/event_channel.hpp"

namespace logcollector {

inline constexpr std::string_view kEventChannelLocation = "WinEvtLog";

struct ChannelSpec {
    std::string channel;
    std::string query;
    bool only_future_events = false;  // OSSEC's default here: bookmarks on
};

// The event text OSSEC sends for an event.
std::string format_channel_event(const pal::ChannelEvent& event);

// The bookmark file of a channel under directory.
std::filesystem::path bookmark_file(const std::filesystem::path& directory,
                                    const std::string& channel);

class EventChannelSource {
public:
    using Opener = std::function<std::unique_ptr<pal::EventChannelReader>(
        const std::string& channel, const std::string& query, const std::string& bookmark,
        std::error_code& ec)>;

    // bookmarks is the directory of bookmark files. sink and logger must
    // outlive the source.
    EventChannelSource(ChannelSpec spec, Opener opener, std::filesystem::path bookmarks,
                       EventSink& sink, core::Logger& logger);

    // Opens the channel after the saved bookmark. False when it cannot be
    // opened (logged; step() does nothing then).
    bool start();

    // Sends what the channel has now (waiting up to wait for it), then
    // saves the bookmark when the sink has handed everything on. True when
    // more may be waiting.
    bool step(std::chrono::milliseconds wait = std::chrono::milliseconds(0));

    // Saves the bookmark of the last event handed on, if it moved.
    bool save_bookmark();

private:
    ChannelSpec spec_;
    Opener opener_;
    std::filesystem::path file_;
    EventSink& sink_;
    core::Logger& logger_;
    std::unique_ptr<pal::EventChannelReader> reader_;
    std::vector<pal::ChannelEvent> pending_;  // read, not yet accepted
    std::size_t next_ = 0;
    std::string accepted_bookmark_;
    std::string saved_bookmark_;
    bool read_failing_ = false;
};

}  // namespace logcollector
