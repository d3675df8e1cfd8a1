// MD5 in lowercase hex, as OSSEC uses it for keys, message checksums and
// shared-file checksums.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace core {

std::string md5_hex(std::string_view data);

// Lowercase hex of raw bytes (a digest's output, for example).
std::string to_lower_hex(const unsigned char* bytes, std::size_t size);

// The MD5 of a file's bytes; nullopt when it cannot be read.
std::optional<std::string> file_md5_hex(const std::filesystem::path& path);

}  // namespace core
