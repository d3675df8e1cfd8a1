// The formats that turn one line into one event of their own.
#include <array>
#include <cctype>

#include "logcollector/assemblers.hpp"
#include "logcollector/format_text.hpp"
#include "logcollector/json_check.hpp"

namespace logcollector {
namespace {

constexpr char kMysqlQueue = 'a';
constexpr char kHostInfoQueue = '3';

bool digit(char c) { return c >= '0' && c <= '9'; }
bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string_view skip_blanks(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
        ++i;
    }
    return text.substr(i);
}

// OSSEC counted the newline in a line's length: its "length > n" is a
// line of at least n characters here.
bool at_least(std::string_view line, std::size_t n) { return line.size() >= n; }

}  // namespace

// ---- mysql_log

bool MysqlAssembler::take(std::string_view line, EventOut& out) {
    std::string_view text;
    std::string time = last_time_;
    if (at_least(line, 18) && line[6] == ' ' && line[9] == ':' && line[12] == ':' &&
        digit(line[0]) && digit(line[1]) && digit(line[2]) && digit(line[3]) &&
        digit(line[4]) && digit(line[5]) && digit(line[7]) && digit(line[8])) {
        time = std::string(line.substr(0, 15));
        text = skip_blanks(line.substr(15));
    } else if (at_least(line, 10) && !last_time_.empty() &&
               line.substr(0, 8) == std::string_view("\t\t      ", 8)) {
        text = skip_blanks(line.substr(2));
    } else {
        return true;
    }
    std::string event = "MySQL log: " + time + " " + std::string(text);
    if (!out.emit(kMysqlQueue, fit(std::move(event), max_text_))) {
        return false;
    }
    last_time_ = std::move(time);
    return true;
}

// ---- djb-multilog

namespace {

constexpr std::array<const char*, 12> kMonths = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

bool has_syslog_time(std::string_view text) {
    return text.size() > 15 && text[3] == ' ' && text[6] == ' ' && text[9] == ':' &&
           text[12] == ':' && text[15] == ' ';
}

std::string two_digits(int value) {
    const int v = value < 0 ? 0 : value % 100;
    return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)};
}

}  // namespace

bool DjbMultilogAssembler::take(std::string_view line, EventOut& out) {
    if (!at_least(line, 26) || line[0] != '@' || !alnum(line[1]) || !alnum(line[2]) ||
        !alnum(line[3]) || !alnum(line[24]) || line[25] != ' ') {
        return true;
    }
    const std::string_view text = skip_blanks(line.substr(26));
    std::string event;
    if (at_least(line, 44) && has_syslog_time(text)) {
        event = std::string(text.substr(16));
    } else {
        const std::tm now = clock_ ? clock_->local_time() : std::tm{};
        const int month = now.tm_mon >= 0 && now.tm_mon < 12 ? now.tm_mon : 0;
        event = std::string(kMonths[static_cast<std::size_t>(month)]) + " " +
                two_digits(now.tm_mday) + " " + two_digits(now.tm_hour) + ":" +
                two_digits(now.tm_min) + ":" + two_digits(now.tm_sec) + " " + host_ + " " +
                program_ + ": " + std::string(text);
    }
    return out.emit(kMysqlQueue, fit(std::move(event), max_text_));
}

// ---- nmapg

namespace {

// What follows prefix at the start of text, when text is longer than it.
std::optional<std::string_view> after(std::string_view text, std::string_view prefix) {
    if (text.size() <= prefix.size() || text.substr(0, prefix.size()) != prefix) {
        return std::nullopt;
    }
    return text.substr(prefix.size());
}

struct PortEntry {
    std::string port;
    std::string protocol;  // empty when the port is not open
    std::string_view rest;  // from the ',' before the next entry, or the tail
};

// One "22/open/tcp//ssh///" entry, as OSSEC's __get_port reads it: port
// and protocol are kept to 8 characters.
std::optional<PortEntry> next_port(std::string_view text) {
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    PortEntry entry;
    entry.port = std::string(text.substr(0, std::min<std::size_t>(slash, 8)));
    std::string_view p = text.substr(slash + 1);

    bool open = true;
    if (const auto opened = after(p, "open/")) {
        p = *opened;
    } else {
        open = false;
        slash = p.find('/');
        if (slash == std::string_view::npos) {
            return std::nullopt;
        }
        p = p.substr(slash + 1);
    }
    slash = p.find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    if (open) {
        entry.protocol = std::string(p.substr(0, std::min<std::size_t>(slash, 8)));
    }
    p = p.substr(slash + 1);
    if (p.empty() || p.front() != '/') {
        return std::nullopt;
    }
    p.remove_prefix(1);
    const std::size_t comma = p.find(',');
    entry.rest = comma == std::string_view::npos ? p : p.substr(comma);
    return entry;
}

}  // namespace

bool NmapGrepableAssembler::take(std::string_view line, EventOut& out) {
    if (line.empty() || line.front() == '#') {
        return true;
    }
    const auto host = after(line, "Host: ");
    const std::size_t paren = host ? host->find(')') : std::string_view::npos;
    const std::size_t tab =
        paren == std::string_view::npos ? paren : host->find('\t', paren);
    if (tab == std::string_view::npos) {
        if (logger_ && !reported_) {
            logger_->warning("bad nmap grepable line in '" + location_ + "': '" +
                             std::string(line.substr(0, 120)) +
                             "'; skipped (reported once per file)");
        }
        reported_ = true;
        return true;
    }
    const std::string_view fields = host->substr(tab + 1);
    auto ports = after(fields, "Ports:");
    if (!ports) {
        if (!after(fields, "Status:") && logger_ && !reported_) {
            logger_->warning("bad nmap grepable line in '" + location_ + "': '" +
                             std::string(line.substr(0, 120)) +
                             "'; skipped (reported once per file)");
            reported_ = true;
        }
        return true;
    }

    std::string event = "Host: " + std::string(host->substr(0, paren + 1)) + ", open ports:";
    // OSSEC stops adding ports when less than 27 bytes of its budget remain.
    const std::size_t budget = max_text_ > event.size() + 3 ? max_text_ - event.size() - 3 : 0;
    std::size_t used = 0;
    std::string_view p = *ports;
    do {
        if (budget < used + 27) {
            break;
        }
        const auto entry = next_port(p);
        if (!entry) {
            break;
        }
        p = entry->rest;
        if (entry->protocol.empty()) {
            continue;
        }
        const std::string item = " " + entry->port + "(" + entry->protocol + ")";
        event.append(item);
        used += item.size() + 2;
    } while (!p.empty() && p.front() == ',' && (p.remove_prefix(1), true));

    return out.emit(kHostInfoQueue, fit(std::move(event), max_text_));
}

// ---- json

bool JsonAssembler::take(std::string_view line, EventOut& out) {
    if (!is_json_object(line)) {
        if (logger_) {
            logger_->debug("line read from '" + location_ +
                           "' is not a JSON object; skipped");
        }
        return true;
    }
    return out.emit(core::kLocalFileQueue, line);
}

}  // namespace logcollector
