#include "agentd/session.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace agentd {
namespace {

using namespace std::chrono_literals;
using testing_support::TempDir;

const core::AgentKey kKey{"001", "test-agent", "any",
                          "d463111442d76de0c15defc0177c6fd547cb6f7251a36253cebb3e558cd324e5"};

// Records what the session does and plays the manager's part.
class FakeHooks final : public SessionHooks {
public:
    void transmit(const std::string& wire) override { sent.push_back(wire); }
    void next_server() override { ++server_switches; }
    void active_response(std::string_view text) override { responses.emplace_back(text); }
    void restart_syscheck() override { ++syscheck_restarts; }
    void control_sent() override { ++controls_sent; }
    void control_acked() override { ++controls_acked; }
    void resend_unconfirmed() override { ++resends; }
    std::string keepalive_text() override { return "#!-Linux h - OSSEC HIDS v3.8.0\nx merged.mg\n"; }
    std::string server_name() const override { return "127.0.0.1:1514/udp"; }

    std::vector<std::string> sent;
    std::vector<std::string> responses;
    int server_switches = 0;
    int syscheck_restarts = 0;
    int controls_sent = 0;
    int controls_acked = 0;
    int resends = 0;
};

class SessionTest : public ::testing::Test {
protected:
    SessionTest()
        : logger_("test", dir_.path() / "ossec.log", false, 0),
          codec_(core::derive_session_key(kKey)),
          sender_(dir_.path() / "sender_counter", 0, ec_),
          receiver_(dir_.path() / "001"),
          shared_(dir_.path() / "shared", logger_),
          session_(SessionSettings{kKey, 60s, 180s, false}, sender_, receiver_, shared_, hooks_,
                   logger_) {}

    // Decodes what the agent sent: checks the prefix and returns payloads.
    std::vector<std::string> sent_payloads() {
        std::vector<std::string> payloads;
        for (const auto& wire : hooks_.sent) {
            std::string id;
            std::string_view rest;
            EXPECT_TRUE(core::split_agent_prefix(wire, id, rest));
            EXPECT_EQ(id, "001");
            auto opened = codec_.open(rest);
            EXPECT_TRUE(opened.ok());
            payloads.push_back(opened.ok() ? opened.value().payload : "");
        }
        return payloads;
    }

    std::string from_manager(const std::string& payload) {
        manager_counter_ = core::next_counters(manager_counter_);
        return codec_.seal(payload, manager_counter_, 1);
    }

    void connect(Clock::time_point now) {
        session_.start(now);
        session_.on_datagram(from_manager("#!-agent ack "), now);
        ASSERT_TRUE(session_.connected());
    }

    std::string log() const { return testing_support::read_file(dir_.path() / "ossec.log"); }

    TempDir dir_;
    core::Logger logger_;
    core::SecureCodec codec_;
    std::error_code ec_;
    core::SenderCounter sender_;
    core::ReceiveCounter receiver_;
    SharedFileReceiver shared_;
    FakeHooks hooks_;
    Session session_;
    core::Counters manager_counter_{5, 0};
    const Clock::time_point t0_ = Clock::time_point{} + 100h;
};

TEST_F(SessionTest, HandshakeThenStartedEventAndKeepalive) {
    session_.start(t0_);
    EXPECT_EQ(sent_payloads(), std::vector<std::string>{"#!-agent startup "});
    EXPECT_FALSE(session_.send_event("1:x:y"));

    session_.on_datagram(from_manager("#!-agent ack "), t0_ + 10ms);
    EXPECT_TRUE(session_.connected());
    const auto payloads = sent_payloads();
    ASSERT_EQ(payloads.size(), 3u);
    EXPECT_EQ(payloads[1], "1:ossec:ossec: Agent started: 'test-agent->any'.");
    EXPECT_EQ(payloads[2], "#!-Linux h - OSSEC HIDS v3.8.0\nx merged.mg\n");
}

TEST_F(SessionTest, StartupIsResentWithGrowingDelaysThenNextServer) {
    session_.start(t0_);
    std::vector<int> resend_seconds;
    for (int s = 1; s <= 30; ++s) {
        const std::size_t before = hooks_.sent.size();
        session_.on_tick(t0_ + std::chrono::seconds(s));
        if (hooks_.sent.size() > before) {
            resend_seconds.push_back(s);
        }
    }
    // Resent at 1, 3, 6, 10, 15 s; at 21 s the next manager is tried.
    EXPECT_EQ(resend_seconds, (std::vector<int>{1, 3, 6, 10, 15, 21, 22, 24, 27}));
    EXPECT_EQ(hooks_.server_switches, 1);
}

TEST_F(SessionTest, CountersIncreaseAcrossAllMessages) {
    connect(t0_);
    for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(session_.send_event("1:loc:event " + std::to_string(i)));
    }
    core::Counters last{0, 0};
    for (const auto& wire : hooks_.sent) {
        std::string id;
        std::string_view rest;
        core::split_agent_prefix(wire, id, rest);
        const auto opened = codec_.open(rest);
        ASSERT_TRUE(opened.ok());
        EXPECT_TRUE(core::is_newer(opened.value().counters, last));
        last = opened.value().counters;
    }
}

TEST_F(SessionTest, KeepaliveEveryNotifyTime) {
    connect(t0_);
    const auto count_keepalives = [this] {
        int n = 0;
        for (const auto& p : sent_payloads()) {
            n += p.rfind("#!-Linux", 0) == 0 ? 1 : 0;
        }
        return n;
    };
    EXPECT_EQ(count_keepalives(), 1);
    session_.on_datagram(from_manager("#!-agent ack "), t0_ + 1s);
    session_.on_tick(t0_ + 59s);
    EXPECT_EQ(count_keepalives(), 1);
    session_.on_tick(t0_ + 60s);
    EXPECT_EQ(count_keepalives(), 2);
}

TEST_F(SessionTest, UnansweredKeepaliveMeansTheManagerIsAway) {
    connect(t0_);  // its keep-alive is never ACKed
    const int resends_before = hooks_.resends;
    session_.on_tick(t0_ + 14s);
    EXPECT_TRUE(session_.connected());
    session_.on_tick(t0_ + 15s);
    EXPECT_FALSE(session_.connected());
    EXPECT_EQ(sent_payloads().back(), "#!-agent startup ");
    EXPECT_EQ(hooks_.resends, resends_before + 1);
    EXPECT_NE(log().find("no reply from the manager 127.0.0.1:1514/udp for 15 s"),
              std::string::npos);
}

TEST_F(SessionTest, ChunksOfASharedFileKeepTheLinkAliveWithoutAcks) {
    // Seen against OSSEC 3.8: remoted sends no ACK while it streams
    // merged.mg, which takes longer than ack_timeout.
    connect(t0_);
    session_.on_datagram(from_manager("#!-up file 0123456789abcdef0123456789abcdef merged.mg\n"),
                         t0_ + 1s);
    for (int second = 5; second <= 40; second += 5) {
        session_.on_datagram(from_manager("!5 ar.conf\nhello"), t0_ + std::chrono::seconds(second));
        session_.on_tick(t0_ + std::chrono::seconds(second) + 4s);
        ASSERT_TRUE(session_.connected()) << "at " << second << " s";
    }
    session_.on_tick(t0_ + 40s + 14s);
    EXPECT_TRUE(session_.connected());
    session_.on_tick(t0_ + 40s + 15s);  // the manager fell silent with a keep-alive unanswered
    EXPECT_FALSE(session_.connected());
}

TEST_F(SessionTest, ReconnectsWhenNothingIsHeardForTimeReconnect) {
    Session session(SessionSettings{kKey, 60s, 100s, false, core::Cipher::kBlowfish, 1000s, 2s}, sender_, receiver_,
                    shared_, hooks_, logger_);
    session.start(t0_);
    session.on_datagram(from_manager("#!-agent ack "), t0_);
    session.on_tick(t0_ + 99s);
    EXPECT_TRUE(session.connected());
    session.on_tick(t0_ + 100s);
    EXPECT_FALSE(session.connected());
    EXPECT_NE(log().find("nothing heard from the manager"), std::string::npos);
}

TEST_F(SessionTest, EventsAreProbedWithAKeepaliveAndConfirmedByItsAck) {
    connect(t0_);
    session_.on_datagram(from_manager("#!-agent ack "), t0_);  // ACK of the first keep-alive
    EXPECT_EQ(hooks_.controls_sent, 1);
    EXPECT_EQ(hooks_.controls_acked, 1);

    ASSERT_TRUE(session_.send_event("1:loc:one"));
    session_.on_tick(t0_ + 1s);
    EXPECT_EQ(hooks_.controls_sent, 1);  // probe_interval is 2 s
    session_.on_tick(t0_ + 2s);
    EXPECT_EQ(hooks_.controls_sent, 2);
    EXPECT_EQ(sent_payloads().back().rfind("#!-Linux h", 0), 0u);
    session_.on_datagram(from_manager("#!-agent ack "), t0_ + 2s);
    EXPECT_EQ(hooks_.controls_acked, 2);

    session_.on_tick(t0_ + 10s);
    EXPECT_EQ(hooks_.controls_sent, 2);  // no events since: no probe
}

TEST_F(SessionTest, ReplayedManagerMessageIsDropped) {
    connect(t0_);
    const std::string execd = from_manager("#!-execd firewall-drop600 - 1.2.3.4 a b");
    session_.on_datagram(execd, t0_);
    session_.on_datagram(execd, t0_);
    EXPECT_EQ(hooks_.responses.size(), 1u);
    EXPECT_EQ(session_.counters().replayed_messages, 1u);
    EXPECT_NE(log().find("replayed"), std::string::npos);
}

TEST_F(SessionTest, ManagerCommandsReachTheirHandlers) {
    connect(t0_);
    session_.on_datagram(
        from_manager("#!-execd firewall-drop600 - 10.0.0.5 1701604800.12345 5712 "
                     "(test-agent) any->/var/log/auth.log (null)"),
        t0_);
    session_.on_datagram(from_manager("#!-syscheck restart"), t0_);
    ASSERT_EQ(hooks_.responses.size(), 1u);
    EXPECT_EQ(hooks_.responses[0],
              "firewall-drop600 - 10.0.0.5 1701604800.12345 5712 (test-agent) "
              "any->/var/log/auth.log (null)");
    EXPECT_EQ(hooks_.syscheck_restarts, 1);
}

TEST_F(SessionTest, ActiveResponseDisabledInClientIsNotForwarded) {
    Session session(SessionSettings{kKey, 60s, 180s, true}, sender_, receiver_, shared_,
                    hooks_, logger_);
    session.start(t0_);
    session.on_datagram(from_manager("#!-agent ack "), t0_);
    session.on_datagram(from_manager("#!-execd restart-ossec0 - null (from_the_server) "
                                     "(no_rule_id)"),
                        t0_);
    EXPECT_TRUE(hooks_.responses.empty());
}

TEST_F(SessionTest, GarbageFromTheNetworkIsDroppedAndLoggedOnce) {
    connect(t0_);
    session_.on_datagram("garbage", t0_);
    session_.on_datagram("garbage", t0_);
    session_.on_datagram(":12345678", t0_);
    session_.on_datagram(std::string(":") + std::string(64, '\xff'), t0_);
    EXPECT_EQ(session_.counters().rejected_messages, 4u);
    EXPECT_TRUE(session_.connected());
    const std::string text = log();
    std::size_t count = 0;
    for (auto pos = text.find("does not start with ':'"); pos != std::string::npos;
         pos = text.find("does not start with ':'", pos + 1)) {
        ++count;
    }
    EXPECT_EQ(count, 1u);
}

TEST_F(SessionTest, SharedFileArrivesThroughTheSession) {
    connect(t0_);
    const std::string merged = "!5 ar.conf\nhello";
    session_.on_datagram(from_manager("#!-up file " + core::md5_hex(merged) + " merged.mg\n"),
                         t0_);
    session_.on_datagram(from_manager(merged), t0_);
    session_.on_datagram(from_manager("#!-close file "), t0_);
    EXPECT_EQ(testing_support::read_file(dir_.path() / "shared" / "ar.conf"), "hello");
}

TEST_F(SessionTest, OversizeEventIsCutToTheProtocolLimit) {
    connect(t0_);
    ASSERT_TRUE(session_.send_event("1:loc:" + std::string(10000, 'a')));
    EXPECT_EQ(sent_payloads().back().size(), core::kMaxPayload);
}

}  // namespace
}  // namespace agentd

namespace agentd {
namespace {

TEST(BackoffTest, DoublesFromTheBaseUpToTheBound) {
    EXPECT_EQ(backoff_delay(1), 5s);
    EXPECT_EQ(backoff_delay(2), 10s);
    EXPECT_EQ(backoff_delay(3), 20s);
    EXPECT_EQ(backoff_delay(5), 80s);
    EXPECT_EQ(backoff_delay(6), 120s);
    EXPECT_EQ(backoff_delay(1000), 120s);
}

TEST_F(SessionTest, RoundsAfterTheSecondFailedOneWaitWithJitter) {
    session_.start(t0_);
    std::vector<Clock::duration> startups{Clock::duration{}};
    for (auto t = 100ms; t <= 90s; t += 100ms) {
        const std::size_t before = hooks_.sent.size();
        session_.on_tick(t0_ + t);
        if (hooks_.sent.size() > before) {
            startups.push_back(t);
        }
    }
    // Six startups per round, 21 s per round; the second round follows the
    // first at once, the third waits 5 s +-20 %, the fourth 10 s +-20 %.
    ASSERT_GE(startups.size(), 19u);
    EXPECT_EQ(startups[6] - startups[5], 6s);
    const auto third = startups[12] - startups[11] - 6s;
    EXPECT_GE(third, 4s);
    EXPECT_LE(third, 6s + 100ms);
    const auto fourth = startups[18] - startups[17] - 6s;
    EXPECT_GE(fourth, 8s);
    EXPECT_LE(fourth, 12s + 100ms);
    EXPECT_EQ(hooks_.server_switches, 3);
    EXPECT_NE(log().find("no configured manager answers"), std::string::npos);
}

TEST_F(SessionTest, LostLinkRestartsTheHandshakeWithTheSameManager) {
    connect(t0_);
    ASSERT_TRUE(session_.send_event("1:x:before"));
    const int resends = hooks_.resends;
    hooks_.sent.clear();

    session_.restart("the manager closed the connection", t0_ + 1s);
    EXPECT_FALSE(session_.connected());
    EXPECT_EQ(hooks_.server_switches, 0);
    EXPECT_EQ(hooks_.resends, resends + 1);
    EXPECT_EQ(sent_payloads(), std::vector<std::string>{"#!-agent startup "});
    EXPECT_NE(log().find("the manager closed the connection; events wait in the buffer"),
              std::string::npos);
}

}  // namespace
}  // namespace agentd
