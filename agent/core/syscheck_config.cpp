#include "core/syscheck_config.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <map>

namespace core {
namespace {

// Problems are reported with their line in the source text.
class Reader {
public:
    Reader(std::string_view text, std::string name) : text_(text), name_(std::move(name)) {}

    int line_of(std::ptrdiff_t offset) const {
        const auto size = static_cast<std::ptrdiff_t>(text_.size());
        const auto end = text_.begin() + std::clamp<std::ptrdiff_t>(offset, 0, size);
        return 1 + static_cast<int>(std::count(text_.begin(), end, '\n'));
    }
    int line_of(const pugi::xml_node& node) const { return line_of(node.offset_debug()); }

    std::string where(const pugi::xml_node& node) const {
        return name_ + ":" + std::to_string(line_of(node)) + ": ";
    }
    void warn(const pugi::xml_node& node, const std::string& text) {
        warnings_.push_back(where(node) + text);
    }
    Error fail(const pugi::xml_node& node, const std::string& text) const {
        return Error{where(node) + text};
    }
    std::vector<std::string>& warnings() { return warnings_; }

private:
    std::string_view text_;
    std::string name_;
    std::vector<std::string> warnings_;
};

using MaybeError = std::optional<Error>;

std::string trimmed(std::string_view value, const char* blanks = " \t\r\n") {
    const auto first = value.find_first_not_of(blanks);
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = value.find_last_not_of(blanks);
    return std::string(value.substr(first, last - first + 1));
}

std::string text_of(const pugi::xml_node& node) { return trimmed(node.text().get()); }

bool parse_yes_no(std::string_view text, bool& out) {
    if (text == "yes") {
        out = true;
    } else if (text == "no") {
        out = false;
    } else {
        return false;
    }
    return true;
}

bool parse_number(std::string_view text, std::uint64_t max, std::uint64_t& out) {
    if (text.empty() || text.size() > 10) {
        return false;
    }
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > max) {
        return false;
    }
    out = value;
    return true;
}

// The check flags each yes/no attribute sets or clears.
using CheckSetter = std::function<void(SyscheckDirectory&, bool)>;

const std::map<std::string, CheckSetter, std::less<>>& check_attributes() {
    static const std::map<std::string, CheckSetter, std::less<>> kSetters = {
        {"check_all",
         [](SyscheckDirectory& d, bool on) {
             auto& c = d.checks;
             c.md5 = c.sha1 = c.sha256 = c.perm = c.size = c.owner = c.group = on;
             c.mtime = c.inode = on;
         }},
        {"check_sum",
         [](SyscheckDirectory& d, bool on) {
             d.checks.md5 = d.checks.sha1 = d.checks.sha256 = on;
         }},
        {"check_md5sum", [](SyscheckDirectory& d, bool on) { d.checks.md5 = on; }},
        {"check_sha1sum", [](SyscheckDirectory& d, bool on) { d.checks.sha1 = on; }},
        {"check_sha256sum", [](SyscheckDirectory& d, bool on) { d.checks.sha256 = on; }},
        {"check_size", [](SyscheckDirectory& d, bool on) { d.checks.size = on; }},
        {"check_owner", [](SyscheckDirectory& d, bool on) { d.checks.owner = on; }},
        {"check_group", [](SyscheckDirectory& d, bool on) { d.checks.group = on; }},
        {"check_perm", [](SyscheckDirectory& d, bool on) { d.checks.perm = on; }},
        {"check_mtime", [](SyscheckDirectory& d, bool on) { d.checks.mtime = on; }},
        {"check_inode", [](SyscheckDirectory& d, bool on) { d.checks.inode = on; }},
        {"realtime", [](SyscheckDirectory& d, bool on) { d.realtime = on; }},
        {"report_changes", [](SyscheckDirectory& d, bool on) { d.report_changes = on; }},
        {"follow_symbolic_link",
         [](SyscheckDirectory& d, bool on) { d.follow_symbolic_link = on; }},
        {"no_recurse",
         [](SyscheckDirectory& d, bool on) {
             d.recursion_level = on ? 0 : kUnlimitedRecursion;
         }},
    };
    return kSetters;
}

MaybeError apply_attribute(Reader& reader, const pugi::xml_node& node,
                           const pugi::xml_attribute& attribute, SyscheckDirectory& dir) {
    const std::string_view name = attribute.name();
    const std::string value = trimmed(attribute.value());
    if (name == "restrict") {
        dir.restrict = SimpleRegex::compile(value);
        if (!dir.restrict) {
            return reader.fail(node, "restrict pattern longer than 2048 characters");
        }
        return std::nullopt;
    }
    if (name == "recursion_level") {
        std::uint64_t level = 0;
        if (!parse_number(value, 320, level)) {
            return reader.fail(node, "invalid recursion_level '" + value +
                                         "': expected 0 to 320");
        }
        dir.recursion_level = static_cast<int>(level);
        return std::nullopt;
    }
    const auto setter = check_attributes().find(name);
    if (setter == check_attributes().end()) {
        return reader.fail(node, "invalid attribute '" + std::string(name) +
                                     "' in <directories>");
    }
    bool on = false;
    if (!parse_yes_no(value, on)) {
        return reader.fail(node, "invalid value '" + value + "' for " +
                                     std::string(name) + ": expected yes or no");
    }
    setter->second(dir, on);
    return std::nullopt;
}

MaybeError parse_directories(Reader& reader, const pugi::xml_node& node,
                             SyscheckConfig& config) {
    SyscheckDirectory options;
    options.line = reader.line_of(node);
    for (const pugi::xml_attribute& attribute : node.attributes()) {
        if (auto error = apply_attribute(reader, node, attribute, options)) {
            return error;
        }
    }
    if (!options.checks.any() && !options.realtime && !options.report_changes) {
        return reader.fail(node, "no option provided for directories '" + text_of(node) +
                                     "' (add check_all=\"yes\", for example)");
    }

    const std::string list = node.text().get();
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        std::string path = trimmed(std::string_view(list).substr(start, comma - start));
        start = comma + 1;
        if (path.empty()) {
            continue;
        }
        const bool duplicate =
            std::any_of(config.directories.begin(), config.directories.end(),
                        [&path](const SyscheckDirectory& d) { return d.path == path; });
        if (duplicate) {
            reader.warn(node, "directory '" + path +
                                  "' is already configured; keeping its first options");
            continue;
        }
        SyscheckDirectory dir = options;
        dir.path = std::move(path);
        config.directories.push_back(std::move(dir));
    }
    return std::nullopt;
}

MaybeError parse_rule(Reader& reader, const pugi::xml_node& node,
                      std::vector<PathRule>& rules) {
    const std::string value = text_of(node);
    PathRule rule;
    const pugi::xml_attribute type = node.attribute("type");
    if (type) {
        if (std::string_view(type.value()) != "sregex") {
            return reader.fail(node, "invalid type '" + std::string(type.value()) +
                                         "' for <" + node.name() + ">: expected sregex");
        }
        rule.regex = SimpleRegex::compile(value);
        if (!rule.regex) {
            return reader.fail(node, "pattern longer than 2048 characters");
        }
    } else {
        const bool known =
            std::any_of(rules.begin(), rules.end(), [&value](const PathRule& r) {
                return !r.regex && r.prefix == value;
            });
        if (known) {
            return std::nullopt;
        }
        rule.prefix = value;
    }
    if (value.empty()) {
        return reader.fail(node, std::string("empty <") + node.name() + ">");
    }
    rules.push_back(std::move(rule));
    return std::nullopt;
}

MaybeError parse_flag(Reader& reader, const pugi::xml_node& node, bool& out) {
    if (!parse_yes_no(text_of(node), out)) {
        return reader.fail(node, "invalid value '" + text_of(node) + "' for <" +
                                     node.name() + ">: expected yes or no");
    }
    return std::nullopt;
}

MaybeError parse_frequency(Reader& reader, const pugi::xml_node& node,
                           std::chrono::seconds& out) {
    std::uint64_t value = 0;
    if (!parse_number(text_of(node), 100000000, value) || value == 0) {
        return reader.fail(node, "invalid value '" + text_of(node) +
                                     "' for <frequency>: expected seconds > 0");
    }
    out = std::chrono::seconds(value);
    return std::nullopt;
}

MaybeError parse_max_eps(Reader& reader, const pugi::xml_node& node, std::uint32_t& out) {
    std::uint64_t value = 0;
    if (!parse_number(text_of(node), 1000000, value)) {
        return reader.fail(node, "invalid value '" + text_of(node) +
                                     "' for <max_eps>: expected 0 to 1000000");
    }
    out = static_cast<std::uint32_t>(value);
    return std::nullopt;
}

// "50MB", "1GB", "512KB", "512" (KB), as Wazuh writes sizes.
bool parse_size(std::string text, std::uint64_t& out) {
    std::uint64_t unit = 1024;
    const auto ends_with = [&text](std::string_view suffix) {
        if (text.size() < suffix.size()) {
            return false;
        }
        return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<long>(suffix.size()),
                          [](char a, char b) { return a == (b >= 'a' && b <= 'z' ? b - 32 : b); });
    };
    if (ends_with("KB")) {
        unit = 1024;
    } else if (ends_with("MB")) {
        unit = 1024 * 1024;
    } else if (ends_with("GB")) {
        unit = 1024 * 1024 * 1024;
    } else if (ends_with("B")) {
        unit = 1;
    }
    while (!text.empty() && (text.back() < '0' || text.back() > '9')) {
        text.pop_back();
    }
    std::uint64_t value = 0;
    if (!parse_number(text, 1000000000, value)) {
        return false;
    }
    out = value * unit;
    return true;
}

MaybeError parse_limit(Reader& reader, const pugi::xml_node& node, std::uint64_t& out) {
    for (const pugi::xml_node& child : node.children()) {
        const std::string_view tag = child.name();
        if (child.type() != pugi::node_element) {
            continue;
        }
        if (tag == "enabled") {
            bool on = true;
            if (!parse_yes_no(text_of(child), on)) {
                return reader.fail(child, "invalid value '" + text_of(child) +
                                              "' for <enabled>: expected yes or no");
            }
            if (!on) {
                out = std::numeric_limits<std::uint64_t>::max();
                return std::nullopt;
            }
        } else if (tag == "limit") {
            if (!parse_size(text_of(child), out)) {
                return reader.fail(child, "invalid size '" + text_of(child) + "' for <" +
                                              node.name() + ">: expected e.g. 50MB or 1GB");
            }
        } else {
            reader.warn(child, "unknown option <" + std::string(tag) + "> in <" +
                                   node.name() + ">; ignored");
        }
    }
    return std::nullopt;
}

MaybeError parse_diff(Reader& reader, const pugi::xml_node& node, SyscheckConfig& c) {
    for (const pugi::xml_node& child : node.children()) {
        const std::string_view tag = child.name();
        if (child.type() != pugi::node_element) {
            continue;
        }
        MaybeError error;
        if (tag == "file_size") {
            error = parse_limit(reader, child, c.diff_file_size_limit);
        } else if (tag == "disk_quota") {
            error = parse_limit(reader, child, c.diff_disk_quota);
        } else if (tag == "nodiff") {
            error = parse_rule(reader, child, c.nodiff);
        } else {
            reader.warn(child, "unknown option <" + std::string(tag) + "> in <diff>; ignored");
        }
        if (error) {
            return error;
        }
    }
    return std::nullopt;
}

MaybeError parse_option(Reader& reader, const pugi::xml_node& node, SyscheckConfig& c) {
    const std::string_view tag = node.name();
    if (tag == "directories") {
        return parse_directories(reader, node, c);
    }
    if (tag == "ignore") {
        return parse_rule(reader, node, c.ignore);
    }
    if (tag == "nodiff") {
        return parse_rule(reader, node, c.nodiff);
    }
    if (tag == "diff") {
        return parse_diff(reader, node, c);
    }
    if (tag == "registry_ignore") {
        return parse_rule(reader, node, c.registry_ignore);
    }
    if (tag == "windows_registry") {
        c.windows_registry.push_back(text_of(node));
        return std::nullopt;
    }
    if (tag == "frequency") {
        return parse_frequency(reader, node, c.frequency);
    }
    if (tag == "max_eps") {
        return parse_max_eps(reader, node, c.max_eps);
    }
    if (tag == "scan_time") {
        c.scan_time = text_of(node);
        return std::nullopt;
    }
    if (tag == "scan_day") {
        c.scan_day = text_of(node);
        return std::nullopt;
    }
    if (tag == "prefilter_cmd") {
        c.prefilter_cmd = text_of(node);
        return std::nullopt;
    }
    if (tag == "scan_on_start") {
        return parse_flag(reader, node, c.scan_on_start);
    }
    if (tag == "alert_new_files") {
        return parse_flag(reader, node, c.alert_new_files);
    }
    if (tag == "skip_nfs") {
        return parse_flag(reader, node, c.skip_nfs);
    }
    if (tag == "disabled") {
        return parse_flag(reader, node, c.disabled);
    }
    if (tag != "auto_ignore") {
        reader.warn(node, "unknown option <" + std::string(tag) + "> in <syscheck>; ignored");
    }
    return std::nullopt;
}

MaybeError parse_section(Reader& reader, const pugi::xml_node& section,
                         SyscheckConfig& config) {
    for (const pugi::xml_node& child : section.children()) {
        if (child.type() != pugi::node_element) {
            continue;
        }
        if (auto error = parse_option(reader, child, config)) {
            return error;
        }
    }
    return std::nullopt;
}

bool is_root(const pugi::xml_node& node) {
    const std::string_view name = node.name();
    return node.type() == pugi::node_element &&
           (name == "ossec_config" || name == "agent_config");
}

}  // namespace

bool PathRule::matches(std::string_view path) const {
    if (regex) {
        return regex->matches(path);
    }
    if (path.size() < prefix.size()) {
        return false;
    }
    return std::equal(prefix.begin(), prefix.end(), path.begin(), [](char a, char b) {
        const auto lower = [](char c) {
            return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        };
        return lower(a) == lower(b);
    });
}

bool SyscheckConfig::ignored(std::string_view path) const {
    return std::any_of(ignore.begin(), ignore.end(),
                       [path](const PathRule& rule) { return rule.matches(path); });
}

bool SyscheckConfig::no_diff(std::string_view path) const {
    return std::any_of(nodiff.begin(), nodiff.end(),
                       [path](const PathRule& rule) { return rule.matches(path); });
}

Result<LoadedSyscheckConfig> parse_syscheck_config(std::string_view text,
                                                   const std::string& name) {
    Reader reader(text, name);
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_buffer(
        text.data(), text.size(), pugi::parse_default | pugi::parse_fragment,
        pugi::encoding_utf8);
    if (!parsed) {
        return Error{name + ":" + std::to_string(reader.line_of(parsed.offset)) +
                     ": XML error: " + parsed.description()};
    }

    LoadedSyscheckConfig loaded;
    for (const pugi::xml_node& root : doc.children()) {
        if (!is_root(root)) {
            continue;
        }
        for (const pugi::xml_node& section : root.children("syscheck")) {
            if (auto error = parse_section(reader, section, loaded.config)) {
                return *error;
            }
        }
    }
    loaded.warnings = std::move(reader.warnings());
    return loaded;
}

}  // namespace core
