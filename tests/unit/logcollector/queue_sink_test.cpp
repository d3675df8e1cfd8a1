#include "logcollector/queue_sink.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_support.hpp"

namespace logcollector {
namespace {

// The far end of a fake queue: up or down, and what arrived.
struct FakeQueue {
    bool up = false;
    int connects = 0;
    std::vector<std::string> received;
};

class FakeSender final : public pal::QueueSender {
public:
    explicit FakeSender(FakeQueue& queue) : queue_(queue) {}
    std::error_code send(std::string_view message) override {
        if (!queue_.up) {
            return std::make_error_code(std::errc::connection_refused);
        }
        queue_.received.emplace_back(message);
        return {};
    }

private:
    FakeQueue& queue_;
};

class QueueSinkTest : public ::testing::Test {
protected:
    QueueSinkTest()
        : logger_("ossec-logcollector", dir_.path() / "ossec.log", false, 0),
          sink_([this](std::error_code& ec) { return connect(ec); }, "queue/ossec/queue", 3,
                std::chrono::milliseconds(1000), clock_, logger_) {}

    std::unique_ptr<pal::QueueSender> connect(std::error_code& ec) {
        ++queue_.connects;
        if (!queue_.up) {
            ec = std::make_error_code(std::errc::no_such_file_or_directory);
            return nullptr;
        }
        return std::make_unique<FakeSender>(queue_);
    }

    int log_lines_containing(const std::string& text) const {
        std::ifstream in(dir_.path() / "ossec.log");
        int count = 0;
        for (std::string line; std::getline(in, line);) {
            count += line.find(text) != std::string::npos ? 1 : 0;
        }
        return count;
    }

    testing_support::TempDir dir_;
    FakeClock clock_;
    FakeQueue queue_;
    core::Logger logger_;
    QueueSink sink_;
};

TEST_F(QueueSinkTest, SendsAtOnceWhenTheQueueIsUp) {
    queue_.up = true;
    EXPECT_TRUE(sink_.offer('1', "/var/log/auth.log", "hello"));
    EXPECT_EQ(queue_.received, std::vector<std::string>{"1:/var/log/auth.log:hello"});
    EXPECT_TRUE(sink_.drained());
}

TEST_F(QueueSinkTest, HoldsABoundedNumberWhileDownAndSendsThemInOrderLater) {
    EXPECT_TRUE(sink_.offer('1', "f", "a"));
    EXPECT_TRUE(sink_.offer('1', "f", "b"));
    EXPECT_TRUE(sink_.offer('1', "f", "c"));
    EXPECT_FALSE(sink_.offer('1', "f", "d"));
    EXPECT_FALSE(sink_.drained());
    EXPECT_EQ(queue_.connects, 1);  // retries wait for the retry interval
    EXPECT_EQ(log_lines_containing("cannot send to the local queue 'queue/ossec/queue'"), 1);

    queue_.up = true;
    sink_.flush();
    EXPECT_TRUE(queue_.received.empty());
    clock_.advance(std::chrono::milliseconds(1000));
    sink_.flush();
    EXPECT_EQ(queue_.received, (std::vector<std::string>{"1:f:a", "1:f:b", "1:f:c"}));
    EXPECT_TRUE(sink_.drained());
    EXPECT_EQ(log_lines_containing("connected to the local queue 'queue/ossec/queue'"), 1);
}

TEST_F(QueueSinkTest, ReconnectsAfterTheReceiverGoesAwayAndLogsOnce) {
    queue_.up = true;
    sink_.offer('1', "f", "a");
    queue_.up = false;
    sink_.offer('1', "f", "b");
    sink_.offer('1', "f", "c");
    clock_.advance(std::chrono::milliseconds(1000));
    sink_.flush();
    EXPECT_EQ(log_lines_containing("cannot send to the local queue"), 1);

    queue_.up = true;
    clock_.advance(std::chrono::milliseconds(1000));
    sink_.offer('1', "f", "d");
    EXPECT_EQ(queue_.received, (std::vector<std::string>{"1:f:a", "1:f:b", "1:f:c", "1:f:d"}));
    EXPECT_EQ(log_lines_containing("connected to the local queue 'queue/ossec/queue' again"),
              1);
}

TEST(QueueSinkRealQueueTest, DeliversThroughThePlatformQueue) {
    testing_support::TempDir dir;
    const auto path = dir.path() / "queue";
    std::error_code ec;
    auto receiver = pal::bind_queue(path, ec);
    ASSERT_TRUE(receiver) << ec.message();
    FakeClock clock;
    core::Logger logger("ossec-logcollector", dir.path() / "ossec.log", false, 0);
    QueueSink sink([&](std::error_code& e) { return pal::connect_queue(path, e); },
                   path.string(), 10, std::chrono::milliseconds(1000), clock, logger);

    ASSERT_TRUE(sink.offer('1', "/var/log/syslog", "Dec  3 host: line"));
    const auto message = receiver->receive(std::chrono::milliseconds(5000), ec);
    ASSERT_TRUE(message.has_value()) << ec.message();
    EXPECT_EQ(*message, "1:/var/log/syslog:Dec  3 host: line");
}

}  // namespace
}  // namespace logcollector
