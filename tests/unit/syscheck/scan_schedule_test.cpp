#include "syscheck/scan_schedule.hpp"

#include <gtest/gtest.h>

namespace syscheck {
namespace {

// 2026-12-03 is a Thursday (tm_wday 4).
std::tm at(int mday, int wday, int hour, int minute) {
    std::tm t{};
    t.tm_mday = mday;
    t.tm_wday = wday;
    t.tm_hour = hour;
    t.tm_min = minute;
    return t;
}

TEST(ScanTimeTest, ReadsOssecTimes) {
    EXPECT_EQ(parse_scan_time("10pm"), 22 * 60);
    EXPECT_EQ(parse_scan_time("10:30 PM"), 22 * 60 + 30);
    EXPECT_EQ(parse_scan_time("12pm"), 12 * 60);
    EXPECT_EQ(parse_scan_time("9am"), 9 * 60);
    EXPECT_EQ(parse_scan_time("22:05"), 22 * 60 + 5);
    EXPECT_EQ(parse_scan_time("0"), 0);
}

TEST(ScanTimeTest, RefusesWhatIsNotATime) {
    for (const char* bad : {"", "25", "13pm", "10:5", "10:61", "noon", "100", "10pmx"}) {
        EXPECT_EQ(parse_scan_time(bad), std::nullopt) << bad;
    }
}

TEST(ScanDayTest, ReadsNamesListsAndGroups) {
    const auto days = parse_scan_day("saturday, Sun");
    ASSERT_TRUE(days);
    EXPECT_TRUE(days->includes(6));
    EXPECT_TRUE(days->includes(0));
    EXPECT_FALSE(days->includes(1));
    const auto weekdays = parse_scan_day("weekdays");
    ASSERT_TRUE(weekdays);
    EXPECT_TRUE(weekdays->includes(1));
    EXPECT_TRUE(weekdays->includes(5));
    EXPECT_FALSE(weekdays->includes(6));
    const auto not_monday = parse_scan_day("!monday");
    ASSERT_TRUE(not_monday);
    EXPECT_FALSE(not_monday->includes(1));
    EXPECT_TRUE(not_monday->includes(2));
    EXPECT_EQ(parse_scan_day("someday"), std::nullopt);
    EXPECT_EQ(parse_scan_day(""), std::nullopt);
    EXPECT_EQ(parse_scan_day("mondays"), std::nullopt);
}

TEST(ScanScheduleTest, ScanTimeRunsOnceADayAndMakesTheFrequencyWeekly) {
    ScanSchedule schedule(parse_scan_time("10pm"), std::nullopt, std::chrono::seconds(3600));
    EXPECT_EQ(schedule.frequency(), kWeek);
    schedule.start(at(3, 4, 9, 0));
    EXPECT_FALSE(schedule.due(at(3, 4, 21, 59)));
    EXPECT_TRUE(schedule.due(at(3, 4, 22, 0)));
    EXPECT_FALSE(schedule.due(at(3, 4, 23, 0)));  // done for the day
    EXPECT_FALSE(schedule.due(at(4, 5, 8, 0)));
    EXPECT_TRUE(schedule.due(at(4, 5, 22, 30)));
}

TEST(ScanScheduleTest, StartPastTheTimeWaitsForTheNextDay) {
    ScanSchedule schedule(parse_scan_time("10:00"), std::nullopt, std::chrono::seconds(3600));
    schedule.start(at(3, 4, 11, 0));
    EXPECT_FALSE(schedule.due(at(3, 4, 12, 0)));
    EXPECT_TRUE(schedule.due(at(4, 5, 10, 0)));
}

TEST(ScanScheduleTest, ScanDayAndTimeTogether) {
    ScanSchedule schedule(parse_scan_time("1am"), parse_scan_day("saturday"),
                          std::chrono::seconds(3600));
    schedule.start(at(3, 4, 0, 0));
    EXPECT_FALSE(schedule.due(at(4, 5, 2, 0)));   // Friday
    EXPECT_FALSE(schedule.due(at(5, 6, 0, 30)));  // Saturday, too early
    EXPECT_TRUE(schedule.due(at(5, 6, 1, 0)));
    EXPECT_FALSE(schedule.due(at(5, 6, 5, 0)));
}

TEST(ScanScheduleTest, WithoutTimeOrDayOnlyTheFrequencyCounts) {
    ScanSchedule schedule(std::nullopt, std::nullopt, std::chrono::seconds(3600));
    EXPECT_EQ(schedule.frequency(), std::chrono::seconds(3600));
    schedule.start(at(3, 4, 0, 0));
    EXPECT_FALSE(schedule.due(at(3, 4, 12, 0)));
}

}  // namespace
}  // namespace syscheck
