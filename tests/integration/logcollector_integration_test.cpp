// The real ossec-logcollector in a temporary agent home, with this test
// bound to queue/ossec/queue in agentd's place, counting what arrives:
//
//   - every rotation kind (rename, copytruncate, delete and recreate)
//     while a writer thread keeps appending: every line exactly once;
//   - stopped and restarted: lines written while it was stopped arrive,
//     each once;
//   - killed with SIGKILL while lines are being written, then restarted:
//     no line lost; lines sent after the last saved position are sent
//     again (at-least-once: a datagram already sent cannot be taken back),
//     and those form one run right before the kill;
//   - a directory and a dangling symlink matched by a wildcard: one log
//     line each, not one per rescan.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "integration/agent_home.hpp"
#include "integration/child_process.hpp"
#include "pal/local_queue.hpp"

#ifndef LOGCOLLECTOR_EXE
#define LOGCOLLECTOR_EXE ""
#endif

namespace integration {
namespace {

using namespace std::chrono_literals;

// Collects every message sent to the queue, on its own thread.
class QueueCollector {
public:
    explicit QueueCollector(const std::filesystem::path& path) {
        std::error_code ec;
        receiver_ = pal::bind_queue(path, ec);
        if (!receiver_) {
            error_ = ec.message();
            return;
        }
        thread_ = std::thread([this] { run(); });
    }
    ~QueueCollector() {
        closing_ = true;
        if (receiver_) {
            receiver_->close();
        }
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    const std::string& error() const { return error_; }

    // The text of each message from location, in arrival order.
    std::vector<std::string> texts_from(const std::string& location) {
        std::lock_guard lock(mutex_);
        std::vector<std::string> texts;
        const std::string prefix = "1:" + location + ":";
        for (const std::string& m : messages_) {
            if (m.rfind(prefix, 0) == 0) {
                texts.push_back(m.substr(prefix.size()));
            }
        }
        return texts;
    }

    template <class Predicate>
    bool wait_until(Predicate done, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return done(messages_); });
    }

private:
    void run() {
        while (true) {
            std::error_code ec;
            auto message = receiver_->receive(200ms, ec);
            if (ec) {
                return;
            }
            if (!message) {
                if (closing_) {
                    return;
                }
                continue;
            }
            std::lock_guard lock(mutex_);
            messages_.push_back(std::move(*message));
            changed_.notify_all();
        }
    }
    std::unique_ptr<pal::QueueReceiver> receiver_;
    std::string error_;
    std::atomic<bool> closing_{false};
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> messages_;
};

// Appends numbered lines to a log, each append opening the file by name
// (as a program that reopens its log does), one line at a time, under a
// mutex that the test holds while it rotates the file.
class Writer {
public:
    Writer(std::filesystem::path path, int lines) : path_(std::move(path)), lines_(lines) {}
    ~Writer() { join(); }

    void start() {
        thread_ = std::thread([this] {
            for (int i = 0; i < lines_ && !stop_; ++i) {
                {
                    std::lock_guard lock(mutex);
                    append_to_file(path_, line(i) + "\n");
                    written_ = i + 1;
                }
                if (i % 20 == 19) {
                    std::this_thread::sleep_for(2ms);
                }
            }
        });
    }
    void join() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    int written() const { return written_; }
    static std::string line(int i) { return "writer line " + std::to_string(i); }

    std::mutex mutex;

private:
    std::filesystem::path path_;
    int lines_;
    std::atomic<int> written_{0};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

class LogcollectorIntegrationTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (std::string_view(LOGCOLLECTOR_EXE).empty()) {
            GTEST_SKIP() << "ossec-logcollector is not a CMake target in this build";
        }
        program_ = home_.install(LOGCOLLECTOR_EXE);
        std::filesystem::create_directories(home_.root() / "queue" / "logcollector");
        collector_ = std::make_unique<QueueCollector>(home_.event_queue());
        ASSERT_TRUE(collector_->error().empty()) << collector_->error();
        log_ = home_.root() / "logs" / "app.log";
        append_to_file(log_, "");
    }

    void TearDown() override {
        if (process_) {
            process_->terminate();
        }
        if (HasFailure()) {
            std::cerr << "---- ossec.log\n" << home_.read_log() << "----\n";
        }
    }

    void write_config(const std::string& location, const std::string& format = "syslog") {
        std::ofstream out(home_.root() / "etc" / "ossec.conf", std::ios::trunc);
        out << "<ossec_config>\n  <localfile>\n    <log_format>" << format
            << "</log_format>\n    <location>" << location
            << "</location>\n  </localfile>\n</ossec_config>\n";
    }

    void start() {
        process_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{program_.string(), "-f"},
            home_.root() / "logs" / "ossec-logcollector.out");
        ASSERT_FALSE(process_->start());
    }

    // Appends probe lines until one arrives: from then on the file is
    // followed.
    void wait_until_following() {
        for (int probe = 0; probe < 100; ++probe) {
            const std::string text = "probe " + std::to_string(probe_++);
            append_to_file(log_, text + "\n");
            if (collector_->wait_until(
                    [&](const std::vector<std::string>& m) {
                        return std::find(m.begin(), m.end(),
                                         "1:" + log_.string() + ":" + text) != m.end();
                    },
                    200ms)) {
                return;
            }
        }
        FAIL() << "logcollector never sent a probe line";
    }

    // How often each writer line arrived, by number.
    std::map<int, int> writer_counts() {
        std::map<int, int> counts;
        for (const std::string& text : collector_->texts_from(log_.string())) {
            if (text.rfind("writer line ", 0) == 0) {
                ++counts[std::stoi(text.substr(12))];
            }
        }
        return counts;
    }

    bool wait_for_line(int i, std::chrono::milliseconds timeout) {
        const std::string wanted = "1:" + log_.string() + ":" + Writer::line(i);
        return collector_->wait_until(
            [&](const std::vector<std::string>& m) {
                return std::find(m.begin(), m.end(), wanted) != m.end();
            },
            timeout);
    }

    bool wait_for_writer_lines(int n, std::chrono::milliseconds timeout) {
        const std::string prefix = "1:" + log_.string() + ":writer line ";
        return collector_->wait_until(
            [&](const std::vector<std::string>& m) {
                std::set<std::string> seen;
                for (const std::string& s : m) {
                    if (s.rfind(prefix, 0) == 0) {
                        seen.insert(s);
                    }
                }
                return static_cast<int>(seen.size()) >= n;
            },
            timeout);
    }

    void expect_each_line_once(int n) {
        const auto counts = writer_counts();
        int missing = 0;
        int repeated = 0;
        for (int i = 0; i < n; ++i) {
            const auto it = counts.find(i);
            missing += it == counts.end() ? 1 : 0;
            repeated += it != counts.end() && it->second > 1 ? 1 : 0;
        }
        EXPECT_EQ(missing, 0);
        EXPECT_EQ(repeated, 0);
        EXPECT_EQ(counts.size(), static_cast<std::size_t>(n));
        if (missing > 0) {
            std::string first;
            for (int i = 0, shown = 0; i < n && shown < 10; ++i) {
                if (!counts.contains(i)) {
                    first += " " + std::to_string(i);
                    ++shown;
                }
            }
            ADD_FAILURE() << "first missing lines:" << first;
        }
    }

    // Writes kLines while rotate(k) runs kRotations times, then checks
    // that every line arrived exactly once.
    template <class Rotate>
    void rotate_while_writing(Rotate rotate) {
        constexpr int kLines = 3000;
        constexpr int kRotations = 4;
        write_config(log_.string());
        ASSERT_NO_FATAL_FAILURE(start());
        ASSERT_NO_FATAL_FAILURE(wait_until_following());

        Writer writer(log_, kLines);
        writer.start();
        // A file rotated away before the collector ever opened it cannot be
        // read by any tailer that follows a name: before each rotation the
        // first line of the current file has arrived, so it was opened.
        int last = 0;
        for (int k = 1; k <= kRotations; ++k) {
            while (writer.written() < k * kLines / (kRotations + 1) ||
                   writer.written() == last) {
                std::this_thread::sleep_for(1ms);
            }
            ASSERT_TRUE(wait_for_line(last, 10s)) << Writer::line(last);
            std::lock_guard lock(writer.mutex);
            last = writer.written();
            rotate(k, last);
        }
        writer.join();
        ASSERT_EQ(writer.written(), kLines);
        EXPECT_TRUE(wait_for_writer_lines(kLines, 20s));
        std::this_thread::sleep_for(300ms);  // time for a duplicate to show
        expect_each_line_once(kLines);
    }

    AgentHome home_;
    std::filesystem::path program_;
    std::filesystem::path log_;
    std::unique_ptr<QueueCollector> collector_;
    std::unique_ptr<ChildProcess> process_;
    int probe_ = 0;
};

TEST_F(LogcollectorIntegrationTest, RotationByRenameWhileWritingSendsEveryLineOnce) {
    rotate_while_writing([this](int k, int) {
        std::filesystem::rename(log_, log_.string() + "." + std::to_string(k));
    });
}

TEST_F(LogcollectorIntegrationTest, DeleteAndRecreateWhileWritingSendsEveryLineOnce) {
    rotate_while_writing([this](int, int) { std::filesystem::remove(log_); });
}

TEST_F(LogcollectorIntegrationTest, CopytruncateWhileWritingSendsEveryLineOnce) {
    // Lines not yet read when the file is truncated are gone from it (they
    // are only in the copy), for any reader: copytruncate rotates once the
    // collector has caught up, as the writer waits.
    rotate_while_writing([this](int k, int written) {
        ASSERT_TRUE(wait_for_writer_lines(written, 10s));
        std::filesystem::copy_file(log_, log_.string() + "." + std::to_string(k));
        std::filesystem::resize_file(log_, 0);
    });
}

TEST_F(LogcollectorIntegrationTest, LinesWrittenWhileStoppedArriveOnceAfterRestart) {
    write_config(log_.string());
    ASSERT_NO_FATAL_FAILURE(start());
    ASSERT_NO_FATAL_FAILURE(wait_until_following());
    for (int i = 0; i < 100; ++i) {
        append_to_file(log_, Writer::line(i) + "\n");
    }
    ASSERT_TRUE(wait_for_writer_lines(100, 10s));
    ASSERT_TRUE(process_->terminate().has_value());

    for (int i = 100; i < 250; ++i) {
        append_to_file(log_, Writer::line(i) + "\n");
    }
    ASSERT_NO_FATAL_FAILURE(start());
    EXPECT_TRUE(wait_for_writer_lines(250, 10s));
    std::this_thread::sleep_for(300ms);
    expect_each_line_once(250);
}

TEST_F(LogcollectorIntegrationTest, KilledDuringInputLosesNoLineAfterRestart) {
    constexpr int kLines = 4000;
    write_config(log_.string());
    ASSERT_NO_FATAL_FAILURE(start());
    ASSERT_NO_FATAL_FAILURE(wait_until_following());

    Writer writer(log_, kLines);
    writer.start();
    std::this_thread::sleep_for(250ms);
    ASSERT_TRUE(process_->kill().has_value());
    const int at_kill = writer.written();
    std::this_thread::sleep_for(200ms);  // lines written while it is down
    ASSERT_NO_FATAL_FAILURE(start());
    writer.join();
    ASSERT_GT(at_kill, 0);
    ASSERT_LT(at_kill, kLines) << "the writer finished before the kill; nothing was tested";

    EXPECT_TRUE(wait_for_writer_lines(kLines, 20s));
    std::this_thread::sleep_for(300ms);
    const auto counts = writer_counts();
    int missing = 0;
    int first_repeat = -1;
    int last_repeat = -1;
    int repeats = 0;
    for (int i = 0; i < kLines; ++i) {
        const auto it = counts.find(i);
        if (it == counts.end()) {
            ++missing;
            continue;
        }
        EXPECT_LE(it->second, 2) << Writer::line(i);
        if (it->second == 2) {
            first_repeat = first_repeat < 0 ? i : first_repeat;
            last_repeat = i;
            ++repeats;
        }
    }
    EXPECT_EQ(missing, 0);
    // Sent again: only the lines from the last saved position up to the
    // kill, one unbroken run, none written after the kill.
    if (repeats > 0) {
        EXPECT_EQ(last_repeat - first_repeat + 1, repeats);
        EXPECT_LE(last_repeat, at_kill);
    }
    std::cout << "lines before the kill: " << at_kill << ", sent twice: " << repeats
              << std::endl;
}

int log_lines_with(const std::string& log, const std::string& text) {
    int count = 0;
    for (std::size_t at = log.find(text); at != std::string::npos;
         at = log.find(text, at + 1)) {
        ++count;
    }
    return count;
}

TEST_F(LogcollectorIntegrationTest, UnreadableMatchesOfAWildcardAreLoggedOnceEach) {
    const auto dir = home_.root() / "logs" / "apps";
    std::filesystem::create_directories(dir / "nested.log");
    ASSERT_EQ(::mkfifo((dir / "pipe.log").c_str(), 0600), 0);
    const auto locked = dir / "locked.log";
    append_to_file(locked, "secret\n");
    std::filesystem::permissions(locked, std::filesystem::perms::none);
    // root reads a file whatever its mode: then only the others are checked.
    const bool can_lock = ::geteuid() != 0;
    const auto good = dir / "good.log";
    append_to_file(good, "");
    write_config((dir / "*.log").string());
    ASSERT_NO_FATAL_FAILURE(start());

    // Several rescans (every 2 s, and on each change in the directory).
    for (int i = 0; i < 25; ++i) {
        append_to_file(good, "good " + std::to_string(i) + "\n");
        std::this_thread::sleep_for(200ms);
    }
    EXPECT_TRUE(collector_->wait_until(
        [&](const std::vector<std::string>& m) {
            return std::count(m.begin(), m.end(), "1:" + good.string() + ":good 24") == 1;
        },
        5s));
    const std::string log = home_.read_log();
    EXPECT_EQ(log_lines_with(log, "nested.log'"), 1) << log;
    EXPECT_EQ(log_lines_with(log, "pipe.log'"), 1) << log;
    if (can_lock) {
        EXPECT_EQ(log_lines_with(log, "locked.log': Permission denied"), 1) << log;
    } else {
        std::cout << "running as root: the unreadable file cannot be made unreadable; "
                     "not checked\n";
    }
    EXPECT_TRUE(process_->running());
}

}  // namespace
}  // namespace integration
