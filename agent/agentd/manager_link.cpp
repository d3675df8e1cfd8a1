#include "agentd/manager_link.hpp"

#include <chrono>

namespace agentd {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kReceiveChunk = 65536;
// A manager that neither accepts nor refuses within this time is away.
constexpr auto kConnectTimeout = 10s;

bool is_v6_text(const std::string& host) { return host.find(':') != std::string::npos; }

}  // namespace

std::string describe_server(const core::ServerAddress& server) {
    const std::string host = is_v6_text(server.host) ? "[" + server.host + "]" : server.host;
    return host + ":" + std::to_string(server.port) +
           (server.transport == core::Transport::kTcp ? "/tcp" : "/udp");
}

ManagerLink::ManagerLink(asio::io_context& io, core::Logger& logger, LinkHandler& handler)
    : io_(io),
      logger_(logger),
      handler_(handler),
      udp_(io),
      tcp_(io),
      connect_timer_(io),
      receive_buffer_(kReceiveChunk, '\0') {}

bool ManagerLink::open(const core::ServerAddress& server) {
    close();
    transport_ = server.transport;
    name_ = describe_server(server);
    return transport_ == core::Transport::kTcp ? open_tcp(server) : open_udp(server);
}

void ManagerLink::close() {
    ++generation_;
    std::error_code ec;
    udp_.close(ec);
    tcp_.close(ec);
    connect_timer_.cancel();
    state_ = State::kClosed;
    frames_.reset();
    pending_.clear();
    in_flight_.clear();
    writing_ = false;
}

bool ManagerLink::can_send() const {
    if (transport_ == core::Transport::kUdp) {
        return state_ == State::kOpen;
    }
    return state_ == State::kOpen && pending_.size() < kSendBacklog;
}

void ManagerLink::report(const std::string& text) {
    // Repeated reconnect attempts fail the same way; say it once.
    if (text != last_report_) {
        last_report_ = text;
        logger_.warning(text);
    }
}

bool ManagerLink::open_udp(const core::ServerAddress& server) {
    std::error_code ec;
    asio::ip::udp::resolver resolver(io_);
    const auto endpoints = resolver.resolve(server.host, std::to_string(server.port), ec);
    if (ec || endpoints.empty()) {
        report("cannot resolve the manager '" + server.host + "': " + ec.message() +
               "; will retry");
        return false;
    }
    const asio::ip::udp::endpoint endpoint = endpoints.begin()->endpoint();
    udp_.open(endpoint.protocol(), ec);
    if (!ec) {
        udp_.set_option(asio::socket_base::receive_buffer_size(1 << 20), ec);
        udp_.connect(endpoint, ec);
    }
    if (ec) {
        report("cannot open a socket to the manager " + name_ + ": " + ec.message() +
               "; will retry");
        udp_.close(ec);
        return false;
    }
    state_ = State::kOpen;
    last_report_.clear();
    receive_udp();
    return true;
}

void ManagerLink::receive_udp() {
    const std::uint64_t generation = generation_;
    udp_.async_receive(asio::buffer(receive_buffer_),
                       [this, generation](const std::error_code& ec, std::size_t size) {
                           if (generation != generation_) {
                               return;
                           }
                           if (!ec) {
                               handler_.link_message(
                                   std::string_view(receive_buffer_.data(), size));
                           }
                           // "Connection refused" (the manager's port is
                           // closed) is normal while it is away.
                           if (generation == generation_) {
                               receive_udp();
                           }
                       });
}

bool ManagerLink::open_tcp(const core::ServerAddress& server) {
    std::error_code ec;
    asio::ip::tcp::resolver resolver(io_);
    const auto endpoints = resolver.resolve(server.host, std::to_string(server.port), ec);
    if (ec || endpoints.empty()) {
        report("cannot resolve the manager '" + server.host + "': " + ec.message() +
               "; will retry");
        return false;
    }
    state_ = State::kConnecting;
    const std::uint64_t generation = generation_;
    connect_timer_.expires_after(kConnectTimeout);
    connect_timer_.async_wait([this, generation](const std::error_code& timer_ec) {
        if (!timer_ec && generation == generation_ && state_ == State::kConnecting) {
            fail("no answer from the manager " + name_ + " within " +
                 std::to_string(kConnectTimeout.count()) + " s");
        }
    });
    asio::async_connect(
        tcp_, endpoints,
        [this, generation](const std::error_code& connect_ec, const asio::ip::tcp::endpoint&) {
            if (generation != generation_) {
                return;
            }
            if (connect_ec) {
                fail("cannot connect to the manager " + name_ + ": " + connect_ec.message());
                return;
            }
            connect_timer_.cancel();
            std::error_code option_ec;
            // With no listener, a connection to a local port in the
            // ephemeral range can meet itself (TCP simultaneous open)
            // and would hold the manager's port: not a manager.
            if (tcp_.local_endpoint(option_ec) == tcp_.remote_endpoint(option_ec)) {
                fail("cannot connect to the manager " + name_ + ": nothing listens there");
                return;
            }
            tcp_.set_option(asio::ip::tcp::no_delay(true), option_ec);
            state_ = State::kOpen;
            last_report_.clear();
            logger_.info("TCP connection to the manager " + name_ + " is open");
            receive_tcp();
            write_tcp();
        });
    return true;
}

void ManagerLink::receive_tcp() {
    const std::uint64_t generation = generation_;
    tcp_.async_read_some(
        asio::buffer(receive_buffer_),
        [this, generation](const std::error_code& ec, std::size_t size) {
            if (generation != generation_) {
                return;
            }
            if (ec) {
                fail(ec == asio::error::eof
                         ? "the manager " + name_ + " closed the connection"
                         : "the connection to the manager " + name_ + " failed: " +
                               ec.message());
                return;
            }
            frames_.feed(std::string_view(receive_buffer_.data(), size));
            std::string_view body;
            core::FrameReader::Status status;
            while ((status = frames_.next(body)) == core::FrameReader::Status::kFrame) {
                handler_.link_message(body);
                if (generation != generation_) {
                    return;  // the handler closed or reopened the link
                }
            }
            if (status == core::FrameReader::Status::kBadLength) {
                fail("the manager " + name_ + " sent a frame of " +
                     std::to_string(frames_.bad_length()) + " bytes (limit " +
                     std::to_string(core::kMaxFrame) + "); the stream cannot be trusted");
                return;
            }
            receive_tcp();
        });
}

void ManagerLink::send(std::string_view wire) {
    if (state_ == State::kClosed) {
        return;
    }
    if (transport_ == core::Transport::kUdp) {
        std::error_code ec;
        udp_.send(asio::buffer(wire.data(), wire.size()), 0, ec);
        if (ec) {
            logger_.debug("send to the manager failed: " + ec.message());
        }
        return;
    }
    core::append_frame(pending_, wire);
    if (state_ == State::kOpen) {
        write_tcp();
    }
}

void ManagerLink::write_tcp() {
    if (writing_ || pending_.empty()) {
        return;
    }
    writing_ = true;
    in_flight_.swap(pending_);
    pending_.clear();
    const std::uint64_t generation = generation_;
    asio::async_write(tcp_, asio::buffer(in_flight_),
                      [this, generation](const std::error_code& ec, std::size_t) {
                          if (generation != generation_) {
                              return;
                          }
                          writing_ = false;
                          in_flight_.clear();
                          if (ec) {
                              fail("cannot send to the manager " + name_ + ": " +
                                   ec.message());
                              return;
                          }
                          write_tcp();
                          if (pending_.size() < kSendBacklog) {
                              handler_.link_writable();
                          }
                      });
}

void ManagerLink::fail(const std::string& why) {
    close();
    handler_.link_closed(why);
}

}  // namespace agentd
