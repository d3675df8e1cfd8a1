// The OSSEC secure message envelope, both directions:
//   wire  = ["!" ID "!"] ":" BlowfishCBC(key, IV, "!"*(1..8) + zlib(inner))
//   inner = md5hex(body) + body
//   body  = "%05u random" "%010u global" ":" "%04u local" ":" payload
// The IV is fixed and restarts for every message, as OSSEC requires.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace core {

// Largest payload a message may carry (OS_MAXSTR - OS_HEADER_SIZE).
inline constexpr std::size_t kMaxPayload = 6016;
// Largest inflated message accepted (OS_MAXSTR).
inline constexpr std::size_t kMaxInflated = 6144;
// Local counter values run 1..kMaxLocal, then global advances.
inline constexpr std::uint32_t kMaxLocal = 9997;

struct Counters {
    std::uint32_t global = 0;
    std::uint32_t local = 0;

    friend bool operator==(const Counters&, const Counters&) = default;
};

// The pair that follows c: local wraps after kMaxLocal and global advances.
Counters next_counters(Counters c);

// True when c may be accepted after last (strictly increasing pair).
bool is_newer(Counters c, Counters last);

struct OpenedMessage {
    Counters counters;
    std::string payload;
};

// The cipher of the envelope: Blowfish as OSSEC 3.x, or Wazuh 4.x's AES:
//   wire = ["!" ID "!"] "#AES:" AES-256-CBC(key[0:32], "FEDCBA0987654321",
//          PKCS#7("!"*(1..8) + zlib(inner)))
enum class Cipher { kBlowfish, kAes };

// Seals and opens messages with one session key (the 47-character key from
// derive_session_key). Immutable after construction (the Blowfish key
// schedule is computed once), so one codec may be used from several
// threads.
class SecureCodec {
public:
    // Messages are sealed with cipher; open() takes either (the wire says
    // which), as a manager answers in the agent's cipher.
    explicit SecureCodec(std::string session_key, Cipher cipher = Cipher::kBlowfish);
    ~SecureCodec();
    SecureCodec(SecureCodec&&) noexcept;
    SecureCodec& operator=(SecureCodec&&) noexcept;

    // The wire bytes for payload, without any "!ID!" prefix (the caller adds
    // it). payload must be 1..kMaxPayload bytes; deflate level 9 as OSSEC.
    std::string seal(std::string_view payload, Counters counters,
                     std::uint16_t random) const;

    // Opens wire bytes that start with ':' or "#AES:" (any "!ID!" prefix
    // removed).
    // Checks block size, padding, inflated size and the MD5; does not
    // check counters (see is_newer).
    Result<OpenedMessage> open(std::string_view wire) const;

private:
    struct Ciphers;
    std::unique_ptr<Ciphers> ciphers_;
    Cipher cipher_;
};

// Splits "!ID!rest" into ID and rest. Returns false when data has no
// well-formed prefix (then id is empty and rest is data).
bool split_agent_prefix(std::string_view data, std::string& id, std::string_view& rest);

}  // namespace core
