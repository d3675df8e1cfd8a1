#include "logcollector/log_collector.hpp"

#include "tail_fixture.hpp"

namespace logcollector {
namespace {

using Messages = std::vector<std::string>;

class LogCollectorTest : public TailFixture {
protected:
    std::filesystem::path positions() const { return file("queue/logcollector/positions"); }

    // One run of the collector: start, a step, a save, as the program does
    // between its start and a clean stop.
    std::unique_ptr<LogCollector> start(const std::vector<std::filesystem::path>& logs,
                                        bool only_future_events = true) {
        std::vector<TailSpec> specs;
        for (const auto& log : logs) {
            specs.push_back(TailSpec{log.string(), '1', only_future_events});
        }
        store_ = std::make_unique<PositionStore>(positions());
        auto collector = std::make_unique<LogCollector>(std::move(specs), *store_,
                                                        CollectorOptions{}, sink_, clock_,
                                                        logger_);
        collector->start();
        return collector;
    }

    std::unique_ptr<PositionStore> store_;
};

TEST_F(LogCollectorTest, ResumesFromTheSavedOffsetAfterRestart) {
    const auto log = file("auth.log");
    append(log, "before the first start\n");
    auto first = start({log});
    append(log, "while running\n");
    first->step();
    ASSERT_TRUE(first->save_positions());
    first.reset();

    append(log, "while stopped 1\nwhile stopped 2\n");
    auto second = start({log});
    second->step();

    EXPECT_EQ(sink_.messages, (Messages{event(log, "while running"),
                                        event(log, "while stopped 1"),
                                        event(log, "while stopped 2")}));
}

TEST_F(LogCollectorTest, OnlyFutureEventsNoReadsANeverSeenFileFromItsStart) {
    const auto log = file("old.log");
    append(log, "written before the agent was installed\n");
    auto collector = start({log}, false);
    collector->step();
    EXPECT_EQ(sink_.messages, Messages{event(log, "written before the agent was installed")});
}

TEST_F(LogCollectorTest, SavesPositionsOnTheClockWithoutAnExplicitCall) {
    const auto log = file("a.log");
    append(log, "");
    auto collector = start({log});
    append(log, "x\n");
    collector->step();
    {
        PositionStore at_start(positions());
        ASSERT_FALSE(at_start.load());
        ASSERT_TRUE(at_start.find(log.string()).has_value());
        EXPECT_EQ(at_start.find(log.string())->offset, 0u) << "saved at start only";
    }

    clock_.advance(std::chrono::milliseconds(1000));
    collector->step();
    ASSERT_TRUE(std::filesystem::exists(positions()));
    PositionStore reread(positions());
    ASSERT_FALSE(reread.load());
    ASSERT_TRUE(reread.find(log.string()).has_value());
    EXPECT_EQ(reread.find(log.string())->offset, 2u);
}

TEST_F(LogCollectorTest, DoesNotSavePositionsWhileTheSinkHoldsEvents) {
    const auto log = file("a.log");
    append(log, "");
    auto collector = start({log});
    append(log, "held in memory\n");
    collector->step();
    sink_.drained_flag = false;
    EXPECT_FALSE(collector->save_positions());
    PositionStore reread(positions());
    ASSERT_FALSE(reread.load());
    ASSERT_TRUE(reread.find(log.string()).has_value());
    EXPECT_EQ(reread.find(log.string())->offset, 0u) << "the position saved at start";
}

// Killed before its first timed save: the next start must not begin at
// the file's end again, or the lines written in between are never read.
TEST_F(LogCollectorTest, CrashBeforeTheFirstTimedSaveLosesNoLine) {
    const auto log = file("a.log");
    append(log, "before the agent\n");
    auto first = start({log});
    append(log, "read, then killed\n");
    first->step();
    first.reset();  // no save_positions(): a kill -9

    append(log, "while down\n");
    auto second = start({log});
    second->step();
    EXPECT_EQ(sink_.messages, (Messages{event(log, "read, then killed"),
                                        event(log, "read, then killed"),
                                        event(log, "while down")}));
}

TEST_F(LogCollectorTest, FileRotatedWhileStoppedIsReadFromItsStart) {
    const auto log = file("syslog");
    append(log, "old content\n");
    auto first = start({log});
    ASSERT_TRUE(first->save_positions());
    first.reset();

    std::filesystem::rename(log, file("syslog.1"));
    append(log, "new file 1\nnew file 2\n");
    auto second = start({log});
    second->step();
    EXPECT_EQ(sink_.messages, (Messages{event(log, "new file 1"), event(log, "new file 2")}));
}

TEST_F(LogCollectorTest, FileRewrittenInPlaceWhileStoppedIsReadFromItsStart) {
    const auto log = file("app.log");
    append(log, "line one of the old content\nline two\n");
    auto first = start({log});
    ASSERT_TRUE(first->save_positions());
    first.reset();

    overwrite(log, "a completely different first line that is longer\n");
    auto second = start({log});
    second->step();
    EXPECT_EQ(sink_.messages,
              Messages{event(log, "a completely different first line that is longer")});
}

TEST_F(LogCollectorTest, EveryLineArrivesExactlyOnceAcrossRestartsAndRotations) {
    const auto log = file("busy.log");
    append(log, "");
    int written = 0;
    auto write_lines = [&](int count) {
        for (int i = 0; i < count; ++i) {
            append(log, "line " + std::to_string(written++) + "\n");
        }
    };
    auto collector = start({log});
    for (int round = 0; round < 6; ++round) {
        write_lines(50);
        collector->step();
        write_lines(7);
        if (round % 2 == 0) {
            std::filesystem::rename(log, file("busy.log." + std::to_string(round)));
            write_lines(3);  // lands in the new file
        }
        collector->step();
        collector->save_positions();
        collector.reset();
        write_lines(11);  // while stopped
        collector = start({log});
        collector->step();
    }

    Messages lines;
    for (const auto& message : sink_.messages) {
        if (message.find(":ossec-logcollector:") == std::string::npos) {
            lines.push_back(message);
        }
    }
    ASSERT_EQ(lines.size(), static_cast<std::size_t>(written));
    for (int i = 0; i < written; ++i) {
        EXPECT_EQ(lines[static_cast<std::size_t>(i)], event(log, "line " + std::to_string(i)));
    }
}

}  // namespace
}  // namespace logcollector
