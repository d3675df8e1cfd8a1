#include "enroll/tls_enrollment.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <asio.hpp>
#include <asio/ssl.hpp>

namespace enroll {
namespace {

using Clock = std::chrono::steady_clock;
using Tcp = asio::ip::tcp;

std::string seconds_text(std::chrono::milliseconds timeout) {
    return std::to_string(
               std::chrono::duration_cast<std::chrono::seconds>(timeout).count()) +
           " s";
}

bool is_address(const std::string& host) {
    std::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

// The exchange's state: one io_context that runs one operation at a time,
// each with a deadline. Not reusable.
class TlsExchange {
  public:
    explicit TlsExchange(const TlsEnrollmentOptions& options)
        : options_(options),
          where_(options.manager + ":" + std::to_string(options.port)),
          context_(asio::ssl::context::tls_client),
          resolver_(io_) {}

    core::Result<TlsEnrollmentOutcome> run(std::string_view request);

  private:
    core::Result<bool> configure();
    core::Result<bool> connect();
    core::Result<bool> handshake();
    core::Result<TlsEnrollmentOutcome> send_and_receive(std::string_view request);
    core::Result<bool> read_more(std::string& reply, bool& closed);
    std::error_code wait(std::optional<std::error_code>& done);

    const TlsEnrollmentOptions& options_;
    const std::string where_;
    Clock::time_point deadline_;
    asio::io_context io_;
    asio::ssl::context context_;
    Tcp::resolver resolver_;
    // Made after configure(): OpenSSL copies the context's settings (verify
    // mode, certificate, ciphers, versions) into a connection when it is
    // created, so later changes to the context would not apply.
    std::optional<asio::ssl::stream<Tcp::socket>> stream_;
    std::string endpoint_;
};

// Runs the started operation until it completes or the deadline passes;
// then closes the socket so the operation ends, and reports timed_out.
std::error_code TlsExchange::wait(std::optional<std::error_code>& done) {
    io_.restart();
    io_.run_until(deadline_);
    if (done) {
        return *done;
    }
    resolver_.cancel();
    std::error_code ignored;
    stream_->lowest_layer().close(ignored);
    io_.restart();
    io_.run();
    return asio::error::timed_out;
}

core::Result<bool> TlsExchange::configure() {
    SSL_CTX* ctx = context_.native_handle();
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (SSL_CTX_set_cipher_list(ctx, options_.ciphers.c_str()) != 1) {
        return core::Error{"no usable cipher in the list '" + options_.ciphers + "'"};
    }

    std::error_code ec;
    if (options_.certificate_file) {
        context_.use_certificate_chain_file(options_.certificate_file->string(), ec);
        if (ec) {
            return core::Error{"cannot load the agent certificate '" +
                               options_.certificate_file->string() +
                               "': " + ec.message()};
        }
    }
    if (options_.key_file) {
        context_.use_private_key_file(options_.key_file->string(),
                                      asio::ssl::context::pem, ec);
        if (ec) {
            return core::Error{"cannot load the agent key '" +
                               options_.key_file->string() + "': " + ec.message()};
        }
    }
    if (!options_.ca_file) {
        context_.set_verify_mode(asio::ssl::verify_none);
        return true;
    }
    context_.load_verify_file(options_.ca_file->string(), ec);
    if (ec) {
        return core::Error{"cannot load the CA certificate '" +
                           options_.ca_file->string() + "': " + ec.message()};
    }
    context_.set_verify_mode(asio::ssl::verify_peer |
                             asio::ssl::verify_fail_if_no_peer_cert);
    return true;
}

core::Result<bool> TlsExchange::connect() {
    std::optional<std::error_code> done;
    Tcp::resolver::results_type endpoints;
    resolver_.async_resolve(options_.manager, std::to_string(options_.port),
                            [&](std::error_code ec, Tcp::resolver::results_type found) {
                                done = ec;
                                endpoints = std::move(found);
                            });
    if (const std::error_code ec = wait(done)) {
        return core::Error{"cannot resolve the manager '" + options_.manager +
                           "': " + ec.message()};
    }

    done.reset();
    asio::async_connect(stream_->lowest_layer(), endpoints,
                        [&](std::error_code ec, const Tcp::endpoint& endpoint) {
                            done = ec;
                            endpoint_ = endpoint.address().to_string() + ":" +
                                        std::to_string(endpoint.port());
                        });
    if (const std::error_code ec = wait(done)) {
        return core::Error{"cannot connect to the manager at " + where_ + ": " +
                           ec.message()};
    }
    return true;
}

core::Result<bool> TlsExchange::handshake() {
    if (!is_address(options_.manager)) {
        // Server name indication, for managers behind a TLS front end.
        SSL_set_tlsext_host_name(stream_->native_handle(), options_.manager.c_str());
    }
    if (options_.ca_file) {
        stream_->set_verify_callback(asio::ssl::host_name_verification(options_.manager));
    }
    std::optional<std::error_code> done;
    stream_->async_handshake(asio::ssl::stream_base::client,
                             [&](std::error_code ec) { done = ec; });
    const std::error_code ec = wait(done);
    if (!ec) {
        return true;
    }

    std::string message =
        "TLS handshake with the manager at " + where_ + " failed: " + ec.message();
    const long verify = SSL_get_verify_result(stream_->native_handle());
    if (options_.ca_file && verify == X509_V_ERR_UNSPECIFIED) {
        // The chain was fine; the name check in the callback refused it.
        message += " (the certificate does not name '" + options_.manager +
                   "' in its subject alternative names or common name)";
    } else if (options_.ca_file && verify != X509_V_OK) {
        message +=
            std::string(" (certificate: ") + X509_verify_cert_error_string(verify) + ")";
    }
    return core::Error{message};
}

core::Result<bool> TlsExchange::read_more(std::string& reply, bool& closed) {
    char buffer[4096];
    const std::size_t room =
        std::min(sizeof buffer, options_.max_reply_size - reply.size());
    std::optional<std::error_code> done;
    std::size_t received = 0;
    stream_->async_read_some(asio::buffer(buffer, room),
                             [&](std::error_code ec, std::size_t n) {
                                 done = ec;
                                 received = n;
                             });
    const std::error_code ec = wait(done);
    reply.append(buffer, received);

    // authd exits without a TLS close_notify, which OpenSSL reports as a
    // truncated stream: for this protocol both mean "the manager closed".
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
        closed = true;
        return true;
    }
    if (ec == asio::error::timed_out) {
        return core::Error{"no complete reply from the manager at " + where_ +
                           " within " + seconds_text(options_.reply_timeout)};
    }
    if (ec) {
        return core::Error{"cannot read the reply of the manager at " + where_ + ": " +
                           ec.message()};
    }
    return true;
}

core::Result<TlsEnrollmentOutcome> TlsExchange::send_and_receive(
    std::string_view request) {
    deadline_ = Clock::now() + options_.reply_timeout;
    std::optional<std::error_code> done;
    asio::async_write(*stream_, asio::buffer(request.data(), request.size()),
                      [&](std::error_code ec, std::size_t) { done = ec; });
    if (const std::error_code ec = wait(done)) {
        return core::Error{"cannot send the request to the manager at " + where_ + ": " +
                           ec.message()};
    }

    std::string reply;
    bool closed = false;
    for (;;) {
        EnrollmentReply parsed = parse_enrollment_reply(reply, closed);
        if (parsed.status != ReplyStatus::kIncomplete) {
            SSL* ssl = stream_->native_handle();
            return TlsEnrollmentOutcome{std::move(parsed), endpoint_,
                                        SSL_get_version(ssl), SSL_get_cipher_name(ssl)};
        }
        if (closed || reply.size() >= options_.max_reply_size) {
            return core::Error{"the reply of the manager at " + where_ +
                               " is incomplete or longer than " +
                               std::to_string(options_.max_reply_size) + " bytes"};
        }
        if (core::Result<bool> read = read_more(reply, closed); !read.ok()) {
            return core::Error{read.error()};
        }
    }
}

core::Result<TlsEnrollmentOutcome> TlsExchange::run(std::string_view request) {
    if (core::Result<bool> step = configure(); !step.ok()) {
        return core::Error{step.error()};
    }
    stream_.emplace(io_, context_);
    deadline_ = Clock::now() + options_.connect_timeout;
    if (core::Result<bool> step = connect(); !step.ok()) {
        return core::Error{step.error()};
    }
    if (core::Result<bool> step = handshake(); !step.ok()) {
        return core::Error{step.error()};
    }
    core::Result<TlsEnrollmentOutcome> outcome = send_and_receive(request);
    std::error_code ignored;
    stream_->lowest_layer().close(ignored);
    return outcome;
}

}  // namespace

core::Result<TlsEnrollmentOutcome> exchange_over_tls(const TlsEnrollmentOptions& options,
                                                     std::string_view request) {
    TlsExchange exchange(options);
    return exchange.run(request);
}

}  // namespace enroll
