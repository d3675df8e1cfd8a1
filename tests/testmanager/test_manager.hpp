// A manager written for the tests: the manager's side of the OSSEC 3.x
// secure protocol over UDP, as ossec-remoted speaks it, or over TCP with
// Wazuh 4.x framing (ManagerOptions::tcp), plus a record of
// everything it accepted so tests can check what the agent sent.
//
// What it does with each datagram:
//   1. finds the agent's key ("!ID!" prefix, or the source address; see
//      agent_lookup.hpp), decrypts it, and applies the replay rule per
//      agent (counters must increase). A failure at any step is counted
//      and recorded as a Rejected, never as a Received;
//   2. records the payload, in arrival order: a control message (payload
//      starting "#!-") or an event ("<Q>:<location>:<message>");
//   3. answers every control message with "#!-agent ack ", sealed with
//      the manager's one sender counter (shared by all agents, as OSSEC),
//      sent to the datagram's source (over TCP: the connection it came
//      on); that is also where later messages to the agent go
//      (send_to_agent), as remoted does. Replies use the cipher of the
//      agent's last message (Blowfish, or Wazuh's AES), as Wazuh does.
//
// Thread safety: every public member may be called from any thread, except
// that start(), stop() and restart() must not race each other. The io
// thread calls the observers in ManagerOptions, outside the lock; they
// must not call start(), stop(), restart() or the send functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/client_keys.hpp"
#include "core/queue_message.hpp"
#include "core/secure_message.hpp"

namespace testmanager {

enum class MessageKind { kControl, kEvent };

// One accepted message.
struct Received {
    MessageKind kind = MessageKind::kEvent;
    std::string agent_id;
    core::Counters counters;
    std::string payload;  // decrypted, whole
    std::string source_address;
    std::uint16_t source_port = 0;
    bool aes = false;  // sealed with AES ("#AES:"), not Blowfish
    // Events only: the payload split as "<Q>:<location>:<message>";
    // nullopt when it does not have that form.
    std::optional<core::QueueMessage> event;

    bool is_control() const { return kind == MessageKind::kControl; }
    bool is_startup() const;
    // Any control message other than the startup request: a keepalive.
    bool is_keepalive() const;
    // The payload up to its first '\n', without the "#!-" of a control.
    std::string first_line() const;
};

enum class RejectReason {
    kUnknownAgent,  // no key for the prefix or the source address
    kBadMessage,    // does not decrypt (wrong key, corrupt, bad checksum)
    kReplay,        // counters not newer than the last accepted ones
};

struct Rejected {
    RejectReason reason = RejectReason::kBadMessage;
    std::string agent_id;     // empty for kUnknownAgent without a prefix
    core::Counters counters;  // kReplay only
    std::string detail;       // why, in words
    std::string source_address;
    std::uint16_t source_port = 0;
};

struct ManagerStats {
    std::uint64_t accepted = 0;
    std::uint64_t accepted_events = 0;  // of accepted: events, not controls
    std::uint64_t rejected_replay = 0;
    std::uint64_t rejected_bad = 0;
    std::uint64_t rejected_unknown = 0;
    std::uint64_t acks_sent = 0;
    std::uint64_t messages_sent = 0;  // every datagram sent, ACKs included
    std::uint64_t dropped_away = 0;   // ignored while set_away(true)
    std::uint64_t tcp_connections = 0;  // accepted
    std::uint64_t bad_frames = 0;       // TCP frames of bad length
    std::uint64_t noise_sent = 0;     // bad datagrams sent by set_reply_noise
};

// What set_reply_noise sends to the agent after each ACK, in turn.
enum class Noise {
    kGarbage,    // random bytes, 1..1500 of them
    kTruncated,  // the ACK just sent, cut at a random point
    kReplay,     // the ACK just sent, again (same counters)
    kOversized,  // 65000 random bytes behind ":" (looks encrypted)
    kBadLength,  // a valid seal of a payload longer than an agent accepts
};

// What a wait predicate sees, under the manager's lock.
struct ManagerState {
    std::vector<Received> messages;  // controls and events, in arrival order
    std::vector<Rejected> rejections;
    ManagerStats stats;

    std::size_t count_events() const;
    std::size_t count_controls() const;
    std::size_t count_startups() const;
    std::size_t count_keepalives() const;
};

struct ManagerOptions {
    std::string bind_address = "127.0.0.1";
    std::uint16_t port = 0;  // 0: an ephemeral port, see TestManager::port()
    // Listen on TCP (4-byte little-endian length before each message)
    // instead of UDP.
    bool tcp = false;
    // The manager's sender pair before its first message (OSSEC's
    // queue/rids/sender_counter); the first message uses the next pair.
    core::Counters sender_counter{};
    // Called on the io thread after each message is recorded (and ACKed).
    std::function<void(const Received&)> on_received;
    std::function<void(const Rejected&)> on_rejected;
};

class TestManager {
  public:
    explicit TestManager(ManagerOptions options = {});
    ~TestManager();  // stops

    TestManager(const TestManager&) = delete;
    TestManager& operator=(const TestManager&) = delete;

    // Replace the known agents with every valid entry of a client.keys
    // text or file. Returns the parser's problems ("line N: ..."); a file
    // that cannot be read gives one problem naming it. The replay state
    // and reply address of an agent whose ID stays are kept.
    std::vector<std::string> load_keys(std::string_view client_keys_text);
    std::vector<std::string> load_keys_file(const std::filesystem::path& path);
    void add_key(const core::AgentKey& key);

    // Binds and starts the io thread. Fails when already running or the
    // address cannot be bound.
    std::error_code start();
    // Closes the socket and joins the io thread. Records, counters and
    // per-agent state are kept. Safe to call when stopped.
    void stop();
    // stop(), then start() again on the same port, like a manager restart
    // that keeps its queue/rids state.
    std::error_code restart();
    bool running() const;
    // The bound port (the last one after stop()); 0 before the first start.
    std::uint16_t port() const;

    // Manager away: every datagram is ignored (counted in dropped_away),
    // nothing is recorded or answered. Messages the test sends still go.
    void set_away(bool away);
    // When false, control messages are recorded but not ACKed, so the
    // agent keeps waiting for the handshake.
    void set_acking(bool acking);
    // Slow manager: each ACK is sent delay after the control message that
    // asks for it (0, the default: at once). Events are still taken at once.
    void set_ack_delay(std::chrono::milliseconds delay);
    // Misbehaving manager: when on, every ACK is followed by one datagram
    // of Noise, rotating through the kinds in order (counted in
    // ManagerStats::noise_sent).
    void set_reply_noise(bool on);

    // Sends payload, sealed with the agent's key and the next sender pair,
    // to the address of the agent's last control message. Fails with
    // no_such_device_or_address for an unknown agent or one that has sent
    // no control message, message_size for an empty or too long payload,
    // not_connected when the manager is not running.
    std::error_code send_to_agent(const std::string& agent_id, std::string_view payload);
    // The shared-file push of remoted: "#!-up file <md5> <name>\n", the
    // content in plain payloads of up to 900 bytes, then "#!-close file ".
    std::error_code push_file(const std::string& agent_id, const std::string& name,
                              std::string_view content);
    // Sends again the exact bytes last sent to the agent: a replay.
    std::error_code resend_last(const std::string& agent_id);
    // The manager's sender pair (the last one used). Setting it lower than
    // before makes later messages look replayed to a stock agent.
    core::Counters sender_counter() const;
    void set_sender_counter(core::Counters counters);
    // Sets the last pair accepted from an agent, as a manager that kept a
    // higher counter than the agent has (the agent restored from a backup
    // or a snapshot). False when the agent is unknown.
    bool set_agent_counter(const std::string& agent_id, core::Counters counters);

    ManagerState snapshot() const;
    ManagerStats stats() const;
    std::vector<Received> messages() const;
    std::vector<Received> events() const;
    std::vector<Received> controls() const;
    std::vector<Rejected> rejections() const;
    // Forgets the records and counters (not the per-agent state).
    void clear_records();

    // Waits until done(state) holds or timeout passes; returns the final
    // value of done. done runs under the lock and must be quick.
    bool wait_until(const std::function<bool(const ManagerState&)>& done,
                    std::chrono::milliseconds timeout) const;
    bool wait_for_events(std::size_t n, std::chrono::milliseconds timeout) const;
    bool wait_for_controls(std::size_t n, std::chrono::milliseconds timeout) const;
    bool wait_for_startups(std::size_t n, std::chrono::milliseconds timeout) const;
    bool wait_for_keepalives(std::size_t n, std::chrono::milliseconds timeout) const;
    // Until some event's message text (after "<Q>:<location>:") is text.
    bool wait_for_event_text(std::string_view text,
                             std::chrono::milliseconds timeout) const;

  private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

std::string_view to_string(RejectReason reason);

}  // namespace testmanager
