// MSVCRT command-line quoting: what CreateProcessW receives must parse
// back into exactly the argument vector execd built.
#include <gtest/gtest.h>

#include "pal/process.hpp"

namespace pal {
namespace {

TEST(CommandLineTest, RoundTripsHostileArguments) {
    const std::vector<std::vector<std::string>> cases = {
        {"C:\\Program Files (x86)\\ossec-agent\\active-response\\bin\\netsh.exe", "add"},
        {"C:\\a.exe", "", "a b", "tab\there", "new\nline"},
        {"C:\\a.exe", "\"", "\"\"", "a\"b", "\\\"", "\\\\\"x"},
        {"C:\\a.exe", "C:\\dir\\", "C:\\dir\\\\", "\\", "\\\\", "trailing space\\"},
        {"C:\\a.exe", "(test-agent) any->C:\\logs\\x.log", "(null)", "$(id)", "'q'"},
        {"C:\\a.exe", "a\\\\b c", "\\\"a b\\\"", "&|<>^%!"},
    };
    for (const auto& argv : cases) {
        const std::string line = build_command_line(argv);
        EXPECT_EQ(parse_command_line(line), argv) << line;
    }
}

TEST(CommandLineTest, QuotesOnlyWhatNeedsQuotes) {
    EXPECT_EQ(build_command_line({"C:\\p.exe", "add", "-", "1.2.3.4"}),
              "\"C:\\p.exe\" add - 1.2.3.4");
    EXPECT_EQ(build_command_line({"C:\\p.exe", "a b", "x\\\"y", "d\\ e\\"}),
              "\"C:\\p.exe\" \"a b\" \"x\\\\\\\"y\" \"d\\ e\\\\\"");
}

TEST(CommandLineTest, ParsesLikeTheRuntime) {
    // Examples from Microsoft's "Parsing C command-line arguments".
    EXPECT_EQ(parse_command_line("p \"a b c\" d e"),
              (std::vector<std::string>{"p", "a b c", "d", "e"}));
    EXPECT_EQ(parse_command_line("p \"ab\\\"c\" \"\\\\\" d"),
              (std::vector<std::string>{"p", "ab\"c", "\\", "d"}));
    EXPECT_EQ(parse_command_line("p a\\\\\\b d\"e f\"g h"),
              (std::vector<std::string>{"p", "a\\\\\\b", "de fg", "h"}));
    EXPECT_EQ(parse_command_line("p a\\\\\\\"b c d"),
              (std::vector<std::string>{"p", "a\\\"b", "c", "d"}));
    EXPECT_EQ(parse_command_line("p a\\\\\\\\\"b c\" d e"),
              (std::vector<std::string>{"p", "a\\\\b c", "d", "e"}));
}

TEST(CommandLineTest, BatchFileArgumentsAreQuotedOrRefused) {
    EXPECT_EQ(build_batch_command_line({"C:\\x\\netsh.cmd", "add", "-", "1.2.3.4", "a&b"}),
              "\"C:\\x\\netsh.cmd\" \"add\" \"-\" \"1.2.3.4\" \"a&b\"");
    for (const char* bad : {"a\"b", "%PATH%", "x\ny", "x\ry"}) {
        EXPECT_FALSE(build_batch_command_line({"C:\\x\\netsh.cmd", "add", bad})) << bad;
    }
    EXPECT_FALSE(build_batch_command_line({"C:\\x\\netsh.cmd", std::string("a\0b", 3)}));
}

}  // namespace
}  // namespace pal
