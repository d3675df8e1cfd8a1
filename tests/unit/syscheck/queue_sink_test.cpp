#include "syscheck/queue_sink.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace syscheck {
namespace {

struct FakeQueue {
    bool up = false;
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

// The waiter moves the fake clock instead of sleeping; it can bring the
// queue up after a number of waits, or report a stop.
class QueueSinkTest : public ::testing::Test {
protected:
    QueueSinkTest()
        : logger_("ossec-syscheckd", dir_.path() / "ossec.log", false, 0),
          pacer_(10),
          sink_([this](std::error_code& ec) { return connect(ec); }, "queue", pacer_,
                clock_, [this](std::chrono::nanoseconds d) { return wait(d); },
                std::chrono::milliseconds(1000), logger_) {}

    std::unique_ptr<pal::QueueSender> connect(std::error_code& ec) {
        if (!queue_.up) {
            ec = std::make_error_code(std::errc::no_such_file_or_directory);
            return nullptr;
        }
        return std::make_unique<FakeSender>(queue_);
    }

    bool wait(std::chrono::nanoseconds duration) {
        waited_ += duration;
        clock_.advance(duration);
        if (++waits_ == up_after_waits_) {
            queue_.up = true;
        }
        return !stop_;
    }

    testing_support::TempDir dir_;
    core::Logger logger_;
    FakeClock clock_;
    EventPacer pacer_;
    FakeQueue queue_;
    QueueSink sink_;
    std::chrono::nanoseconds waited_{0};
    int waits_ = 0;
    int up_after_waits_ = -1;
    bool stop_ = false;
};

TEST_F(QueueSinkTest, SendsFormattedMessagesAtThePacedRate) {
    queue_.up = true;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(sink_.send('8', "syscheck", "x" + std::to_string(i)));
    }
    EXPECT_EQ(queue_.received,
              (std::vector<std::string>{"8:syscheck:x0", "8:syscheck:x1", "8:syscheck:x2"}));
    // 10 per second with a burst of one: the second and third waited
    // 100 ms each.
    EXPECT_EQ(waited_, std::chrono::milliseconds(200));
}

TEST_F(QueueSinkTest, WaitsForTheQueueAndRetries) {
    up_after_waits_ = 3;
    ASSERT_TRUE(sink_.send('9', "rootcheck", "Starting syscheck scan."));
    EXPECT_EQ(queue_.received, (std::vector<std::string>{"9:rootcheck:Starting syscheck scan."}));
    EXPECT_EQ(waits_, 3);
}

TEST_F(QueueSinkTest, GivesUpWhenStopping) {
    stop_ = true;
    EXPECT_FALSE(sink_.send('8', "syscheck", "x"));
    EXPECT_TRUE(queue_.received.empty());
}

}  // namespace
}  // namespace syscheck
