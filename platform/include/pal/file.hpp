// Files as the agent needs them: an identity that survives renames (for
// log rotation), reading a file that others may rotate or delete while it
// is open, and durable, atomic replacement of small state files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

namespace pal {

// Identity of a file: device (or volume serial) and inode (or file index).
// Two open names refer to the same file exactly when their ids are equal.
struct FileId {
    std::uint64_t device = 0;
    std::uint64_t index = 0;

    friend bool operator==(const FileId&, const FileId&) = default;
};

struct FileInfo {
    FileId id;
    std::uint64_t size = 0;
    bool is_regular = false;
    bool is_directory = false;
    // The file has no name any more but is still open somewhere (POSIX:
    // link count 0; Windows: delete pending, the name lingers until the
    // last handle closes). A reader should let go of it once drained.
    bool delete_pending = false;
};

// Metadata of the file a path names, following symlinks.
std::error_code stat_path(const std::filesystem::path& path, FileInfo& info);

// A file opened for sequential reading that does not stop others from
// renaming, truncating or deleting it (FILE_SHARE_DELETE on Windows).
// Not thread safe; one reader per object.
class ReadableFile {
public:
    virtual ~ReadableFile() = default;

    // Reads up to size bytes at the current position; returns the count,
    // 0 at end of file.
    virtual std::size_t read(char* buffer, std::size_t size, std::error_code& ec) = 0;
    virtual std::error_code seek(std::uint64_t offset) = 0;
    // Metadata of the open file (not of the path, which may now name
    // another file).
    virtual std::error_code info(FileInfo& info) const = 0;
};

// Opens a regular file; anything else (a directory, a FIFO, a device)
// fails with is_a_directory or invalid_argument, without blocking.
std::unique_ptr<ReadableFile> open_readable(const std::filesystem::path& path,
                                            std::error_code& ec);

enum class Durability {
    kSynced,   // survives a power loss: data flushed before the rename
    kOrdered,  // survives a crash of the process; a power loss may bring
               // back the previous content (never a torn one)
};

// Replaces path with content so that a reader sees either the old or the
// new content: a temporary file in the same directory, then renamed over
// path; with kSynced the data and the rename are flushed to disk.
std::error_code write_file_atomically(const std::filesystem::path& path,
                                      const std::string& content,
                                      Durability durability = Durability::kSynced);

// Makes a file readable by its owner only (0600 on POSIX; on Windows the
// install directory's ACL already protects it, so this does nothing).
std::error_code restrict_to_owner(const std::filesystem::path& path);

// Makes a file readable by its owner and by the members of group, and by
// no one else: 0640 with that group on POSIX, as OSSEC keeps client.keys
// (root:ossec), so that a daemon running as a member can read it. When
// the group does not exist the file is made 0600 and the result is
// no_such_file_or_directory. On Windows the install directory's ACL
// already protects it, so this does nothing.
std::error_code restrict_to_group(const std::filesystem::path& path, const std::string& group);

}  // namespace pal
