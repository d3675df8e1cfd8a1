// Files the manager pushes into etc/shared/:
//   "#!-up file <md5> <name>\n", raw chunks, "#!-close file ".
// The whole file is kept in memory (bounded) until close, its MD5 checked
// on the raw bytes, and only then written. merged.mg is also split into
// the files it carries ("!<size> <name>\n" + bytes each). Nothing in
// etc/shared/ changes unless the whole transfer is valid: every name is a
// plain file name and every declared size fits; files are written under a
// temporary name and renamed into place.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/logger.hpp"
#include "core/result.hpp"

namespace agentd {

// Largest shared file accepted (a stock merged.mg is about 1.1 MB).
inline constexpr std::size_t kMaxSharedFile = 32 * 1024 * 1024;

struct MergedEntry {
    std::string name;
    std::string content;
};

// Splits merged.mg content into its entries; fails on a bad header, an
// unsafe name or a size larger than what is left.
core::Result<std::vector<MergedEntry>> unmerge(std::string_view merged);

// True for a plain file name: not empty, no '/', '\\', no "." or "..",
// no drive letter or ':' at all, no control characters.
bool is_safe_file_name(std::string_view name);

// Not thread safe: used from agentd's network thread only.
class SharedFileReceiver {
public:
    SharedFileReceiver(std::filesystem::path shared_dir, core::Logger& logger);

    // Starts a transfer from the text after "up file " ("<md5> <name>\n").
    // A transfer already open is abandoned.
    void begin(std::string_view header);
    // Adds a chunk to the open transfer; ignored (and logged once per
    // transfer) when none is open.
    void append(std::string_view chunk);
    // Ends the open transfer: verify, write, unmerge.
    void finish();
    // Abandons the open transfer (another control message arrived).
    void abandon(std::string_view reason);

    bool in_transfer() const { return open_; }
    // Transfers completed and written since start.
    std::size_t files_written() const { return files_written_; }

private:
    void install(const std::string& content);
    std::error_code write_all_or_nothing(const std::vector<MergedEntry>& entries);

    std::filesystem::path shared_dir_;
    core::Logger& logger_;
    bool open_ = false;
    bool overflowed_ = false;
    std::string expected_md5_;
    std::string name_;
    std::string content_;
    std::size_t files_written_ = 0;
};

}  // namespace agentd
