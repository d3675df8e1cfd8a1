#include "core/secure_message.hpp"

#include <cryptopp/aes.h>
#include <cryptopp/blowfish.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "core/client_keys.hpp"

namespace core {
namespace {

constexpr CryptoPP::byte kBlowfishIv[8] = {0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10};
constexpr char kAesIv[] = "FEDCBA0987654321";  // 16 ASCII bytes, as Wazuh
constexpr std::size_t kAesKeySize = 32;
constexpr std::string_view kAesPrefix = "#AES:";
constexpr std::size_t kMd5HexSize = 32;
constexpr std::size_t kHeaderSize = 21;  // random(5) global(10) ':' local(4) ':'

// One deflate stream per thread, reset for every message: setting up a
// level 9 stream allocates and clears about 300 KB, far more work than
// compressing one event. Every reset still clears the hash table, 2 bytes
// times 2^(memLevel + 7): memLevel 7 halves zlib's default. Its symbol
// buffer (2^(memLevel + 6) = 8192) still holds a whole message, so the
// output stays one block, byte for byte what OSSEC's level 9 makes (the
// vector tests check that).
constexpr int kMemLevel = 7;

class Deflater {
public:
    Deflater() {
        ok_ = deflateInit2(&stream_, 9, Z_DEFLATED, 15, kMemLevel, Z_DEFAULT_STRATEGY) == Z_OK;
    }
    ~Deflater() { deflateEnd(&stream_); }
    Deflater(const Deflater&) = delete;
    Deflater& operator=(const Deflater&) = delete;

    std::string compress(std::string_view data) {
        if (!ok_ || deflateReset(&stream_) != Z_OK) {
            return {};
        }
        std::string out(deflateBound(&stream_, static_cast<uLong>(data.size())), '\0');
        stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
        stream_.avail_in = static_cast<uInt>(data.size());
        stream_.next_out = reinterpret_cast<Bytef*>(out.data());
        stream_.avail_out = static_cast<uInt>(out.size());
        if (deflate(&stream_, Z_FINISH) != Z_STREAM_END) {
            return {};
        }
        out.resize(out.size() - stream_.avail_out);
        return out;
    }

private:
    z_stream stream_{};
    bool ok_ = false;
};

std::string deflate_level9(std::string_view data) {
    thread_local Deflater deflater;
    return deflater.compress(data);
}

// Inflates one zlib stream, ignoring trailing bytes. Fails when the output
// would exceed limit or the stream is broken.
bool inflate_bounded(std::string_view data, std::size_t limit, std::string& out) {
    z_stream stream{};
    if (inflateInit(&stream) != Z_OK) {
        return false;
    }
    out.assign(limit + 1, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&stream, Z_FINISH);
    const std::size_t produced = out.size() - stream.avail_out;
    inflateEnd(&stream);
    if (rc != Z_STREAM_END || produced > limit) {
        return false;
    }
    out.resize(produced);
    return true;
}

// CBC with a fixed IV over whole blocks, on a keyed block cipher
// (ProcessBlock is const, so a shared cipher is safe across threads).
std::string cbc_encrypt(const CryptoPP::BlockTransformation& cipher, const void* iv,
                        std::string_view data) {
    const std::size_t block = cipher.BlockSize();
    std::string out(data.size(), '\0');
    CryptoPP::byte chain[16];
    std::memcpy(chain, iv, block);
    for (std::size_t i = 0; i + block <= data.size(); i += block) {
        for (std::size_t j = 0; j < block; ++j) {
            chain[j] ^= static_cast<CryptoPP::byte>(data[i + j]);
        }
        cipher.ProcessBlock(chain);
        std::memcpy(out.data() + i, chain, block);
    }
    return out;
}

std::string cbc_decrypt(const CryptoPP::BlockTransformation& cipher, const void* iv,
                        std::string_view data) {
    const std::size_t block = cipher.BlockSize();
    std::string out(data.size(), '\0');
    CryptoPP::byte previous[16];
    std::memcpy(previous, iv, block);
    for (std::size_t i = 0; i + block <= data.size(); i += block) {
        CryptoPP::byte in[16];
        CryptoPP::byte plain[16];
        std::memcpy(in, data.data() + i, block);
        cipher.ProcessBlock(in, plain);
        for (std::size_t j = 0; j < block; ++j) {
            out[i + j] = static_cast<char>(plain[j] ^ previous[j]);
        }
        std::memcpy(previous, in, block);
    }
    return out;
}

bool parse_decimal(std::string_view digits, std::uint32_t& value) {
    std::uint64_t v = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') {
            return false;
        }
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    if (digits.empty() || v > 0xffffffffu) {
        return false;
    }
    value = static_cast<std::uint32_t>(v);
    return true;
}

}  // namespace

Counters next_counters(Counters c) {
    if (c.local >= kMaxLocal) {
        c.local = 0;
        ++c.global;
    }
    ++c.local;
    return c;
}

bool is_newer(Counters c, Counters last) {
    return c.global > last.global || (c.global == last.global && c.local > last.local);
}

struct SecureCodec::Ciphers {
    explicit Ciphers(std::string_view key)
        : encryption(bytes(key), key.size()),
          decryption(bytes(key), key.size()),
          aes_encryption(bytes(key), std::min(key.size(), kAesKeySize)),
          aes_decryption(bytes(key), std::min(key.size(), kAesKeySize)) {}

    static const CryptoPP::byte* bytes(std::string_view key) {
        return reinterpret_cast<const CryptoPP::byte*>(key.data());
    }

    CryptoPP::Blowfish::Encryption encryption;
    CryptoPP::Blowfish::Decryption decryption;
    CryptoPP::AES::Encryption aes_encryption;
    CryptoPP::AES::Decryption aes_decryption;
};

SecureCodec::SecureCodec(std::string session_key, Cipher cipher)
    : ciphers_(std::make_unique<Ciphers>(session_key)), cipher_(cipher) {}
SecureCodec::~SecureCodec() = default;
SecureCodec::SecureCodec(SecureCodec&&) noexcept = default;
SecureCodec& SecureCodec::operator=(SecureCodec&&) noexcept = default;

std::string SecureCodec::seal(std::string_view payload, Counters counters,
                              std::uint16_t random) const {
    char header[kHeaderSize + 1];
    std::snprintf(header, sizeof header, "%05u%010u:%04u:", static_cast<unsigned>(random),
                  static_cast<unsigned>(counters.global),
                  static_cast<unsigned>(counters.local));
    std::string body;
    body.reserve(kHeaderSize + payload.size());
    body.append(header).append(payload);

    const std::string compressed = deflate_level9(md5_hex(body) + body);
    const std::size_t pad = (8 - (compressed.size() + 1) % 8) % 8;
    std::string blob(pad + 1, '!');
    blob += compressed;

    if (cipher_ == Cipher::kAes) {
        const std::size_t pad = 16 - blob.size() % 16;  // PKCS#7: 1..16 bytes
        blob.append(pad, static_cast<char>(pad));
        return std::string(kAesPrefix) + cbc_encrypt(ciphers_->aes_encryption, kAesIv, blob);
    }
    return ":" + cbc_encrypt(ciphers_->encryption, kBlowfishIv, blob);
}

Result<OpenedMessage> SecureCodec::open(std::string_view wire) const {
    const bool aes = wire.substr(0, kAesPrefix.size()) == kAesPrefix;
    if (!aes && (wire.empty() || wire.front() != ':')) {
        return Error{"message does not start with ':'"};
    }
    wire.remove_prefix(aes ? kAesPrefix.size() : 1);
    const std::size_t block = aes ? 16 : 8;
    if (wire.empty() || wire.size() % block != 0) {
        return Error{"encrypted size " + std::to_string(wire.size()) +
                     " is not a multiple of " + std::to_string(block)};
    }

    std::string plain = aes ? cbc_decrypt(ciphers_->aes_decryption, kAesIv, wire)
                            : cbc_decrypt(ciphers_->decryption, kBlowfishIv, wire);
    if (aes) {
        const auto pad = static_cast<unsigned char>(plain.back());
        if (pad == 0 || pad > 16 || pad > plain.size()) {
            return Error{"bad padding (wrong key?)"};
        }
        plain.resize(plain.size() - pad);
        if (plain.empty()) {
            return Error{"message has padding only"};
        }
    }
    if (plain.front() != '!') {
        return Error{"unknown message format (wrong key?)"};
    }
    const std::size_t start = plain.find_first_not_of('!');
    if (start == std::string::npos) {
        return Error{"message has padding only"};
    }

    std::string inner;
    if (!inflate_bounded(std::string_view(plain).substr(start), kMaxInflated, inner)) {
        return Error{"cannot decompress message (corrupt, wrong key or too large)"};
    }
    if (inner.size() < kMd5HexSize + kHeaderSize) {
        return Error{"message too short"};
    }
    const std::string_view body = std::string_view(inner).substr(kMd5HexSize);
    if (inner.compare(0, kMd5HexSize, md5_hex(body)) != 0) {
        return Error{"checksum mismatch"};
    }

    OpenedMessage opened;
    if (body[15] != ':' || body[20] != ':' ||
        !parse_decimal(body.substr(5, 10), opened.counters.global) ||
        !parse_decimal(body.substr(16, 4), opened.counters.local)) {
        return Error{"malformed counters"};
    }
    opened.payload.assign(body.substr(kHeaderSize));
    return opened;
}

bool split_agent_prefix(std::string_view data, std::string& id, std::string_view& rest) {
    id.clear();
    rest = data;
    if (data.size() < 3 || data.front() != '!') {
        return false;
    }
    const auto end = data.find('!', 1);
    if (end == std::string_view::npos || end == 1 || end > 9) {
        return false;
    }
    const std::string_view digits = data.substr(1, end - 1);
    for (char c : digits) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    id.assign(digits);
    rest = data.substr(end + 1);
    return true;
}

}  // namespace core
