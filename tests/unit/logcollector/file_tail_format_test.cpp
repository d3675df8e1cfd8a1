// FileTail with a format that holds lines: the saved position stays before
// held lines, held lines are sent after their timeout and before a
// rotation, and a restart sends each event once.
#include "logcollector/file_tail.hpp"

#include "tail_fixture.hpp"

namespace logcollector {
namespace {

using Messages = std::vector<std::string>;

class FileTailFormatTest : public TailFixture {
protected:
    std::unique_ptr<FileTail> tail_for(const std::filesystem::path& path,
                                       const core::LocalFile& format,
                                       const std::optional<SavedPosition>& saved,
                                       char queue = '1') {
        const FormatContext context{path.string(), "host", 5888, &clock_, &logger_};
        auto tail = std::make_unique<FileTail>(path.string(), queue, TailOptions{}, sink_,
                                               clock_, logger_,
                                               make_assembler(format, context).assembler);
        tail->start(saved, StartPolicy::kFromStart);
        return tail;
    }

    static core::LocalFile multi_line(int lines) {
        core::LocalFile file;
        file.log_format = "multi-line";
        file.multiline_lines = lines;
        return file;
    }
};

TEST_F(FileTailFormatTest, SavedPositionStaysBeforeHeldLinesSoARestartSendsThemOnce) {
    const auto log = file("m.log");
    append(log, "a1\na2\nb1\n");
    auto tail = tail_for(log, multi_line(2), std::nullopt);
    tail->step();
    EXPECT_EQ(sink_.messages, (Messages{event(log, "a1 a2")}));
    const auto saved = tail->position();
    ASSERT_TRUE(saved.has_value());
    EXPECT_EQ(saved->offset, 6u);  // before "b1", which is held
    tail.reset();

    append(log, "b2\nc1\n");
    auto again = tail_for(log, multi_line(2), saved);
    again->step();
    EXPECT_EQ(sink_.messages, (Messages{event(log, "a1 a2"), event(log, "b1 b2")}));
    EXPECT_EQ(again->position()->offset, 12u);
}

TEST_F(FileTailFormatTest, HeldStatementIsSentAfterItsTimeoutWithoutNewLines) {
    const auto log = file("pg.log");
    core::LocalFile format;
    format.log_format = "postgresql_log";
    const std::string statement =
        "[2026-12-03 10:00:00.001 UTC] 127.0.0.1:app LOG:  statement: SELECT 1";
    append(log, statement + "\n\tFROM t\n");
    auto tail = tail_for(log, format, std::nullopt, 'b');
    tail->step();
    EXPECT_TRUE(sink_.messages.empty());
    EXPECT_EQ(tail->position()->offset, 0u);

    clock_.advance(std::chrono::milliseconds(1000));
    tail->step();
    EXPECT_EQ(sink_.messages,
              (Messages{"b:" + log.string() + ":" + statement + " \tFROM t"}));
    EXPECT_EQ(tail->position()->offset, statement.size() + 9);
}

TEST_F(FileTailFormatTest, HeldLinesOfARotatedFileAreSentBeforeTheNewFile) {
    const auto log = file("m.log");
    append(log, "");
    auto tail = tail_for(log, multi_line(3), std::nullopt);
    append(log, "x1\nx2\n");
    tail->step();
    std::filesystem::rename(log, file("m.log.1"));
    append(log, "y1\ny2\ny3\n");
    tail->step();
    tail->step();
    EXPECT_EQ(sink_.messages,
              (Messages{event(log, "x1 x2"),
                        "1:ossec-logcollector:ossec: File rotated (inode changed): '" +
                            log.string() + "'.",
                        event(log, "y1 y2 y3")}));
}

}  // namespace
}  // namespace logcollector
