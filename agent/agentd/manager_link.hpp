// The socket to one manager, UDP or TCP, on agentd's Asio thread.
//
//   UDP: a connected datagram socket; one message = one datagram.
//   TCP: a stream with Wazuh's framing (core/tcp_frame.hpp). Messages
//        sent while the connection is being made wait and go out once it
//        is up; output is written asynchronously from one buffer, and
//        can_send() turns false while more than kSendBacklog bytes wait,
//        so a slow manager slows the agent instead of growing memory.
//        A closed connection, a write error or a frame of bad length
//        closes the link and reports it through LinkHandler::link_closed;
//        the caller decides when to open it again.
//
// Host names are resolved on every open(), so a manager that moved is
// found. Not thread safe: every call on the io_context's thread.
#pragma once

#include <asio.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "core/logger.hpp"
#include "core/tcp_frame.hpp"

namespace agentd {

class LinkHandler {
public:
    virtual ~LinkHandler() = default;
    // One message (a datagram, or a frame body) from the manager.
    virtual void link_message(std::string_view wire) = 0;
    // A TCP link that was open (or being opened) is closed; why says how
    // (not logged yet).
    virtual void link_closed(const std::string& why) = 0;
    // The TCP output backlog went down below the bound again.
    virtual void link_writable() = 0;
};

// "host:port/udp" or "[v6]:port/tcp", for log lines and the state file.
std::string describe_server(const core::ServerAddress& server);

class ManagerLink {
public:
    // Bytes of TCP output that may wait before can_send() turns false.
    static constexpr std::size_t kSendBacklog = 256 * 1024;

    ManagerLink(asio::io_context& io, core::Logger& logger, LinkHandler& handler);

    // Closes any current link, resolves server and opens a new one. A
    // failure is logged (once per distinct error) and leaves the link
    // closed; returns whether a socket is open or connecting.
    bool open(const core::ServerAddress& server);
    void close();
    // Open, or (TCP) connecting.
    bool active() const { return state_ != State::kClosed; }
    bool can_send() const;
    // Sends one message. Dropped (the protocol resends) when closed.
    void send(std::string_view wire);
    // Logs a warning unless it is the same text as the last one (reset by
    // every successful open), so retries that fail alike say it once.
    void report(const std::string& text);

private:
    enum class State { kClosed, kConnecting, kOpen };

    bool open_udp(const core::ServerAddress& server);
    bool open_tcp(const core::ServerAddress& server);
    void receive_udp();
    void receive_tcp();
    void write_tcp();
    void fail(const std::string& why);

    asio::io_context& io_;
    core::Logger& logger_;
    LinkHandler& handler_;
    asio::ip::udp::socket udp_;
    asio::ip::tcp::socket tcp_;
    asio::steady_timer connect_timer_;
    core::Transport transport_ = core::Transport::kUdp;
    State state_ = State::kClosed;
    std::string name_;
    // Bumped on every close: completions of an older socket are ignored.
    std::uint64_t generation_ = 0;
    std::string receive_buffer_;
    core::FrameReader frames_;
    std::string pending_;   // framed, not yet handed to the socket
    std::string in_flight_; // being written
    bool writing_ = false;
    std::string last_report_;
};

}  // namespace agentd
