#include "logcollector/command_source.hpp"

#include <thread>

#include "logcollector/command_output.hpp"
#include "pal/command.hpp"
#include "tail_fixture.hpp"

namespace logcollector {
namespace {

using Messages = std::vector<std::string>;
using namespace std::chrono_literals;

TEST(CommandOutputTest, SendsOneEventPerNonEmptyLine) {
    EXPECT_EQ(command_events("df -P", "Filesystem 1024-blocks\n\n/dev/sda1 100\r\n"),
              (Messages{"ossec: output: 'df -P': Filesystem 1024-blocks",
                        "ossec: output: 'df -P': /dev/sda1 100"}));
}

TEST(CommandOutputTest, CutsALongLineWhereFgetsWould) {
    const std::string line(kCommandReadSize + 10, 'x');
    const auto events = command_events("c", line + "\n");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0], "ossec: output: 'c': " + std::string(kCommandReadSize - 1, 'x'));
    EXPECT_EQ(events[1], "ossec: output: 'c': " + std::string(11, 'x'));
}

TEST(CommandOutputTest, FullCommandIsOneEventWithOssecsNewlineRules) {
    EXPECT_EQ(full_command_event("ports", "tcp 22\r\n\n\ntcp 80\nunfinished"),
              "ossec: output: 'ports':\ntcp 22\n\ntcp 80");
    EXPECT_EQ(full_command_event("ports", ""), "ossec: output: 'ports':");
}

TEST(CommandOutputTest, EscapesControlCharactersButKeepsFullCommandNewlines) {
    EXPECT_EQ(full_command_event("c", std::string("a\0b\nc\n", 6)),
              "ossec: output: 'c':\na\\x00b\nc");
}

class CommandSourceTest : public TailFixture {
protected:
    // A runner that answers with output and remembers the argv it got.
    ProcessRunner answering(std::string output) {
        return [this, output](const pal::ProcessRequest& request, pal::ProcessResult& result) {
            std::lock_guard lock(mutex_);
            argvs_.push_back(request.argv);
            result.output = output;
            return std::error_code{};
        };
    }

    // Steps until count messages arrived, up to a deadline.
    void step_until(CommandSource& source, std::size_t count) {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (sink_.messages.size() < count && std::chrono::steady_clock::now() < deadline) {
            source.step();
            std::this_thread::yield();
        }
    }

    std::mutex mutex_;
    std::vector<std::vector<std::string>> argvs_;
};

TEST_F(CommandSourceTest, SendsEachLineUnderTheAlias) {
    CommandSource source({"df -P", "disk", false}, answering("a\nb\n"), sink_, clock_,
                         logger_);
    step_until(source, 2);
    EXPECT_EQ(sink_.messages, (Messages{"1:disk:ossec: output: 'disk': a",
                                        "1:disk:ossec: output: 'disk': b"}));
}

TEST_F(CommandSourceTest, FullCommandUsesTheCommandAsNameWithoutAnAlias) {
    CommandSource source({"df -P", "", true}, answering("a\nb\n"), sink_, clock_, logger_);
    step_until(source, 1);
    EXPECT_EQ(sink_.messages, Messages{"1:df -P:ossec: output: 'df -P':\na\nb"});
}

TEST_F(CommandSourceTest, RunsAgainOnlyAfterItsFrequency) {
    CommandSource source({"df -P", "", false, 60s}, answering("x\n"), sink_, clock_,
                         logger_);
    step_until(source, 1);
    source.step();
    clock_.advance(59s);
    source.step();
    EXPECT_FALSE(source.running());
    clock_.advance(1s);
    step_until(source, 2);
    EXPECT_EQ(sink_.messages.size(), 2u);
}

TEST_F(CommandSourceTest, RunsPlainWordsWithoutAShellAndShellSyntaxThroughIt) {
    // A program named by its path, so that no PATH lookup is involved.
    const auto program = dir_.path() / "my prog";
    testing_support::write_file(program, "");
    pal::CommandArgv plain;
    ASSERT_FALSE(pal::command_argv("\"" + program.string() + "\" -l \"my dir\"", plain));
    EXPECT_FALSE(plain.through_shell);
    ASSERT_EQ(plain.argv.size(), 3u);
    EXPECT_EQ(plain.argv[1], "-l");
    EXPECT_EQ(plain.argv[2], "my dir");

    pal::CommandArgv piped;
    ASSERT_FALSE(pal::command_argv("netstat -tan | grep LISTEN", piped));
    EXPECT_TRUE(piped.through_shell);
    EXPECT_EQ(piped.argv.back(), "netstat -tan | grep LISTEN");
}

TEST_F(CommandSourceTest, RunsARealCommandThroughThePlatform) {
    CommandSource source({"echo hello", "", false}, pal::run_process, sink_, clock_,
                         logger_);
    step_until(source, 1);
    EXPECT_EQ(sink_.messages, Messages{"1:echo hello:ossec: output: 'echo hello': hello"});
}

TEST_F(CommandSourceTest, AnUnrunnableCommandIsLoggedOnceAndNothingSent) {
    CommandSource source({"  ", "", false, 1s}, answering("x\n"),
                         sink_, clock_, logger_);
    for (int i = 0; i < 3; ++i) {
        source.step();
        clock_.advance(1s);
    }
    EXPECT_TRUE(sink_.messages.empty());
    EXPECT_EQ(log_lines_containing("cannot run command '  '"), 1);
}

TEST_F(CommandSourceTest, KeepsEventsTheSinkRefusedForTheNextStep) {
    sink_.capacity = 1;
    CommandSource source({"df -P", "", false}, answering("a\nb\n"), sink_, clock_, logger_);
    step_until(source, 1);
    EXPECT_TRUE(source.step());
    sink_.capacity = 10;
    EXPECT_FALSE(source.step());
    EXPECT_EQ(sink_.messages, (Messages{"1:df -P:ossec: output: 'df -P': a",
                                        "1:df -P:ossec: output: 'df -P': b"}));
}

}  // namespace
}  // namespace logcollector
