// report_changes: the last seen content of each such file, kept under
// queue/diff/local/<path>/last-entry (OSSEC's layout; on Windows the drive's
// colon is left out), and the diff of a change against it (line_diff.hpp),
// computed in-process: no diff program, no shell.
//
// Bounds (Wazuh's <diff> options, with its defaults): a file larger than
// file_size_limit gets no copy and no diff; copies stop being made when
// they would take more than disk_quota in all (a warning, once). A file
// under <nodiff> is never copied: its changes carry OSSEC's text
// kNodiffText instead of its content.
//
// Not thread safe (the scanner's thread only).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/logger.hpp"

namespace syscheck {

inline constexpr std::string_view kNodiffText = "<Diff truncated because nodiff option>";

struct DiffLimits {
    std::uint64_t file_size_limit = 50ull * 1024 * 1024;  // bytes
    std::uint64_t disk_quota = 1024ull * 1024 * 1024;     // bytes
};

class DiffStore {
public:
    DiffStore(std::filesystem::path root, DiffLimits limits, core::Logger& logger);

    // Called for a file whose checksum was just sent as new (known=false)
    // or changed (known=true). Returns what to append to the message after
    // a newline: OSSEC's excerpt of the diff against the kept copy, or
    // kNodiffText; nullopt when there is nothing to say (a new file, no
    // copy yet, same content, too large, unreadable).
    std::optional<std::string> update(const std::string& raw_path,
                                      const std::filesystem::path& path, bool known,
                                      bool nodiff);

    // The file is gone: its copy goes too.
    void forget(const std::string& raw_path);

    std::filesystem::path copy_of(const std::string& raw_path) const;
    std::uint64_t used() { return usage(); }

private:
    std::uint64_t usage();
    bool keep(const std::string& raw_path, const std::string& content,
              std::uint64_t old_size);

    std::filesystem::path root_;
    DiffLimits limits_;
    core::Logger& logger_;
    std::optional<std::uint64_t> used_;  // bytes of copies; counted on first use
    bool quota_warned_ = false;
};

}  // namespace syscheck
