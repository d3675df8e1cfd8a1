// The local file integrity database under queue/syscheck/: what every
// monitored file looked like at the last scan, so that after a restart only
// real changes are sent. The file names the agent identity it was made for;
// a baseline made for another identity (another agent's key, a reinstall)
// is not trusted and the next scan starts from nothing, as a first scan.
//
// File format, text: a header line "ossec-syscheckd baseline 1", an
// "identity <text>" line, then one format_baseline_line() per file.
// Saved atomically (write, fsync, rename). Not thread safe.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <system_error>

#include "core/client_keys.hpp"
#include "syscheck/file_record.hpp"

namespace syscheck {

enum class BaselineLoad {
    kLoaded,         // records read from the file
    kMissing,        // no file yet: a first scan
    kOtherIdentity,  // made for another agent identity: discarded
    kCorrupt,        // unreadable header or lines: discarded
};

class Baseline {
public:
    Baseline(std::filesystem::path file, std::string identity);

    // Replaces the records in memory with the file's, when it can be trusted.
    BaselineLoad load();
    std::error_code save() const;

    const FileRecord* find(const std::string& raw_path) const;
    void put(const std::string& raw_path, const FileRecord& record);
    void erase(const std::string& raw_path);

    const std::map<std::string, FileRecord>& records() const { return records_; }
    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    std::string identity_;
    std::map<std::string, FileRecord> records_;
};

// The identity a baseline is made for: the agent's id, name and a SHA-256
// of its key (never the key itself, nor its MD5, which is part of the
// session key). A new key or a reinstall under another id changes it.
std::string baseline_identity(const core::AgentKey& key);

}  // namespace syscheck
