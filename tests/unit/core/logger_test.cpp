#include "core/logger.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "support/test_support.hpp"

namespace core {
namespace {

TEST(LoggerTest, LineHasOssecFormat) {
    const std::string line =
        format_log_line("ossec-agentd", LogLevel::kWarning, "hello", std::time(nullptr));
    EXPECT_TRUE(std::regex_match(
        line, std::regex(R"(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} ossec-agentd: WARNING: hello)")))
        << line;
}

TEST(LoggerTest, WritesToFileAndHidesDebugByDefault) {
    testing_support::TempDir dir;
    const auto file = dir.path() / "logs" / "ossec.log";
    {
        Logger logger("ossec-test", file, false, 0);
        logger.info("one");
        logger.debug("hidden");
        logger.error("two");
    }
    const std::string content = testing_support::read_file(file);
    EXPECT_NE(content.find("ossec-test: INFO: one\n"), std::string::npos);
    EXPECT_NE(content.find("ossec-test: ERROR: two\n"), std::string::npos);
    EXPECT_EQ(content.find("hidden"), std::string::npos);
}

TEST(LoggerTest, DebugLevelShowsDebugLines) {
    testing_support::TempDir dir;
    const auto file = dir.path() / "ossec.log";
    {
        Logger logger("ossec-test", file, false, 1);
        logger.debug("visible");
        logger.debug2("still hidden");
    }
    const std::string content = testing_support::read_file(file);
    EXPECT_NE(content.find("DEBUG: visible"), std::string::npos);
    EXPECT_EQ(content.find("still hidden"), std::string::npos);
}

}  // namespace
}  // namespace core
