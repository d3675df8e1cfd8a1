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

// The digests asked for, fed together.
class Hashes {
public:
    explicit Hashes(const HashRequest& request) : request_(request) {}

    void update(const char* data, std::size_t n) {
        const auto* bytes = reinterpret_cast<const CryptoPP::byte*>(data);
        if (request_.md5) {
            md5_.Update(bytes, n);
        }
        if (request_.sha1) {
            sha1_.Update(bytes, n);
        }
        if (request_.sha256) {
            sha256_.Update(bytes, n);
        }
    }

    FileDigests finish() {
        FileDigests out;
        if (request_.md5) {
            out.md5 = finish_hex(md5_);
        }
        if (request_.sha1) {
            out.sha1 = finish_hex(sha1_);
        }
        if (request_.sha256) {
            out.sha256 = finish_hex(sha256_);
        }
        return out;
    }

private:
    HashRequest request_;
    CryptoPP::Weak::MD5 md5_;
    CryptoPP::SHA1 sha1_;
    CryptoPP::SHA256 sha256_;
};

}  // namespace

FileDigests hash_bytes(std::string_view bytes, const HashRequest& request) {
    Hashes hashes(request);
    hashes.update(bytes.data(), bytes.size());
    return hashes.finish();
}

std::error_code hash_file(const std::filesystem::path& path, const HashRequest& request,
                          FileDigests& out) {
    std::error_code ec;
    const auto file = pal::open_readable(path, ec);
    if (!file) {
        return ec ? ec : std::make_error_code(std::errc::io_error);
    }
    Hashes hashes(request);
    std::vector<char> buffer(kHashBlockSize);
    for (;;) {
        const std::size_t n = file->read(buffer.data(), buffer.size(), ec);
        if (ec) {
            return ec;
        }
        if (n == 0) {
            break;
        }
        hashes.update(buffer.data(), n);
    }
    out = hashes.finish();
    return {};
}

}  // namespace syscheck
