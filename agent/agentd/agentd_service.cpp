#include "agentd/agentd_service.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>

#include "agentd/keepalive.hpp"
#include "core/digest.hpp"
#include "pal/file.hpp"

namespace agentd {
namespace {

using namespace std::chrono_literals;

constexpr auto kTickInterval = 100ms;
constexpr auto kCursorSaveInterval = 200ms;
constexpr auto kStateInterval = 5s;
// Events read from the local queue before they are handed to the OS.
constexpr int kAppendBatch = 256;
// Events taken from the local queue after a stop request, at most.
constexpr std::size_t kStopDrainLimit = 65536;

std::string wall_clock_text(std::optional<Clock::time_point> when,
                            std::chrono::system_clock::time_point wall_now) {
    if (!when) {
        return "";
    }
    const auto ago = Clock::now() - *when;
    const std::time_t t = std::chrono::system_clock::to_time_t(
        wall_now -
        std::chrono::duration_cast<std::chrono::system_clock::duration>(ago));
    char text[32];
    std::tm parts{};
    if (const std::tm* local = std::localtime(&t)) {
        parts = *local;
    }
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
    return text;
}

// A global counter below which the agent never starts, derived from the
// clock: an agent whose saved counter was lost (reinstall, restored
// backup) still starts above what the manager remembers, as long as it
// sent fewer than 9997 messages a minute on average before.
std::uint32_t clock_floor(std::chrono::system_clock::time_point wall_now) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(
        wall_now.time_since_epoch());
    return static_cast<std::uint32_t>(minutes.count());
}

}  // namespace

std::vector<std::string> resolve_servers(const std::vector<core::ServerAddress>& servers) {
    asio::io_context io;
    asio::ip::udp::resolver resolver(io);
    std::vector<std::string> addresses;
    for (const core::ServerAddress& server : servers) {
        std::error_code ec;
        const auto endpoints = resolver.resolve(server.host, std::to_string(server.port), ec);
        addresses.push_back(ec || endpoints.empty()
                                ? std::string()
                                : endpoints.begin()->endpoint().address().to_string());
    }
    return addresses;
}

AgentdService::AgentdService(AgentdSettings settings, core::Logger& logger)
    : settings_(std::move(settings)),
      logger_(logger),
      link_(io_, logger, static_cast<LinkHandler&>(*this)),
      tick_timer_(io_),
      drain_timer_(io_),
      shared_files_(settings_.home.shared_dir(), logger),
      limiter_(settings_.config.buffer.events_per_second),
      pace_(settings_.config.buffer.events_per_second) {}

AgentdService::~AgentdService() {
    stop();
    if (queue_thread_.joinable()) {
        queue_thread_.join();
    }
}

core::Result<bool> AgentdService::open() {
    const core::Home& home = settings_.home;
    std::error_code ec;
    std::filesystem::create_directories(home.rids_dir(), ec);

    sender_counter_ = std::make_unique<core::SenderCounter>(home.rids_dir() / "sender_counter",
                                                            clock_floor(settings_.wall_clock()), ec);
    if (ec) {
        return core::Error{"cannot write the message counter '" +
                           (home.rids_dir() / "sender_counter").string() +
                           "': " + ec.message()};
    }
    receive_counter_ =
        std::make_unique<core::ReceiveCounter>(home.rids_dir() / settings_.key.id);

    SpoolLimits limits;
    limits.max_disk_bytes = settings_.config.buffer.disk_megabytes * 1024ull * 1024;
    core::Result<std::unique_ptr<Spool>> spool = Spool::open(home.buffer_dir(), limits);
    if (!spool.ok()) {
        return core::Error{spool.error()};
    }
    spool_ = std::move(spool.value());
    if (const auto pending = spool_->stats().events_pending; pending > 0) {
        logger_.info(std::to_string(pending) +
                     " events from before the restart are waiting in the buffer '" +
                     home.buffer_dir().string() + "'; they go out first");
    }

    std::filesystem::create_directories(home.event_queue().parent_path(), ec);
    queue_ = pal::bind_queue(home.event_queue(), ec);
    if (!queue_) {
        return core::Error{"cannot bind the local queue '" + home.event_queue().string() +
                           "': " + ec.message()};
    }

    SessionSettings session;
    session.key = settings_.key;
    session.notify_time = settings_.config.client.notify_time;
    session.time_reconnect = settings_.config.client.time_reconnect;
    session.disable_active_response = settings_.config.client.disable_active_response;
    session.cipher = settings_.config.client.aes ? core::Cipher::kAes : core::Cipher::kBlowfish;
    // An ACK normally comes back within milliseconds; a manager that takes
    // 15 s (or a notify_time, when that is shorter) is treated as away.
    session.ack_timeout = std::clamp(settings_.config.client.notify_time,
                                     std::chrono::seconds(2), std::chrono::seconds(15));
    SessionHooks& hooks = *this;
    session_ = std::make_unique<Session>(session, *sender_counter_, *receive_counter_,
                                         shared_files_, hooks, logger_);
    return true;
}

void AgentdService::run() {
    queue_thread_ = std::thread([this] { read_local_queue(); });
    link_.open(server_to_open());
    session_->start(Clock::now());
    schedule_tick();
    io_.run();

    // The reader takes what is still waiting in the local queue before it
    // ends; only then is the queue closed.
    if (queue_thread_.joinable()) {
        queue_thread_.join();
    }
    queue_->close();
    spool_->flush();
    spool_->save_cursor();
    write_state_file();
    if (const auto pending = spool_->stats().events_pending; pending > 0) {
        logger_.info(std::to_string(pending) +
                     " events not yet confirmed by the manager stay in the buffer for the "
                     "next start");
    }
}

void AgentdService::stop() {
    if (stopping_.exchange(true)) {
        return;
    }
    asio::post(io_, [this] { io_.stop(); });
}

void AgentdService::read_local_queue() {
    bool oversize_reported = false;
    bool control_reported = false;
    int batched = 0;
    while (!stopping_) {
        std::error_code ec;
        // Wait only when nothing is batched; otherwise take what is there
        // and hand the batch over as soon as the queue is empty.
        std::optional<std::string> message =
            queue_->receive(batched == 0 ? 500ms : 0ms, ec);
        if (ec) {
            logger_.error("cannot read the local queue: " + ec.message() + "; retrying");
            std::this_thread::sleep_for(1s);
            continue;
        }
        if (message && message->rfind("#!-", 0) == 0) {
            // Only agentd speaks the control protocol; a module (or anyone
            // who can write to the queue) must not forge keep-alives.
            if (!control_reported) {
                control_reported = true;
                logger_.warning("refused a control message ('#!-...') sent to the local "
                                "queue; modules send events only (reported once)");
            }
            continue;
        }
        if (message && !message->empty()) {
            if (message->size() > pal::kMaxQueueMessage && !oversize_reported) {
                oversize_reported = true;
                logger_.warning("a module sent an event of " +
                                std::to_string(message->size()) +
                                " bytes; events are cut to the protocol limit (reported "
                                "once)");
            }
            if (!append_or_hold(*message, batched)) {
                break;  // stopping while the buffer could not be written
            }
            if (++batched < kAppendBatch) {
                continue;
            }
        }
        if (batched > 0) {
            spool_->flush();
            batched = 0;
            if (!drain_posted_.exchange(true)) {
                asio::post(io_, [this] { drain(); });
            }
        }
    }
    take_remaining_events();
}

void AgentdService::take_remaining_events() {
    // Stopping: the events the modules already handed over (waiting in
    // the socket) go to the disk buffer too, so a stop loses none. Bounded,
    // as the modules may keep sending while agentd stops.
    std::size_t taken = 0;
    for (; taken < kStopDrainLimit; ++taken) {
        std::error_code ec;
        std::optional<std::string> message = queue_->receive(0ms, ec);
        if (ec || !message) {
            break;
        }
        std::error_code append_ec;
        if (!message->empty() && message->rfind("#!-", 0) != 0 &&
            !spool_->append(*message, append_ec) && append_ec) {
            logger_.error("cannot write to the event buffer '" +
                          settings_.home.buffer_dir().string() + "' while stopping: " +
                          append_ec.message() + "; the events still queued are lost");
            break;
        }
    }
    spool_->flush();
    if (taken > 0) {
        logger_.debug(std::to_string(taken) + " events taken from the local queue on stop");
    }
}

bool AgentdService::append_or_hold(const std::string& message, int& batched) {
    std::error_code ec;
    bool failing = false;
    while (!spool_->append(message, ec) && ec) {
        if (!failing) {
            failing = true;
            logger_.error("cannot write to the event buffer '" +
                          settings_.home.buffer_dir().string() + "': " + ec.message() +
                          "; holding new events (the modules wait and keep them) and "
                          "trying again every second");
            // What was written before goes out meanwhile.
            spool_->flush();
            batched = 0;
            if (!drain_posted_.exchange(true)) {
                asio::post(io_, [this] { drain(); });
            }
        }
        if (stopping_) {
            // Known shortcoming: the one event in hand is lost when agentd
            // stops while it cannot write its buffer.
            logger_.error("stopping while the event buffer cannot be written; one event "
                          "is lost");
            return false;
        }
        std::this_thread::sleep_for(1s);
    }
    if (failing) {
        logger_.info("the event buffer '" + settings_.home.buffer_dir().string() +
                     "' can be written again; taking events from the local queue");
    }
    return true;
}

void AgentdService::drain() {
    drain_posted_ = false;
    while (session_->connected() && link_.can_send()) {
        const auto now = Clock::now();
        if (!spool_->has_unsent()) {
            return;
        }
        if (!limiter_.try_take(now)) {
            if (!drain_timer_armed_) {
                drain_timer_armed_ = true;
                drain_timer_.expires_at(limiter_.next_token(now));
                drain_timer_.async_wait([this](const std::error_code& ec) {
                    drain_timer_armed_ = false;
                    if (!ec) {
                        drain();
                    }
                });
            }
            return;
        }
        std::optional<std::string> event = spool_->next();
        if (!event) {
            return;
        }
        session_->send_event(*event);
    }
}

void AgentdService::control_sent() { awaiting_ack_.push_back(spool_->send_position()); }

void AgentdService::control_acked() {
    if (awaiting_ack_.empty()) {
        return;
    }
    spool_->commit(awaiting_ack_.front());
    awaiting_ack_.pop_front();
}

void AgentdService::resend_unconfirmed() {
    awaiting_ack_.clear();
    // Rewinding to the confirmed position resends what the manager may
    // not have received.
    spool_->rewind();
}

void AgentdService::control_round_trip(Clock::time_point sent, Clock::time_point now) {
    const auto ms = [](Clock::duration d) {
        return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
    };
    const PaceController::Change change = pace_.on_ack(sent, now);
    apply_pace(change, "the manager " + server_name() + " confirms slowly (keep-alive round trip " +
                           ms(now - sent) + " ms, lowest recently " + ms(pace_.base()) + " ms)");
}

void AgentdService::ack_timed_out(Clock::time_point now) {
    apply_pace(pace_.on_timeout(now),
               "the manager " + server_name() + " left a keep-alive unanswered");
}

void AgentdService::apply_pace(PaceController::Change change, const std::string& why) {
    if (change == PaceController::Change::kNone) {
        return;
    }
    limiter_.set_rate(pace_.rate());
    const std::string ceiling = std::to_string(pace_.ceiling());
    if (change == PaceController::Change::kCut) {
        logger_.warning(why + ": events now go at " + std::to_string(pace_.rate()) +
                        "/s (configured " + ceiling + "/s); the rate rises again while it "
                        "confirms quickly");
    } else if (change == PaceController::Change::kAtCeiling) {
        logger_.info("the manager " + server_name() + " confirms quickly again: events go at "
                     "the configured " + ceiling + "/s");
    }
}

void AgentdService::report_drops() {
    const std::uint64_t dropped = spool_->stats().dropped;
    if (dropped > drops_reported_) {
        logger_.error("the event buffer '" + settings_.home.buffer_dir().string() +
                      "' reached its limit of " +
                      std::to_string(settings_.config.buffer.disk_megabytes) + " MB: " +
                      std::to_string(dropped - drops_reported_) +
                      " events dropped since the last report (" + std::to_string(dropped) +
                      " in all); they are lost");
        drops_reported_ = dropped;
    }
}

void AgentdService::write_state_file() {
    const SessionCounters& counters = session_->counters();
    const SpoolStats stats = spool_->stats();
    const auto wall_now = settings_.wall_clock();
    std::string text = "# State file of ossec-agentd\n";
    text += "status='" + std::string(session_->connected() ? "connected" : "pending") + "'\n";
    text += "manager='" + server_name() + "'\n";
    text += "last_keepalive='" + wall_clock_text(session_->last_keepalive(), wall_now) + "'\n";
    text += "last_ack='" + wall_clock_text(session_->last_ack(), wall_now) + "'\n";
    text += "msg_sent='" + std::to_string(counters.events_sent) + "'\n";
    text += "msg_buffer='" + std::to_string(stats.events_pending) + "'\n";
    text += "buffer_bytes='" + std::to_string(stats.bytes_on_disk) + "'\n";
    text += "events_per_second='" + std::to_string(pace_.rate()) + "'\n";
    text += "msg_dropped='" + std::to_string(stats.dropped) + "'\n";
    text += "manager_rejected='" + std::to_string(counters.rejected_messages) + "'\n";
    text += "manager_replayed='" + std::to_string(counters.replayed_messages) + "'\n";
    std::error_code ec;
    std::filesystem::create_directories(settings_.home.run_dir(), ec);
    pal::write_file_atomically(settings_.home.run_dir() / "ossec-agentd.state", text,
                               pal::Durability::kOrdered);
}

void AgentdService::schedule_tick() {
    tick_timer_.expires_after(kTickInterval);
    tick_timer_.async_wait([this](const std::error_code& ec) {
        if (ec) {
            return;
        }
        const auto now = Clock::now();
        session_->on_tick(now);
        drain();
        if (now - last_cursor_save_ >= kCursorSaveInterval) {
            last_cursor_save_ = now;
            spool_->save_cursor();
            report_drops();
        }
        if (now - last_state_write_ >= kStateInterval) {
            last_state_write_ = now;
            write_state_file();
        }
        schedule_tick();
    });
}

const core::ServerAddress& AgentdService::current_server() const {
    const auto& servers = settings_.config.client.servers;
    return servers[server_index_ % servers.size()];
}

void AgentdService::link_message(std::string_view wire) {
    session_->on_datagram(wire, Clock::now());
    drain();
}

void AgentdService::link_closed(const std::string& why) {
    // While connecting, the handshake's own retries open the link again;
    // a link that carried the session is restarted at once.
    if (session_->connected()) {
        session_->restart(why, Clock::now());
    } else {
        link_.report(why + "; will retry");
    }
}

void AgentdService::link_writable() { drain(); }

void AgentdService::transmit(const std::string& wire) {
    if (!link_.active()) {
        // Resolved again on every reconnect, so a manager that moved is
        // found.
        link_.open(server_to_open());
    }
    link_.send(wire);
}

void AgentdService::next_server() {
    const std::size_t before = server_index_;
    server_index_ = (server_index_ + 1) % settings_.config.client.servers.size();
    if (server_index_ != before) {
        pace_.forget_base();
    }
    link_.open(server_to_open());
}

void AgentdService::active_response(std::string_view text) {
    std::error_code ec;
    if (!exec_queue_) {
        exec_queue_ = pal::connect_queue(settings_.home.exec_queue(), ec);
    }
    if (exec_queue_) {
        ec = exec_queue_->send(text);
    }
    if (ec) {
        exec_queue_.reset();
        logger_.warning("cannot hand an active response to execd through '" +
                        settings_.home.exec_queue().string() + "': " + ec.message() +
                        "; is ossec-execd running? The command is dropped");
        return;
    }
    logger_.debug("active response forwarded to execd: " + std::string(text));
}

void AgentdService::restart_syscheck() {
    const auto flag = settings_.home.run_dir() / ".syscheck_run";
    std::error_code ec;
    std::filesystem::create_directories(flag.parent_path(), ec);
    std::ofstream(flag, std::ios::trunc) << "\n";
    logger_.info("the manager asked for a file integrity scan; flag written to '" +
                 flag.string() + "'");
}

std::string AgentdService::keepalive_text() {
    const auto shared = settings_.home.shared_dir();
    return build_keepalive(settings_.os_description, settings_.product,
                           core::file_md5_hex(shared / "agent.conf"),
                           core::file_md5_hex(shared / "merged.mg"));
}

std::string AgentdService::server_name() const { return describe_server(current_server()); }

core::ServerAddress AgentdService::server_to_open() const {
    core::ServerAddress server = current_server();
    const auto& addresses = settings_.startup_addresses;
    const std::size_t index = server_index_ % settings_.config.client.servers.size();
    if (index < addresses.size() && !addresses[index].empty()) {
        // Known shortcoming: confined to its home, agentd cannot read the
        // resolver's files, so a manager given by name keeps the address
        // it had at start-up; a manager that moved needs an agentd
        // restart (ossec-control restart).
        server.host = addresses[index];
    }
    return server;
}

std::size_t AgentdService::server_count() const {
    return settings_.config.client.servers.size();
}

}  // namespace agentd
