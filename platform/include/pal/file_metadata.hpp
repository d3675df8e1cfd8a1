// What file integrity monitoring needs to know about a file, read without
// following a final symlink unless asked (lstat on POSIX; on Windows the
// reparse point itself). Owner and group come as ids and names; Windows
// has no uid or gid, so there owner_sid carries the owner's SID string
// ("S-1-5-32-544") and attributes the FILE_ATTRIBUTE_* bits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "pal/file.hpp"

namespace pal {

enum class FileKind { kRegular, kDirectory, kSymlink, kOther };

struct FileMetadata {
    FileId id;
    FileKind kind = FileKind::kOther;
    std::uint64_t size = 0;
    std::uint32_t mode = 0;  // POSIX st_mode, type bits included; 0 on Windows
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::string owner;      // user name; "" when unknown
    std::string group;      // group name; "" when unknown
    std::string owner_sid;  // Windows only
    std::uint32_t attributes = 0;  // Windows only
    std::int64_t mtime = 0;        // seconds since the Unix epoch
};

enum class FollowLinks { kNo, kYes };

// Metadata of path. With kNo a symlink is described itself (kind
// kSymlink); with kYes the file it leads to is. Names are looked up
// only when with_names is set (a lookup can be slow on directory-backed
// accounts). Thread safe.
std::error_code read_metadata(const std::filesystem::path& path, FollowLinks follow,
                              bool with_names, FileMetadata& out);

// True when path lies on a network file system (NFS, CIFS/SMB, ...), which
// <skip_nfs> leaves out. False when it cannot tell.
bool is_network_file_system(const std::filesystem::path& path);

}  // namespace pal
