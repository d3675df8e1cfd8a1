#include "syscheck/file_hasher.hpp"

#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#include <cryptopp/md5.h>
#include <cryptopp/sha.h>

#include <vector>

#include "core/digest.hpp"
#include "pal/file.hpp"

namespace syscheck {
namespace {

template <class Hash>
std::string finish_hex(Hash& hash) {
    CryptoPP::byte digest[Hash::DIGESTSIZE];
    hash.Final(digest);
    return core::to_lower_hex(digest, sizeof digest);
}

}  // namespace

std::error_code hash_file(const std::filesystem::path& path, const HashRequest& request,
                          FileDigests& out) {
    std::error_code ec;
    const auto file = pal::open_readable(path, ec);
    if (!file) {
        return ec ? ec : std::make_error_code(std::errc::io_error);
    }
    CryptoPP::Weak::MD5 md5;
    CryptoPP::SHA1 sha1;
    CryptoPP::SHA256 sha256;
    std::vector<char> buffer(kHashBlockSize);
    for (;;) {
        const std::size_t n = file->read(buffer.data(), buffer.size(), ec);
        if (ec) {
            return ec;
        }
        if (n == 0) {
            break;
        }
        const auto* bytes = reinterpret_cast<const CryptoPP::byte*>(buffer.data());
        if (request.md5) {
            md5.Update(bytes, n);
        }
        if (request.sha1) {
            sha1.Update(bytes, n);
        }
        if (request.sha256) {
            sha256.Update(bytes, n);
        }
    }
    out = FileDigests{};
    if (request.md5) {
        out.md5 = finish_hex(md5);
    }
    if (request.sha1) {
        out.sha1 = finish_hex(sha1);
    }
    if (request.sha256) {
        out.sha256 = finish_hex(sha256);
    }
    return {};
}

}  // namespace syscheck
