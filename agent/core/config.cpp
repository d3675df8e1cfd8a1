#include "core/config.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

namespace core {
namespace {

constexpr std::array kKnownSections = {
    "client", "localfile", "syscheck", "rootcheck", "active-response",
    "global", "labels", "logging", "wodle", "sca", "client_buffer",
    "command", "remote", "alerts", "rules", "email_alerts", "reports",
};

constexpr std::uint64_t kMaxMultilineLines = 1000;
constexpr std::uint64_t kMaxMultilineTimeout = 120;  // Wazuh's upper bound

constexpr std::array kLogFormats = {
    "syslog", "snort-full", "snort-fast", "apache", "iis", "squid", "mysql_log",
    "postgresql_log", "nmapg", "djb-multilog", "command", "full_command",
    "eventlog", "eventchannel", "json", "multi-line", "multi-line-regex",
    "audit", "journald", "macos", "generic", "syslog-pipe", "ossecalert", "mssql_log",
    "modsec-audit", "multi-line_indented",
};

// Reports problems with their line in the source text.
class Reader {
public:
    Reader(std::string_view text, std::string name) : name_(std::move(name)) {
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\n') {
                newlines_.push_back(static_cast<std::ptrdiff_t>(i));
            }
        }
    }

    int line_of(std::ptrdiff_t offset) const {
        const auto before = std::lower_bound(newlines_.begin(), newlines_.end(), offset);
        return 1 + static_cast<int>(before - newlines_.begin());
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
    const std::string& name() const { return name_; }

private:
    std::vector<std::ptrdiff_t> newlines_;
    std::string name_;
    std::vector<std::string> warnings_;
};

// A value as it may appear in a message: printable characters only, and
// not longer than a line should be.
std::string shown(const std::string& value) {
    std::string out;
    for (unsigned char c : value.substr(0, 80)) {
        out.push_back(c >= 0x20 && c != 0x7f ? static_cast<char>(c) : '?');
    }
    return value.size() > 80 ? out + "..." : out;
}

std::string trimmed_text(const pugi::xml_node& node) {
    std::string value = node.text().get();
    const auto first = value.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = value.find_last_not_of(" \t\r\n");
    return value.substr(first, last - first + 1);
}

bool parse_uint(const std::string& text, std::uint64_t max, std::uint64_t& out) {
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

bool parse_yes_no(const std::string& text, bool& out) {
    if (text == "yes") {
        out = true;
    } else if (text == "no") {
        out = false;
    } else {
        return false;
    }
    return true;
}

// Plain host syntax check: letters, digits, '.', '-', ':' (IPv6) and '%'
// (zone). Resolution happens when connecting.
bool plausible_host(const std::string& host) {
    return !host.empty() && host.size() <= 255 &&
           std::all_of(host.begin(), host.end(), [](unsigned char c) {
               return std::isalnum(c) != 0 || c == '.' || c == '-' || c == ':' || c == '%' ||
                      c == '_';
           });
}

std::optional<Error> parse_seconds(Reader& reader, const pugi::xml_node& node,
                                   std::chrono::seconds& out) {
    std::uint64_t value = 0;
    if (!parse_uint(trimmed_text(node), 100000000, value) || value == 0) {
        return reader.fail(node, std::string("invalid value '") + shown(trimmed_text(node)) +
                                     "' for <" + node.name() + ">: expected seconds > 0");
    }
    out = std::chrono::seconds(value);
    return std::nullopt;
}

std::optional<Error> parse_port(Reader& reader, const pugi::xml_node& node,
                                std::uint16_t& out) {
    std::uint64_t value = 0;
    if (!parse_uint(trimmed_text(node), 65535, value) || value == 0) {
        return reader.fail(node, "invalid port '" + shown(trimmed_text(node)) + "'");
    }
    out = static_cast<std::uint16_t>(value);
    return std::nullopt;
}

std::optional<Error> parse_transport(Reader& reader, const pugi::xml_node& node,
                                     Transport& out) {
    const std::string value = trimmed_text(node);
    if (value == "udp") {
        out = Transport::kUdp;
    } else if (value == "tcp") {
        out = Transport::kTcp;
    } else {
        return reader.fail(node, "invalid protocol '" + shown(value) + "': expected udp or tcp");
    }
    return std::nullopt;
}

std::optional<Error> parse_server_block(Reader& reader, const pugi::xml_node& block,
                                        ServerAddress& server) {
    for (const pugi::xml_node& child : block.children()) {
        if (child.type() != pugi::node_element) {
            continue;
        }
        const std::string tag = child.name();
        std::optional<Error> error;
        if (tag == "address") {
            server.host = trimmed_text(child);
            if (!plausible_host(server.host)) {
                error = reader.fail(child, "invalid server address '" + shown(server.host) + "'");
            }
        } else if (tag == "port") {
            error = parse_port(reader, child, server.port);
        } else if (tag == "protocol") {
            error = parse_transport(reader, child, server.transport);
        } else {
            reader.warn(child, "unknown option <" + tag + "> in <server>; ignored");
        }
        if (error) {
            return error;
        }
    }
    if (server.host.empty()) {
        return reader.fail(block, "<server> has no <address>");
    }
    return std::nullopt;
}

std::optional<Error> parse_client(Reader& reader, const pugi::xml_node& section,
                                  ClientConfig& client) {
    std::uint16_t default_port = 1514;
    Transport default_transport = Transport::kUdp;
    std::vector<std::pair<ServerAddress, bool>> servers;  // bool: port/proto explicit

    for (const pugi::xml_node& child : section.children()) {
        if (child.type() != pugi::node_element) {
            continue;
        }
        const std::string tag = child.name();
        std::optional<Error> error;
        if (tag == "server-ip" || tag == "server-hostname") {
            ServerAddress server;
            server.host = trimmed_text(child);
            if (!plausible_host(server.host)) {
                error = reader.fail(child, "invalid <" + tag + "> '" + shown(server.host) + "'");
            }
            servers.emplace_back(server, false);
        } else if (tag == "server") {
            ServerAddress server;
            error = parse_server_block(reader, child, server);
            servers.emplace_back(server, true);
        } else if (tag == "port") {
            error = parse_port(reader, child, default_port);
        } else if (tag == "protocol") {
            error = parse_transport(reader, child, default_transport);
        } else if (tag == "notify_time") {
            error = parse_seconds(reader, child, client.notify_time);
        } else if (tag == "time-reconnect") {
            error = parse_seconds(reader, child, client.time_reconnect);
        } else if (tag == "disable-active-response") {
            if (!parse_yes_no(trimmed_text(child), client.disable_active_response)) {
                error = reader.fail(child, "invalid value for <disable-active-response>: "
                                           "expected yes or no");
            }
        } else if (tag == "config-profile") {
            client.config_profile = trimmed_text(child);
        } else if (tag == "crypto_method") {
            const std::string value = trimmed_text(child);
            if (value != "aes" && value != "blowfish") {
                error = reader.fail(child, "invalid <crypto_method> '" + shown(value) +
                                               "': expected aes or blowfish");
            }
            client.aes = value == "aes";
        } else if (tag == "auto_restart" || tag == "local_ip") {
            reader.warn(child, "option <" + tag + "> is not supported yet; ignored");
        } else {
            reader.warn(child, "unknown option <" + tag + "> in <client>; ignored");
        }
        if (error) {
            return error;
        }
    }

    for (auto& [server, explicit_block] : servers) {
        if (!explicit_block) {
            server.port = default_port;
            server.transport = default_transport;
        }
        client.servers.push_back(server);
    }
    // As OSSEC: a reconnect time not above the notify time would reconnect
    // between keep-alives, so it becomes three notify times.
    if (client.time_reconnect <= client.notify_time) {
        client.time_reconnect = 3 * client.notify_time;
    }
    return std::nullopt;
}

// "multi-line:N" (OSSEC allows spaces around ':' and after N): N, or 0
// when the text is not of that form.
int multiline_count(const std::string& format) {
    const std::string_view kName = "multi-line";
    if (format.compare(0, kName.size(), kName) != 0) {
        return 0;
    }
    std::size_t i = kName.size();
    const auto skip_spaces = [&] {
        while (i < format.size() && format[i] == ' ') {
            ++i;
        }
    };
    skip_spaces();
    if (i >= format.size() || format[i] != ':') {
        return 0;
    }
    ++i;
    skip_spaces();
    const std::size_t digits = i;
    while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) {
        ++i;
    }
    std::uint64_t value = 0;
    if (!parse_uint(format.substr(digits, i - digits), kMaxMultilineLines, value)) {
        return 0;
    }
    skip_spaces();
    return i == format.size() ? static_cast<int>(value) : 0;
}

// std::regex expands a counted repetition "{n}" into n copies, so nested
// large counts would take memory and time without bound: allow few and
// small ones. (Wazuh's PCRE2 has no such limit; real patterns need none.)
bool bounded_repetitions(const std::string& pattern) {
    if (pattern.size() > 1024) {
        return false;
    }
    int counted = 0;
    for (std::size_t i = 0; i + 1 < pattern.size(); ++i) {
        if (pattern[i] == '\\') {
            ++i;
            continue;
        }
        if (pattern[i] != '{' || !std::isdigit(static_cast<unsigned char>(pattern[i + 1]))) {
            continue;
        }
        ++counted;
        std::uint64_t value = 0;
        for (std::size_t k = i + 1; k < pattern.size(); ++k) {
            const char c = pattern[k];
            if (c == '}') {
                break;
            }
            if (std::isdigit(static_cast<unsigned char>(c))) {
                value = value * 10 + static_cast<unsigned>(c - '0');
                if (value > 255) {
                    return false;
                }
            } else if (c == ',') {
                value = 0;
            } else {
                break;
            }
        }
    }
    return counted <= 2;
}

// Wazuh warns about a bad attribute and keeps its default.
void warn_attribute(Reader& reader, const pugi::xml_node& node, const char* name,
                    const std::string& value) {
    reader.warn(node, "invalid value '" + shown(value) + "' for attribute '" + name +
                          "' in <multiline_regex>; the default is used");
}

std::optional<Error> parse_multiline_regex(Reader& reader, const pugi::xml_node& node,
                                           MultilineRegex& out) {
    out.pattern = node.text().get();
    if (out.pattern.empty()) {
        return reader.fail(node, "<multiline_regex> is empty");
    }
    if (!bounded_repetitions(out.pattern)) {
        return reader.fail(node, "regular expression in <multiline_regex> is too large: at "
                                 "most 2 counted repetitions {n}, each n at most 255");
    }
    try {
        std::regex check(out.pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        return reader.fail(node, "invalid regular expression '" + shown(out.pattern) +
                                     "' in <multiline_regex>: " + e.what());
    }

    if (const pugi::xml_attribute a = node.attribute("match")) {
        const std::string v = a.value();
        if (v == "start" || v == "end" || v == "all") {
            out.match = v == "start" ? MultilineMatch::kStart
                      : v == "end"   ? MultilineMatch::kEnd
                                     : MultilineMatch::kAll;
        } else {
            warn_attribute(reader, node, "match", v);
        }
    }
    if (const pugi::xml_attribute a = node.attribute("replace")) {
        const std::string v = a.value();
        if (v == "no-replace") {
            out.replace = MultilineReplace::kNoReplace;
        } else if (v == "none") {
            out.replace = MultilineReplace::kNone;
        } else if (v == "wspace") {
            out.replace = MultilineReplace::kWhitespace;
        } else if (v == "tab") {
            out.replace = MultilineReplace::kTab;
        } else {
            warn_attribute(reader, node, "replace", v);
        }
    }
    if (const pugi::xml_attribute a = node.attribute("timeout")) {
        std::uint64_t value = 0;
        if (parse_uint(a.value(), kMaxMultilineTimeout, value) && value > 0) {
            out.timeout = std::chrono::seconds(value);
        } else {
            warn_attribute(reader, node, "timeout", a.value());
        }
    }
    return std::nullopt;
}

std::optional<Error> parse_localfile(Reader& reader, const pugi::xml_node& section,
                                     LocalFile& file) {
    file.line = reader.line_of(section);
    for (const pugi::xml_node& child : section.children()) {
        if (child.type() != pugi::node_element) {
            continue;
        }
        const std::string tag = child.name();
        if (tag == "location") {
            file.location = trimmed_text(child);
        } else if (tag == "log_format") {
            file.log_format = trimmed_text(child);
        } else if (tag == "command") {
            file.command = trimmed_text(child);
        } else if (tag == "alias") {
            file.alias = trimmed_text(child);
        } else if (tag == "frequency") {
            if (auto error = parse_seconds(reader, child, file.frequency)) {
                return error;
            }
        } else if (tag == "only-future-events") {
            file.only_future_events_set = true;
            if (!parse_yes_no(trimmed_text(child), file.only_future_events)) {
                return reader.fail(child, "invalid value for <only-future-events>: expected "
                                          "yes or no");
            }
        } else if (tag == "multiline_regex") {
            if (auto error = parse_multiline_regex(reader, child, file.multiline_regex)) {
                return error;
            }
        } else if (tag == "query") {
            file.query = trimmed_text(child);
        } else if (tag == "max-line-length" ||
                   tag == "target" || tag == "out_format" || tag == "label" ||
                   tag == "age" || tag == "ignore" || tag == "restrict" ||
                   tag == "reconnect_time") {
            reader.warn(child, "option <" + tag + "> in <localfile> is not supported yet; "
                               "ignored");
        } else {
            reader.warn(child, "unknown option <" + tag + "> in <localfile>; ignored");
        }
    }

    if (file.log_format.empty()) {
        return reader.fail(section, "<localfile> has no <log_format>");
    }
    if (file.log_format.rfind("multi-line", 0) == 0 && file.log_format != "multi-line-regex" &&
        file.log_format != "multi-line_indented") {
        file.multiline_lines = multiline_count(file.log_format);
        if (file.multiline_lines == 0) {
            return reader.fail(section, "invalid <log_format> '" + shown(file.log_format) +
                                            "': expected multi-line:N with N from 1 to " +
                                            std::to_string(kMaxMultilineLines));
        }
        file.log_format = "multi-line";
    }
    if (file.log_format == "multi-line-regex" && file.multiline_regex.pattern.empty()) {
        return reader.fail(section, "<localfile> with multi-line-regex has no "
                                    "<multiline_regex>");
    }
    const std::string base_format = file.log_format;
    if (std::find(kLogFormats.begin(), kLogFormats.end(), base_format) == kLogFormats.end()) {
        return reader.fail(section, "unknown <log_format> '" + shown(file.log_format) + "'");
    }
    const bool is_command = base_format == "command" || base_format == "full_command";
    if (is_command ? file.command.empty() : file.location.empty()) {
        return reader.fail(section, is_command ? "<localfile> has no <command>"
                                               : "<localfile> has no <location>");
    }
    return std::nullopt;
}

std::optional<Error> parse_buffer(Reader& reader, const pugi::xml_node& section,
                                  ClientBuffer& buffer) {
    for (const pugi::xml_node& child : section.children()) {
        if (child.type() != pugi::node_element) {
            continue;
        }
        const std::string tag = child.name();
        std::uint64_t value = 0;
        if (tag == "events_per_second" || tag == "queue_size" || tag == "disk_size") {
            const bool eps = tag == "events_per_second";
            if (!parse_uint(trimmed_text(child), eps ? 1000000 : 10000000, value) ||
                (!eps && value == 0)) {
                return reader.fail(child, "invalid value '" + shown(trimmed_text(child)) + "' for <" +
                                              tag + ">");
            }
            std::uint32_t& field = eps                   ? buffer.events_per_second
                                   : tag == "queue_size" ? buffer.queue_size
                                                         : buffer.disk_megabytes;
            field = static_cast<std::uint32_t>(value);
        } else if (tag == "disabled") {
            reader.warn(child, "<disabled> in <client_buffer> is not supported: the buffer "
                               "is always on; ignored");
        } else {
            reader.warn(child, "unknown option <" + tag + "> in <client_buffer>; ignored");
        }
    }
    return std::nullopt;
}

// "30,60,120": minutes, comma separated, at most 5 values.
std::optional<Error> parse_offenders(Reader& reader, const pugi::xml_node& node,
                                     std::vector<std::chrono::minutes>& out) {
    constexpr std::size_t kMaxSteps = 5;
    const std::string text = trimmed_text(node);
    std::vector<std::chrono::minutes> steps;
    std::stringstream items(text);
    std::string item;
    while (std::getline(items, item, ',')) {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        std::uint64_t value = 0;
        if (!parse_uint(item, 10000000, value) || value == 0 || steps.size() == kMaxSteps) {
            return reader.fail(node, "invalid <repeated_offenders> '" + text +
                                         "': expected up to 5 minute values > 0, "
                                         "comma separated");
        }
        steps.emplace_back(value);
    }
    out = std::move(steps);
    return std::nullopt;
}

std::optional<Error> parse_active_response(Reader& reader, const pugi::xml_node& section,
                                           ActiveResponseConfig& ar) {
    for (const pugi::xml_node& child : section.children()) {
        if (child.type() != pugi::node_element) {
            continue;
        }
        const std::string tag = child.name();
        if (tag == "disabled") {
            if (!parse_yes_no(trimmed_text(child), ar.disabled)) {
                return reader.fail(child, "invalid value for <disabled> in "
                                          "<active-response>: expected yes or no");
            }
        } else if (tag == "repeated_offenders") {
            if (auto error = parse_offenders(reader, child, ar.repeated_offenders)) {
                return error;
            }
        }
    }
    return std::nullopt;
}

std::optional<Error> parse_root(Reader& reader, const pugi::xml_node& root,
                                AgentConfig& config) {
    for (const pugi::xml_node& section : root.children()) {
        if (section.type() != pugi::node_element) {
            continue;
        }
        const std::string tag = section.name();
        std::optional<Error> error;
        if (tag == "client") {
            error = parse_client(reader, section, config.client);
        } else if (tag == "client_buffer") {
            error = parse_buffer(reader, section, config.buffer);
        } else if (tag == "active-response") {
            error = parse_active_response(reader, section, config.active_response);
        } else if (tag == "localfile") {
            LocalFile file;
            error = parse_localfile(reader, section, file);
            config.localfiles.push_back(std::move(file));
        } else if (std::find(kKnownSections.begin(), kKnownSections.end(), tag) ==
                   kKnownSections.end()) {
            reader.warn(section, "unknown section <" + tag + ">; ignored");
        }
        if (error) {
            return error;
        }
    }
    return std::nullopt;
}

}  // namespace

Result<LoadedConfig> parse_config(std::string_view text, const std::string& name) {
    Reader reader(text, name);
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_buffer(
        text.data(), text.size(), pugi::parse_default | pugi::parse_fragment,
        pugi::encoding_utf8);
    if (!parsed) {
        return Error{name + ":" + std::to_string(reader.line_of(parsed.offset)) +
                     ": XML error: " + parsed.description()};
    }

    LoadedConfig loaded;
    bool found_root = false;
    for (const pugi::xml_node& node : doc.children()) {
        if (node.type() != pugi::node_element) {
            continue;
        }
        if (std::string_view(node.name()) != "ossec_config" &&
            std::string_view(node.name()) != "agent_config") {
            reader.warn(node, std::string("unknown root element <") + node.name() +
                                  ">; ignored");
            continue;
        }
        found_root = true;
        if (auto error = parse_root(reader, node, loaded.config)) {
            return *error;
        }
    }
    if (!found_root) {
        return Error{name + ":1: no <ossec_config> element"};
    }
    loaded.warnings = std::move(reader.warnings());
    return loaded;
}

Result<LoadedConfig> load_config(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Error{"cannot read configuration file '" + path.string() + "'"};
    }
    std::ostringstream content;
    content << in.rdbuf();
    return parse_config(content.str(), path.string());
}

}  // namespace core
