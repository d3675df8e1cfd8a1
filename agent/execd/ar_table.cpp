#include "execd/ar_table.hpp"

#include <fstream>
#include <sstream>

#include "execd/validation.hpp"

namespace execd {
namespace {

constexpr std::size_t kMaxFileSize = 1024 * 1024;
constexpr long long kMaxTimeout = 366LL * 24 * 3600;

std::string_view trim(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return {};
    }
    const std::size_t last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

std::optional<long long> parse_timeout(std::string_view text) {
    if (text.empty() || text.size() > 9) {
        return std::nullopt;
    }
    long long value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return value <= kMaxTimeout ? std::optional(value) : std::nullopt;
}

// "<name> - <executable> - <timeout>"; the problem when it is not.
std::optional<std::string> parse_line(std::string_view line, ArEntry& entry) {
    const std::size_t first = line.find(" - ");
    const std::size_t second =
        first == std::string_view::npos ? first : line.find(" - ", first + 3);
    if (second == std::string_view::npos) {
        return "expected '<name> - <executable> - <timeout>'";
    }
    const std::string_view name = trim(line.substr(0, first));
    const std::string_view executable = trim(line.substr(first + 3, second - first - 3));
    const auto timeout = parse_timeout(trim(line.substr(second + 3)));
    if (!is_plain_name(name)) {
        return "invalid name";
    }
    if (!is_plain_name(executable)) {
        return "executable is not a plain file name";
    }
    if (!timeout) {
        return "invalid timeout";
    }
    entry = ArEntry{std::string(name), std::string(executable), std::chrono::seconds(*timeout)};
    return std::nullopt;
}

}  // namespace

const ArEntry* ArConf::find(std::string_view name) const {
    for (const ArEntry& entry : entries) {
        if (entry.name == name) {
            return &entry;
        }
    }
    return nullptr;
}

ArConf parse_ar_conf(std::string_view text) {
    ArConf conf;
    int number = 0;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = trim(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        ++number;
        if (line.empty() || line[0] == '#') {
            continue;
        }
        ArEntry entry;
        if (auto problem = parse_line(line, entry)) {
            conf.problems.push_back("line " + std::to_string(number) + ": " + *problem);
        } else {
            conf.entries.push_back(std::move(entry));
        }
    }
    return conf;
}

std::optional<ArEntry> ArTable::lookup(std::string_view name,
                                       std::vector<std::string>& problems) {
    std::ifstream in(path_, std::ios::binary);
    std::string content;
    if (in) {
        std::ostringstream text;
        text << in.rdbuf();
        content = text.str().substr(0, kMaxFileSize);
    } else {
        problems.push_back("cannot read '" + path_.string() + "'");
    }
    if (content != content_) {
        content_ = std::move(content);
        conf_ = parse_ar_conf(content_);
        for (const auto& problem : conf_.problems) {
            problems.push_back(path_.string() + ": " + problem);
        }
    }
    const ArEntry* entry = conf_.find(name);
    return entry == nullptr ? std::nullopt : std::optional<ArEntry>(*entry);
}

}  // namespace execd
