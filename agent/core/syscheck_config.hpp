// The <syscheck> sections of ossec.conf, as OSSEC 3.x reads them, plus the
// few Wazuh options admins carry over (recursion_level, check_mtime,
// check_inode, follow_symbolic_link, max_eps).
//
// How OSSEC combines what it reads, and so how this does:
//   - every <syscheck> section of the file adds to one configuration;
//   - <directories> holds a comma-separated list; each entry (spaces
//     around it removed) gets the attributes of its element. A directory
//     listed twice keeps its first options, with a warning;
//   - a directory without any check or realtime/report_changes option is
//     an error ("No option provided"), as is an unknown attribute or a
//     value other than yes/no;
//   - <ignore> is a prefix of the path, compared ignoring ASCII case;
//     <ignore type="sregex"> is an OSSEC simple regex (core/sregex.hpp);
//     <nodiff> likewise;
//   - <diff> (Wazuh) holds <file_size> and <disk_quota>, each with
//     <enabled> and <limit> ("50MB", "1GB", "512KB"; a bare number is KB),
//     and may hold <nodiff> too;
//   - unknown elements are errors in OSSEC; here they are warnings, so a
//     newer option does not stop the agent.
// Glob patterns in <directories> (OSSEC expands * ? [) are kept as written;
// the scanner expands them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/sregex.hpp"

namespace core {

// What is checked and reported for the files under one directory entry.
struct SyscheckChecks {
    bool md5 = false;
    bool sha1 = false;
    bool sha256 = false;
    bool size = false;
    bool owner = false;
    bool group = false;
    bool perm = false;
    bool mtime = false;  // Wazuh; kept in the local baseline only
    bool inode = false;  // Wazuh; kept in the local baseline only

    bool any_hash() const { return md5 || sha1 || sha256; }
    bool any() const { return any_hash() || size || owner || group || perm || mtime || inode; }
    friend bool operator==(const SyscheckChecks&, const SyscheckChecks&) = default;
};

// Directory depth limit: kUnlimited descends everywhere; 0 is the entry's
// own files only (no_recurse="yes").
inline constexpr int kUnlimitedRecursion = -1;

struct SyscheckDirectory {
    std::string path;  // as written, glob characters included
    SyscheckChecks checks;
    bool realtime = false;
    bool report_changes = false;
    bool follow_symbolic_link = false;
    int recursion_level = kUnlimitedRecursion;
    std::optional<SimpleRegex> restrict;  // only matching file paths are checked
    int line = 0;
};

// An ignore or nodiff rule: a path prefix (case ignored) or a sregex.
struct PathRule {
    std::string prefix;
    std::optional<SimpleRegex> regex;

    bool matches(std::string_view path) const;
};

struct SyscheckConfig {
    bool disabled = false;
    std::vector<SyscheckDirectory> directories;
    std::vector<PathRule> ignore;
    std::vector<PathRule> nodiff;
    std::vector<std::string> windows_registry;
    std::vector<PathRule> registry_ignore;
    std::chrono::seconds frequency{79200};  // OSSEC's default: 22 hours
    std::string scan_time;                  // as written, e.g. "10pm"; "" unset
    std::string scan_day;                   // as written, e.g. "saturday"; "" unset
    bool scan_on_start = true;
    bool alert_new_files = false;  // read for compatibility; the manager decides
    bool skip_nfs = false;
    std::string prefilter_cmd;
    // Events per second toward agentd (Wazuh's max_eps); 0 = no pacing.
    // An OSSEC 3.8 manager looks every syscheck event up in a flat file per
    // agent, so it absorbs far fewer of them than log events. Measured on a
    // 2-core machine (manager and agent together), first scan of 20k files:
    // 100/s arrived complete (201 s); 500/s lost 26% in the manager's socket.
    std::uint32_t max_eps = 100;
    // report_changes bounds, Wazuh's <diff><file_size> and <disk_quota>
    // (bytes; its defaults). <enabled>no</enabled> lifts a bound.
    std::uint64_t diff_file_size_limit = 50ull * 1024 * 1024;
    std::uint64_t diff_disk_quota = 1024ull * 1024 * 1024;

    bool ignored(std::string_view path) const;
    bool no_diff(std::string_view path) const;
};

struct LoadedSyscheckConfig {
    SyscheckConfig config;
    std::vector<std::string> warnings;  // "<name>:<line>: ..." each
};

// Reads the <syscheck> sections of an ossec.conf text (other sections are
// left to parse_config). Fails with "<name>:<line>: <problem>" on malformed
// XML or an invalid value of a known option.
Result<LoadedSyscheckConfig> parse_syscheck_config(std::string_view text,
                                                   const std::string& name);

}  // namespace core
