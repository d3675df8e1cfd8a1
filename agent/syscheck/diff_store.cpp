#include "syscheck/diff_store.hpp"

#include <algorithm>

#include "pal/file.hpp"
#include "syscheck/line_diff.hpp"
#include "syscheck/path_escape.hpp"

namespace syscheck {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLastEntry = "last-entry";

// Up to limit + 1 bytes of path: more than limit means "too large".
std::optional<std::string> read_bounded(const fs::path& path, std::uint64_t limit) {
    std::error_code ec;
    const auto file = pal::open_readable(path, ec);
    if (!file) {
        return std::nullopt;
    }
    std::string content;
    char buffer[64 * 1024];
    while (content.size() <= limit) {
        const std::size_t n = file->read(buffer, sizeof buffer, ec);
        if (ec) {
            return std::nullopt;
        }
        if (n == 0) {
            break;
        }
        content.append(buffer, n);
    }
    return content;
}

std::uint64_t size_of(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

}  // namespace

DiffStore::DiffStore(fs::path root, DiffLimits limits, core::Logger& logger)
    : root_(std::move(root)), limits_(limits), logger_(logger) {}

fs::path DiffStore::copy_of(const std::string& raw_path) const {
    std::string relative;
    for (char c : raw_path) {
        if (c != ':' && !(relative.empty() && is_separator(c))) {
            relative += c;
        }
    }
    return root_ / "local" / path_of(relative) / kLastEntry;
}

std::uint64_t DiffStore::usage() {
    if (!used_) {
        std::uint64_t total = 0;
        std::error_code ec;
        for (fs::recursive_directory_iterator it(root_ / "local", ec), end; !ec && it != end;
             it.increment(ec)) {
            if (it->path().filename() == kLastEntry) {
                total += size_of(it->path());
            }
        }
        used_ = total;
    }
    return *used_;
}

std::optional<std::string> DiffStore::update(const std::string& raw_path, const fs::path& path,
                                             bool known, bool nodiff) {
    const fs::path copy = copy_of(raw_path);
    if (nodiff) {
        forget(raw_path);  // a copy made before the file was put under <nodiff>
        return known ? std::optional<std::string>(kNodiffText) : std::nullopt;
    }
    const auto content = read_bounded(path, limits_.file_size_limit);
    if (!content) {
        return std::nullopt;
    }
    if (content->size() > limits_.file_size_limit) {
        logger_.debug("no diff kept for '" + escape_path(raw_path) + "': larger than " +
                      std::to_string(limits_.file_size_limit) + " bytes");
        forget(raw_path);
        return std::nullopt;
    }
    const std::uint64_t old_size = size_of(copy);
    const auto previous = old_size > 0 || fs::exists(copy)
                              ? read_bounded(copy, limits_.file_size_limit)
                              : std::nullopt;
    if (previous && *previous == *content) {
        return std::nullopt;
    }
    if (!keep(raw_path, *content, previous ? old_size : 0)) {
        forget(raw_path);
    }
    if (!known || !previous) {
        return std::nullopt;
    }
    return ossec_diff_excerpt(normal_diff(*previous, *content));
}

bool DiffStore::keep(const std::string& raw_path, const std::string& content,
                     std::uint64_t old_size) {
    const std::uint64_t total = usage() - std::min(usage(), old_size) + content.size();
    if (total > limits_.disk_quota) {
        if (!quota_warned_) {
            quota_warned_ = true;
            logger_.warning("report_changes: the copies under '" + root_.string() +
                            "' would pass the disk quota of " +
                            std::to_string(limits_.disk_quota) + " bytes; no new copies "
                            "are kept, so changes to further files come without a diff");
        }
        return false;
    }
    const fs::path copy = copy_of(raw_path);
    std::error_code ec;
    fs::create_directories(copy.parent_path(), ec);
    if (ec || (ec = pal::write_file_atomically(copy, content, pal::Durability::kOrdered))) {
        logger_.warning("report_changes: cannot keep a copy of '" + escape_path(raw_path) +
                        "' in '" + copy.parent_path().string() + "': " + ec.message() +
                        "; its next change comes without a diff");
        return false;
    }
    pal::restrict_to_owner(copy);
    used_ = total;
    return true;
}

void DiffStore::forget(const std::string& raw_path) {
    const fs::path copy = copy_of(raw_path);
    const std::uint64_t size = size_of(copy);
    std::error_code ec;
    if (fs::remove(copy, ec) && used_) {
        used_ = *used_ - std::min(*used_, size);
    }
}

}  // namespace syscheck
