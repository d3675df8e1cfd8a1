#include "pal/file_watcher.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "support/test_support.hpp"

namespace pal {
namespace {

using namespace std::chrono_literals;

class FileWatcherTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::error_code ec;
        watcher_ = create_file_watcher(ec);
        ASSERT_TRUE(watcher_) << ec.message();
    }

    // Waits until an event names directory, up to a deadline.
    bool changed_within(const std::filesystem::path& directory,
                        std::chrono::milliseconds deadline = 5s) {
        const auto end = std::chrono::steady_clock::now() + deadline;
        while (std::chrono::steady_clock::now() < end) {
            std::vector<WatchEvent> events;
            EXPECT_FALSE(watcher_->wait(100ms, events));
            for (const auto& event : events) {
                if (event.directory == directory ||
                    event.kind == WatchEvent::Kind::kOverflow) {
                    return true;
                }
            }
        }
        return false;
    }

    static void append(const std::filesystem::path& path, std::string_view text) {
        std::ofstream out(path, std::ios::binary | std::ios::app);
        out << text;
    }

    testing_support::TempDir dir_;
    std::unique_ptr<FileWatcher> watcher_;
};

TEST_F(FileWatcherTest, ReportsAFileCreatedInAWatchedDirectory) {
    ASSERT_FALSE(watcher_->add(dir_.path()));
    append(dir_.path() / "new.log", "first line\n");
    EXPECT_TRUE(changed_within(dir_.path()));
}

TEST_F(FileWatcherTest, ReportsAWriteToAnExistingFile) {
    append(dir_.path() / "app.log", "old\n");
    ASSERT_FALSE(watcher_->add(dir_.path()));
    append(dir_.path() / "app.log", "new\n");
    EXPECT_TRUE(changed_within(dir_.path()));
}

TEST_F(FileWatcherTest, ReportsARenameAndADeletion) {
    append(dir_.path() / "app.log", "x\n");
    ASSERT_FALSE(watcher_->add(dir_.path()));
    std::filesystem::rename(dir_.path() / "app.log", dir_.path() / "app.log.1");
    EXPECT_TRUE(changed_within(dir_.path()));
    std::filesystem::remove(dir_.path() / "app.log.1");
    EXPECT_TRUE(changed_within(dir_.path()));
}

TEST_F(FileWatcherTest, SaysNothingAboutAnotherDirectory) {
    const auto watched = dir_.path() / "watched";
    const auto other = dir_.path() / "other";
    std::filesystem::create_directories(watched);
    std::filesystem::create_directories(other);
    ASSERT_FALSE(watcher_->add(watched));
    append(other / "x.log", "x\n");

    std::vector<WatchEvent> events;
    ASSERT_FALSE(watcher_->wait(200ms, events));
    for (const auto& event : events) {
        EXPECT_NE(event.directory, other);
    }
}

TEST_F(FileWatcherTest, CannotWatchAMissingDirectory) {
    EXPECT_TRUE(watcher_->add(dir_.path() / "missing"));
}

TEST_F(FileWatcherTest, WakeEndsAWaitEarly) {
    ASSERT_FALSE(watcher_->add(dir_.path()));
    std::thread waker([this] {
        std::this_thread::sleep_for(50ms);  // let the wait begin; not waiting for an event
        watcher_->wake();
    });
    const auto start = std::chrono::steady_clock::now();
    std::vector<WatchEvent> events;
    EXPECT_FALSE(watcher_->wait(10s, events));
    waker.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST_F(FileWatcherTest, RemovedDirectoryIsNoLongerReported) {
    ASSERT_FALSE(watcher_->add(dir_.path()));
    watcher_->remove(dir_.path());
    append(dir_.path() / "x.log", "x\n");
    std::vector<WatchEvent> events;
    ASSERT_FALSE(watcher_->wait(200ms, events));
    EXPECT_TRUE(events.empty());
}

}  // namespace
}  // namespace pal
