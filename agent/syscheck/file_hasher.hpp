// Reads a file once and computes every digest asked for, in 64 KB blocks,
// so memory stays flat for any file size. Thread safe (no shared state).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace syscheck {

struct HashRequest {
    bool md5 = false;
    bool sha1 = false;
    bool sha256 = false;
};

// Lower-case hex; empty for a digest not asked for.
struct FileDigests {
    std::string md5;
    std::string sha1;
    std::string sha256;
};

inline constexpr std::size_t kHashBlockSize = 64 * 1024;

// Digests of the file's bytes (a symlink is followed). Fails with the OS
// error when the file cannot be opened or read; nothing partial is returned.
std::error_code hash_file(const std::filesystem::path& path, const HashRequest& request,
                          FileDigests& out);

// Digests of bytes already in memory (a prefilter_cmd's output).
FileDigests hash_bytes(std::string_view bytes, const HashRequest& request);

}  // namespace syscheck
