#include "logcollector/event_channel_source.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "tail_fixture.hpp"

namespace logcollector {
namespace {

using Messages = std::vector<std::string>;

// A channel in memory: events numbered from 1, each bookmark the number
// of its event; a reader opened with a bookmark starts after it, one
// opened without starts with the events raised after the opening.
struct FakeChannel {
    std::vector<pal::ChannelEvent> events;
    std::vector<std::string> opened_with;  // the bookmark of each open

    void raise(std::uint32_t id, const std::string& message) {
        pal::ChannelEvent e;
        e.channel = "Security";
        e.event_id = id;
        e.provider = "Microsoft-Windows-Security-Auditing";
        e.user = "SYSTEM";
        e.domain = "NT AUTHORITY";
        e.computer = "WIN-1";
        e.time_created.tm_year = 126;
        e.time_created.tm_mon = 11;
        e.time_created.tm_mday = 3;
        e.time_created.tm_hour = 9;
        e.time_created.tm_min = 5;
        e.time_created.tm_sec = 7;
        e.level = 0;
        e.keywords = 0x20000000000000ULL;
        e.message = message;
        e.bookmark = std::to_string(events.size() + 1);
        events.push_back(e);
    }

    class Reader final : public pal::EventChannelReader {
    public:
        Reader(FakeChannel& channel, std::size_t next) : channel_(channel), next_(next) {}
        std::vector<pal::ChannelEvent> read(std::size_t max, std::chrono::milliseconds,
                                            std::error_code& ec) override {
            ec.clear();
            std::vector<pal::ChannelEvent> out;
            while (next_ < channel_.events.size() && out.size() < max) {
                out.push_back(channel_.events[next_++]);
            }
            return out;
        }

    private:
        FakeChannel& channel_;
        std::size_t next_;
    };

    EventChannelSource::Opener opener() {
        return [this](const std::string&, const std::string&, const std::string& bookmark,
                      std::error_code&) -> std::unique_ptr<pal::EventChannelReader> {
            opened_with.push_back(bookmark);
            const std::size_t next = bookmark.empty() ? events.size() : std::stoul(bookmark);
            return std::make_unique<Reader>(*this, next);
        };
    }
};

class EventChannelSourceTest : public TailFixture {
protected:
    std::unique_ptr<EventChannelSource> source(bool only_future = false) {
        auto s = std::make_unique<EventChannelSource>(
            ChannelSpec{"Security", "", only_future}, channel_.opener(), dir_.path() / "bm",
            sink_, logger_);
        EXPECT_TRUE(s->start());
        return s;
    }

    static std::string logon(const std::string& message) {
        return "1:WinEvtLog:2026 Dec 03 09:05:07 WinEvtLog: Security: AUDIT_SUCCESS(4624): "
               "Microsoft-Windows-Security-Auditing: SYSTEM: NT AUTHORITY: WIN-1: " +
               message;
    }

    FakeChannel channel_;
};

TEST_F(EventChannelSourceTest, SendsEventsAsOssecEventchannelDoes) {
    auto s = source();
    channel_.raise(4624, "An account was successfully logged on.\r\n\r\nSubject:\t\tS-1-5-18");
    s->step();
    EXPECT_EQ(sink_.messages,
              (Messages{logon("An account was successfully logged on.    Subject:  S-1-5-18")}));
}

TEST_F(EventChannelSourceTest, MissingFieldsAndLevelsReadAsInOssec) {
    pal::ChannelEvent e;
    e.channel = "System";
    e.event_id = 7036;
    e.level = 2;
    EXPECT_EQ(format_channel_event(e),
              "1900 Jan 00 00:00:00 WinEvtLog: System: ERROR(7036): no source: (no user): "
              "no domain: no computer: (no message)");
    e.level.reset();
    EXPECT_NE(format_channel_event(e).find(": Unknown(7036): "), std::string::npos);
    e.level = 0;
    e.keywords = 0x10000000000000ULL;
    EXPECT_NE(format_channel_event(e).find(": AUDIT_FAILURE(7036): "), std::string::npos);
}

TEST_F(EventChannelSourceTest, EventsRaisedWhileStoppedAreSentOnceAfterRestart) {
    auto first = source();
    channel_.raise(4624, "one");
    channel_.raise(4624, "two");
    first->step();
    first.reset();  // stopped; bookmark "2" saved as the sink was drained

    channel_.raise(4624, "three");  // while the agent is down
    auto second = source();
    second->step();
    EXPECT_EQ(channel_.opened_with, (std::vector<std::string>{"", "2"}));
    EXPECT_EQ(sink_.messages, (Messages{logon("one"), logon("two"), logon("three")}));
    EXPECT_EQ(testing_support::read_file(bookmark_file(dir_.path() / "bm", "Security")), "3");
}

TEST_F(EventChannelSourceTest, RefusedEventIsOfferedAgainAndBookmarkWaitsForTheSink) {
    auto s = source();
    channel_.raise(4624, "one");
    channel_.raise(4624, "two");
    sink_.capacity = 1;
    s->step();
    EXPECT_EQ(sink_.messages, (Messages{logon("one")}));
    sink_.drained_flag = false;
    sink_.capacity = 10;
    s->step();
    EXPECT_EQ(sink_.messages, (Messages{logon("one"), logon("two")}));
    EXPECT_FALSE(std::filesystem::exists(bookmark_file(dir_.path() / "bm", "Security")));
    sink_.drained_flag = true;
    EXPECT_TRUE(s->save_bookmark());
    EXPECT_EQ(testing_support::read_file(bookmark_file(dir_.path() / "bm", "Security")), "2");
}

TEST_F(EventChannelSourceTest, OnlyFutureEventsKeepsNoBookmark) {
    channel_.raise(4624, "old");
    auto s = source(true);
    channel_.raise(4624, "new");
    s->step();
    EXPECT_EQ(sink_.messages, (Messages{logon("new")}));
    EXPECT_FALSE(std::filesystem::exists(dir_.path() / "bm"));
}

TEST_F(EventChannelSourceTest, BookmarkFileIsNamedAsOssecNamesIt) {
    EXPECT_EQ(bookmark_file("q", "Microsoft-Windows-Sysmon/Operational"),
              std::filesystem::path("q") / "Microsoft-Windows-Sysmon_Operational");
}

TEST_F(EventChannelSourceTest, ThisSystemsReaderSaysNotSupported) {
    std::error_code ec;
    EXPECT_EQ(pal::open_event_channel("Security", "", "", ec), nullptr);
    EXPECT_EQ(ec, std::make_error_code(std::errc::function_not_supported));
}

}  // namespace
}  // namespace logcollector
