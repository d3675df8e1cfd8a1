#include "syscheck/file_record.hpp"

#include <charconv>
#include <vector>

#include "syscheck/path_escape.hpp"

namespace syscheck {
namespace {

std::string digest_or_placeholder(bool checked, const std::string& digest) {
    return checked && !digest.empty() ? digest : std::string(kNoDigest);
}

template <class Number>
bool parse_number(std::string_view text, Number& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

// Splits at the first `count` separators; the last piece keeps the rest.
std::vector<std::string_view> split(std::string_view text, char separator,
                                    std::size_t count) {
    std::vector<std::string_view> pieces;
    while (pieces.size() < count) {
        const auto at = text.find(separator);
        if (at == std::string_view::npos) {
            break;
        }
        pieces.push_back(text.substr(0, at));
        text.remove_prefix(at + 1);
    }
    pieces.push_back(text);
    return pieces;
}

bool parse_checksum(std::string_view text, FileRecord& record) {
    const auto fields = split(text, ':', 5);
    if (fields.size() != 6 || fields[2].empty()) {
        return false;
    }
    record.owner = std::string(fields[2]);
    record.md5 = std::string(fields[4]);
    record.sha1 = std::string(fields[5]);
    return parse_number(fields[0], record.size) && parse_number(fields[1], record.mode) &&
           parse_number(fields[3], record.gid);
}

}  // namespace

FileRecord make_record(const pal::FileMetadata& metadata, const FileDigests& digests,
                       const core::SyscheckChecks& checks) {
    FileRecord record;
    if (checks.size) {
        record.size = metadata.size;
    }
    if (checks.perm) {
        record.mode = metadata.mode;
    }
    if (checks.owner) {
        record.owner = metadata.owner_sid.empty() ? std::to_string(metadata.uid)
                                                  : metadata.owner_sid;
    }
    if (checks.group) {
        record.gid = metadata.gid;
    }
    record.md5 = digest_or_placeholder(checks.md5, digests.md5);
    record.sha1 = digest_or_placeholder(checks.sha1, digests.sha1);
    record.sha256 = digest_or_placeholder(checks.sha256, digests.sha256);
    if (checks.mtime) {
        record.mtime = metadata.mtime;
    }
    if (checks.inode) {
        record.inode = metadata.id.index;
    }
    return record;
}

std::string checksum_text(const FileRecord& r) {
    return std::to_string(r.size) + ":" + std::to_string(r.mode) + ":" + r.owner + ":" +
           std::to_string(r.gid) + ":" + r.md5 + ":" + r.sha1;
}

std::string format_baseline_line(const FileRecord& r, std::string_view raw_path) {
    return checksum_text(r) + " " + r.sha256 + " " + std::to_string(r.mtime) + " " +
           std::to_string(r.inode) + " " + escape_path(raw_path);
}

std::optional<BaselineEntry> parse_baseline_line(std::string_view line) {
    const auto fields = split(line, ' ', 4);
    if (fields.size() != 5 || fields[4].empty()) {
        return std::nullopt;
    }
    BaselineEntry entry;
    if (!parse_checksum(fields[0], entry.record) ||
        !parse_number(fields[2], entry.record.mtime) ||
        !parse_number(fields[3], entry.record.inode) || fields[1].empty()) {
        return std::nullopt;
    }
    entry.record.sha256 = std::string(fields[1]);
    entry.raw_path = unescape_path(fields[4]);
    return entry;
}

}  // namespace syscheck
