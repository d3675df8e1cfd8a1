#include "logcollector/log_format.hpp"

#include <gtest/gtest.h>

namespace logcollector {
namespace {

core::LocalFile localfile(std::string location, std::string format, int line) {
    core::LocalFile file;
    file.location = std::move(location);
    file.log_format = std::move(format);
    file.line = line;
    return file;
}

TEST(LogFormatTest, FormatsOssecReadsWithReadSyslogGoToQueueOne) {
    for (const char* format : {"syslog", "snort-fast", "apache", "iis", "squid"}) {
        EXPECT_EQ(plain_line_queue(format), '1') << format;
    }
    for (const char* format : {"snort-full", "nmapg", "mysql_log", "postgresql_log",
                               "djb-multilog", "multi-line:3", "command", "json"}) {
        EXPECT_FALSE(plain_line_queue(format).has_value()) << format;
    }
}

TEST(LogFormatTest, SkipsUnsupportedAndDuplicateEntriesWithTheirLine) {
    const auto selection = select_localfiles(
        {localfile("/var/log/auth.log", "syslog", 10), localfile("/var/log/*.log", "syslog", 14),
         localfile("/var/log/audit/audit.log", "audit", 18),
         localfile("/var/log/auth.log", "apache", 22)},
        "/var/ossec/etc/ossec.conf");
    ASSERT_EQ(selection.tails.size(), 2u);
    EXPECT_EQ(selection.tails[0].location, "/var/log/auth.log");
    EXPECT_EQ(selection.tails[1].location, "/var/log/*.log");
    ASSERT_EQ(selection.skipped.size(), 2u);
    EXPECT_EQ(selection.skipped[0].rfind("/var/ossec/etc/ossec.conf:18: log_format", 0), 0u)
        << selection.skipped[0];
    EXPECT_EQ(selection.skipped[1].rfind("/var/ossec/etc/ossec.conf:22: log file", 0), 0u)
        << selection.skipped[1];
}

TEST(LogFormatTest, FramedFormatsAreFollowedWithOssecQueueCharacters) {
    const auto selection = select_localfiles(
        {localfile("/var/log/mysql.log", "mysql_log", 1),
         localfile("/var/log/pg.log", "postgresql_log", 2),
         localfile("/var/log/nmap.gnmap", "nmapg", 3),
         localfile("/service/x/log/main/current", "djb-multilog", 4),
         localfile("/var/log/snort/alert", "snort-full", 5),
         localfile("/var/log/app.json", "json", 6), localfile("/var/log/m.log", "multi-line", 7),
         localfile("/var/log/r.log", "multi-line-regex", 8)},
        "ossec.conf");
    ASSERT_EQ(selection.tails.size(), 8u);
    std::string queues;
    for (const TailSpec& spec : selection.tails) {
        queues.push_back(spec.queue);
        EXPECT_TRUE(spec.assembled) << spec.location;
    }
    EXPECT_EQ(queues, "ab3a1111");
    EXPECT_TRUE(selection.skipped.empty());
}

TEST(LogFormatTest, CommandsKeepTheirAliasAndFrequencyWith360SecondsByDefault) {
    auto df = localfile("", "command", 30);
    df.command = "df -P";
    auto ports = localfile("", "full_command", 34);
    ports.command = "netstat -tan | sort";
    ports.alias = "netstat listening ports";
    ports.frequency = std::chrono::seconds(60);
    const auto selection = select_localfiles({df, ports}, "ossec.conf");

    ASSERT_EQ(selection.commands.size(), 2u);
    EXPECT_EQ(selection.commands[0].command, "df -P");
    EXPECT_FALSE(selection.commands[0].full);
    EXPECT_EQ(selection.commands[0].frequency, std::chrono::seconds(360));
    EXPECT_EQ(selection.commands[1].alias, "netstat listening ports");
    EXPECT_TRUE(selection.commands[1].full);
    EXPECT_EQ(selection.commands[1].frequency, std::chrono::seconds(60));
    EXPECT_TRUE(selection.skipped.empty());
}

}  // namespace
}  // namespace logcollector
