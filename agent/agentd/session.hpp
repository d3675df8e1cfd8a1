// The agent's side of the OSSEC protocol with one manager, as a state
// machine without I/O: datagrams and clock ticks go in; datagrams to send
// and actions for this host come out through SessionHooks. agentd's
// service feeds it from sockets and timers; unit tests feed it directly.
//
//   kHandshake: "#!-agent startup " sent and resent (1 s, 2 s, ... 6 s
//               apart); after six unanswered tries the next manager is
//               tried. When every configured manager failed in a row,
//               the next round waits first: kBackoffBase doubled for each
//               further failed round, at most kBackoffMax, with a random
//               +-kBackoffJitterPercent % so that many agents cut off
//               together do not come back in step. The first round after
//               a lost link starts at once.
//   kConnected: the manager's ACK arrived. A keep-alive goes out at once
//               and every notify_time; events flow. When nothing valid has
//               come from the manager for time_reconnect, back to
//               kHandshake.
//
// Confirmation over UDP: the manager acknowledges every control message
// but no event. While events flow, a keep-alive also goes out every
// probe_interval; its ACK shows the manager was alive after the events
// sent before it (SessionHooks::control_acked lets the caller mark them
// confirmed). A control message left unanswered for ack_timeout means the
// manager is away: the caller is told to resend everything unconfirmed
// (resend_unconfirmed) and the handshake starts again. Events can thus
// arrive twice, never not at all.
//
// Not thread safe: one thread (agentd's network thread) drives it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>

#include "agentd/shared_files.hpp"
#include "core/client_keys.hpp"
#include "core/counter_store.hpp"
#include "core/logger.hpp"
#include "core/secure_message.hpp"

namespace agentd {

using Clock = std::chrono::steady_clock;

// Waits between rounds over every configured manager (see above).
inline constexpr std::chrono::seconds kBackoffBase{5};
inline constexpr std::chrono::seconds kBackoffMax{120};
inline constexpr int kBackoffJitterPercent = 20;

// The wait before handshake round failed_rounds + 1 (failed_rounds >= 1),
// before jitter: kBackoffBase * 2^(failed_rounds - 1), at most kBackoffMax.
std::chrono::milliseconds backoff_delay(int failed_rounds);

enum class SessionState { kHandshake, kConnected };

// What the session needs from its surroundings.
class SessionHooks {
public:
    virtual ~SessionHooks() = default;
    // Sends wire bytes to the current manager.
    virtual void transmit(const std::string& wire) = 0;
    // Moves to the next configured manager (or reconnects to the only one).
    virtual void next_server() = 0;
    // "#!-execd <text>": hand <text> to execd.
    virtual void active_response(std::string_view text) = 0;
    // "#!-syscheck restart".
    virtual void restart_syscheck() = 0;
    // The current keep-alive text (reads merged.mg's checksum each time).
    virtual std::string keepalive_text() = 0;
    // A short name of the current manager for log lines ("10.0.0.1:1514/udp").
    virtual std::string server_name() const = 0;
    // How many managers next_server() goes through before it is back at
    // the first one.
    virtual std::size_t server_count() const { return 1; }
    // A control message the manager will ACK is going out; everything sent
    // before it is confirmed when its ACK arrives.
    virtual void control_sent() {}
    // The manager ACKed the oldest control message not yet ACKed.
    virtual void control_acked() {}
    // Pacing signals (see pace_controller.hpp): the ACK of a keep-alive
    // sent at sent arrived at now (not reported for keep-alives that
    // overlapped a shared-file transfer, during which the manager ACKs
    // nothing), and a control message left unanswered for ack_timeout.
    virtual void control_round_trip(Clock::time_point /*sent*/, Clock::time_point /*now*/) {}
    virtual void ack_timed_out(Clock::time_point /*now*/) {}
    // The link is (re)starting: what was sent but not confirmed must go
    // out again once connected.
    virtual void resend_unconfirmed() {}
};

struct SessionSettings {
    core::AgentKey key;
    std::chrono::seconds notify_time{600};
    std::chrono::seconds time_reconnect{1800};
    bool disable_active_response = false;
    core::Cipher cipher = core::Cipher::kBlowfish;
    std::chrono::seconds ack_timeout{15};
    std::chrono::seconds probe_interval{2};
};

struct SessionCounters {
    std::uint64_t events_sent = 0;
    std::uint64_t keepalives_sent = 0;
    std::uint64_t acks_received = 0;
    std::uint64_t rejected_messages = 0;
    std::uint64_t replayed_messages = 0;
};

class Session {
public:
    Session(SessionSettings settings, core::SenderCounter& sender, core::ReceiveCounter& receiver,
            SharedFileReceiver& shared_files, SessionHooks& hooks, core::Logger& logger);

    // Begins (or restarts) the handshake with the current manager.
    void start(Clock::time_point now);
    // The transport lost the link (a TCP connection closed): log why and
    // handshake again with the same manager, resending what was not
    // confirmed.
    void restart(const std::string& why, Clock::time_point now);
    // Handles a datagram from the manager.
    void on_datagram(std::string_view wire, Clock::time_point now);
    // Resends, keep-alives and reconnects that are due.
    void on_tick(Clock::time_point now);
    // Seals and sends one event payload ("<Q>:<location>:<text>"). Returns
    // false, sending nothing, unless connected. Payloads above the protocol
    // limit are cut to it (and the cut is logged).
    bool send_event(std::string_view payload);

    SessionState state() const { return state_; }
    bool connected() const { return state_ == SessionState::kConnected; }
    const SessionCounters& counters() const { return counters_; }
    std::optional<Clock::time_point> last_ack() const { return last_ack_; }
    std::optional<Clock::time_point> last_keepalive() const { return last_keepalive_; }

private:
    void send_payload(std::string_view payload);
    void send_startup();
    void send_keepalive(Clock::time_point now);
    void handle_control(std::string_view command, Clock::time_point now);
    void on_connected(Clock::time_point now);
    void report_once(const std::string& kind, const std::string& text);
    void lose_link(const std::string& why, Clock::time_point now);
    void jump_counter_once();
    void switch_server(Clock::time_point now);
    void start_at(Clock::time_point when);

    SessionSettings settings_;
    std::string prefix_;
    core::SecureCodec codec_;
    core::SenderCounter& sender_;
    core::ReceiveCounter& receiver_;
    SharedFileReceiver& shared_files_;
    SessionHooks& hooks_;
    core::Logger& logger_;

    SessionState state_ = SessionState::kHandshake;
    int attempts_ = 0;
    Clock::time_point next_attempt_{};
    Clock::time_point last_heard_{};
    std::optional<Clock::time_point> last_keepalive_;
    std::optional<Clock::time_point> last_ack_;
    bool announced_start_ = false;
    bool counter_jumped_ = false;
    std::size_t servers_tried_ = 0;  // since the last connection
    int failed_rounds_ = 0;          // since the last connection
    std::minstd_rand jitter_{std::random_device{}()};
    std::deque<Clock::time_point> unacked_;  // control messages awaiting ACK
    Clock::time_point last_control_{};
    Clock::time_point last_transfer_{};  // last shared-file begin or end
    bool events_since_control_ = false;
    std::set<std::string> reported_;
    SessionCounters counters_;
};

}  // namespace agentd
