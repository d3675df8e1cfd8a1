#include "execd/json.hpp"

namespace execd {
namespace {

class Parser {
public:
    Parser(std::string_view text, const JsonLimits& limits) : text_(text), limits_(limits) {}

    std::optional<JsonValue> document() {
        JsonValue value;
        skip_blanks();
        if (!parse_value(value, 0)) {
            return std::nullopt;
        }
        skip_blanks();
        if (pos_ != text_.size()) {
            return std::nullopt;
        }
        return value;
    }

private:
    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }

    void skip_blanks() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' ||
                             peek() == '\r')) {
            ++pos_;
        }
    }

    bool literal(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) {
            return false;
        }
        pos_ += word.size();
        return true;
    }

    bool parse_value(JsonValue& out, std::size_t depth) {
        switch (peek()) {
            case '{':
                return depth < limits_.max_depth && parse_object(out, depth + 1);
            case '[':
                return depth < limits_.max_depth && parse_array(out, depth + 1);
            case '"':
                out.type = JsonType::kString;
                return parse_string(out.text);
            case 't':
                out.type = JsonType::kBool;
                out.boolean = true;
                return literal("true");
            case 'f':
                out.type = JsonType::kBool;
                return literal("false");
            case 'n':
                return literal("null");
            default:
                out.type = JsonType::kNumber;
                return parse_number(out.text);
        }
    }

    bool parse_object(JsonValue& out, std::size_t depth) {
        out.type = JsonType::kObject;
        ++pos_;
        skip_blanks();
        if (peek() == '}') {
            ++pos_;
            return true;
        }
        for (;;) {
            std::string key;
            JsonValue value;
            skip_blanks();
            if (peek() != '"' || !parse_string(key) || out.find(key) != nullptr) {
                return false;
            }
            skip_blanks();
            if (peek() != ':') {
                return false;
            }
            ++pos_;
            skip_blanks();
            if (!parse_value(value, depth)) {
                return false;
            }
            out.members.push_back(JsonMember{std::move(key), std::move(value)});
            if (!next_or_close('}')) {
                return false;
            }
            if (text_[pos_ - 1] == '}') {
                return true;
            }
        }
    }

    bool parse_array(JsonValue& out, std::size_t depth) {
        out.type = JsonType::kArray;
        ++pos_;
        skip_blanks();
        if (peek() == ']') {
            ++pos_;
            return true;
        }
        for (;;) {
            JsonValue value;
            skip_blanks();
            if (!parse_value(value, depth)) {
                return false;
            }
            out.items.push_back(std::move(value));
            if (!next_or_close(']')) {
                return false;
            }
            if (text_[pos_ - 1] == ']') {
                return true;
            }
        }
    }

    // After a member or item: ',' or the closing bracket, consumed.
    bool next_or_close(char close) {
        skip_blanks();
        if (peek() == ',' || peek() == close) {
            ++pos_;
            return true;
        }
        return false;
    }

    bool parse_number(std::string& out) {
        const std::size_t start = pos_;
        if (peek() == '-') {
            ++pos_;
        }
        if (peek() == '0') {
            ++pos_;
        } else if (!digits()) {
            return false;
        }
        if (peek() == '.') {
            ++pos_;
            if (!digits()) {
                return false;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            ++pos_;
            if (peek() == '+' || peek() == '-') {
                ++pos_;
            }
            if (!digits()) {
                return false;
            }
        }
        out = std::string(text_.substr(start, pos_ - start));
        return true;
    }

    bool digits() {
        const std::size_t start = pos_;
        while (peek() >= '0' && peek() <= '9') {
            ++pos_;
        }
        return pos_ > start;
    }

    bool parse_string(std::string& out) {
        ++pos_;
        while (!at_end()) {
            const auto c = static_cast<unsigned char>(text_[pos_]);
            if (c == '"') {
                ++pos_;
                return true;
            }
            if (c < 0x20) {
                return false;
            }
            if (c == '\\') {
                if (!parse_escape(out)) {
                    return false;
                }
            } else if (!copy_utf8(out)) {
                return false;
            }
        }
        return false;
    }

    bool parse_escape(std::string& out) {
        ++pos_;
        const char c = peek();
        ++pos_;
        switch (c) {
            case '"': out += '"'; return true;
            case '\\': out += '\\'; return true;
            case '/': out += '/'; return true;
            case 'b': out += '\b'; return true;
            case 'f': out += '\f'; return true;
            case 'n': out += '\n'; return true;
            case 'r': out += '\r'; return true;
            case 't': out += '\t'; return true;
            case 'u': return parse_unicode(out);
            default: return false;
        }
    }

    bool hex4(unsigned& out) {
        out = 0;
        for (int i = 0; i < 4; ++i, ++pos_) {
            const char c = peek();
            const int v = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
            if (v < 0) {
                return false;
            }
            out = out * 16 + static_cast<unsigned>(v);
        }
        return true;
    }

    bool parse_unicode(std::string& out) {
        unsigned code = 0;
        if (!hex4(code) || (code >= 0xDC00 && code <= 0xDFFF)) {
            return false;
        }
        if (code >= 0xD800 && code <= 0xDBFF) {
            unsigned low = 0;
            if (!literal("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) {
                return false;
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, code);
        return true;
    }

    static void append_utf8(std::string& out, unsigned code) {
        if (code < 0x80) {
            out += static_cast<char>(code);
        } else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (code >> 18));
            out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        }
    }

    // One UTF-8 sequence, checked (no overlongs, surrogates or > U+10FFFF).
    bool copy_utf8(std::string& out) {
        const auto lead = static_cast<unsigned char>(text_[pos_]);
        std::size_t length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2
                                     : lead >= 0xE0 && lead <= 0xEF         ? 3
                                     : lead >= 0xF0 && lead <= 0xF4         ? 4
                                                                            : 0;
        if (length == 0 || pos_ + length > text_.size()) {
            return false;
        }
        unsigned code = length == 1 ? lead : lead & (0x7F >> length);
        for (std::size_t i = 1; i < length; ++i) {
            const auto c = static_cast<unsigned char>(text_[pos_ + i]);
            if ((c & 0xC0) != 0x80) {
                return false;
            }
            code = (code << 6) | (c & 0x3F);
        }
        const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
        if (overlong || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
            return false;
        }
        out.append(text_.substr(pos_, length));
        pos_ += length;
        return true;
    }

    std::string_view text_;
    const JsonLimits& limits_;
    std::size_t pos_ = 0;
};

void write_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (u < 0x20 || u == 0x7F) {
            out += "\\u00";
            out += kHex[u >> 4];
            out += kHex[u & 0xF];
        } else {
            out += c;
        }
    }
    out += '"';
}

void write_value(std::string& out, const JsonValue& value) {
    switch (value.type) {
        case JsonType::kNull: out += "null"; return;
        case JsonType::kBool: out += value.boolean ? "true" : "false"; return;
        case JsonType::kNumber: out += value.text; return;
        case JsonType::kString: write_string(out, value.text); return;
        case JsonType::kArray:
            out += '[';
            for (std::size_t i = 0; i < value.items.size(); ++i) {
                out += i == 0 ? "" : ",";
                write_value(out, value.items[i]);
            }
            out += ']';
            return;
        case JsonType::kObject:
            out += '{';
            for (std::size_t i = 0; i < value.members.size(); ++i) {
                out += i == 0 ? "" : ",";
                write_string(out, value.members[i].key);
                out += ':';
                write_value(out, value.members[i].value);
            }
            out += '}';
            return;
    }
}

}  // namespace

JsonValue JsonValue::string(std::string value) {
    JsonValue out;
    out.type = JsonType::kString;
    out.text = std::move(value);
    return out;
}

JsonValue JsonValue::number(long long value) {
    JsonValue out;
    out.type = JsonType::kNumber;
    out.text = std::to_string(value);
    return out;
}

JsonValue JsonValue::object() {
    JsonValue out;
    out.type = JsonType::kObject;
    return out;
}

JsonValue JsonValue::array() {
    JsonValue out;
    out.type = JsonType::kArray;
    return out;
}

const JsonValue* JsonValue::find(std::string_view key) const {
    for (const auto& [name, value] : members) {
        if (name == key) {
            return &value;
        }
    }
    return nullptr;
}

void JsonValue::set(std::string key, JsonValue value) {
    for (auto& [name, existing] : members) {
        if (name == key) {
            existing = std::move(value);
            return;
        }
    }
    members.push_back(JsonMember{std::move(key), std::move(value)});
}

std::optional<JsonValue> parse_json(std::string_view text, const JsonLimits& limits) {
    if (text.size() > limits.max_size) {
        return std::nullopt;
    }
    return Parser(text, limits).document();
}

std::string to_json(const JsonValue& value) {
    std::string out;
    write_value(out, value);
    return out;
}

}  // namespace execd
