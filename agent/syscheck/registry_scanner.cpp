#include "syscheck/registry_scanner.hpp"

#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#include <cryptopp/md5.h>
#include <cryptopp/sha.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/digest.hpp"
#include "pal/file.hpp"

namespace syscheck {
namespace {

// OSSEC reads values with 16383-byte buffers: a value larger than that
// ends the enumeration of its key (RegEnumValue fails), so the values
// after it are not summed either.
constexpr std::size_t kMaxValueData = 16383;
constexpr int kMaxDepth = 512;

std::string hex_byte(unsigned int value, const char* format) {
    char text[16];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

// OSSEC's buffers are signed chars: a byte above 0x7f prints as
// "ffffff80", and a DWORD as its first byte only.
unsigned int widened(char byte) { return static_cast<unsigned int>(static_cast<signed char>(byte)); }

// The size OSSEC's ANSI RegEnumValue would need for the value.
std::size_t ansi_size(const pal::RegistryValue& value) {
    switch (value.type) {
    case pal::kRegSz:
    case pal::kRegExpandSz: return value.data.size() + 1;
    case pal::kRegMultiSz: return value.data.size() + 1;
    default: return value.data.size();
    }
}

std::string value_text(const pal::RegistryValue& value) {
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
    case pal::kRegDword:
        return hex_byte(value.data.empty() ? 0 : widened(value.data[0]), "%08x");
    default: {
        std::string text;
        for (const char byte : value.data) {
            text += hex_byte(widened(byte), "%02x");
        }
        return text;
    }
    }
}

std::optional<pal::RegistryRoot> root_of(std::string_view name) {
    if (name == "HKEY_LOCAL_MACHINE") {
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
    return std::nullopt;
}

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) {
        return {};
    }
    return std::string(text.substr(first, text.find_last_not_of(' ') - first + 1));
}

std::string sums_of(const std::string& text) {
    CryptoPP::Weak::MD5 md5;
    CryptoPP::SHA1 sha1;
    unsigned char md5_digest[CryptoPP::Weak::MD5::DIGESTSIZE];
    unsigned char sha1_digest[CryptoPP::SHA1::DIGESTSIZE];
    const auto* bytes = reinterpret_cast<const CryptoPP::byte*>(text.data());
    md5.CalculateDigest(md5_digest, bytes, text.size());
    sha1.CalculateDigest(sha1_digest, bytes, text.size());
    return core::to_lower_hex(md5_digest, sizeof md5_digest) + ":" +
           core::to_lower_hex(sha1_digest, sizeof sha1_digest);
}

}  // namespace

std::string registry_values_text(const std::vector<pal::RegistryValue>& values) {
    std::string text;
    for (const auto& value : values) {
        if (ansi_size(value) > kMaxValueData) {
            break;
        }
        text += (value.name.empty() ? "@" : value.name) + "=" + value_text(value) + "\n";
    }
    return text;
}

RegistryScanner::RegistryScanner(const core::SyscheckConfig& config, RegistryReader& registry,
                                 EventSink& sink, core::Logger& logger,
                                 std::filesystem::path baseline_file)
    : config_(config),
      registry_(registry),
      sink_(sink),
      logger_(logger),
      baseline_file_(std::move(baseline_file)) {
    for (const auto& line : config.windows_registry) {
        std::size_t start = 0;
        while (start <= line.size()) {
            const std::size_t comma = std::min(line.find(',', start), line.size());
            const std::string name = trimmed(std::string_view(line).substr(start, comma - start));
            start = comma + 1;
            if (name.empty()) {
                continue;
            }
            const std::size_t slash = name.find('\\');
            const auto root = root_of(std::string_view(name).substr(0, slash));
            if (!root) {
                logger_.error("invalid <windows_registry> entry '" + name +
                              "': it must start with HKEY_LOCAL_MACHINE, HKEY_CLASSES_ROOT, "
                              "HKEY_CURRENT_CONFIG or HKEY_USERS; entry ignored");
                continue;
            }
            const bool duplicate = std::any_of(entries_.begin(), entries_.end(),
                                               [&name](const Entry& e) { return e.name == name; });
            if (!duplicate) {
                entries_.push_back(
                    {*root, name, slash == std::string::npos ? "" : name.substr(slash + 1)});
            }
        }
    }
    load();
}

bool RegistryScanner::ignored(const std::string& full_name) const {
    return std::any_of(config_.registry_ignore.begin(), config_.registry_ignore.end(),
                       [&full_name](const core::PathRule& rule) {
                           if (rule.regex) {
                               return rule.regex->matches(full_name);
                           }
                           return rule.prefix.size() == full_name.size() &&
                                  rule.matches(full_name);
                       });
}

RegistryScanStats RegistryScanner::scan(const std::function<bool()>& stop) {
    RegistryScanStats stats;
    for (const auto& entry : entries_) {
        if (stop() || !visit(entry, entry.path, entry.name, 0, stats, stop)) {
            save();
            return stats;
        }
    }
    stats.complete = true;
    save();
    if (!entries_.empty() && !unsupported_logged_) {
        sink_.send('8', kRegistryLocation, "syscheck-db-completed");
    }
    return stats;
}

// False when the scan must end (a stop, or the sink gave up).
bool RegistryScanner::visit(const Entry& entry, const std::string& path,
                            const std::string& full_name, int depth, RegistryScanStats& stats,
                            const std::function<bool()>& stop) {
    if (ignored(full_name) || depth > kMaxDepth) {
        return true;
    }
    if (stop()) {
        return false;
    }
    std::vector<std::string> children;
    if (const auto ec = registry_.subkeys(entry.root, path, children)) {
        if (ec == std::errc::not_supported) {
            if (!unsupported_logged_) {
                unsupported_logged_ = true;
                logger_.warning("<windows_registry> is configured but this system has no "
                                "registry; the entries are ignored");
            }
        } else if (open_failures_.insert(full_name).second) {
            logger_.warning("cannot open registry key '" + full_name + "': " + ec.message() +
                            "; it is checked again at the next scan");
        }
        return true;
    }
    open_failures_.erase(full_name);
    for (const auto& child : children) {
        const std::string child_path = path.empty() ? child : path + "\\" + child;
        if (!visit(entry, child_path, full_name + "\\" + child, depth + 1, stats, stop)) {
            return false;
        }
    }

    std::vector<pal::RegistryValue> values;
    if (registry_.values(entry.root, path, values) || values.empty()) {
        return true;
    }
    ++stats.keys;
    const std::string sums = sums_of(registry_values_text(values));
    auto& known = sums_[full_name];
    if (known == sums) {
        return true;
    }
    if (!sink_.send('8', kRegistryLocation, "0:0:0:0:" + sums + " " + full_name)) {
        known.clear();
        return false;
    }
    known = sums;
    ++stats.reported;
    return true;
}

// The baseline file: "<md5>:<sha1> <full key name>" per line. Key names
// holding a line break are not kept (they are resent after a restart).
void RegistryScanner::load() {
    std::ifstream in(baseline_file_, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        const std::size_t space = line.find(' ');
        if (space == 73 && line[32] == ':') {
            sums_[line.substr(space + 1)] = line.substr(0, space);
        }
    }
}

void RegistryScanner::save() {
    if (entries_.empty() || unsupported_logged_) {
        return;
    }
    std::ostringstream out;
    for (const auto& [name, sums] : sums_) {
        if (!sums.empty() && name.find_first_of("\r\n") == std::string::npos) {
            out << sums << ' ' << name << '\n';
        }
    }
    std::error_code ec;
    std::filesystem::create_directories(baseline_file_.parent_path(), ec);
    if (const auto error = pal::write_file_atomically(baseline_file_, out.str(),
                                                      pal::Durability::kOrdered)) {
        logger_.error("cannot save the registry baseline '" + baseline_file_.string() +
                      "': " + error.message() + "; the next start resends every key");
    }
}

}  // namespace syscheck
