// Contract of pal/local_queue.hpp on each OS.
#include "pal/local_queue.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "support/test_support.hpp"

namespace pal {
namespace {

using namespace std::chrono_literals;

TEST(LocalQueueTest, CarriesMessagesInOrder) {
    testing_support::TempDir dir;
    const auto path = dir.path() / "queue";
    std::error_code ec;
    auto receiver = bind_queue(path, ec);
    ASSERT_TRUE(receiver) << ec.message();
    auto sender = connect_queue(path, ec);
    ASSERT_TRUE(sender) << ec.message();

    // A datagram queue holds few messages (Linux: net.unix.max_dgram_qlen),
    // so the sender runs beside the receiver, as in the agent.
    std::thread writer([&] {
        for (int i = 0; i < 1000; ++i) {
            ASSERT_FALSE(sender->send("1:loc:message " + std::to_string(i)));
        }
    });
    for (int i = 0; i < 1000; ++i) {
        std::error_code receive_error;
        auto message = receiver->receive(5s, receive_error);
        ASSERT_TRUE(message.has_value()) << i << " " << receive_error.message();
        EXPECT_EQ(*message, "1:loc:message " + std::to_string(i));
    }
    writer.join();
}

TEST(LocalQueueTest, ReceiveTimesOutWhenEmpty) {
    testing_support::TempDir dir;
    std::error_code ec;
    auto receiver = bind_queue(dir.path() / "queue", ec);
    ASSERT_TRUE(receiver);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(receiver->receive(50ms, ec).has_value());
    EXPECT_FALSE(ec);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 40ms);
}

TEST(LocalQueueTest, CloseWakesABlockedReceive) {
    testing_support::TempDir dir;
    std::error_code ec;
    auto receiver = bind_queue(dir.path() / "queue", ec);
    ASSERT_TRUE(receiver);
    std::thread closer([&] {
        std::this_thread::sleep_for(50ms);
        receiver->close();
    });
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(receiver->receive(10s, ec).has_value());
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    closer.join();
}

TEST(LocalQueueTest, SenderReconnectsAfterReceiverRestarts) {
    testing_support::TempDir dir;
    const auto path = dir.path() / "queue";
    std::error_code ec;
    auto receiver = bind_queue(path, ec);
    auto sender = connect_queue(path, ec);
    ASSERT_TRUE(sender);
    receiver.reset();
    receiver = bind_queue(path, ec);
    ASSERT_TRUE(receiver);
    ASSERT_FALSE(sender->send("1:loc:after restart"));
    auto message = receiver->receive(2s, ec);
    ASSERT_TRUE(message.has_value());
    EXPECT_EQ(*message, "1:loc:after restart");
}

TEST(LocalQueueTest, ConnectWithoutReceiverFails) {
    testing_support::TempDir dir;
    std::error_code ec;
    EXPECT_FALSE(connect_queue(dir.path() / "nobody", ec));
    EXPECT_TRUE(ec);
}

TEST(LocalQueueTest, CarriesAFullSizeMessage) {
    testing_support::TempDir dir;
    const auto path = dir.path() / "queue";
    std::error_code ec;
    auto receiver = bind_queue(path, ec);
    auto sender = connect_queue(path, ec);
    ASSERT_TRUE(sender);
    const std::string big(kMaxQueueMessage, 'x');
    ASSERT_FALSE(sender->send(big));
    auto message = receiver->receive(2s, ec);
    ASSERT_TRUE(message.has_value());
    EXPECT_EQ(*message, big);
}

}  // namespace
}  // namespace pal
