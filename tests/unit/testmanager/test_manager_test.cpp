#include "testmanager/test_manager.hpp"

#include <gtest/gtest.h>

#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>

#include "core/client_keys.hpp"
#include "support/test_support.hpp"

namespace testmanager {
namespace {

using asio::ip::udp;
using namespace std::chrono_literals;

constexpr std::string_view kKeys =
    "001 test-agent any d4631114c6a7e4b1b0e8ee3bdc9c8b5fb4a9d0e1c2b3a4958677685940312e5\n"
    "002 other-agent any "
    "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f\n"
    "003 fixed-agent 127.0.0.1 "
    "3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0f1e2d\n"
    "004 lan-agent 10.0.0.5 "
    "69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0f1e2d3c4b5a\n"
    "005 net-agent 127.0.0.0/8 "
    "a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0f1e2d3c4b5a6978879\n";

core::AgentKey key_of(std::string_view id) {
    for (const auto& k : core::parse_client_keys(kKeys).entries) {
        if (k.id == id) {
            return k;
        }
    }
    ADD_FAILURE() << "no key " << id;
    return {};
}

// The agent's side, as small as the tests need: seals with the agent's
// key and its own counters, sends from one UDP socket, reads replies.
class FakeAgent {
  public:
    FakeAgent(std::string_view id, std::uint16_t manager_port, bool with_prefix = true)
        : key_(key_of(id)),
          codec_(core::derive_session_key(key_)),
          prefix_(with_prefix ? "!" + key_.id + "!" : ""),
          socket_(io_, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          manager_(asio::ip::make_address("127.0.0.1"), manager_port) {}

    // The wire bytes for payload with the next counters.
    std::string seal(std::string_view payload) {
        counters_ = core::next_counters(counters_);
        return prefix_ + codec_.seal(payload, counters_, 12345);
    }
    std::string seal_with(std::string_view payload, core::Counters counters) {
        return prefix_ + codec_.seal(payload, counters, 12345);
    }
    void send_wire(const std::string& wire) {
        socket_.send_to(asio::buffer(wire), manager_);
    }
    void send(std::string_view payload) { send_wire(seal(payload)); }

    // The next datagram from the manager, opened with this agent's key.
    std::optional<core::OpenedMessage> receive(std::chrono::milliseconds timeout = 2s) {
        std::array<char, 65536> buffer{};
        udp::endpoint from;
        std::optional<std::size_t> size;
        socket_.async_receive_from(asio::buffer(buffer), from,
                                   [&](std::error_code ec, std::size_t n) {
                                       if (!ec) {
                                           size = n;
                                       }
                                   });
        io_.restart();
        io_.run_for(timeout);
        if (!size) {
            socket_.cancel();
            io_.restart();
            io_.run();
            return std::nullopt;
        }
        auto opened = codec_.open(std::string_view(buffer.data(), *size));
        EXPECT_TRUE(opened.ok()) << opened.error();
        if (!opened.ok()) {
            return std::nullopt;
        }
        return opened.value();
    }

    std::uint16_t port() const { return socket_.local_endpoint().port(); }

  private:
    core::AgentKey key_;
    core::SecureCodec codec_;
    std::string prefix_;
    core::Counters counters_{};
    asio::io_context io_;
    udp::socket socket_;
    udp::endpoint manager_;
};

class TestManagerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        EXPECT_TRUE(manager_.load_keys(kKeys).empty());
        ASSERT_FALSE(manager_.start());
        ASSERT_NE(manager_.port(), 0);
    }

    // Waits until the manager has handled n datagrams, whatever the outcome.
    bool wait_handled(std::size_t n) {
        return manager_.wait_until(
            [n](const ManagerState& s) {
                return s.messages.size() + s.rejections.size() >= n;
            },
            2s);
    }

    TestManager manager_;
};

TEST_F(TestManagerTest, RecordsEventsInOrderWithTheirParts) {
    FakeAgent agent("001", manager_.port());
    agent.send("1:/var/log/dpkg.log:first line");
    agent.send("1:/var/log/dpkg.log:second: with colon");

    ASSERT_TRUE(manager_.wait_for_events(2, 2s));
    const auto events = manager_.events();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].agent_id, "001");
    EXPECT_EQ(events[0].counters, (core::Counters{0, 1}));
    ASSERT_TRUE(events[0].event);
    EXPECT_EQ(events[0].event->queue, '1');
    EXPECT_EQ(events[0].event->location, "/var/log/dpkg.log");
    EXPECT_EQ(events[0].event->text, "first line");
    EXPECT_EQ(events[1].event->text, "second: with colon");
    EXPECT_EQ(events[1].source_port, agent.port());
    EXPECT_EQ(manager_.stats().accepted, 2u);
    EXPECT_EQ(manager_.stats().acks_sent, 0u);
}

TEST_F(TestManagerTest, AcknowledgesStartupWithSealedAck) {
    FakeAgent agent("001", manager_.port());
    agent.send("#!-agent startup ");

    const auto ack = agent.receive();
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->payload, "#!-agent ack ");
    EXPECT_EQ(ack->counters, (core::Counters{0, 1}));

    const auto controls = manager_.controls();
    ASSERT_EQ(controls.size(), 1u);
    EXPECT_TRUE(controls[0].is_startup());
    EXPECT_FALSE(controls[0].is_keepalive());
    EXPECT_EQ(manager_.stats().acks_sent, 1u);
}

TEST_F(TestManagerTest, AcknowledgesEveryControlWithOneCounterForAllAgents) {
    FakeAgent first("001", manager_.port());
    FakeAgent second("002", manager_.port());

    first.send("#!-agent startup ");
    const auto ack1 = first.receive();
    second.send("#!-Linux host 6.1 #1 x86_64 - OSSEC HIDS v3.8.0\nx merged.mg\n");
    const auto ack2 = second.receive();
    first.send("#!-anything else");
    const auto ack3 = first.receive();

    ASSERT_TRUE(ack1 && ack2 && ack3);
    EXPECT_EQ(ack2->payload, "#!-agent ack ");
    EXPECT_EQ(ack1->counters, (core::Counters{0, 1}));
    EXPECT_EQ(ack2->counters, (core::Counters{0, 2}));
    EXPECT_EQ(ack3->counters, (core::Counters{0, 3}));
    EXPECT_EQ(manager_.sender_counter(), (core::Counters{0, 3}));
}

TEST_F(TestManagerTest, RecordsKeepaliveFirstLine) {
    FakeAgent agent("001", manager_.port());
    agent.send("#!-Linux host 6.1 #1 x86_64 - OSSEC HIDS v3.8.0\nx merged.mg\n");

    ASSERT_TRUE(manager_.wait_for_keepalives(1, 2s));
    EXPECT_EQ(manager_.controls().at(0).first_line(),
              "Linux host 6.1 #1 x86_64 - OSSEC HIDS v3.8.0");
}

TEST_F(TestManagerTest, RejectsReplayedDatagram) {
    FakeAgent agent("001", manager_.port());
    const std::string wire = agent.seal("1:loc:once");
    agent.send_wire(wire);
    agent.send_wire(wire);

    ASSERT_TRUE(wait_handled(2));
    EXPECT_EQ(manager_.stats().accepted, 1u);
    EXPECT_EQ(manager_.stats().rejected_replay, 1u);
    EXPECT_EQ(manager_.events().size(), 1u);
    const auto rejections = manager_.rejections();
    ASSERT_EQ(rejections.size(), 1u);
    EXPECT_EQ(rejections[0].reason, RejectReason::kReplay);
    EXPECT_EQ(rejections[0].agent_id, "001");
    EXPECT_EQ(rejections[0].counters, (core::Counters{0, 1}));
}

TEST_F(TestManagerTest, RejectsLowerGlobalAndAcceptsGaps) {
    FakeAgent agent("001", manager_.port());
    agent.send_wire(agent.seal_with("1:loc:a", {5, 10}));
    agent.send_wire(agent.seal_with("1:loc:b", {4, 9000}));
    agent.send_wire(agent.seal_with("1:loc:c", {5, 10}));
    agent.send_wire(agent.seal_with("1:loc:d", {7, 1}));

    ASSERT_TRUE(wait_handled(4));
    EXPECT_EQ(manager_.stats().accepted, 2u);
    EXPECT_EQ(manager_.stats().rejected_replay, 2u);
    const auto events = manager_.events();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].event->text, "d");
}

TEST_F(TestManagerTest, KeepsReplayStatePerAgent) {
    FakeAgent first("001", manager_.port());
    FakeAgent second("002", manager_.port());
    first.send("1:loc:from first");
    second.send("1:loc:from second");

    ASSERT_TRUE(manager_.wait_for_events(2, 2s));
    EXPECT_EQ(manager_.stats().rejected_replay, 0u);
}

TEST_F(TestManagerTest, RejectsMessageSealedWithAnotherKey) {
    const core::AgentKey other = key_of("002");
    const core::SecureCodec wrong(core::derive_session_key(other));
    FakeAgent agent("001", manager_.port());
    agent.send_wire("!001!" + wrong.seal("1:loc:x", {0, 1}, 1));

    ASSERT_TRUE(wait_handled(1));
    EXPECT_EQ(manager_.stats().rejected_bad, 1u);
    EXPECT_EQ(manager_.stats().accepted, 0u);
    EXPECT_EQ(manager_.rejections().at(0).reason, RejectReason::kBadMessage);
}

TEST(TestManagerLookupTest, DropsAnyKeyWithoutPrefix) {
    TestManager manager;
    manager.add_key(key_of("001"));
    ASSERT_FALSE(manager.start());
    FakeAgent agent("001", manager.port(), /*with_prefix=*/false);
    agent.send("#!-agent startup ");

    ASSERT_TRUE(manager.wait_until(
        [](const ManagerState& s) { return !s.rejections.empty(); }, 2s));
    EXPECT_EQ(manager.stats().rejected_unknown, 1u);
    EXPECT_TRUE(manager.messages().empty());
    EXPECT_FALSE(agent.receive(200ms));
}

TEST_F(TestManagerTest, WithoutPrefixTriesTheKeyOfTheSourceAddress) {
    // 127.0.0.1 is key 003's address, so 001's message fails to decrypt.
    FakeAgent agent("001", manager_.port(), /*with_prefix=*/false);
    agent.send("#!-agent startup ");

    ASSERT_TRUE(wait_handled(1));
    EXPECT_EQ(manager_.stats().rejected_bad, 1u);
    EXPECT_EQ(manager_.rejections().at(0).agent_id, "003");
}

TEST_F(TestManagerTest, FindsSingleHostKeyBySourceAddress) {
    FakeAgent agent("003", manager_.port(), /*with_prefix=*/false);
    agent.send("#!-agent startup ");

    const auto ack = agent.receive();
    ASSERT_TRUE(ack);
    EXPECT_EQ(manager_.controls().at(0).agent_id, "003");
}

TEST_F(TestManagerTest, RejectsPrefixWhenSourceIsOutsideTheKeyAddress) {
    FakeAgent agent("004", manager_.port());
    agent.send("1:loc:x");

    ASSERT_TRUE(wait_handled(1));
    EXPECT_EQ(manager_.stats().rejected_unknown, 1u);
    EXPECT_EQ(manager_.rejections().at(0).agent_id, "004");
}

TEST_F(TestManagerTest, AcceptsPrefixWhenCidrCoversSource) {
    FakeAgent agent("005", manager_.port());
    agent.send("1:loc:x");

    ASSERT_TRUE(manager_.wait_for_events(1, 2s));
}

TEST_F(TestManagerTest, RejectsUnknownId) {
    FakeAgent agent("001", manager_.port(), false);
    agent.send_wire("!999!" + agent.seal("1:loc:x"));

    ASSERT_TRUE(wait_handled(1));
    EXPECT_EQ(manager_.stats().rejected_unknown, 1u);
    EXPECT_EQ(manager_.rejections().at(0).agent_id, "999");
}

TEST_F(TestManagerTest, SendsToTheAddressOfTheLastControlMessage) {
    EXPECT_EQ(manager_.send_to_agent("001", "#!-syscheck restart"),
              std::errc::no_such_device_or_address);

    FakeAgent old_socket("001", manager_.port());
    old_socket.send("#!-agent startup ");
    ASSERT_TRUE(old_socket.receive());
    FakeAgent agent("001", manager_.port());
    agent.send_wire(agent.seal_with("#!-agent startup ", {1, 1}));
    ASSERT_TRUE(agent.receive());

    ASSERT_FALSE(manager_.send_to_agent("001", "#!-syscheck restart"));
    const auto message = agent.receive();
    ASSERT_TRUE(message);
    EXPECT_EQ(message->payload, "#!-syscheck restart");
    EXPECT_EQ(message->counters, (core::Counters{0, 3}));
    EXPECT_FALSE(old_socket.receive(100ms));
}

TEST_F(TestManagerTest, RefusesEmptyOrOversizedPayload) {
    FakeAgent agent("001", manager_.port());
    agent.send("#!-agent startup ");
    ASSERT_TRUE(agent.receive());

    EXPECT_EQ(manager_.send_to_agent("001", ""), std::errc::message_size);
    EXPECT_EQ(manager_.send_to_agent("001", std::string(core::kMaxPayload + 1, 'a')),
              std::errc::message_size);
}

TEST_F(TestManagerTest, PushesFileInChunksOf900Bytes) {
    FakeAgent agent("001", manager_.port());
    agent.send("#!-agent startup ");
    ASSERT_TRUE(agent.receive());

    std::string content(2000, 'x');
    content[950] = 'y';
    ASSERT_FALSE(manager_.push_file("001", "merged.mg", content));

    std::vector<std::string> got;
    for (int i = 0; i < 5; ++i) {
        const auto m = agent.receive();
        ASSERT_TRUE(m);
        got.push_back(m->payload);
    }
    EXPECT_EQ(got[0], "#!-up file " + core::md5_hex(content) + " merged.mg\n");
    EXPECT_EQ(got[1], content.substr(0, 900));
    EXPECT_EQ(got[2], content.substr(900, 900));
    EXPECT_EQ(got[3], content.substr(1800));
    EXPECT_EQ(got[4], "#!-close file ");
}

TEST_F(TestManagerTest, ResendsTheLastMessageUnchanged) {
    FakeAgent agent("001", manager_.port());
    agent.send("#!-agent startup ");
    const auto ack = agent.receive();
    ASSERT_TRUE(ack);

    ASSERT_FALSE(manager_.resend_last("001"));
    const auto again = agent.receive();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->counters, ack->counters);
}

TEST_F(TestManagerTest, SenderCounterCanBeSetBack) {
    FakeAgent agent("001", manager_.port());
    manager_.set_sender_counter({7, 9997});
    agent.send("#!-agent startup ");
    const auto ack = agent.receive();
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->counters, (core::Counters{8, 1}));
}

TEST_F(TestManagerTest, IgnoresEverythingWhileAway) {
    FakeAgent agent("001", manager_.port());
    manager_.set_away(true);
    agent.send("#!-agent startup ");
    ASSERT_TRUE(manager_.wait_until(
        [](const ManagerState& s) { return s.stats.dropped_away == 1; }, 2s));
    EXPECT_FALSE(agent.receive(100ms));
    EXPECT_TRUE(manager_.messages().empty());

    manager_.set_away(false);
    agent.send("#!-agent startup ");
    EXPECT_TRUE(agent.receive());
}

TEST_F(TestManagerTest, RecordsButDoesNotAckWhenAckingIsOff) {
    FakeAgent agent("001", manager_.port());
    manager_.set_acking(false);
    agent.send("#!-agent startup ");

    ASSERT_TRUE(manager_.wait_for_startups(1, 2s));
    EXPECT_FALSE(agent.receive(100ms));
    EXPECT_EQ(manager_.stats().acks_sent, 0u);
}

TEST_F(TestManagerTest, RestartKeepsPortAndReplayState) {
    FakeAgent agent("001", manager_.port());
    const std::string wire = agent.seal("1:loc:before");
    agent.send_wire(wire);
    ASSERT_TRUE(manager_.wait_for_events(1, 2s));
    const auto port = manager_.port();

    ASSERT_FALSE(manager_.restart());
    EXPECT_EQ(manager_.port(), port);
    agent.send_wire(wire);
    agent.send("1:loc:after");

    ASSERT_TRUE(manager_.wait_for_events(2, 2s));
    EXPECT_EQ(manager_.stats().rejected_replay, 1u);
}

TEST_F(TestManagerTest, SendFailsWhenStopped) {
    FakeAgent agent("001", manager_.port());
    agent.send("#!-agent startup ");
    ASSERT_TRUE(agent.receive());

    manager_.stop();
    EXPECT_FALSE(manager_.running());
    EXPECT_EQ(manager_.send_to_agent("001", "#!-syscheck restart"),
              std::errc::not_connected);
}

TEST_F(TestManagerTest, WaitReturnsFalseAtTheDeadline) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(manager_.wait_for_events(1, 100ms));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
}

TEST_F(TestManagerTest, RecordsPayloadThatIsNotAQueueMessage) {
    FakeAgent agent("001", manager_.port());
    agent.send("no separators");

    ASSERT_TRUE(manager_.wait_for_events(1, 2s));
    EXPECT_FALSE(manager_.events().at(0).event);
}

TEST(TestManagerKeysTest, LoadsKeysFileAndReportsBadLines) {
    testing_support::TempDir dir;
    testing_support::write_file(dir.path() / "client.keys",
                                std::string(kKeys) + "bad line\n");
    TestManager manager;
    const auto problems = manager.load_keys_file(dir.path() / "client.keys");
    EXPECT_EQ(problems.size(), 1u);

    EXPECT_FALSE(manager.load_keys_file(dir.path() / "missing").empty());
}

TEST(TestManagerKeysTest, StartFailsOnAPortInUse) {
    TestManager first;
    ASSERT_FALSE(first.start());
    ManagerOptions options;
    options.port = first.port();
    TestManager second(options);
    EXPECT_TRUE(second.start());
}

}  // namespace
}  // namespace testmanager
