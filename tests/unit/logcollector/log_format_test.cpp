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

TEST(LogFormatTest, SkipsUnsupportedPatternedAndDuplicateEntriesWithTheirLine) {
    const auto selection = select_localfiles(
        {localfile("/var/log/auth.log", "syslog", 10), localfile("/var/log/*.log", "syslog", 14),
         localfile("/var/log/mysql.log", "mysql_log", 18),
         localfile("/var/log/auth.log", "apache", 22)},
        "/var/ossec/etc/ossec.conf");
    ASSERT_EQ(selection.tails.size(), 1u);
    EXPECT_EQ(selection.tails[0].location, "/var/log/auth.log");
    ASSERT_EQ(selection.skipped.size(), 3u);
    EXPECT_EQ(selection.skipped[0].rfind("/var/ossec/etc/ossec.conf:14: location", 0), 0u)
        << selection.skipped[0];
    EXPECT_EQ(selection.skipped[1].rfind("/var/ossec/etc/ossec.conf:18: log_format", 0), 0u)
        << selection.skipped[1];
    EXPECT_EQ(selection.skipped[2].rfind("/var/ossec/etc/ossec.conf:22: log file", 0), 0u)
        << selection.skipped[2];
}

}  // namespace
}  // namespace logcollector
