// Locations with wildcards and dates: files found later, directories
// matched by a wildcard, rotated files matched by the same pattern.
#include "logcollector/log_collector.hpp"

#include "tail_fixture.hpp"

namespace logcollector {
namespace {

using Messages = std::vector<std::string>;
using namespace std::chrono_literals;

// The logs live in logs/, away from the fixture's ossec.log.
class LogCollectorPatternTest : public TailFixture {
protected:
    LogCollectorPatternTest() { std::filesystem::create_directories(log("")); }

    std::filesystem::path log(const std::string& name) const {
        return dir_.path() / "logs" / name;
    }

    std::unique_ptr<LogCollector> start(const std::string& location,
                                        bool only_future_events = true) {
        store_ = std::make_unique<PositionStore>(file("positions"));
        auto collector = std::make_unique<LogCollector>(
            std::vector<TailSpec>{TailSpec{location, '1', only_future_events}}, *store_,
            CollectorOptions{}, sink_, clock_, logger_);
        collector->start();
        return collector;
    }

    std::unique_ptr<PositionStore> store_;
};

TEST_F(LogCollectorPatternTest, FollowsEveryMatchingFileFromStartOnlyNewLines) {
    append(log("a.log"), "old a\n");
    append(log("b.log"), "old b\n");
    append(log("c.txt"), "not matched\n");
    auto collector = start(log("*.log").string());
    append(log("a.log"), "new a\n");
    append(log("b.log"), "new b\n");
    append(log("c.txt"), "not matched either\n");
    collector->step();
    EXPECT_EQ(sink_.messages, (Messages{event(log("a.log"), "new a"),
                                        event(log("b.log"), "new b")}));
}

TEST_F(LogCollectorPatternTest, ReadsAFileThatAppearsLaterFromItsStartAfterAChange) {
    auto collector = start(log("*.log").string());
    collector->step();
    append(log("late.log"), "first\nsecond\n");
    clock_.advance(150ms);
    collector->rescan_soon();
    collector->step();
    EXPECT_EQ(sink_.messages, (Messages{event(log("late.log"), "first"),
                                        event(log("late.log"), "second")}));
}

TEST_F(LogCollectorPatternTest, FindsALateFileByPollingWithoutAnyChangeReported) {
    auto collector = start(log("app-?.log").string());
    append(log("app-1.log"), "found by the rescan\n");
    collector->step();
    EXPECT_TRUE(sink_.messages.empty());
    clock_.advance(2s);
    collector->step();
    EXPECT_EQ(sink_.messages, Messages{event(log("app-1.log"), "found by the rescan")});
}

TEST_F(LogCollectorPatternTest, LogsADirectoryMatchedByAWildcardOnce) {
    std::filesystem::create_directories(log("dir.log"));
    auto collector = start(log("*.log").string());
    for (int i = 0; i < 5; ++i) {
        clock_.advance(2s);
        collector->step();
    }
    EXPECT_EQ(collector->file_count(), 0u);
    EXPECT_EQ(log_lines_containing("is not a regular file"), 1);
}

TEST_F(LogCollectorPatternTest, DoesNotReadARotatedFileAgainUnderItsNewName) {
    append(log("app.log"), "before\n");
    auto collector = start(log("app.log*").string());
    append(log("app.log"), "line 1\n");
    collector->step();
    std::filesystem::rename(log("app.log"), log("app.log.1"));
    append(log("app.log"), "line 2\n");
    collector->step();
    clock_.advance(2s);
    collector->step();
    append(log("app.log.1"), "late write to the old file\n");
    collector->step();

    EXPECT_EQ(sink_.messages,
              (Messages{event(log("app.log"), "line 1"),
                        "1:ossec-logcollector:ossec: File rotated (inode changed): '" +
                            log("app.log").string() + "'.",
                        event(log("app.log"), "line 2"),
                        event(log("app.log.1"), "late write to the old file")}));
}

TEST_F(LogCollectorPatternTest, SwitchesToTheNewDayFileAndDrainsTheOldOne) {
    std::tm local{};
    local.tm_year = 124;
    local.tm_mon = 2;
    local.tm_mday = 9;
    clock_.set_local_time(local);
    auto collector = start(log("app-%Y%m%d.log").string());
    append(log("app-20240309.log"), "saturday\n");
    collector->step();

    local.tm_mday = 10;
    clock_.set_local_time(local);
    append(log("app-20240309.log"), "saturday, late\n");
    append(log("app-20240310.log"), "sunday\n");
    clock_.advance(2s);
    collector->step();
    collector->step();

    EXPECT_EQ(sink_.messages, (Messages{event(log("app-20240309.log"), "saturday"),
                                        event(log("app-20240309.log"), "saturday, late"),
                                        event(log("app-20240310.log"), "sunday")}));
    EXPECT_EQ(collector->file_count(), 1u);
}

TEST_F(LogCollectorPatternTest, WatchesThePatternDirectoryAndThoseOfItsFiles) {
    std::filesystem::create_directories(log("s1"));
    append(log("s1/x.log"), "x\n");
    auto collector = start(log("s*/x.log").string());
    EXPECT_EQ(collector->watch_directories(),
              (std::vector<std::filesystem::path>{log("").parent_path(), log("s1")}));
}

}  // namespace
}  // namespace logcollector
