#include "core/secure_message.hpp"

#include <cryptopp/blowfish.h>
#include <cryptopp/modes.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>

#include "core/client_keys.hpp"

namespace core {
namespace {

constexpr CryptoPP::byte kBlowfishIv[8] = {0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10};
constexpr std::size_t kMd5HexSize = 32;
constexpr std::size_t kHeaderSize = 21;  // random(5) global(10) ':' local(4) ':'

std::string deflate_level9(std::string_view data) {
    uLongf size = compressBound(static_cast<uLong>(data.size()));
    std::string out(size, '\0');
    const int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                             reinterpret_cast<const Bytef*>(data.data()),
                             static_cast<uLong>(data.size()), 9);
    if (rc != Z_OK) {
        return {};
    }
    out.resize(size);
    return out;
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

std::string blowfish_cbc(std::string_view key, std::string_view data, bool encrypt) {
    std::string out(data.size(), '\0');
    const auto* k = reinterpret_cast<const CryptoPP::byte*>(key.data());
    const auto* in = reinterpret_cast<const CryptoPP::byte*>(data.data());
    auto* o = reinterpret_cast<CryptoPP::byte*>(out.data());
    if (encrypt) {
        CryptoPP::CBC_Mode<CryptoPP::Blowfish>::Encryption cipher(k, key.size(), kBlowfishIv);
        cipher.ProcessData(o, in, data.size());
    } else {
        CryptoPP::CBC_Mode<CryptoPP::Blowfish>::Decryption cipher(k, key.size(), kBlowfishIv);
        cipher.ProcessData(o, in, data.size());
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

SecureCodec::SecureCodec(std::string session_key) : session_key_(std::move(session_key)) {}

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

    return ":" + blowfish_cbc(session_key_, blob, true);
}

Result<OpenedMessage> SecureCodec::open(std::string_view wire) const {
    if (wire.empty() || wire.front() != ':') {
        return Error{"message does not start with ':'"};
    }
    wire.remove_prefix(1);
    if (wire.empty() || wire.size() % 8 != 0) {
        return Error{"encrypted size " + std::to_string(wire.size()) +
                     " is not a multiple of 8"};
    }

    const std::string plain = blowfish_cbc(session_key_, wire, false);
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
