#include "core/digest.hpp"

#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#include <cryptopp/md5.h>

#include <fstream>

namespace core {
namespace {

std::string finish_hex(CryptoPP::Weak::MD5& md5) {
    CryptoPP::byte digest[CryptoPP::Weak::MD5::DIGESTSIZE];
    md5.Final(digest);
    return to_lower_hex(digest, sizeof digest);
}

}  // namespace

std::string to_lower_hex(const unsigned char* bytes, std::size_t size) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(2 * size);
    for (std::size_t i = 0; i < size; ++i) {
        hex.push_back(kHex[bytes[i] >> 4]);
        hex.push_back(kHex[bytes[i] & 15]);
    }
    return hex;
}

std::string md5_hex(std::string_view data) {
    CryptoPP::Weak::MD5 md5;
    md5.Update(reinterpret_cast<const CryptoPP::byte*>(data.data()), data.size());
    return finish_hex(md5);
}

std::optional<std::string> file_md5_hex(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    CryptoPP::Weak::MD5 md5;
    char buffer[65536];
    while (in) {
        in.read(buffer, sizeof buffer);
        md5.Update(reinterpret_cast<const CryptoPP::byte*>(buffer),
                   static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        return std::nullopt;
    }
    return finish_hex(md5);
}

}  // namespace core
