#include "agentd/agentd_service.hpp"

#include <chrono>
#include <fstream>

#include "agentd/keepalive.hpp"
#include "core/digest.hpp"

namespace agentd {
namespace {

using namespace std::chrono_literals;

constexpr auto kTickInterval = 100ms;
constexpr std::size_t kReceiveBufferSize = 65536;

// A global counter below which the agent never starts, derived from the
// clock: an agent whose saved counter was lost (reinstall, restored
// backup) still starts above what the manager remembers, as long as it
// sent fewer than 9997 messages a minute on average before.
std::uint32_t clock_floor() {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(
        std::chrono::system_clock::now().time_since_epoch());
    return static_cast<std::uint32_t>(minutes.count());
}

}  // namespace

AgentdService::AgentdService(AgentdSettings settings, core::Logger& logger)
    : settings_(std::move(settings)),
      logger_(logger),
      socket_(io_),
      tick_timer_(io_),
      drain_timer_(io_),
      receive_buffer_(kReceiveBufferSize, '\0'),
      shared_files_(settings_.home.shared_dir(), logger),
      buffer_(settings_.config.buffer.queue_size),
      limiter_(settings_.config.buffer.events_per_second) {}

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
                                                            clock_floor(), ec);
    if (ec) {
        return core::Error{"cannot write the message counter '" +
                           (home.rids_dir() / "sender_counter").string() +
                           "': " + ec.message()};
    }
    receive_counter_ =
        std::make_unique<core::ReceiveCounter>(home.rids_dir() / settings_.key.id);

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
    SessionHooks& hooks = *this;
    session_ = std::make_unique<Session>(session, *sender_counter_, *receive_counter_,
                                         shared_files_, hooks, logger_);
    return true;
}

void AgentdService::run() {
    queue_thread_ = std::thread([this] { read_local_queue(); });
    connect_current();
    session_->start(Clock::now());
    schedule_tick();
    io_.run();

    queue_->close();
    buffer_.close();
    if (queue_thread_.joinable()) {
        queue_thread_.join();
    }
    if (!buffer_.empty()) {
        // Known shortcoming: events still in memory at shutdown are lost;
        // the on-disk buffer that keeps them belongs to the next step.
        logger_.warning(std::to_string(buffer_.size()) +
                        " events were still waiting for the manager at shutdown and are "
                        "lost");
    }
}

void AgentdService::stop() {
    if (stopping_.exchange(true)) {
        return;
    }
    asio::post(io_, [this] { io_.stop(); });
    if (queue_) {
        queue_->close();
    }
    buffer_.close();
}

void AgentdService::read_local_queue() {
    bool oversize_reported = false;
    while (!stopping_) {
        std::error_code ec;
        std::optional<std::string> message = queue_->receive(500ms, ec);
        if (ec) {
            logger_.error("cannot read the local queue: " + ec.message() + "; retrying");
            std::this_thread::sleep_for(1s);
            continue;
        }
        if (!message || message->empty()) {
            continue;
        }
        if (message->size() > pal::kMaxQueueMessage && !oversize_reported) {
            oversize_reported = true;
            logger_.warning("a module sent an event of " + std::to_string(message->size()) +
                            " bytes; events are cut to the protocol limit (reported once)");
        }
        if (!buffer_.push(std::move(*message))) {
            return;
        }
        if (!drain_posted_.exchange(true)) {
            asio::post(io_, [this] { drain(); });
        }
    }
}

void AgentdService::drain() {
    drain_posted_ = false;
    while (session_->connected() && !buffer_.empty()) {
        const auto now = Clock::now();
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
        std::optional<std::string> event = buffer_.pop();
        if (!event) {
            return;
        }
        session_->send_event(*event);
    }
}

void AgentdService::schedule_tick() {
    tick_timer_.expires_after(kTickInterval);
    tick_timer_.async_wait([this](const std::error_code& ec) {
        if (ec) {
            return;
        }
        session_->on_tick(Clock::now());
        drain();
        schedule_tick();
    });
}

void AgentdService::connect_current() {
    const auto& servers = settings_.config.client.servers;
    const core::ServerAddress& server = servers[server_index_ % servers.size()];
    std::error_code ec;
    socket_.close(ec);

    if (server.transport == core::Transport::kTcp) {
        logger_.warning("TCP to the manager is not supported yet; using UDP for " +
                        server_name());
    }
    asio::ip::udp::resolver resolver(io_);
    // Resolved again on every reconnect, so a manager that moved is found.
    const auto endpoints = resolver.resolve(server.host, std::to_string(server.port), ec);
    if (ec || endpoints.empty()) {
        logger_.warning("cannot resolve the manager '" + server.host + "': " + ec.message() +
                        "; will retry");
        return;
    }
    const asio::ip::udp::endpoint endpoint = endpoints.begin()->endpoint();
    socket_.open(endpoint.protocol(), ec);
    if (!ec) {
        socket_.set_option(asio::socket_base::receive_buffer_size(1 << 20), ec);
        socket_.connect(endpoint, ec);
    }
    if (ec) {
        logger_.warning("cannot open a socket to the manager " + server_name() + ": " +
                        ec.message() + "; will retry");
        socket_.close(ec);
        return;
    }
    start_receive();
}

void AgentdService::start_receive() {
    socket_.async_receive(
        asio::buffer(receive_buffer_), [this](const std::error_code& ec, std::size_t size) {
            if (ec == asio::error::operation_aborted || !socket_.is_open()) {
                return;
            }
            if (!ec) {
                session_->on_datagram(std::string_view(receive_buffer_.data(), size),
                                      Clock::now());
                drain();
            }
            // Errors such as "connection refused" (the manager's port is
            // closed) are normal while it is away: keep listening.
            start_receive();
        });
}

void AgentdService::transmit(const std::string& wire) {
    if (!socket_.is_open()) {
        return;
    }
    std::error_code ec;
    socket_.send(asio::buffer(wire), 0, ec);
    if (ec) {
        logger_.debug("send to the manager failed: " + ec.message());
    }
}

void AgentdService::next_server() {
    server_index_ = (server_index_ + 1) % settings_.config.client.servers.size();
    connect_current();
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

std::string AgentdService::server_name() const {
    const auto& servers = settings_.config.client.servers;
    const core::ServerAddress& server = servers[server_index_ % servers.size()];
    const bool v6 = server.host.find(':') != std::string::npos;
    return (v6 ? "[" + server.host + "]" : server.host) + ":" + std::to_string(server.port) +
           "/udp";
}

}  // namespace agentd
