// Read positions that survive a restart: for each configured location, the
// identity of the file last read there, how far it was read, and a
// fingerprint of the bytes before that offset (so a file truncated and
// rewritten, or deleted and recreated with the same inode, is told apart).
//
// Stored as text under queue/ (queue/logcollector/positions), replaced
// atomically on every save, so a crash leaves the previous or the new
// version, never a mix. Not thread safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <system_error>

#include "pal/file.hpp"

namespace logcollector {

struct SavedPosition {
    pal::FileId id;
    std::uint64_t offset = 0;
    std::uint64_t fingerprint = 0;

    friend bool operator==(const SavedPosition&, const SavedPosition&) = default;
};

class PositionStore {
public:
    explicit PositionStore(std::filesystem::path file) : file_(std::move(file)) {}

    // Reads the file. A missing file is an empty store (first start); a
    // malformed line is skipped and counted in skipped_lines().
    std::error_code load();
    // Writes every position, creating the directory if needed.
    std::error_code save();

    std::optional<SavedPosition> find(const std::string& location) const;
    void set(const std::string& location, const SavedPosition& position);
    // Keeps only the given locations (those still configured).
    template <class Keep>
    void retain_if(Keep&& keep) {
        std::erase_if(positions_, [&](const auto& entry) { return !keep(entry.first); });
    }

    // True when the file existed when load() was called.
    bool existed() const { return existed_; }
    int skipped_lines() const { return skipped_lines_; }
    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    std::map<std::string, SavedPosition> positions_;
    bool existed_ = false;
    int skipped_lines_ = 0;
};

}  // namespace logcollector
