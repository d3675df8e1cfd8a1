// agentd as a running service: the link to the manager (UDP or TCP, see
// manager_link.hpp), the local
// event queue (queue/ossec/queue), the disk buffer (queue/buffer), timers,
// the state file, and the Session that speaks the protocol. One network
// thread runs Asio; one thread reads the local queue into the buffer.
#pragma once

#include <asio.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "agentd/manager_link.hpp"
#include "agentd/pace_controller.hpp"
#include "agentd/rate_limiter.hpp"
#include "agentd/session.hpp"
#include "agentd/shared_files.hpp"
#include "agentd/spool.hpp"
#include "core/config.hpp"
#include "core/counter_store.hpp"
#include "core/home.hpp"
#include "core/logger.hpp"
#include "pal/local_queue.hpp"

namespace agentd {

struct AgentdSettings {
    core::Home home;
    core::AgentConfig config;
    core::AgentKey key;
    std::string os_description;
    std::string product;  // "OSSEC HIDS v3.8.0"
    // The wall clock, read only where a date is needed: the counters'
    // starting floor and the times in the state file. Keep-alives, ACK
    // timeouts and reconnects run on the steady clock, so a wall clock set
    // back or forward changes none of them. Tests inject a jumping clock.
    std::function<std::chrono::system_clock::time_point()> wall_clock =
        [] { return std::chrono::system_clock::now(); };
    // Each server's numeric address as resolved at start-up (see
    // resolve_servers()). When given (agentd confined to its home, where
    // the resolver's files are out of reach) these are the addresses
    // used; empty: every server is resolved again on each reconnect.
    std::vector<std::string> startup_addresses{};
};

// The numeric address each server resolves to now, "" for one that does
// not resolve. agentd calls it before it confines itself to its home.
std::vector<std::string> resolve_servers(const std::vector<core::ServerAddress>& servers);

class AgentdService final : private SessionHooks, private LinkHandler {
public:
    AgentdService(AgentdSettings settings, core::Logger& logger);
    ~AgentdService() override;

    // Binds the local queue and loads the counters. An error here is fatal
    // for the program (it names what failed).
    core::Result<bool> open();
    // Runs until stop(); call from one thread.
    void run();
    // Makes run() return: what the modules queued so far is written to
    // the disk buffer first. Thread safe; may be called from a
    // signal-handling thread.
    void stop();

private:
    // SessionHooks
    void transmit(const std::string& wire) override;
    void next_server() override;
    void active_response(std::string_view text) override;
    void restart_syscheck() override;
    std::string keepalive_text() override;
    std::string server_name() const override;
    std::size_t server_count() const override;
    void control_sent() override;
    void control_acked() override;
    void resend_unconfirmed() override;
    void control_round_trip(Clock::time_point sent, Clock::time_point now) override;
    void ack_timed_out(Clock::time_point now) override;

    // LinkHandler
    void link_message(std::string_view wire) override;
    void link_closed(const std::string& why) override;
    void link_writable() override;

    const core::ServerAddress& current_server() const;
    core::ServerAddress server_to_open() const;
    void schedule_tick();
    void schedule_drain();
    void drain();
    void read_local_queue();
    // Appends message to the spool; while the disk refuses the write (full),
    // logs it once and retries every second, so the local queue fills and
    // the modules wait instead of events being lost. False when stopping.
    bool append_or_hold(const std::string& message, int& batched);
    void take_remaining_events();
    void report_drops();
    void write_state_file();
    // Applies a pacing change to the limiter and logs cuts and the return
    // to the ceiling; why says what caused a cut.
    void apply_pace(PaceController::Change change, const std::string& why);

    AgentdSettings settings_;
    core::Logger& logger_;
    asio::io_context io_;
    ManagerLink link_;
    asio::steady_timer tick_timer_;
    asio::steady_timer drain_timer_;
    std::size_t server_index_ = 0;

    std::unique_ptr<core::SenderCounter> sender_counter_;
    std::unique_ptr<core::ReceiveCounter> receive_counter_;
    SharedFileReceiver shared_files_;
    std::unique_ptr<Session> session_;
    std::unique_ptr<Spool> spool_;
    std::deque<SpoolPosition> awaiting_ack_;  // send position at each control message
    Clock::time_point last_cursor_save_{};
    Clock::time_point last_state_write_{};
    std::uint64_t drops_reported_ = 0;
    RateLimiter limiter_;
    PaceController pace_;
    std::atomic<bool> drain_posted_{false};
    bool drain_timer_armed_ = false;

    std::unique_ptr<pal::QueueReceiver> queue_;
    std::unique_ptr<pal::QueueSender> exec_queue_;
    std::thread queue_thread_;
    std::atomic<bool> stopping_{false};
};

}  // namespace agentd
