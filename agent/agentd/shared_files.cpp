#include "agentd/shared_files.hpp"

#include <algorithm>

#include "core/digest.hpp"
#include "pal/file.hpp"

namespace agentd {
namespace {

bool is_hex_md5(std::string_view text) {
    return text.size() == 32 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

bool parse_size(std::string_view digits, std::size_t& size) {
    if (digits.empty() || digits.size() > 10) {
        return false;
    }
    std::size_t value = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') {
            return false;
        }
        value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    size = value;
    return true;
}

std::string printable(std::string_view text) {
    std::string out;
    for (unsigned char c : text.substr(0, 80)) {
        out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
    }
    return out;
}

}  // namespace

bool is_safe_file_name(std::string_view name) {
    if (name.empty() || name.size() > 255 || name == "." || name == "..") {
        return false;
    }
    return std::none_of(name.begin(), name.end(), [](unsigned char c) {
        return c == '/' || c == '\\' || c == ':' || c < 0x20 || c == 0x7f;
    });
}

core::Result<std::vector<MergedEntry>> unmerge(std::string_view merged) {
    std::vector<MergedEntry> entries;
    while (!merged.empty()) {
        const auto newline = merged.find('\n');
        if (merged.front() != '!' || newline == std::string_view::npos) {
            return core::Error{"bad entry header at '" + printable(merged) + "'"};
        }
        const std::string_view header = merged.substr(1, newline - 1);
        const auto space = header.find(' ');
        std::size_t size = 0;
        if (space == std::string_view::npos || !parse_size(header.substr(0, space), size)) {
            return core::Error{"bad entry header '" + printable(header) + "'"};
        }
        const std::string_view name = header.substr(space + 1);
        if (!is_safe_file_name(name)) {
            return core::Error{"unsafe file name '" + printable(name) + "'"};
        }
        if (name == "merged.mg") {
            return core::Error{"merged.mg cannot carry a file named merged.mg"};
        }
        for (const MergedEntry& earlier : entries) {
            if (earlier.name == name) {
                return core::Error{"file '" + std::string(name) + "' appears twice"};
            }
        }
        merged.remove_prefix(newline + 1);
        if (size > merged.size()) {
            return core::Error{"entry '" + std::string(name) + "' declares " +
                               std::to_string(size) + " bytes but only " +
                               std::to_string(merged.size()) + " remain"};
        }
        entries.push_back(MergedEntry{std::string(name), std::string(merged.substr(0, size))});
        merged.remove_prefix(size);
    }
    return entries;
}

SharedFileReceiver::SharedFileReceiver(std::filesystem::path shared_dir, core::Logger& logger)
    : shared_dir_(std::move(shared_dir)), logger_(logger) {}

void SharedFileReceiver::begin(std::string_view header) {
    if (open_) {
        abandon("a new transfer started");
    }
    while (!header.empty() && (header.back() == '\n' || header.back() == '\r')) {
        header.remove_suffix(1);
    }
    const auto space = header.find(' ');
    const std::string_view md5 = header.substr(0, space);
    const std::string_view name =
        space == std::string_view::npos ? std::string_view{} : header.substr(space + 1);
    if (!is_hex_md5(md5) || !is_safe_file_name(name)) {
        logger_.warning("refusing shared file from the manager: bad header '" +
                        printable(header) + "'; the file is ignored");
        return;
    }
    open_ = true;
    overflowed_ = false;
    expected_md5_ = md5;
    name_ = name;
    content_.clear();
    logger_.debug("receiving shared file '" + name_ + "'");
}

void SharedFileReceiver::append(std::string_view chunk) {
    if (!open_ || overflowed_) {
        return;
    }
    if (content_.size() + chunk.size() > kMaxSharedFile) {
        overflowed_ = true;
        logger_.warning("shared file '" + name_ + "' exceeds " +
                        std::to_string(kMaxSharedFile) + " bytes; it will be discarded");
        return;
    }
    content_.append(chunk);
}

void SharedFileReceiver::abandon(std::string_view reason) {
    if (open_) {
        logger_.warning("shared file '" + name_ + "' transfer abandoned: " +
                        std::string(reason) + "; waiting for the manager to send it again");
    }
    open_ = false;
    content_.clear();
}

void SharedFileReceiver::finish() {
    if (!open_) {
        return;
    }
    open_ = false;
    if (overflowed_) {
        content_.clear();
        return;
    }
    const std::string actual = core::md5_hex(content_);
    if (actual != expected_md5_) {
        logger_.warning("shared file '" + name_ + "' checksum mismatch (expected " +
                        expected_md5_ + ", got " + actual +
                        "); discarded, the manager will send it again");
        content_.clear();
        return;
    }
    install(content_);
    content_.clear();
}

void SharedFileReceiver::install(const std::string& content) {
    std::vector<MergedEntry> entries;
    if (name_ == "merged.mg") {
        core::Result<std::vector<MergedEntry>> parts = unmerge(content);
        if (!parts.ok()) {
            logger_.error("refusing merged.mg from the manager: " + parts.error() +
                          "; etc/shared is left unchanged");
            return;
        }
        entries = std::move(parts.value());
    }
    // merged.mg itself goes last: its checksum in the next keep-alive tells
    // the manager that everything it carried is in place.
    entries.push_back(MergedEntry{name_, content});

    if (const std::error_code ec = write_all_or_nothing(entries)) {
        logger_.error("cannot write shared files to '" + shared_dir_.string() +
                      "': " + ec.message() + "; etc/shared is left unchanged");
        return;
    }
    ++files_written_;
    logger_.info("shared file '" + name_ + "' received (" + std::to_string(content.size()) +
                 " bytes, " + std::to_string(entries.size() - 1) + " files unpacked)");
}

std::error_code SharedFileReceiver::write_all_or_nothing(
    const std::vector<MergedEntry>& entries) {
    std::error_code ec;
    std::filesystem::create_directories(shared_dir_, ec);
    if (ec) {
        return ec;
    }
    // Stage every file first; only when all are on disk are they renamed.
    std::vector<std::filesystem::path> staged;
    for (const MergedEntry& entry : entries) {
        // Short, unique staging names: a long entry name plus a prefix
        // could pass the file system's name limit.
        const auto temp = shared_dir_ / (".incoming." + std::to_string(staged.size()));
        ec = pal::write_file_atomically(temp, entry.content);
        if (ec) {
            break;
        }
        staged.push_back(temp);
    }
    if (!ec) {
        for (std::size_t i = 0; i < entries.size() && !ec; ++i) {
            std::filesystem::rename(staged[i], shared_dir_ / entries[i].name, ec);
        }
    }
    for (const auto& temp : staged) {
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
    }
    return ec;
}

}  // namespace agentd
