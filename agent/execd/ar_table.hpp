// etc/shared/ar.conf: which script an active-response name runs and for
// how long. The manager writes it and it reaches the agent in merged.mg;
// one line per response:  <name> - <executable> - <timeout seconds>
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace execd {

struct ArEntry {
    std::string name;        // e.g. "firewall-drop600"
    std::string executable;  // a plain file name in active-response/bin
    std::chrono::seconds timeout{0};  // 0: no delete
};

struct ArConf {
    std::vector<ArEntry> entries;
    std::vector<std::string> problems;  // "line N: ..." for each line skipped

    // The first entry with that name; nullptr when there is none.
    const ArEntry* find(std::string_view name) const;
};

// Blank lines and lines starting with '#' are skipped; a line with a name
// or executable that is not a plain file name, or a bad timeout, is
// skipped with a problem.
ArConf parse_ar_conf(std::string_view text);

// ar.conf as last read, read again when its content changes. Not thread
// safe.
class ArTable {
public:
    explicit ArTable(std::filesystem::path path) : path_(std::move(path)) {}

    // The entry for name, reading the file again first if it changed.
    // problems receives what is wrong with a newly read file.
    std::optional<ArEntry> lookup(std::string_view name, std::vector<std::string>& problems);

private:
    std::filesystem::path path_;
    std::string content_;
    ArConf conf_;
};

}  // namespace execd
