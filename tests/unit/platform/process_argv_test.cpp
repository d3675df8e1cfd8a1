// pal::run_process passes every argument to the program exactly as given:
// execve on POSIX, and on Windows the CreateProcess command line built with
// MSVCRT quoting, parsed back by the child's C runtime. The child is
// argv_echo (built beside this test), which writes its arguments back in
// hex, so the comparison is byte for byte and runs on every OS.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pal/paths.hpp"
#include "pal/process.hpp"
#include "support/test_support.hpp"

namespace pal {
namespace {

std::filesystem::path echo_program() {
    return executable_path().parent_path() / ARGV_ECHO_NAME;
}

// argv_echo's output back into the arguments: one "<hex>." line each
// ("\r\n" line ends on Windows, where stdout is in text mode).
std::vector<std::string> decode(const std::string& output) {
    std::vector<std::string> args;
    std::string line;
    for (const char c : output) {
        if (c == '\r') {
            continue;
        }
        if (c != '\n') {
            line += c;
            continue;
        }
        EXPECT_FALSE(line.empty());
        EXPECT_EQ(line.back(), '.') << line;
        line.pop_back();
        args.push_back(testing_support::from_hex(line));
        line.clear();
    }
    EXPECT_TRUE(line.empty()) << "unterminated line: " << line;
    return args;
}

// Runs argv_echo with args and returns what it received.
std::vector<std::string> round_trip(const std::vector<std::string>& args) {
    ProcessRequest request;
    request.argv = {echo_program().string()};
    request.argv.insert(request.argv.end(), args.begin(), args.end());
    request.timeout = std::chrono::seconds(20);
    ProcessResult result;
    const std::error_code ec = run_process(request, result);
    EXPECT_FALSE(ec) << ec.message() << " starting " << request.argv[0];
    EXPECT_EQ(result.outcome, ProcessOutcome::kExited);
    EXPECT_EQ(result.exit_code, static_cast<int>(args.size())) << result.error_output;
    return decode(result.output);
}

TEST(ProcessArgvTest, HelperIsBuiltBesideTheTest) {
    EXPECT_TRUE(std::filesystem::exists(echo_program())) << echo_program();
}

TEST(ProcessArgvTest, PlainArgumentsArriveUnchanged) {
    const std::vector<std::string> args = {"add", "-", "1.2.3.4", "1700000000.1234",
                                           "5712"};
    EXPECT_EQ(round_trip(args), args);
}

TEST(ProcessArgvTest, SpacesAndTabsStayInsideOneArgument) {
    const std::vector<std::string> args = {
        "two words", " leading", "trailing ",
        "a\tb",      "  ",       "(sshd) 10.0.0.1->/var/log/auth.log"};
    EXPECT_EQ(round_trip(args), args);
}

TEST(ProcessArgvTest, QuotesArriveAsQuotes) {
    const std::vector<std::string> args = {
        "\"", "say \"hi\"", "\"\"", "a\"b\"c", "it's", "\"quoted at both ends\""};
    EXPECT_EQ(round_trip(args), args);
}

TEST(ProcessArgvTest, BackslashesAreKeptExactly) {
    const std::vector<std::string> args = {"C:\\Program Files (x86)\\ossec-agent\\",
                                           "\\",
                                           "\\\\",
                                           "a\\\\b",
                                           "\\\\server\\share",
                                           "ends with two\\\\",
                                           "\\\"",
                                           "a\\\\\"b",
                                           "dir\\ with space\\"};
    EXPECT_EQ(round_trip(args), args);
}

TEST(ProcessArgvTest, EmptyArgumentsAreNotDropped) {
    const std::vector<std::string> args = {"", "x", "", "", "y", ""};
    EXPECT_EQ(round_trip(args), args);
}

TEST(ProcessArgvTest, ShellAndCmdMetacharactersArePlainText) {
    const std::vector<std::string> args = {"a;reboot", "$(id)",  "`id`", "a&b|c>d<e",
                                           "^caret^",  "%PATH%", "!x!",  "*?[]{}~"};
    EXPECT_EQ(round_trip(args), args);
}

TEST(ProcessArgvTest, ManyArgumentsArriveInOrder) {
    std::vector<std::string> args;
    for (int i = 0; i < 100; ++i) {
        args.push_back("arg " + std::to_string(i) + std::string(i % 4, '\\'));
    }
    EXPECT_EQ(round_trip(args), args);
}

}  // namespace
}  // namespace pal
