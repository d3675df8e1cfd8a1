// The formats that join several lines into one event.
#include "logcollector/assemblers.hpp"
#include "logcollector/format_text.hpp"

namespace logcollector {

// ---- multi-line:N

std::string MultiLineAssembler::joined(std::string_view line) const {
    std::string text = text_;
    if (!text.empty()) {
        text.push_back(' ');
    }
    text.append(line);
    return text;
}

bool MultiLineAssembler::take(std::string_view line, EventOut& out) {
    std::string text = joined(line);
    if (held_ + 1 < lines_) {
        text_ = fit(std::move(text), max_text_);
        ++held_;
        return true;
    }
    if (!out.emit(core::kLocalFileQueue, fit(std::move(text), max_text_))) {
        return false;
    }
    reset();
    return true;
}

bool MultiLineAssembler::flush(EventOut& out) {
    if (held_ == 0) {
        return true;
    }
    if (!out.emit(core::kLocalFileQueue, text_)) {
        return false;
    }
    reset();
    return true;
}

// ---- multi-line-regex

MultiLineRegexAssembler::MultiLineRegexAssembler(const core::MultilineRegex& config,
                                                 std::size_t max_text)
    : regex_(config.pattern, std::regex::ECMAScript),
      match_(config.match),
      timeout_(config.timeout),
      max_text_(max_text) {
    switch (config.replace) {
        case core::MultilineReplace::kNoReplace: separator_ = "\n"; break;
        case core::MultilineReplace::kNone: break;
        case core::MultilineReplace::kWhitespace: separator_ = " "; break;
        case core::MultilineReplace::kTab: separator_ = "\t"; break;
    }
}

bool MultiLineRegexAssembler::matches(std::string_view text) const {
    return std::regex_search(text.begin(), text.end(), regex_);
}

std::string MultiLineRegexAssembler::with(std::string_view line) const {
    std::string text = text_;
    if (held_ > 0) {
        text.push_back('\n');
    }
    text.append(line);
    return text;
}

std::string MultiLineRegexAssembler::event_text(std::string_view raw) const {
    std::string text;
    text.reserve(raw.size());
    for (const char c : raw) {
        if (c == '\n') {
            text.append(separator_);
        } else {
            text.push_back(c);
        }
    }
    return fit(std::move(text), max_text_);
}

bool MultiLineRegexAssembler::take(std::string_view line, EventOut& out) {
    if (match_ == core::MultilineMatch::kStart) {
        if (held_ > 0 && matches(line)) {
            if (!out.emit(core::kLocalFileQueue, event_text(text_))) {
                return false;
            }
            reset();
        }
        text_ = fit(with(line), max_text_);
        ++held_;
        return true;
    }

    std::string text = with(line);
    // A log that reached the size limit is sent as it is: it cannot grow,
    // and searching ever longer text for each line would cost more and
    // more (std::regex backtracks).
    const bool full = text.size() >= max_text_;
    text = fit(std::move(text), max_text_);
    const bool complete =
        full || (match_ == core::MultilineMatch::kEnd ? matches(line) : matches(text));
    if (!complete) {
        text_ = std::move(text);
        ++held_;
        return true;
    }
    if (!out.emit(core::kLocalFileQueue, event_text(text))) {
        return false;
    }
    reset();
    return true;
}

bool MultiLineRegexAssembler::flush(EventOut& out) {
    if (held_ == 0) {
        return true;
    }
    if (!out.emit(core::kLocalFileQueue, event_text(text_))) {
        return false;
    }
    reset();
    return true;
}

// ---- postgresql_log

namespace {

constexpr char kPostgresqlQueue = 'b';

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "[2007-08-31 19:17:32.186 ADT] ...": OSSEC's checks, on a line of at
// least 32 characters (its length counted the newline: > 32).
bool is_postgresql_start(std::string_view line) {
    return line.size() >= 32 && line[0] == '[' && line[5] == '-' && line[8] == '-' &&
           line[11] == ' ' && line[14] == ':' && line[17] == ':' && is_digit(line[1]) &&
           is_digit(line[12]);
}

}  // namespace

bool PostgresqlAssembler::take(std::string_view line, EventOut& out) {
    if (is_postgresql_start(line)) {
        if (held_ > 0 && !out.emit(kPostgresqlQueue, text_)) {
            return false;
        }
        text_ = fit(std::string(line), max_text_);
        held_ = 1;
        return true;
    }
    // A continuation: OSSEC adds the whole line, its tab included, after a
    // space, and drops it when it would not fit.
    if (held_ > 0 && line.size() >= 2 && line[0] == '\t' &&
        text_.size() + 1 + line.size() <= max_text_) {
        text_.push_back(' ');
        text_.append(line);
        ++held_;
    }
    return true;
}

bool PostgresqlAssembler::flush(EventOut& out) {
    if (held_ == 0) {
        return true;
    }
    if (!out.emit(kPostgresqlQueue, text_)) {
        return false;
    }
    reset();
    return true;
}

// ---- snort-full

namespace {

constexpr std::string_view kPreprocessor = "[Classification: Preprocessor] [Priority: 3] ";

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// "01/13-15:12:43.123456 1.2.3.4 -> ...": OSSEC checks characters 2 and 5
// and takes what follows the first space.
std::optional<std::string_view> snort_date_rest(std::string_view line) {
    if (line.size() < 6 || line[2] != '/' || line[5] != '-') {
        return std::nullopt;
    }
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) {
        return std::nullopt;
    }
    return line.substr(space + 1);
}

}  // namespace

bool SnortFullAssembler::send_with(std::string_view rest, EventOut& out) {
    std::string text = text_;
    text.append(rest);
    if (!out.emit(core::kLocalFileQueue, fit(std::move(text), max_text_))) {
        return false;
    }
    reset();
    return true;
}

void SnortFullAssembler::bad_line(std::string_view line) {
    if (logger_ && !reported_) {
        logger_->warning("bad snort-full line in '" + location_ + "': '" +
                         std::string(line.substr(0, 120)) +
                         "'; the alert it breaks is dropped (reported once per file)");
    }
    reported_ = true;
    reset();
}

bool SnortFullAssembler::take(std::string_view line, EventOut& out) {
    if (held_ == 0) {
        if (starts_with(line, "[**] [")) {
            text_ = fit(std::string(line), max_text_);
            held_ = 1;
        }
        return true;
    }
    if (held_ == 1) {
        if (starts_with(line, "[Classification:")) {
            text_ = fit(text_ + std::string(line), max_text_);
            held_ = 2;
        } else if (starts_with(line, "[Priority:")) {
            text_ = fit(text_ + std::string(kPreprocessor), max_text_);
            held_ = 2;
        } else if (const auto rest = snort_date_rest(line)) {
            return send_with(std::string(kPreprocessor) + std::string(*rest), out);
        } else {
            bad_line(line);
        }
        return true;
    }
    if (const auto rest = snort_date_rest(line)) {
        return send_with(*rest, out);
    }
    bad_line(line);
    return true;
}

bool SnortFullAssembler::flush(EventOut& out) {
    (void)out;
    reset();  // an alert without its date line is no event OSSEC sends
    return true;
}

}  // namespace logcollector
