#include "core/counter_store.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace core {
namespace {

using testing_support::read_file;
using testing_support::TempDir;
using testing_support::write_file;

TEST(CounterTextTest, ReadsOssecFormatIgnoringLeftovers) {
    Counters c;
    ASSERT_TRUE(parse_counter_text("42:1:97:", c));
    EXPECT_EQ(c, (Counters{42, 1}));
    EXPECT_FALSE(parse_counter_text("", c));
    EXPECT_FALSE(parse_counter_text("x:1:", c));
    EXPECT_FALSE(parse_counter_text("99999999999:1:", c));
    EXPECT_EQ(format_counter_text({3, 17}), "3:17:");
}

TEST(SenderCounterTest, FreshStartUsesFloorAndWritesReservation) {
    TempDir dir;
    const auto file = dir.path() / "rids" / "sender_counter";
    std::error_code ec;
    SenderCounter counter(file, 500, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(read_file(file), "500:0:");
    EXPECT_EQ(counter.next(ec), (Counters{500, 1}));
}

TEST(SenderCounterTest, RestartNeverReusesAPair) {
    TempDir dir;
    const auto file = dir.path() / "sender_counter";
    std::error_code ec;
    Counters last;
    {
        SenderCounter counter(file, 0, ec);
        for (int i = 0; i < 12000; ++i) {
            last = counter.next(ec);
        }
    }
    // A crash at this point: only the reservation is on disk.
    SenderCounter restarted(file, 0, ec);
    const Counters first = restarted.next(ec);
    EXPECT_TRUE(is_newer(first, last)) << first.global << ":" << first.local;
    EXPECT_EQ(first, (Counters{last.global + 1, 1}));
}

TEST(SenderCounterTest, ContinuesAfterAnOssecAgentsCounterFile) {
    TempDir dir;
    const auto file = dir.path() / "sender_counter";
    write_file(file, "42:1:97:");
    std::error_code ec;
    SenderCounter counter(file, 0, ec);
    EXPECT_TRUE(is_newer(counter.next(ec), {42, 9997}));
}

TEST(SenderCounterTest, CorruptFileFallsBackToFloor) {
    TempDir dir;
    const auto file = dir.path() / "sender_counter";
    write_file(file, "garbage");
    std::error_code ec;
    SenderCounter counter(file, 77, ec);
    EXPECT_EQ(counter.next(ec), (Counters{77, 1}));
}

TEST(SenderCounterTest, WrapWritesTheNewGlobal) {
    TempDir dir;
    const auto file = dir.path() / "sender_counter";
    std::error_code ec;
    SenderCounter counter(file, 10, ec);
    for (std::uint32_t i = 0; i < kMaxLocal; ++i) {
        counter.next(ec);
    }
    EXPECT_EQ(read_file(file), "10:0:");
    EXPECT_EQ(counter.next(ec), (Counters{11, 1}));
    EXPECT_EQ(read_file(file), "11:0:");
}

TEST(SenderCounterTest, AdvanceToMovesForwardOnly) {
    TempDir dir;
    const auto file = dir.path() / "sender_counter";
    std::error_code ec;
    SenderCounter counter(file, 10, ec);
    EXPECT_FALSE(counter.advance_to(5));
    EXPECT_EQ(counter.next(ec), (Counters{10, 1}));
    EXPECT_FALSE(counter.advance_to(20));
    EXPECT_EQ(counter.next(ec), (Counters{20, 1}));
    EXPECT_EQ(read_file(file), "20:0:");
}

TEST(ReceiveCounterTest, RejectsReplaysAndPersistsAcrossRestart) {
    TempDir dir;
    const auto file = dir.path() / "001";
    std::error_code ec;
    {
        ReceiveCounter counter(file);
        EXPECT_TRUE(counter.accept({0, 3}, ec));
        EXPECT_FALSE(counter.accept({0, 3}, ec));
        EXPECT_FALSE(counter.accept({0, 2}, ec));
        EXPECT_TRUE(counter.accept({1, 1}, ec));
    }
    ReceiveCounter restarted(file);
    EXPECT_EQ(restarted.last(), (Counters{1, 1}));
    EXPECT_FALSE(restarted.accept({0, 9000}, ec));
    EXPECT_TRUE(restarted.accept({1, 2}, ec));
}

}  // namespace
}  // namespace core
