#include "agentd/spool.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_support.hpp"

namespace agentd {
namespace {

using testing_support::TempDir;

std::unique_ptr<Spool> open_spool(const std::filesystem::path& dir, SpoolLimits limits = {}) {
    auto spool = Spool::open(dir, limits);
    EXPECT_TRUE(spool.ok()) << (spool.ok() ? "" : spool.error());
    return spool.ok() ? std::move(spool.value()) : nullptr;
}

std::vector<std::string> read_all(Spool& spool) {
    std::vector<std::string> events;
    while (auto event = spool.next()) {
        events.push_back(*event);
    }
    return events;
}

TEST(SpoolTest, ReadsBackInOrderOnlyWhatWasFlushed) {
    TempDir dir;
    auto spool = open_spool(dir.path());
    ASSERT_TRUE(spool->append("one"));
    ASSERT_TRUE(spool->append(std::string("t\0o", 3)));
    EXPECT_FALSE(spool->next().has_value());  // not flushed yet
    spool->flush();
    EXPECT_EQ(read_all(*spool), (std::vector<std::string>{"one", std::string("t\0o", 3)}));
    spool->append("three");
    spool->flush();
    EXPECT_EQ(read_all(*spool), std::vector<std::string>{"three"});
}

TEST(SpoolTest, UnconfirmedEventsComeBackAfterRestart) {
    TempDir dir;
    {
        auto spool = open_spool(dir.path());
        for (int i = 0; i < 10; ++i) {
            spool->append("event " + std::to_string(i));
        }
        spool->flush();
        for (int i = 0; i < 4; ++i) {
            spool->next();
        }
        spool->commit(spool->send_position());  // 0..3 confirmed
        spool->next();                           // 4 sent, not confirmed
        spool->save_cursor();
    }
    auto spool = open_spool(dir.path());
    EXPECT_EQ(spool->stats().events_pending, 6u);
    const auto events = read_all(*spool);
    ASSERT_EQ(events.size(), 6u);
    EXPECT_EQ(events.front(), "event 4");
    EXPECT_EQ(events.back(), "event 9");
}

TEST(SpoolTest, RewindResendsWhatWasNotConfirmed) {
    TempDir dir;
    auto spool = open_spool(dir.path());
    for (int i = 0; i < 5; ++i) {
        spool->append(std::to_string(i));
    }
    spool->flush();
    spool->next();
    spool->commit(spool->send_position());
    read_all(*spool);
    spool->rewind();
    EXPECT_EQ(read_all(*spool), (std::vector<std::string>{"1", "2", "3", "4"}));
}

TEST(SpoolTest, RecordCutShortByACrashIsDiscarded) {
    TempDir dir;
    {
        auto spool = open_spool(dir.path());
        spool->append("whole");
        spool->flush();
    }
    // A crash in the middle of a write: length says 100, 3 bytes follow.
    const auto segment = dir.path() / "00000000000000000001.seg";
    ASSERT_TRUE(std::filesystem::exists(segment));
    {
        std::ofstream out(segment, std::ios::binary | std::ios::app);
        const char partial[] = {100, 0, 0, 0, 'a', 'b', 'c'};
        out.write(partial, sizeof partial);
    }
    auto spool = open_spool(dir.path());
    EXPECT_EQ(read_all(*spool), std::vector<std::string>{"whole"});
    spool->append("after");
    spool->flush();
    EXPECT_EQ(read_all(*spool), std::vector<std::string>{"after"});
}

TEST(SpoolTest, SegmentsRollOverAndAreFreedWhenConfirmed) {
    TempDir dir;
    SpoolLimits limits;
    limits.segment_bytes = 100;
    auto spool = open_spool(dir.path(), limits);
    for (int i = 0; i < 50; ++i) {
        spool->append("event number " + std::to_string(i));
    }
    spool->flush();
    const auto segments = [&] {
        return std::distance(std::filesystem::directory_iterator(dir.path()),
                             std::filesystem::directory_iterator{});
    };
    EXPECT_GT(segments(), 5);
    const auto events = read_all(*spool);
    ASSERT_EQ(events.size(), 50u);
    EXPECT_EQ(events[49], "event number 49");
    spool->commit(spool->send_position());
    spool->save_cursor();
    EXPECT_LE(segments(), 2);  // the tail segment and the cursor
    EXPECT_EQ(spool->stats().events_pending, 0u);
}

TEST(SpoolTest, DiskLimitDropsAndCounts) {
    TempDir dir;
    SpoolLimits limits;
    limits.max_disk_bytes = 100;
    auto spool = open_spool(dir.path(), limits);
    int accepted = 0;
    for (int i = 0; i < 20; ++i) {
        accepted += spool->append(std::string(16, 'x')) ? 1 : 0;
    }
    EXPECT_EQ(accepted, 5);  // 5 records of 4 + 16 bytes
    EXPECT_EQ(spool->stats().dropped, 15u);
}

TEST(SpoolTest, CorruptCursorFallsBackToTheOldestSegment) {
    TempDir dir;
    {
        auto spool = open_spool(dir.path());
        spool->append("kept");
        spool->flush();
    }
    testing_support::write_file(dir.path() / "cursor", "garbage");
    auto spool = open_spool(dir.path());
    EXPECT_EQ(read_all(*spool), std::vector<std::string>{"kept"});
}

}  // namespace
}  // namespace agentd
