// One enrollment exchange with the manager's authd over TLS (asio::ssl on
// OpenSSL): connect, send the request in one write, read the reply.
// Built only where OpenSSL is available (not in the Windows cross build
// yet; see agent/enroll/CMakeLists.txt).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "enroll/enrollment_protocol.hpp"

namespace enroll {

// OSSEC's cipher list for authd (os_auth/auth.h DEFAULT_CIPHERS).
constexpr char kDefaultCiphers[] = "HIGH:!ADH:!EXP:!MD5:!RC4:!3DES:!CAMELLIA:@STRENGTH";

struct TlsEnrollmentOptions {
    std::string manager;  // host name or address
    std::uint16_t port = 1515;
    // With a CA file, the manager's certificate must chain to it and name
    // the manager (host name or address as given); without, it is not
    // checked at all (OSSEC's default).
    std::optional<std::filesystem::path> ca_file;
    // A client certificate and its key (PEM), for managers that check it.
    std::optional<std::filesystem::path> certificate_file;
    std::optional<std::filesystem::path> key_file;
    std::string ciphers = kDefaultCiphers;
    // Resolving, connecting and the TLS handshake together.
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(15)};
    // Sending the request and receiving the whole reply.
    std::chrono::milliseconds reply_timeout{std::chrono::seconds(30)};
    std::size_t max_reply_size = 64 * 1024;
};

struct TlsEnrollmentOutcome {
    EnrollmentReply reply;  // never kIncomplete
    std::string endpoint;   // the address that answered, "127.0.0.1:1515"
    std::string protocol;   // "TLSv1.2"
    std::string cipher;     // "ECDHE-RSA-AES256-GCM-SHA384"
};

// Blocks until the exchange ends. TLS 1.2 is the minimum (OSSEC's authd
// speaks only 1.2). Fails, with a message naming the step and the
// manager, when the manager cannot be resolved or reached, the handshake
// or certificate check fails, a timeout expires, or the reply grows past
// max_reply_size. A reply that arrived is returned even when it is a
// refusal or malformed: the caller decides what to show.
core::Result<TlsEnrollmentOutcome> exchange_over_tls(const TlsEnrollmentOptions& options,
                                                     std::string_view request);

}  // namespace enroll
