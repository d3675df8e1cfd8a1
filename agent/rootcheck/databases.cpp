#include "rootcheck/databases.hpp"

namespace rootcheck {
namespace {

constexpr std::size_t kMaxLine = 1023;  // OSSEC reads with fgets(buf, 1024)

bool blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && blank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && blank(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

bool parse_rootkit_line(std::string_view line, RootkitFile& out) {
    std::size_t i = 0;
    while (i < line.size() && blank(line[i])) {
        ++i;
    }
    if (i == line.size() || line[i] == '#') {
        return false;
    }
    const std::size_t file_start = i;
    while (i < line.size() && !blank(line[i])) {
        ++i;
    }
    std::string_view file = line.substr(file_start, i - file_start);
    if (i == line.size()) {
        return false;
    }
    ++i;

    // Blanks, then "!" and one blank; the name follows.
    while (i < line.size() && blank(line[i])) {
        ++i;
    }
    if (i + 1 >= line.size() || line[i] != '!' || !blank(line[i + 1])) {
        return false;
    }
    std::string_view name = line.substr(i + 2);
    name = name.substr(0, name.find(':'));
    name = name.substr(0, name.find(' '));

    if (!file.empty() && file.front() == '*') {
        out.anywhere = true;
        file.remove_prefix(1);
        if (!file.empty() && file.front() == '/') {
            file.remove_prefix(1);
        }
        if (file.empty()) {
            return false;  // "*" alone names no file; nothing could match it
        }
    }
    out.file = std::string(file);
    out.name = std::string(name);
    return true;
}

bool parse_trojan_line(std::string_view line, TrojanSignature& out) {
    line = trim(line);
    if (line.empty() || line.front() == '#') {
        return false;
    }
    const std::size_t first = line.find('!');
    if (first == std::string_view::npos) {
        return false;
    }
    const std::size_t second = line.find('!', first + 1);
    if (second == std::string_view::npos) {
        return false;
    }
    const auto file = trim(line.substr(0, first));
    const auto signature = trim(line.substr(first + 1, second - first - 1));
    if (file.empty() || signature.empty()) {
        return false;
    }
    out.file = std::string(file);
    out.signature = std::string(signature);
    out.comment = std::string(trim(line.substr(second + 1)));
    return true;
}

}  // namespace

std::vector<std::string_view> split_lines(std::string_view text, std::size_t max_length) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t newline = text.find('\n');
        const std::size_t end = std::min(newline, text.size());
        std::size_t take = std::min(end, max_length);
        std::string_view line = text.substr(0, take);
        if (take == end && newline != std::string_view::npos) {
            ++take;  // the '\n' itself
        }
        text.remove_prefix(take);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.push_back(line);
    }
    return lines;
}

std::vector<RootkitFile> parse_rootkit_files(std::string_view text) {
    std::vector<RootkitFile> entries;
    for (const auto line : split_lines(text, kMaxLine)) {
        RootkitFile entry;
        if (parse_rootkit_line(line, entry)) {
            entries.push_back(std::move(entry));
        }
    }
    return entries;
}

std::vector<TrojanSignature> parse_rootkit_trojans(std::string_view text) {
    std::vector<TrojanSignature> entries;
    for (const auto line : split_lines(text, kMaxLine)) {
        TrojanSignature entry;
        if (parse_trojan_line(line, entry)) {
            entries.push_back(std::move(entry));
        }
    }
    return entries;
}

}  // namespace rootcheck
