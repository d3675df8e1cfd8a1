#include "agentd/session.hpp"

#include <algorithm>
#include <random>

namespace agentd {
namespace {

constexpr std::string_view kControlPrefix = "#!-";
constexpr std::string_view kStartup = "#!-agent startup ";
constexpr std::string_view kAck = "agent ack ";
constexpr std::string_view kExecd = "execd ";
constexpr std::string_view kSyscheckRestart = "syscheck restart";
constexpr std::string_view kUpFile = "up file ";
constexpr std::string_view kCloseFile = "close file";
constexpr int kAttemptsPerServer = 6;
// A counter jump: about 10 billion messages' worth of global values.
constexpr std::uint32_t kCounterJump = 1u << 20;

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

std::uint16_t random_field() {
    static thread_local std::minstd_rand engine{std::random_device{}()};
    return static_cast<std::uint16_t>(engine());
}

}  // namespace

std::chrono::milliseconds backoff_delay(int failed_rounds) {
    std::chrono::milliseconds delay = kBackoffBase;
    for (int round = 1; round < failed_rounds && delay < kBackoffMax; ++round) {
        delay *= 2;
    }
    return std::min<std::chrono::milliseconds>(delay, kBackoffMax);
}

Session::Session(SessionSettings settings, core::SenderCounter& sender,
                 core::ReceiveCounter& receiver, SharedFileReceiver& shared_files,
                 SessionHooks& hooks, core::Logger& logger)
    : settings_(std::move(settings)),
      prefix_("!" + settings_.key.id + "!"),
      codec_(core::derive_session_key(settings_.key), settings_.cipher),
      sender_(sender),
      receiver_(receiver),
      shared_files_(shared_files),
      hooks_(hooks),
      logger_(logger) {}

void Session::start(Clock::time_point now) {
    state_ = SessionState::kHandshake;
    unacked_.clear();
    hooks_.resend_unconfirmed();
    attempts_ = 1;
    next_attempt_ = now + std::chrono::seconds(1);
    logger_.info("trying to connect to the manager " + hooks_.server_name());
    send_startup();
}

void Session::start_at(Clock::time_point when) {
    state_ = SessionState::kHandshake;
    unacked_.clear();
    hooks_.resend_unconfirmed();
    attempts_ = 0;
    next_attempt_ = when;
}

void Session::restart(const std::string& why, Clock::time_point now) {
    logger_.warning(why + "; events wait in the buffer; reconnecting");
    shared_files_.abandon("connection lost");
    start(now);
}

void Session::switch_server(Clock::time_point now) {
    hooks_.next_server();
    const std::size_t servers = std::max<std::size_t>(1, hooks_.server_count());
    if (++servers_tried_ % servers != 0 || servers_tried_ == servers) {
        start(now);
        return;
    }
    // A whole round over every manager failed (and not for the first
    // time since the last connection): wait before the next one.
    ++failed_rounds_;
    const auto base = backoff_delay(failed_rounds_);
    std::uniform_int_distribution<int> percent(-kBackoffJitterPercent, kBackoffJitterPercent);
    const auto delay = base + base * percent(jitter_) / 100;
    logger_.warning("no configured manager answers; trying " + hooks_.server_name() +
                    " again in " + std::to_string(delay.count()) + " ms");
    start_at(now + delay);
}

void Session::on_tick(Clock::time_point now) {
    if (state_ == SessionState::kHandshake) {
        if (now < next_attempt_) {
            return;
        }
        if (attempts_ == 0) {
            logger_.info("trying to connect to the manager " + hooks_.server_name());
        }
        if (attempts_ >= kAttemptsPerServer) {
            logger_.warning("no reply from the manager " + hooks_.server_name() + " after " +
                            std::to_string(attempts_) +
                            " attempts; trying the next configured manager");
            jump_counter_once();
            switch_server(now);
            return;
        }
        ++attempts_;
        next_attempt_ = now + std::chrono::seconds(attempts_);
        send_startup();
        return;
    }

    // An OSSEC manager ACKs nothing while it streams a shared file to this
    // agent (a 1 MB merged.mg takes ~40 s), but every chunk shows it is
    // alive: the wait counts from the later of the oldest unanswered
    // control message and the last valid message heard.
    if (!unacked_.empty() &&
        now - std::max(unacked_.front(), last_heard_) >= settings_.ack_timeout) {
        hooks_.ack_timed_out(now);
        lose_link("no reply from the manager " + hooks_.server_name() + " for " +
                      std::to_string(settings_.ack_timeout.count()) +
                      " s; events wait in the buffer; reconnecting",
                  now);
        return;
    }
    if (now - last_heard_ >= settings_.time_reconnect) {
        lose_link("nothing heard from the manager " + hooks_.server_name() + " for " +
                      std::to_string(settings_.time_reconnect.count()) + " s; reconnecting",
                  now);
        return;
    }
    if (!last_keepalive_ || now - *last_keepalive_ >= settings_.notify_time ||
        (events_since_control_ && now - last_control_ >= settings_.probe_interval)) {
        send_keepalive(now);
    }
}

void Session::jump_counter_once() {
    // An OSSEC manager silently drops messages whose counter is not above
    // the last one it stored for this agent, which happens when the agent
    // was restored from a backup or a snapshot. Silence can also mean the
    // manager is down, so the counter moves forward once per process, far
    // enough to pass anything it can have stored, and never again.
    if (counter_jumped_) {
        return;
    }
    counter_jumped_ = true;
    const std::uint32_t from = sender_.current().global;
    const std::uint32_t to = from + kCounterJump;
    if (const std::error_code ec = sender_.advance_to(to)) {
        report_once("counter", "cannot save the message counter: " + ec.message());
    }
    logger_.warning("the manager does not answer the handshake; if it holds a higher message "
                    "counter for this agent (restored backup or snapshot), it drops "
                    "everything: message counter moved forward from " +
                    std::to_string(from) + " to " + std::to_string(to) + " (done once)");
}

void Session::lose_link(const std::string& why, Clock::time_point now) {
    logger_.warning(why);
    shared_files_.abandon("connection lost");
    switch_server(now);
}

bool Session::send_event(std::string_view payload) {
    if (state_ != SessionState::kConnected) {
        return false;
    }
    if (payload.size() > core::kMaxPayload) {
        report_once("oversize", "an event of " + std::to_string(payload.size()) +
                                    " bytes exceeds the protocol limit of " +
                                    std::to_string(core::kMaxPayload) +
                                    " bytes; it is cut to fit (reported once)");
        payload = payload.substr(0, core::kMaxPayload);
    }
    if (payload.empty()) {
        return true;
    }
    send_payload(payload);
    ++counters_.events_sent;
    events_since_control_ = true;
    return true;
}

void Session::send_payload(std::string_view payload) {
    std::error_code ec;
    const core::Counters counters = sender_.next(ec);
    if (ec) {
        report_once("counter", "cannot save the message counter: " + ec.message() +
                                   "; after a crash the manager may reject messages");
    }
    hooks_.transmit(prefix_ + codec_.seal(payload, counters, random_field()));
}

void Session::send_startup() { send_payload(kStartup); }

void Session::send_keepalive(Clock::time_point now) {
    hooks_.control_sent();
    unacked_.push_back(now);
    last_control_ = now;
    events_since_control_ = false;
    send_payload(hooks_.keepalive_text());
    last_keepalive_ = now;
    ++counters_.keepalives_sent;
}

void Session::on_datagram(std::string_view wire, Clock::time_point now) {
    core::Result<core::OpenedMessage> opened = codec_.open(wire);
    if (!opened.ok()) {
        ++counters_.rejected_messages;
        report_once("open:" + opened.error(),
                    "dropped a message from the manager that cannot be opened: " +
                        opened.error() + " (reported once per kind)");
        return;
    }
    std::error_code ec;
    if (!receiver_.accept(opened.value().counters, ec)) {
        ++counters_.replayed_messages;
        report_once("replay", "dropped a replayed or out-of-order message from the manager "
                              "(its counter is not newer than the last one; reported once)");
        return;
    }
    if (ec) {
        report_once("rids", "cannot save the manager's message counter: " + ec.message());
    }
    last_heard_ = now;

    const std::string& payload = opened.value().payload;
    if (starts_with(payload, kControlPrefix)) {
        handle_control(std::string_view(payload).substr(kControlPrefix.size()), now);
    } else if (shared_files_.in_transfer()) {
        shared_files_.append(payload);
    } else {
        report_once("stray", "ignored a message from the manager that is neither a command "
                             "nor part of a file (reported once)");
    }
}

void Session::handle_control(std::string_view command, Clock::time_point now) {
    if (starts_with(command, kAck)) {
        ++counters_.acks_received;
        last_ack_ = now;
        if (state_ == SessionState::kHandshake) {
            on_connected(now);
        } else if (!unacked_.empty()) {
            const Clock::time_point sent = unacked_.front();
            unacked_.pop_front();
            if (sent > last_transfer_ && !shared_files_.in_transfer()) {
                hooks_.control_round_trip(sent, now);
            }
            hooks_.control_acked();
        }
        return;
    }
    if (starts_with(command, kExecd)) {
        if (settings_.disable_active_response) {
            logger_.info("active response from the manager ignored: disabled in <client>");
        } else {
            hooks_.active_response(command.substr(kExecd.size()));
        }
        return;
    }
    if (starts_with(command, kSyscheckRestart)) {
        hooks_.restart_syscheck();
        return;
    }
    if (starts_with(command, kUpFile)) {
        last_transfer_ = now;
        shared_files_.begin(command.substr(kUpFile.size()));
        return;
    }
    if (starts_with(command, kCloseFile)) {
        last_transfer_ = now;
        shared_files_.finish();
        return;
    }
    shared_files_.abandon("unexpected command from the manager");
    report_once("unknown-control", "ignored an unknown command from the manager (reported "
                                   "once)");
}

void Session::on_connected(Clock::time_point now) {
    state_ = SessionState::kConnected;
    servers_tried_ = 0;
    failed_rounds_ = 0;
    logger_.info("connected to the manager " + hooks_.server_name());
    if (!announced_start_) {
        announced_start_ = true;
        send_event("1:ossec:ossec: Agent started: '" + settings_.key.name + "->" +
                   settings_.key.ip + "'.");
    }
    send_keepalive(now);
}

void Session::report_once(const std::string& kind, const std::string& text) {
    // Numbers (sizes, counters) do not make a new kind: hostile datagrams
    // of every size must not each get a line.
    std::string key;
    for (char c : kind) {
        if (c < '0' || c > '9') {
            key.push_back(c);
        }
    }
    if (reported_.insert(key).second) {
        logger_.warning(text);
    }
}

}  // namespace agentd
