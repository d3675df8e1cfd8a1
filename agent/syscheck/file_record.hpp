// The state of one monitored file as syscheck compares and reports it.
// Only what its directory's options check is filled in; the rest keeps
// OSSEC's placeholders ("0" for numbers, "xxx" for digests), so two records
// differ exactly when a checked attribute changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/syscheck_config.hpp"
#include "pal/file_metadata.hpp"
#include "syscheck/file_hasher.hpp"

namespace syscheck {

inline constexpr std::string_view kNoDigest = "xxx";

struct FileRecord {
    std::uint64_t size = 0;
    std::uint32_t mode = 0;
    std::string owner = "0";  // uid in decimal, or the owner SID on Windows
    std::uint32_t gid = 0;
    std::string md5{kNoDigest};
    std::string sha1{kNoDigest};
    std::string sha256{kNoDigest};
    std::int64_t mtime = 0;
    std::uint64_t inode = 0;

    friend bool operator==(const FileRecord&, const FileRecord&) = default;
};

// The record for a file with the given metadata and digests (a digest that
// could not be computed is empty and becomes "xxx").
FileRecord make_record(const pal::FileMetadata& metadata, const FileDigests& digests,
                       const core::SyscheckChecks& checks);

// OSSEC 3.x's checksum text: "<size>:<mode>:<uid>:<gid>:<md5>:<sha1>".
std::string checksum_text(const FileRecord& record);

// One baseline line: "<checksum> <sha256> <mtime> <inode> <escaped path>".
std::string format_baseline_line(const FileRecord& record, std::string_view raw_path);

struct BaselineEntry {
    std::string raw_path;
    FileRecord record;
};

// nullopt for a line that is not in format_baseline_line's form.
std::optional<BaselineEntry> parse_baseline_line(std::string_view line);

}  // namespace syscheck
