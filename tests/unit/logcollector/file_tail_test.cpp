#include "logcollector/file_tail.hpp"

#include "pal/file.hpp"
#include "tail_fixture.hpp"

namespace logcollector {
namespace {

using Messages = std::vector<std::string>;

class FileTailTest : public TailFixture {
protected:
    FileTail& tail_for(const std::filesystem::path& path, StartPolicy policy,
                       TailOptions options = {}) {
        tail_ = std::make_unique<FileTail>(path.string(), '1', options, sink_, clock_,
                                           logger_);
        tail_->start(std::nullopt, policy);
        return *tail_;
    }

    std::string rotated(const std::filesystem::path& path) const {
        return "1:ossec-logcollector:ossec: File rotated (inode changed): '" +
               path.string() + "'.";
    }
    std::string reduced(const std::filesystem::path& path) const {
        return "1:ossec-logcollector:ossec: File size reduced (inode remained): '" +
               path.string() + "'.";
    }

    std::unique_ptr<FileTail> tail_;
};

TEST_F(FileTailTest, StartsAtTheEndAndSendsEachAppendedLine) {
    const auto log = file("auth.log");
    append(log, "before start\n");
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd);

    append(log, "Dec  3 10:00:01 host sshd[1]: one\nDec  3 10:00:02 host sshd[1]: two\n");
    tail.step();

    EXPECT_EQ(sink_.messages, (Messages{event(log, "Dec  3 10:00:01 host sshd[1]: one"),
                                        event(log, "Dec  3 10:00:02 host sshd[1]: two")}));
}

TEST_F(FileTailTest, RemovesTheCrOfCrlfLines) {
    const auto log = file("iis.log");
    FileTail& tail = tail_for(log, StartPolicy::kFromStart);
    append(log, "GET /a 200\r\nGET /b 404\r\n");
    tail.step();
    EXPECT_EQ(sink_.messages, (Messages{event(log, "GET /a 200"), event(log, "GET /b 404")}));
}

TEST_F(FileTailTest, PartialLastLineWaitsForItsNewline) {
    const auto log = file("a.log");
    append(log, "");
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd);
    append(log, "first half");
    tail.step();
    EXPECT_TRUE(sink_.messages.empty());

    append(log, ", second half\n");
    tail.step();
    EXPECT_EQ(sink_.messages, Messages{event(log, "first half, second half")});
}

TEST_F(FileTailTest, PartialLastLineIsSentMarkedOnceAfterTheTimeout) {
    const auto log = file("a.log");
    append(log, "");
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd);
    append(log, "no newline yet");
    tail.step();
    clock_.advance(std::chrono::milliseconds(4999));
    tail.step();
    EXPECT_TRUE(sink_.messages.empty());

    clock_.advance(std::chrono::milliseconds(1));
    tail.step();
    tail.step();
    append(log, "\nnext\n");
    tail.step();
    EXPECT_EQ(sink_.messages, (Messages{event(log, "no newline yet [no newline]"),
                                        event(log, "next")}));
}

TEST_F(FileTailTest, OverLongLineIsCutWithAMarkerAndNotMergedIntoTheNext) {
    const auto log = file("a.log");
    append(log, "");
    TailOptions options;
    options.max_line = 100;
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd, options);
    append(log, std::string(100000, 'x') + "\nshort\n");
    tail.step();
    EXPECT_EQ(sink_.messages,
              (Messages{event(log, std::string(100 - kCutMarker.size(), 'x') +
                                       std::string(kCutMarker)),
                        event(log, "short")}));
}

TEST_F(FileTailTest, DefaultLimitKeepsEveryEventWithinTheManagersSize) {
    const auto log = file("a.log");
    append(log, "");
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd);
    append(log, std::string(20000, 'z') + "\n");
    tail.step();
    ASSERT_EQ(sink_.messages.size(), 1u);
    EXPECT_LE(sink_.messages[0].size(), kMaxEventSize);
    EXPECT_EQ(sink_.messages[0].size(), 3 + log.string().size() + kDefaultMaxLine);
}

TEST_F(FileTailTest, EscapesNulAndInvalidUtf8) {
    const auto log = file("a.log");
    FileTail& tail = tail_for(log, StartPolicy::kFromStart);
    append(log, std::string("a\0b \xFF end\n", 10));
    tail.step();
    EXPECT_EQ(sink_.messages, Messages{event(log, "a\\x00b \\xFF end")});
}

TEST_F(FileTailTest, MissingFileIsLoggedOnceAndReadFromItsStartWhenItAppears) {
    const auto log = file("later.log");
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd);
    for (int i = 0; i < 5; ++i) {
        clock_.advance(std::chrono::milliseconds(250));
        tail.step();
    }
    EXPECT_EQ(log_lines_containing("cannot open log file '" + log.string() + "'"), 1);

    append(log, "first line\n");
    tail.step();
    EXPECT_EQ(sink_.messages, Messages{event(log, "first line")});
    EXPECT_EQ(log_lines_containing("log file '" + log.string() + "' can be opened now"), 1);
}

TEST_F(FileTailTest, RotationByRenameDrainsTheOldFileThenReadsTheNewFromItsStart) {
    const auto log = file("syslog");
    append(log, "");
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd);
    append(log, "1\n");
    tail.step();

    std::filesystem::rename(log, file("syslog.1"));
    append(file("syslog.1"), "2 written late to the old file\n");
    append(log, "3 in the new file\n");
    tail.step();

    EXPECT_EQ(sink_.messages, (Messages{event(log, "1"),
                                        event(log, "2 written late to the old file"),
                                        rotated(log), event(log, "3 in the new file")}));
}

TEST_F(FileTailTest, RotatedFileWithoutFinalNewlineSendsItsLastLineMarked) {
    const auto log = file("syslog");
    append(log, "");
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd);
    append(log, "cut short");
    tail.step();
    std::filesystem::rename(log, file("syslog.1"));
    append(log, "new\n");
    tail.step();
    EXPECT_EQ(sink_.messages, (Messages{event(log, "cut short [no newline]"), rotated(log),
                                        event(log, "new")}));
}

TEST_F(FileTailTest, RenamedAwayFileIsStillReadUntilANewOneAppears) {
    const auto log = file("syslog");
    append(log, "");
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd);
    std::filesystem::rename(log, file("syslog.1"));
    append(file("syslog.1"), "late\n");
    tail.step();
    append(log, "new\n");
    tail.step();
    EXPECT_EQ(sink_.messages, (Messages{event(log, "late"), rotated(log), event(log, "new")}));
}

TEST_F(FileTailTest, CopytruncateIsDetectedWhenTheFileShrinks) {
    const auto log = file("app.log");
    append(log, "");
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd);
    append(log, "a fairly long line number one\na fairly long line number two\n");
    tail.step();

    overwrite(log, "new\n");
    tail.step();
    EXPECT_EQ(sink_.messages, (Messages{event(log, "a fairly long line number one"),
                                        event(log, "a fairly long line number two"),
                                        reduced(log), event(log, "new")}));
}

TEST_F(FileTailTest, CopytruncateIsDetectedWhenTheFileGrewPastTheOldOffset) {
    const auto log = file("app.log");
    append(log, "");
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd);
    append(log, "old 1\nold 2\n");
    tail.step();

    overwrite(log, "new 1 is longer than before\nnew 2\n");
    tail.step();
    EXPECT_EQ(sink_.messages,
              (Messages{event(log, "old 1"), event(log, "old 2"), reduced(log),
                        event(log, "new 1 is longer than before"), event(log, "new 2")}));
}

// Whether this system says so when an open file was deleted (POSIX: link
// count 0; Windows: delete pending). Wine 8 does not.
bool deletion_of_open_files_is_visible(const std::filesystem::path& dir) {
    const auto probe = dir / "delete-probe";
    testing_support::write_file(probe, "x");
    std::error_code ec;
    auto open = pal::open_readable(probe, ec);
    std::filesystem::remove(probe, ec);
    pal::FileInfo info;
    return open && !open->info(info) && info.delete_pending;
}

TEST_F(FileTailTest, DeletedAndRecreatedFileIsReadOnceFromItsStart) {
    if (!deletion_of_open_files_is_visible(dir_.path())) {
        GTEST_SKIP() << "this system does not report that an open file was deleted "
                        "(Wine 8 keeps the name and no delete-pending flag), so the tail "
                        "cannot let go of it";
    }
    const auto log = file("app.log");
    append(log, "");
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd);
    append(log, "old line\n");
    tail.step();

    std::filesystem::remove(log);
    tail.step();  // notices the deletion and lets go of the file
    EXPECT_FALSE(tail.is_open());
    append(log, "new line, same name\n");
    tail.step();
    tail.step();

    ASSERT_EQ(sink_.messages.size(), 2u);
    EXPECT_EQ(sink_.messages[0], event(log, "old line"));
    EXPECT_EQ(sink_.messages[1], event(log, "new line, same name"));
}

// One line for the deletion, none for the "no such file" of the retries,
// and a line at once when the name comes back as something unreadable.
TEST_F(FileTailTest, DeletedFileIsOneLogLineAndADirectoryInItsPlaceAnother) {
    if (!deletion_of_open_files_is_visible(dir_.path())) {
        GTEST_SKIP() << "this system does not report that an open file was deleted";
    }
    const auto log = file("app.log");
    append(log, "");
    FileTail& tail = tail_for(log, StartPolicy::kFromEnd);
    std::filesystem::remove(log);
    for (int i = 0; i < 5; ++i) {
        clock_.advance(std::chrono::milliseconds(250));
        tail.step();
    }
    EXPECT_EQ(log_lines_containing("'" + log.string() + "' was deleted"), 1);
    EXPECT_EQ(log_lines_containing("cannot open log file '" + log.string() + "'"), 0);

    std::filesystem::create_directory(log);
    for (int i = 0; i < 5; ++i) {
        clock_.advance(std::chrono::milliseconds(250));
        tail.step();
    }
    EXPECT_EQ(log_lines_containing("log file '" + log.string() + "'"), 3)
        << "reading, deleted, is a directory";
    // "cannot open" where opening a directory fails, "cannot read" where
    // it opens and is then found to be one.
    EXPECT_EQ(log_lines_containing(" log file '" + log.string() + "': " +
                                   std::make_error_code(std::errc::is_a_directory).message()),
              1);
}

TEST_F(FileTailTest, RefusingSinkPausesTheFileWithoutLosingLines) {
    const auto log = file("a.log");
    FileTail& tail = tail_for(log, StartPolicy::kFromStart);
    append(log, "1\n2\n3\n4\n5\n");
    sink_.capacity = 2;
    EXPECT_TRUE(tail.step());
    EXPECT_EQ(tail.position()->offset, 4u);

    sink_.capacity = 100;
    tail.step();
    EXPECT_EQ(sink_.messages, (Messages{event(log, "1"), event(log, "2"), event(log, "3"),
                                        event(log, "4"), event(log, "5")}));
    EXPECT_EQ(tail.position()->offset, 10u);
}

TEST_F(FileTailTest, BoundsTheBytesReadPerStep) {
    const auto log = file("a.log");
    TailOptions options;
    options.max_bytes_per_step = 64 * 1024;
    FileTail& tail = tail_for(log, StartPolicy::kFromStart, options);
    const std::string line(99, 'q');
    std::string text;
    for (int i = 0; i < 2000; ++i) {
        text += line + "\n";
    }
    append(log, text);

    EXPECT_TRUE(tail.step());
    EXPECT_LT(sink_.messages.size(), 2000u);
    while (tail.step()) {
    }
    EXPECT_EQ(sink_.messages.size(), 2000u);
}

}  // namespace
}  // namespace logcollector
