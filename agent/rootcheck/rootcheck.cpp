#include "rootcheck/rootcheck.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include "core/sregex.hpp"
#include "pal/file_metadata.hpp"
#include "rootcheck/os_regex.hpp"

namespace rootcheck {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxMessage = 1023;           // OSSEC's snprintf(.., 1024)
constexpr std::size_t kMaxAlertDetails = 255;       // OSSEC's alert_msg[]
constexpr std::size_t kMaxRuleFile = 4 * 1024 * 1024;
constexpr std::size_t kMaxFileLine = 2047;          // fgets(buf, 2048)
constexpr std::size_t kMaxStringRun = 1024;         // os_string's line
constexpr std::size_t kMaxAnywhere = 512;           // OSSEC's MAX_RK_SYS
constexpr int kMaxDepth = 64;

std::string bounded(std::string text) {
    if (text.size() > kMaxMessage) {
        text.resize(kMaxMessage);
    }
    return text;
}

bool exists(const std::string& path) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(path, ec)) || fs::exists(fs::status(path, ec));
}

bool is_real_directory(const std::string& path) {
    std::error_code ec;
    return fs::is_directory(fs::symlink_status(path, ec));
}

// Names in a directory ("." and ".." left out); empty when unreadable.
std::vector<std::string> entries_of(const std::string& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string join(const std::string& dir, const std::string& name) {
    return dir == "/" ? "/" + name : dir + "/" + name;
}

// Calls each_line on every line of a file (lines cut at 2047 bytes, as
// OSSEC's fgets does) until it returns true; false when unreadable.
bool for_each_line(const std::string& path, const std::function<bool(std::string_view)>& each,
                   bool& opened) {
    std::ifstream in(path, std::ios::binary);
    opened = static_cast<bool>(in);
    if (!opened) {
        return false;
    }
    std::string line;
    char c = 0;
    while (in.get(c)) {
        if (c != '\n') {
            line.push_back(c);
            if (line.size() < kMaxFileLine) {
                continue;
            }
        }
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (each(line)) {
            return true;
        }
        line.clear();
    }
    if (!line.empty() && each(line)) {
        return true;
    }
    return false;
}

// The printable runs (4 characters or more) of a file, as strings(1) and
// OSSEC's os_string find them; true when one matches the regex.
bool strings_match(const std::string& path, const std::regex& regex) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    std::string run;
    const auto flush = [&]() {
        const bool hit = run.size() >= 4 && std::regex_search(run, regex);
        run.clear();
        return hit;
    };
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        for (std::streamsize i = 0; i < in.gcount(); ++i) {
            const auto c = static_cast<unsigned char>(buffer[i]);
            if ((c >= 0x20 && c < 0x7f) || c == '\t') {
                run.push_back(static_cast<char>(c));
                if (run.size() < kMaxStringRun) {
                    continue;
                }
            }
            if (flush()) {
                return true;
            }
        }
    }
    return flush();
}

std::optional<pal::RegistryRoot> registry_root(std::string_view name) {
    if (name == "HKEY_LOCAL_MACHINE" || name == "HKLM") {
        return pal::RegistryRoot::kLocalMachine;
    }
    if (name == "HKEY_CLASSES_ROOT") {
        return pal::RegistryRoot::kClassesRoot;
    }
    if (name == "HKEY_CURRENT_CONFIG") {
        return pal::RegistryRoot::kCurrentConfig;
    }
    if (name == "HKEY_USERS") {
        return pal::RegistryRoot::kUsers;
    }
    if (name == "HKEY_CURRENT_USER" || name == "HKCU") {
        return pal::RegistryRoot::kCurrentUser;
    }
    return std::nullopt;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return lower(x) == lower(y);
           });
}

// A registry value as OSSEC's rootcheck prints it before matching.
std::string registry_text(const pal::RegistryValue& value) {
    switch (value.type) {
    case pal::kRegSz:
    case pal::kRegExpandSz: return value.data.substr(0, value.data.find('\0'));
    case pal::kRegMultiSz: {
        std::string text;
        std::size_t start = 0;
        while (start < value.data.size() && value.data[start] != '\0') {
            const std::size_t end = std::min(value.data.find('\0', start), value.data.size());
            text += value.data.substr(start, end - start) + " ";
            start = end + 1;
        }
        return text;
    }
    case pal::kRegDword: {
        // OSSEC prints only the first byte, as a signed char ("%x").
        const auto first = value.data.empty() ? 0 : static_cast<signed char>(value.data[0]);
        char text[16];
        std::snprintf(text, sizeof text, "%x", static_cast<unsigned int>(first));
        return text;
    }
    default: {
        std::string text;
        for (const char byte : value.data) {
            char hex[16];
            std::snprintf(hex, sizeof hex, "%02x",
                          static_cast<unsigned int>(static_cast<signed char>(byte)));
            text += hex;
        }
        return text;
    }
    }
}

}  // namespace

// What one policy entry collected while its checks ran: OSSEC's
// alert_msg list (" File: <path>." / " Process: <name>.").
struct Rootcheck::EntryState {
    std::vector<std::string> details;

    void add(std::string detail) {
        detail = bounded(std::move(detail));
        if (details.size() < kMaxAlertDetails &&
            std::find(details.begin(), details.end(), detail) == details.end()) {
            details.push_back(std::move(detail));
        }
    }
};

Rootcheck::Rootcheck(core::RootcheckConfig config, std::string base, SystemView& system,
                     Notifier& notifier, core::Logger& logger)
    : config_(std::move(config)),
      base_(std::move(base)),
      system_(system),
      notifier_(notifier),
      logger_(logger) {
    while (base_.size() > 1 && (base_.back() == '/' || base_.back() == '\\')) {
        base_.pop_back();
    }
    if (base_ == "/") {
        base_.clear();  // OSSEC drops the root's slash: "" + "/etc"
    }
}

void Rootcheck::send(const std::string& text) { notifier_.notify(bounded(text)); }

std::string Rootcheck::under_base(std::string_view relative) const {
    return base_ + "/" + std::string(relative);
}

void Rootcheck::unsupported(const std::string& what, std::error_code ec) {
    if (unsupported_logged_.insert(what).second) {
        logger_.info(what + " is not available on this system (" + ec.message() +
                     "); rootcheck skips it");
    }
}

std::string Rootcheck::read_bounded(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        logger_.error("cannot read the " + what + " file '" + path + "'; skipping it");
        return {};
    }
    std::string text(kMaxRuleFile + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxRuleFile) {
        logger_.error("the " + what + " file '" + path + "' is larger than 4 MiB; only its "
                      "first 4 MiB are used");
        text.resize(kMaxRuleFile);
    }
    return text;
}

void Rootcheck::run(const StopRequested& stop) {
    stop_ = stop;
    processes_read_ = false;
    anywhere_.clear();
    logger_.info("Starting rootcheck scan.");
    send("Starting rootcheck scan.");

    if (config_.check_files && !config_.rootkit_files.empty()) {
        check_rootkit_files(parse_rootkit_files(read_bounded(config_.rootkit_files,
                                                             "rootkit_files")));
    }
    if (config_.check_trojans && !config_.rootkit_trojans.empty() && !stopping()) {
        check_trojans(parse_rootkit_trojans(read_bounded(config_.rootkit_trojans,
                                                         "rootkit_trojans")));
    }
    if (config_.check_unixaudit) {
        for (const auto& file : config_.system_audit) {
            run_policy_file(file, "System Audit:");
        }
    }
    if (config_.check_winaudit && !config_.windows_audit.empty()) {
        run_policy_file(config_.windows_audit, "Windows Audit:");
    }
    if (config_.check_winmalware && !config_.windows_malware.empty()) {
        run_policy_file(config_.windows_malware, "Windows Malware:");
    }
    if (config_.check_winapps && !config_.windows_apps.empty()) {
        run_policy_file(config_.windows_apps, "Application Found:");
    }
    const std::vector<std::pair<bool, void (Rootcheck::*)()>> system_checks = {
        {config_.check_dev, &Rootcheck::check_dev},
        {config_.check_sys, &Rootcheck::check_sys},
        {config_.check_pids, &Rootcheck::check_pids},
        {config_.check_ports, &Rootcheck::check_ports},
        {config_.check_if, &Rootcheck::check_interfaces},
    };
    for (const auto& [enabled, check] : system_checks) {
        if (enabled && !stopping()) {
            (this->*check)();
        }
    }

    if (stopping()) {
        logger_.info("rootcheck scan interrupted by a stop");
        return;
    }
    send("Ending rootcheck scan.");
    logger_.info("Ending rootcheck scan.");
}

void Rootcheck::run_policy_file(const std::string& path, std::string_view prefix) {
    if (stopping()) {
        return;
    }
    const std::string text = read_bounded(path, "policy");
    const Policy policy = parse_policy(text);
    if (policy.error) {
        logger_.error("policy file '" + path + "', " + *policy.error +
                      "; the rest of the file is not used");
    }
    check_policy(policy, prefix);
}

void Rootcheck::check_rootkit_files(const std::vector<RootkitFile>& files) {
    int found = 0;
    for (const auto& entry : files) {
        if (entry.anywhere) {
            if (anywhere_.size() < kMaxAnywhere) {
                anywhere_.push_back(entry);
            } else {
                logger_.warning("more than 512 rootkit files to look for everywhere; '" +
                                entry.file + "' is left out");
            }
            continue;
        }
        const std::string path = under_base(entry.file);
        if (exists(path)) {
            ++found;
            send("Rootkit '" + entry.name + "' detected by the presence of file '" + path +
                 "'.");
        }
    }
    if (found == 0) {
        logger_.debug("No presence of public rootkits detected. Analyzed " +
                      std::to_string(files.size()) + " files.");
    }
}

void Rootcheck::check_trojans(const std::vector<TrojanSignature>& signatures) {
    static const char* const kDirectories[] = {"bin", "sbin", "usr/bin", "usr/sbin"};
    for (const auto& entry : signatures) {
        if (stopping()) {
            return;
        }
        std::regex regex;
        try {
            regex = std::regex(entry.signature, std::regex::extended | std::regex::nosubs);
        } catch (const std::regex_error&) {
            logger_.warning("invalid trojan signature '" + entry.signature + "' for '" +
                            entry.file + "'; entry skipped");
            continue;
        }
        std::vector<std::string> paths;
        if (entry.file.front() == '/') {
            paths.push_back(entry.file);
        } else {
            for (const char* dir : kDirectories) {
                paths.push_back(under_base(std::string(dir) + "/" + entry.file));
            }
        }
        for (const auto& path : paths) {
            if (exists(path) && strings_match(path, regex)) {
                send("Trojaned version of file '" + path + "' detected. Signature used: '" +
                     entry.signature + "' (" +
                     (entry.comment.empty() ? "Generic" : entry.comment) + ").");
            }
        }
    }
}

// ---- policies ------------------------------------------------------------

void Rootcheck::check_policy(const Policy& policy, std::string_view prefix) {
    for (const auto& entry : policy.entries) {
        if (stopping()) {
            return;
        }
        EntryState state;
        int hits = 0;
        int misses = 0;
        for (const auto& check : entry.checks) {
            const auto result = evaluate(check, policy, state);
            if (!result) {
                continue;  // skipped: neither found nor missing, as in OSSEC
            }
            (*result != check.negated ? hits : misses) += 1;
        }
        bool holds = false;
        switch (entry.condition) {
        case Condition::kAny: holds = hits > 0; break;
        case Condition::kAll: holds = hits > 0 && misses == 0; break;
        case Condition::kNone: holds = !entry.checks.empty() && hits == 0; break;
        }
        if (!holds) {
            if (entry.required) {
                logger_.debug("required policy entry '" + entry.title +
                              "' does not hold; the rest of the file is skipped");
                return;
            }
            continue;
        }
        // OSSEC sends one message per finding when the entry's last check
        // is a directory check, else one message with the first finding.
        const bool each = !entry.checks.empty() &&
                          entry.checks.back().type == CheckType::kDirectory;
        std::vector<std::string> details = state.details;
        if (details.empty()) {
            details.emplace_back();
        }
        if (!each) {
            details.resize(1);
        }
        for (const auto& detail : details) {
            std::string text = std::string(prefix) + " " + entry.title + "." + detail;
            if (!entry.reference.empty()) {
                text += " Reference: " + entry.reference + " .";
            }
            send(text);
        }
    }
}

std::optional<bool> Rootcheck::evaluate(const PolicyCheck& check, const Policy& policy,
                                        EntryState& state) {
    std::string target = check.target;
    if (check.type != CheckType::kProcess && !target.empty() && target.front() == '$') {
        const auto variable = policy.variables.find(target);
        if (variable == policy.variables.end()) {
            logger_.warning("policy check at line " + std::to_string(check.line) +
                            " uses the undefined variable '" + target + "'; check skipped");
            return std::nullopt;
        }
        target = variable->second;
    }
    switch (check.type) {
    case CheckType::kFile: {
        // Every file of a comma-separated list. (OSSEC 3.8 means to do this
        // too, but its loop stops after the first file.)
        bool found = false;
        std::size_t start = 0;
        while (start <= target.size()) {
            const std::size_t comma = std::min(target.find(',', start), target.size());
            const std::string file = target.substr(start, comma - start);
            if (!file.empty() && file_check(file, check.pattern, state)) {
                found = true;
            }
            start = comma + 1;
        }
        return found;
    }
    case CheckType::kDirectory: {
        if (!check.has_name) {
            logger_.warning("policy check at line " + std::to_string(check.line) +
                            " has no file name after '->'; check skipped");
            return std::nullopt;
        }
        bool found = false;
        std::size_t start = 0;
        while (start <= target.size()) {
            const std::size_t comma = std::min(target.find(',', start), target.size());
            const std::string dir = target.substr(start, comma - start);
            start = comma + 1;
            if (dir.empty() || (config_.skip_nfs && pal::is_network_file_system(dir))) {
                continue;
            }
            if (directory_check(dir, check, 0, state)) {
                found = true;
            }
        }
        return found;
    }
    case CheckType::kProcess: return process_check(check, state);
    case CheckType::kRegistry: return registry_check(check);
    }
    return false;
}

bool Rootcheck::file_check(const std::string& file, const std::optional<ValuePattern>& pattern,
                           EntryState& state) {
    const std::string detail = " File: " + file + ".";
    if (!pattern) {
        if (!exists(file)) {
            return false;
        }
        state.add(detail);
        return true;
    }
    const bool all_negated = pattern->all_negated();
    bool opened = false;
    // With only negated parts the file is a finding when no line breaks
    // them; otherwise when one line matches.
    const bool line_hit = for_each_line(
        file,
        [&](std::string_view line) { return pattern->matches(line) != all_negated; },
        opened);
    if (!opened || line_hit == all_negated) {
        return false;
    }
    state.add(detail);
    return true;
}

bool Rootcheck::directory_check(const std::string& dir, const PolicyCheck& check, int depth,
                                EntryState& state) {
    if (depth > kMaxDepth) {
        return false;
    }
    const bool regex_name = check.name.size() >= 2 && lower(check.name[0]) == 'r' &&
                            check.name[1] == ':';
    const auto os_regex =
        regex_name ? OsRegex::compile(std::string_view(check.name).substr(2)) : std::nullopt;
    const auto simple = regex_name ? std::nullopt : core::SimpleRegex::compile(check.name);
    bool found = false;
    for (const auto& name : entries_of(dir)) {
        const std::string path = join(dir, name);
        const bool named = regex_name ? (os_regex && os_regex->matches(name))
                                      : (simple && simple->matches(name));
        if (named && file_check(path, check.pattern, state)) {
            found = true;
        }
        if (is_real_directory(path) && directory_check(path, check, depth + 1, state)) {
            found = true;
        }
    }
    return found;
}

bool Rootcheck::process_check(const PolicyCheck& check, EntryState& state) {
    if (!processes_read_) {
        processes_read_ = true;
        if (const auto ec = system_.processes(processes_)) {
            logger_.warning("cannot list the running processes: " + ec.message() +
                            "; process checks find nothing");
        }
    }
    for (const auto& process : processes_) {
        if (check.pattern && check.pattern->matches(process.name)) {
            state.add(" Process: " + process.name + ".");
            return true;
        }
    }
    return false;
}

bool Rootcheck::registry_check(const PolicyCheck& check) {
    const std::size_t slash = check.target.find('\\');
    const auto root = registry_root(std::string_view(check.target).substr(0, slash));
    if (!root || slash == std::string::npos || slash + 1 == check.target.size()) {
        logger_.warning("invalid registry entry '" + check.target + "' at line " +
                        std::to_string(check.line) + "; check skipped");
        return false;
    }
    std::vector<pal::RegistryValue> values;
    if (const auto ec = system_.registry_values(*root, check.target.substr(slash + 1), values)) {
        if (ec == std::errc::not_supported) {
            unsupported("registry check", ec);
        }
        return false;  // a key that cannot be opened is not there
    }
    if (!check.has_name) {
        return true;
    }
    for (const auto& value : values) {
        const std::string name = value.name.empty() ? "@" : value.name;
        if (!iequals(name, check.name)) {
            continue;
        }
        return !check.pattern || check.pattern->matches(registry_text(value));
    }
    return false;
}

// ---- /dev and the system directories --------------------------------------

void Rootcheck::check_dev() {
    int found = 0;
    dev_directory(under_base("dev"), 0, found);
    if (found == 0) {
        logger_.debug("No problem detected on the /dev directory.");
    }
}

void Rootcheck::dev_directory(const std::string& dir, int depth, int& found) {
    static const std::set<std::string> kIgnoredNames = {
        "MAKEDEV", "README.MAKEDEV", "MAKEDEV.README", ".udevdb", ".udev.tdb",
        ".initramfs-tools", "MAKEDEV.local", ".udev", ".initramfs", "oprofile", "fd",
        "cgroup"};
    static const std::set<std::string> kIgnoredPaths = {"/dev/shm/sysconfig",
                                                        "/dev/bus/usb/.usbfs", "/dev/shm",
                                                        "/dev/gpmctl"};
    if (depth > kMaxDepth) {
        return;
    }
    for (const auto& name : entries_of(dir)) {
        const std::string path = join(dir, name);
        if (kIgnoredNames.count(name) != 0 ||
            kIgnoredPaths.count(path.substr(base_.size())) != 0) {
            continue;
        }
        std::error_code ec;
        const auto status = fs::symlink_status(path, ec);
        if (fs::is_directory(status)) {
            dev_directory(path, depth + 1, found);
        } else if (fs::is_regular_file(status)) {
            ++found;
            send("File '" + path + "' present on /dev. Possible hidden file.");
        }
    }
}

void Rootcheck::check_sys() {
    static const char* const kDirectories[] = {
        "/bin",      "/sbin",    "/usr/bin",  "/usr/sbin",    "/dev",
        "/lib",      "/etc",     "/root",     "/var/log",     "/var/mail",
        "/var/lib",  "/var/www", "/usr/lib",  "/usr/include", "/tmp",
        "/boot",     "/usr/local", "/var/tmp", "/sys"};
    int found = 0;
    if (config_.scanall) {
        sys_directory(base_.empty() ? "/" : base_, config_.readall, 0, found);
    } else {
        for (const char* dir : kDirectories) {
            if (stopping()) {
                return;
            }
            sys_directory(base_ + dir, config_.readall, 0, found);
        }
    }
    if (found == 0) {
        logger_.debug("No problem found on the system.");
    }
}

void Rootcheck::sys_directory(const std::string& dir, bool read, int depth, int& found) {
    static const std::set<std::string> kReadDirectories = {"/bin",  "/sbin", "/usr/bin",
                                                           "/usr/sbin", "/dev", "/etc",
                                                           "/boot"};
    if (depth > kMaxDepth || stopping()) {
        return;
    }
    if (std::find(config_.ignore.begin(), config_.ignore.end(), dir) != config_.ignore.end()) {
        return;
    }
    if (config_.skip_nfs && pal::is_network_file_system(dir)) {
        return;
    }
    if (!is_real_directory(dir)) {
        return;
    }
    const std::string relative = dir.substr(base_.size());
    read = read || kReadDirectories.count(relative) != 0;

    const auto names = entries_of(dir);
    for (const auto& name : names) {
        for (const auto& rootkit : anywhere_) {
            if (rootkit.file == name) {
                ++found;
                send("Rootkit '" + rootkit.name + "' detected by the presence of file '" + dir +
                     "/" + rootkit.file + "'.");
            }
        }
        const std::string path = join(dir, name);
        const std::string path_relative = path.substr(base_.size());
        if (path_relative == "/proc" || path_relative == "/sys") {
            continue;
        }
        sys_file(path, read, depth, found);
    }
    // OSSEC also compares the directory's link count with the number of
    // subdirectories it lists. That test misfires on btrfs, overlayfs and
    // other file systems that do not keep link counts that way, so it is
    // left out here rather than raising false alerts.
}

void Rootcheck::sys_file(const std::string& path, bool read, int depth, int& found) {
    pal::FileMetadata meta;
    if (pal::read_metadata(path, pal::FollowLinks::kNo, false, meta)) {
        // Listed but not found: a rootkit hiding it, or a file deleted
        // since the listing. Only a name still listed is reported.
        const auto parent = fs::path(path).parent_path().string();
        const auto again = entries_of(parent);
        const auto name = fs::path(path).filename().string();
        if (std::binary_search(again.begin(), again.end(), name) &&
            pal::read_metadata(path, pal::FollowLinks::kNo, false, meta)) {
            ++found;
            send("Anomaly detected in file '" + path +
                 "'. Hidden from stats, but showing up on readdir. Possible kernel level "
                 "rootkit.");
        }
        return;
    }
    if (meta.kind == pal::FileKind::kDirectory) {
        if (path.find("/dev/fd") != std::string::npos || meta.size == 0) {
            return;  // /proc-like directories report size 0
        }
        sys_directory(path, read, depth + 1, found);
        return;
    }
    if (meta.kind != pal::FileKind::kRegular) {
        return;
    }
    if (read && path.find("/dev/bus/usb/.usbfs/devices") == std::string::npos) {
        std::ifstream in(path, std::ios::binary);
        if (in) {
            std::uint64_t total = 0;
            char buffer[65536];
            while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
                total += static_cast<std::uint64_t>(in.gcount());
            }
            pal::FileMetadata again;
            if (total != meta.size &&
                !pal::read_metadata(path, pal::FollowLinks::kNo, false, again) &&
                again.size == meta.size && total != again.size) {
                ++found;
                send("Anomaly detected in file '" + path +
                     "'. File size doesn't match what we found. Possible kernel level "
                     "rootkit.");
            }
        }
    }
    constexpr std::uint32_t kOtherWrite = 0002;
    if ((meta.mode & kOtherWrite) != 0 && meta.uid == 0) {
        ++found;
        send("File '" + path + "' is owned by root and has write permissions to anyone.");
    }
}

}  // namespace rootcheck
