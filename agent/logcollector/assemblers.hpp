// The assembler of each format (see event_assembler.hpp); built only by
// make_assembler.
#pragma once

#include <regex>

#include "logcollector/event_assembler.hpp"

namespace logcollector {

// multi-line:N (OSSEC read_multiline): every N lines are one event,
// joined with a space (none after an empty first line). Lines wait for
// the rest of their group however long it takes, as in OSSEC; a group
// still incomplete when the file is left is sent as it is.
class MultiLineAssembler final : public EventAssembler {
public:
    MultiLineAssembler(std::size_t lines, std::size_t max_text)
        : lines_(lines), max_text_(max_text) {}
    bool take(std::string_view line, EventOut& out) override;
    std::size_t held_lines() const override { return held_; }
    bool flush(EventOut& out) override;
    void reset() override { held_ = 0; text_.clear(); }

private:
    std::string joined(std::string_view line) const;

    std::size_t lines_;
    std::size_t max_text_;
    std::size_t held_ = 0;
    std::string text_;
};

// multi-line-regex (Wazuh): match="start" (a matching line begins the next
// event), "end" (a matching line ends this one) or "all" (the lines so far,
// joined with newlines, match as a whole). Held lines are sent after the
// timeout without a new line. Lines are joined as replace says: a newline
// (no-replace), nothing (none), a space (wspace) or a tab (tab).
//
// The pattern is an ECMAScript std::regex searched anywhere in the text;
// Wazuh uses PCRE2, which reads the common patterns (anchors, classes,
// \d \s \w, groups, alternation, counted repetition) the same way, but not
// PCRE2-only syntax such as possessive quantifiers or (?<name>...).
// With match="end" or "all", a log that reaches the maximum event size is
// sent, cut, without waiting for its match. std::regex backtracks: with
// match="all", a pattern such as "^B(.|\n)*E$" takes up to ~0.1 s per
// line on a 6 KB log (measured), where PCRE2 would be much faster.
class MultiLineRegexAssembler final : public EventAssembler {
public:
    MultiLineRegexAssembler(const core::MultilineRegex& config, std::size_t max_text);
    bool take(std::string_view line, EventOut& out) override;
    std::size_t held_lines() const override { return held_; }
    std::optional<std::chrono::milliseconds> hold_timeout() const override {
        return timeout_;
    }
    bool flush(EventOut& out) override;
    void reset() override { held_ = 0; text_.clear(); }

private:
    bool matches(std::string_view text) const;
    std::string event_text(std::string_view raw) const;
    std::string with(std::string_view line) const;

    std::regex regex_;
    core::MultilineMatch match_;
    std::string separator_;
    std::chrono::milliseconds timeout_;
    std::size_t max_text_;
    std::size_t held_ = 0;
    std::string text_;  // held lines joined with '\n'
};

// postgresql_log (OSSEC read_postgresql_log): a line "[YYYY-MM-DD hh:mm:ss..."
// begins an event; the lines after it that start with a tab are added to
// it after a space. OSSEC sends the held event at the end of each read
// pass (every 2 s); here it is sent when the next event begins or when no
// line came for a second. Other lines are ignored, as in OSSEC. Queue 'b'.
class PostgresqlAssembler final : public EventAssembler {
public:
    explicit PostgresqlAssembler(std::size_t max_text) : max_text_(max_text) {}
    bool take(std::string_view line, EventOut& out) override;
    std::size_t held_lines() const override { return held_; }
    std::optional<std::chrono::milliseconds> hold_timeout() const override {
        return std::chrono::milliseconds(1000);
    }
    bool flush(EventOut& out) override;
    void reset() override { held_ = 0; text_.clear(); }

private:
    std::size_t max_text_;
    std::size_t held_ = 0;
    std::string text_;
};

// snort-full (OSSEC read_snortfull): "[**] [..." then "[Classification: ..."
// (or "[Priority: ...", which becomes "[Classification: Preprocessor]
// [Priority: 3] ") then the date line, whose text after its first space
// ends the event; the parts are joined with nothing between them. A
// preprocessor alert has no classification line. Lines outside an alert
// are ignored; a line that breaks an alert is reported (once per file) and
// the alert dropped, where OSSEC stops reading until its next pass. An
// incomplete alert is dropped when the file is left. Queue '1'.
class SnortFullAssembler final : public EventAssembler {
public:
    SnortFullAssembler(std::string location, std::size_t max_text, core::Logger* logger)
        : location_(std::move(location)), max_text_(max_text), logger_(logger) {}
    bool take(std::string_view line, EventOut& out) override;
    std::size_t held_lines() const override { return held_; }
    bool flush(EventOut& out) override;
    void reset() override { held_ = 0; text_.clear(); }

private:
    bool send_with(std::string_view rest, EventOut& out);
    void bad_line(std::string_view line);

    std::string location_;
    std::size_t max_text_;
    core::Logger* logger_;
    std::size_t held_ = 0;  // 0, 1 (alert line) or 2 (with classification)
    std::string text_;
    bool reported_ = false;
};

// mysql_log (OSSEC read_mysql_log): "YYMMDD hh:mm:ss text" becomes
// "MySQL log: YYMMDD hh:mm:ss text"; a line starting with two tabs and six
// spaces is a further event of the same second. Other lines are ignored.
// The last time seen is kept per file (OSSEC shares one for all files)
// and is not saved: continuation lines right after a restart are ignored
// until the next timed line. Queue 'a'.
class MysqlAssembler final : public EventAssembler {
public:
    explicit MysqlAssembler(std::size_t max_text) : max_text_(max_text) {}
    bool take(std::string_view line, EventOut& out) override;

private:
    std::size_t max_text_;
    std::string last_time_;
};

// djb-multilog (OSSEC read_djbmultilog), for ".../<program>/current":
// "@<24 hex TAI64N> text" becomes "<Mon dd hh:mm:ss> <host> <program>: text"
// with the local time now; when text already starts with a syslog time,
// what follows that time is sent, as OSSEC does. Other lines are ignored.
// Queue 'a', as in OSSEC (it uses MySQL's queue for these).
class DjbMultilogAssembler final : public EventAssembler {
public:
    DjbMultilogAssembler(std::string program, std::string host, const Clock* clock,
                         std::size_t max_text)
        : program_(std::move(program)),
          host_(std::move(host)),
          clock_(clock),
          max_text_(max_text) {}
    bool take(std::string_view line, EventOut& out) override;

private:
    std::string program_;
    std::string host_;
    const Clock* clock_;
    std::size_t max_text_;
};

// nmapg (OSSEC read_nmapg), nmap's grepable output: a line
// "Host: <ip> (<name>)\tPorts: 22/open/tcp//ssh///, ..." becomes
// "Host: <ip> (<name>), open ports: 22(tcp) ..."; only open ports are
// listed. Comments, empty lines and "Status:" lines are ignored; any other
// line is reported (once per file) and skipped. Queue '3'.
class NmapGrepableAssembler final : public EventAssembler {
public:
    NmapGrepableAssembler(std::string location, std::size_t max_text, core::Logger* logger)
        : location_(std::move(location)), max_text_(max_text), logger_(logger) {}
    bool take(std::string_view line, EventOut& out) override;

private:
    std::string location_;
    std::size_t max_text_;
    core::Logger* logger_;
    bool reported_ = false;
};

// json (Wazuh read_json): a line holding one JSON object is sent
// unchanged; any other line is skipped (a debug message says so). Queue
// '1'.
class JsonAssembler final : public EventAssembler {
public:
    JsonAssembler(std::string location, core::Logger* logger)
        : location_(std::move(location)), logger_(logger) {}
    bool take(std::string_view line, EventOut& out) override;

private:
    std::string location_;
    core::Logger* logger_;
};

}  // namespace logcollector
