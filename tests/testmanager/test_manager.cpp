#include "testmanager/test_manager.hpp"

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <asio/post.hpp>
#include <asio/write.hpp>
#include <asio/steady_timer.hpp>

#include <array>
#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "core/tcp_frame.hpp"
#include "testmanager/agent_lookup.hpp"

namespace testmanager {
namespace {

using asio::ip::tcp;
using asio::ip::udp;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kControlHeader = "#!-";
constexpr std::string_view kStartup = "#!-agent startup ";
constexpr std::string_view kAck = "#!-agent ack ";
constexpr std::size_t kFileChunk = 900;
// remoted pauses after about this many chunks so the agent keeps up.
constexpr std::size_t kChunksPerBurst = 31;
constexpr std::size_t kMaxDatagram = 65536;

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

std::error_code errc(std::errc e) {
    return std::make_error_code(e);
}

// One agent's TCP connection.
struct TcpPeer {
    explicit TcpPeer(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    core::FrameReader frames;
    std::array<char, 65536> buffer{};
};

// Where a message came from, and so where replies go.
struct Source {
    std::string address;
    std::uint16_t port = 0;
    udp::endpoint udp_endpoint;
    std::weak_ptr<TcpPeer> tcp_peer;  // set for TCP
};

// Everything the manager keeps about one agent.
struct AgentState {
    core::AgentKey key;
    core::SecureCodec codec;
    core::SecureCodec aes_codec;
    core::Counters last_received{};
    bool aes = false;               // the cipher of its last message
    std::optional<Source> reply_to;  // of the last control message
    std::string last_sent;           // wire bytes, for resend_last
};

AgentState make_agent(const core::AgentKey& key) {
    const std::string session_key = core::derive_session_key(key);
    return AgentState{key,
                      core::SecureCodec(session_key),
                      core::SecureCodec(session_key, core::Cipher::kAes),
                      {},
                      false,
                      {},
                      {}};
}

}  // namespace

bool Received::is_startup() const {
    return kind == MessageKind::kControl && payload == kStartup;
}

bool Received::is_keepalive() const {
    return kind == MessageKind::kControl && !is_startup();
}

std::string Received::first_line() const {
    std::string_view text = payload;
    if (kind == MessageKind::kControl) {
        text.remove_prefix(kControlHeader.size());
    }
    return std::string(text.substr(0, text.find('\n')));
}

std::size_t ManagerState::count_events() const {
    std::size_t n = 0;
    for (const auto& m : messages) {
        n += m.kind == MessageKind::kEvent;
    }
    return n;
}

std::size_t ManagerState::count_controls() const {
    return messages.size() - count_events();
}

std::size_t ManagerState::count_startups() const {
    std::size_t n = 0;
    for (const auto& m : messages) {
        n += m.is_startup();
    }
    return n;
}

std::size_t ManagerState::count_keepalives() const {
    std::size_t n = 0;
    for (const auto& m : messages) {
        n += m.is_keepalive();
    }
    return n;
}

std::string_view to_string(RejectReason reason) {
    switch (reason) {
        case RejectReason::kUnknownAgent:
            return "unknown-agent";
        case RejectReason::kBadMessage:
            return "bad-message";
        case RejectReason::kReplay:
            return "replay";
    }
    return "?";
}

class TestManager::Impl {
  public:
    explicit Impl(ManagerOptions options)
        : options_(std::move(options)),
          sender_(options_.sender_counter),
          random_(std::random_device{}()) {}

    ~Impl() { stop(); }

    std::vector<std::string> load_keys(std::string_view text) {
        const core::ClientKeys keys = core::parse_client_keys(text);
        std::lock_guard lock(mutex_);
        std::vector<AgentState> agents;
        for (const auto& key : keys.entries) {
            agents.push_back(make_agent(key));
            if (const AgentState* old = find_by_id(key.id); old != nullptr) {
                agents.back().last_received = old->last_received;
                agents.back().reply_to = old->reply_to;
            }
        }
        agents_ = std::move(agents);
        return keys.problems;
    }

    void add_key(const core::AgentKey& key) {
        std::lock_guard lock(mutex_);
        agents_.push_back(make_agent(key));
    }

    std::error_code start() {
        if (thread_.joinable()) {
            return errc(std::errc::already_connected);
        }
        std::error_code ec;
        const auto address = asio::ip::make_address(options_.bind_address, ec);
        if (ec) {
            return ec;
        }
        if (options_.tcp) {
            ec = listen_tcp(address);
        } else {
            ec = listen_udp(address);
        }
        if (ec) {
            return ec;
        }
        io_.restart();
        thread_ = std::thread([this] { io_.run(); });
        return {};
    }

    std::error_code listen_udp(const asio::ip::address& address) {
        std::error_code ec;
        udp::socket socket(io_);
        socket.open(address.is_v4() ? udp::v4() : udp::v6(), ec);
        if (!ec) {
            // Room for bursts while a test holds the lock to inspect what
            // arrived (the kernel caps it at net.core.rmem_max).
            socket.set_option(asio::socket_base::receive_buffer_size(8 << 20), ec);
            socket.bind(udp::endpoint(address, options_.port), ec);
        }
        if (ec) {
            return ec;
        }
        port_ = socket.local_endpoint().port();
        socket_.emplace(std::move(socket));
        receive();
        return {};
    }

    std::error_code listen_tcp(const asio::ip::address& address) {
        std::error_code ec;
        tcp::acceptor acceptor(io_);
        acceptor.open(address.is_v4() ? tcp::v4() : tcp::v6(), ec);
        if (!ec) {
            acceptor.set_option(asio::socket_base::reuse_address(true), ec);
            acceptor.bind(tcp::endpoint(address, options_.port), ec);
        }
        if (!ec) {
            acceptor.listen(asio::socket_base::max_listen_connections, ec);
        }
        if (ec) {
            return ec;
        }
        port_ = acceptor.local_endpoint().port();
        acceptor_.emplace(std::move(acceptor));
        accept();
        return {};
    }

    void stop() {
        if (!thread_.joinable()) {
            return;
        }
        asio::post(io_, [this] {
            std::error_code ec;
            if (socket_) {
                socket_->close(ec);
            }
            if (acceptor_) {
                acceptor_->close(ec);
            }
            for (auto& peer : peers_) {
                peer->socket.close(ec);
            }
        });
        thread_.join();
        socket_.reset();
        acceptor_.reset();
        peers_.clear();
    }

    std::error_code restart() {
        stop();
        options_.port = port_;
        return start();
    }

    bool running() const { return thread_.joinable(); }
    std::uint16_t port() const { return port_; }

    void set_away(bool away) {
        std::lock_guard lock(mutex_);
        away_ = away;
    }

    void set_acking(bool acking) {
        std::lock_guard lock(mutex_);
        acking_ = acking;
    }

    void set_ack_delay(std::chrono::milliseconds delay) {
        std::lock_guard lock(mutex_);
        ack_delay_ = delay;
    }

    void set_reply_noise(bool on) {
        std::lock_guard lock(mutex_);
        noise_ = on;
    }

    std::error_code send_to_agent(const std::string& id, std::string_view payload) {
        if (payload.empty() || payload.size() > core::kMaxPayload) {
            return errc(std::errc::message_size);
        }
        return on_io([&] {
            std::lock_guard lock(mutex_);
            AgentState* agent = find_by_id(id);
            if (agent == nullptr || !agent->reply_to) {
                return errc(std::errc::no_such_device_or_address);
            }
            return seal_and_send(*agent, payload);
        });
    }

    std::error_code resend_last(const std::string& id) {
        return on_io([&] {
            std::lock_guard lock(mutex_);
            AgentState* agent = find_by_id(id);
            if (agent == nullptr || !agent->reply_to || agent->last_sent.empty()) {
                return errc(std::errc::no_such_device_or_address);
            }
            return send_wire(*agent, agent->last_sent);
        });
    }

    core::Counters sender_counter() const {
        std::lock_guard lock(mutex_);
        return sender_;
    }

    void set_sender_counter(core::Counters counters) {
        std::lock_guard lock(mutex_);
        sender_ = counters;
    }

    bool set_agent_counter(const std::string& id, core::Counters counters) {
        std::lock_guard lock(mutex_);
        AgentState* agent = find_by_id(id);
        if (agent != nullptr) {
            agent->last_received = counters;
        }
        return agent != nullptr;
    }

    ManagerState snapshot() const {
        std::lock_guard lock(mutex_);
        return state_;
    }

    ManagerStats stats() const {
        std::lock_guard lock(mutex_);
        return state_.stats;
    }

    void clear_records() {
        std::lock_guard lock(mutex_);
        state_ = ManagerState{};
    }

    bool wait_until(const std::function<bool(const ManagerState&)>& done,
                    std::chrono::milliseconds timeout) const {
        std::unique_lock lock(mutex_);
        return changed_.wait_until(lock, Clock::now() + timeout,
                                   [&] { return done(state_); });
    }

  private:
    // Runs f on the io thread and returns its result, so that the socket
    // is only ever used from that thread.
    template <class F>
    std::error_code on_io(F f) {
        if (!running()) {
            return errc(std::errc::not_connected);
        }
        if (io_.get_executor().running_in_this_thread()) {
            return f();
        }
        std::packaged_task<std::error_code()> task(std::move(f));
        auto result = task.get_future();
        asio::post(io_, [&task] { task(); });
        return result.get();
    }

    void receive() {
        socket_->async_receive_from(
            asio::buffer(buffer_), from_, [this](std::error_code ec, std::size_t size) {
                if (ec == asio::error::operation_aborted || !socket_->is_open()) {
                    return;
                }
                if (!ec) {
                    Source source{from_.address().to_string(), from_.port(), from_, {}};
                    handle(std::string_view(buffer_.data(), size), source);
                }
                receive();
            });
    }

    void accept() {
        acceptor_->async_accept([this](std::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !acceptor_->is_open()) {
                return;
            }
            if (!ec) {
                auto peer = std::make_shared<TcpPeer>(std::move(socket));
                peers_.push_back(peer);
                {
                    std::lock_guard lock(mutex_);
                    ++state_.stats.tcp_connections;
                }
                read_peer(peer);
            }
            accept();
        });
    }

    void read_peer(const std::shared_ptr<TcpPeer>& peer) {
        peer->socket.async_read_some(
            asio::buffer(peer->buffer), [this, peer](std::error_code ec, std::size_t size) {
                if (ec) {
                    drop_peer(peer);
                    return;
                }
                std::error_code endpoint_ec;
                const tcp::endpoint remote = peer->socket.remote_endpoint(endpoint_ec);
                Source source{remote.address().to_string(), remote.port(), {}, peer};
                peer->frames.feed(std::string_view(peer->buffer.data(), size));
                std::string_view body;
                core::FrameReader::Status status;
                while ((status = peer->frames.next(body)) ==
                       core::FrameReader::Status::kFrame) {
                    handle(body, source);
                }
                if (status == core::FrameReader::Status::kBadLength) {
                    {
                        std::lock_guard lock(mutex_);
                        ++state_.stats.bad_frames;
                    }
                    drop_peer(peer);
                    return;
                }
                read_peer(peer);
            });
    }

    void drop_peer(const std::shared_ptr<TcpPeer>& peer) {
        std::error_code ec;
        peer->socket.close(ec);
        std::erase(peers_, peer);
    }

    void handle(std::string_view datagram, const Source& from) {
        std::unique_lock lock(mutex_);
        if (away_) {
            ++state_.stats.dropped_away;
            lock.unlock();
            changed_.notify_all();
            return;
        }

        const std::string& source = from.address;
        const auto found = find_agent(keys(), datagram, source);
        if (!found) {
            std::string id;
            std::string_view rest;
            core::split_agent_prefix(datagram, id, rest);
            reject(lock, {RejectReason::kUnknownAgent,
                          id,
                          {},
                          "no key for this source",
                          source,
                          from.port});
            return;
        }

        AgentState& agent = agents_[found->index];
        auto opened = agent.codec.open(found->rest);
        if (!opened) {
            reject(lock, {RejectReason::kBadMessage,
                          agent.key.id,
                          {},
                          opened.error(),
                          source,
                          from.port});
            return;
        }
        const core::Counters counters = opened.value().counters;
        if (!core::is_newer(counters, agent.last_received)) {
            reject(lock,
                   {RejectReason::kReplay, agent.key.id, counters,
                    "counters not newer than the last accepted", source, from.port});
            return;
        }

        agent.last_received = counters;
        agent.aes = found->rest.substr(0, 5) == "#AES:";
        accept(lock, agent, std::move(opened.value().payload), counters, from);
    }

    void accept(std::unique_lock<std::mutex>& lock, AgentState& agent,
                std::string payload, core::Counters counters, const Source& from) {
        Received r;
        r.kind = starts_with(payload, kControlHeader) ? MessageKind::kControl
                                                      : MessageKind::kEvent;
        r.agent_id = agent.key.id;
        r.counters = counters;
        r.payload = std::move(payload);
        r.source_address = from.address;
        r.source_port = from.port;
        r.aes = agent.aes;
        if (r.kind == MessageKind::kEvent) {
            r.event = core::parse_queue_message(r.payload);
        }

        ++state_.stats.accepted;
        state_.stats.accepted_events += r.kind == MessageKind::kEvent;
        state_.messages.push_back(r);
        if (r.is_control()) {
            agent.reply_to = from;
            if (acking_ && ack_delay_.count() > 0) {
                delayed_ack(agent.key.id);
            } else if (acking_) {
                send_ack(agent);
            }
        }

        lock.unlock();
        changed_.notify_all();
        if (options_.on_received) {
            options_.on_received(r);
        }
    }

    void reject(std::unique_lock<std::mutex>& lock, Rejected r) {
        switch (r.reason) {
            case RejectReason::kUnknownAgent:
                ++state_.stats.rejected_unknown;
                break;
            case RejectReason::kBadMessage:
                ++state_.stats.rejected_bad;
                break;
            case RejectReason::kReplay:
                ++state_.stats.rejected_replay;
                break;
        }
        state_.rejections.push_back(r);

        lock.unlock();
        changed_.notify_all();
        if (options_.on_rejected) {
            options_.on_rejected(r);
        }
    }

    // On the io thread, with mutex_ held: the ACK, then the noise if on.
    void send_ack(AgentState& agent) {
        if (!seal_and_send(agent, kAck)) {
            ++state_.stats.acks_sent;
        }
        if (noise_ && !send_noise(agent)) {
            ++state_.stats.noise_sent;
        }
    }

    // On the io thread, with mutex_ held: the ACK for agent id after
    // ack_delay_ (the agent's address then, if it changed meanwhile).
    void delayed_ack(const std::string& id) {
        auto timer = std::make_shared<asio::steady_timer>(io_, ack_delay_);
        timer->async_wait([this, timer, id](std::error_code ec) {
            if (ec || !socket_ || !socket_->is_open()) {
                return;
            }
            std::unique_lock lock(mutex_);
            if (AgentState* agent = find_by_id(id); agent != nullptr && agent->reply_to) {
                send_ack(*agent);
            }
            lock.unlock();
            changed_.notify_all();
        });
    }

    std::string random_bytes(std::size_t n) {
        std::string bytes(n, '\0');
        for (auto& c : bytes) {
            c = static_cast<char>(random_() & 0xffu);
        }
        return bytes;
    }

    std::error_code send_noise(AgentState& agent) {
        const auto kind = static_cast<Noise>(noise_turn_++ % 5);
        std::string wire;
        switch (kind) {
            case Noise::kGarbage:
                wire = random_bytes(1 + random_() % 1500);
                break;
            case Noise::kTruncated:
                wire = agent.last_sent.substr(0, 1 + random_() % (agent.last_sent.size() - 1));
                break;
            case Noise::kReplay:
                wire = agent.last_sent;
                break;
            case Noise::kOversized:
                wire = ":" + random_bytes(65000);
                break;
            case Noise::kBadLength: {
                // seal() refuses payloads over kMaxPayload, so seal a
                // legal one and glue random bytes on: the checksum fails.
                sender_ = core::next_counters(sender_);
                wire = agent.codec.seal(std::string(core::kMaxPayload, 'x'), sender_,
                                        static_cast<std::uint16_t>(random_() & 0xffffu)) +
                       random_bytes(20000);
                break;
            }
        }
        return send_wire(agent, wire);
    }

    // Both below: on the io thread, with mutex_ held.
    std::error_code seal_and_send(AgentState& agent, std::string_view payload) {
        sender_ = core::next_counters(sender_);
        const auto random = static_cast<std::uint16_t>(random_() & 0xffffu);
        const core::SecureCodec& codec = agent.aes ? agent.aes_codec : agent.codec;
        agent.last_sent = codec.seal(payload, sender_, random);
        return send_wire(agent, agent.last_sent);
    }

    std::error_code send_wire(AgentState& agent, const std::string& wire) {
        std::error_code ec;
        if (!options_.tcp) {
            socket_->send_to(asio::buffer(wire), agent.reply_to->udp_endpoint, 0, ec);
        } else if (const auto peer = agent.reply_to->tcp_peer.lock();
                   peer && peer->socket.is_open()) {
            std::string frame;
            core::append_frame(frame, wire);
            asio::write(peer->socket, asio::buffer(frame), ec);
        } else {
            ec = errc(std::errc::not_connected);
        }
        if (!ec) {
            ++state_.stats.messages_sent;
        }
        return ec;
    }

    AgentState* find_by_id(const std::string& id) {
        for (auto& a : agents_) {
            if (a.key.id == id) {
                return &a;
            }
        }
        return nullptr;
    }

    std::vector<core::AgentKey> keys() const {
        std::vector<core::AgentKey> out;
        out.reserve(agents_.size());
        for (const auto& a : agents_) {
            out.push_back(a.key);
        }
        return out;
    }

    ManagerOptions options_;
    asio::io_context io_;
    std::optional<udp::socket> socket_;
    std::optional<tcp::acceptor> acceptor_;
    std::vector<std::shared_ptr<TcpPeer>> peers_;
    std::thread thread_;
    std::uint16_t port_ = 0;
    std::array<char, kMaxDatagram> buffer_{};
    udp::endpoint from_;

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<AgentState> agents_;
    ManagerState state_;
    core::Counters sender_;
    std::minstd_rand random_;
    bool away_ = false;
    bool acking_ = true;
    std::chrono::milliseconds ack_delay_{0};
    bool noise_ = false;
    unsigned noise_turn_ = 0;
};

TestManager::TestManager(ManagerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

TestManager::~TestManager() = default;

std::vector<std::string> TestManager::load_keys(std::string_view client_keys_text) {
    return impl_->load_keys(client_keys_text);
}

std::vector<std::string> TestManager::load_keys_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return {"cannot read keys file '" + path.string() + "'"};
    }
    std::ostringstream text;
    text << in.rdbuf();
    return impl_->load_keys(text.str());
}

void TestManager::add_key(const core::AgentKey& key) {
    impl_->add_key(key);
}
std::error_code TestManager::start() {
    return impl_->start();
}
void TestManager::stop() {
    impl_->stop();
}
std::error_code TestManager::restart() {
    return impl_->restart();
}
bool TestManager::running() const {
    return impl_->running();
}
std::uint16_t TestManager::port() const {
    return impl_->port();
}
void TestManager::set_away(bool away) {
    impl_->set_away(away);
}
void TestManager::set_acking(bool acking) {
    impl_->set_acking(acking);
}
void TestManager::set_ack_delay(std::chrono::milliseconds delay) {
    impl_->set_ack_delay(delay);
}
void TestManager::set_reply_noise(bool on) {
    impl_->set_reply_noise(on);
}

std::error_code TestManager::send_to_agent(const std::string& agent_id,
                                           std::string_view payload) {
    return impl_->send_to_agent(agent_id, payload);
}

std::error_code TestManager::push_file(const std::string& agent_id,
                                       const std::string& name,
                                       std::string_view content) {
    const std::string header = "#!-up file " + core::md5_hex(content) + " " + name + "\n";
    if (auto ec = send_to_agent(agent_id, header)) {
        return ec;
    }
    for (std::size_t at = 0, sent = 0; at < content.size(); at += kFileChunk) {
        if (auto ec = send_to_agent(agent_id, content.substr(at, kFileChunk))) {
            return ec;
        }
        if (++sent % kChunksPerBurst == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    return send_to_agent(agent_id, "#!-close file ");
}

std::error_code TestManager::resend_last(const std::string& agent_id) {
    return impl_->resend_last(agent_id);
}

core::Counters TestManager::sender_counter() const {
    return impl_->sender_counter();
}

void TestManager::set_sender_counter(core::Counters counters) {
    impl_->set_sender_counter(counters);
}

bool TestManager::set_agent_counter(const std::string& agent_id, core::Counters counters) {
    return impl_->set_agent_counter(agent_id, counters);
}

ManagerState TestManager::snapshot() const {
    return impl_->snapshot();
}
ManagerStats TestManager::stats() const {
    // Without copying the records: benches poll this.
    return impl_->stats();
}
std::vector<Received> TestManager::messages() const {
    return impl_->snapshot().messages;
}
std::vector<Rejected> TestManager::rejections() const {
    return impl_->snapshot().rejections;
}
void TestManager::clear_records() {
    impl_->clear_records();
}

std::vector<Received> TestManager::events() const {
    std::vector<Received> out;
    for (auto& m : messages()) {
        if (m.kind == MessageKind::kEvent) {
            out.push_back(std::move(m));
        }
    }
    return out;
}

std::vector<Received> TestManager::controls() const {
    std::vector<Received> out;
    for (auto& m : messages()) {
        if (m.kind == MessageKind::kControl) {
            out.push_back(std::move(m));
        }
    }
    return out;
}

bool TestManager::wait_until(const std::function<bool(const ManagerState&)>& done,
                             std::chrono::milliseconds timeout) const {
    return impl_->wait_until(done, timeout);
}

bool TestManager::wait_for_events(std::size_t n,
                                  std::chrono::milliseconds timeout) const {
    return wait_until([n](const ManagerState& s) { return s.count_events() >= n; },
                      timeout);
}

bool TestManager::wait_for_controls(std::size_t n,
                                    std::chrono::milliseconds timeout) const {
    return wait_until([n](const ManagerState& s) { return s.count_controls() >= n; },
                      timeout);
}

bool TestManager::wait_for_startups(std::size_t n,
                                    std::chrono::milliseconds timeout) const {
    return wait_until([n](const ManagerState& s) { return s.count_startups() >= n; },
                      timeout);
}

bool TestManager::wait_for_keepalives(std::size_t n,
                                      std::chrono::milliseconds timeout) const {
    return wait_until([n](const ManagerState& s) { return s.count_keepalives() >= n; },
                      timeout);
}

bool TestManager::wait_for_event_text(std::string_view text,
                                      std::chrono::milliseconds timeout) const {
    return wait_until(
        [text](const ManagerState& s) {
            for (const auto& m : s.messages) {
                if (m.event && m.event->text == text) {
                    return true;
                }
            }
            return false;
        },
        timeout);
}

}  // namespace testmanager
