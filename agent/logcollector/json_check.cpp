#include "logcollector/json_check.hpp"

namespace logcollector {
namespace {

class JsonChecker {
public:
    explicit JsonChecker(std::string_view text) : text_(text) {}

    bool whole_object() {
        skip_space();
        if (peek() != '{' || !value(0)) {
            return false;
        }
        skip_space();
        return pos_ == text_.size();
    }

private:
    char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
    bool at_end() const { return pos_ >= text_.size(); }

    void skip_space() {
        while (!at_end()) {
            const char c = text_[pos_];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
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

    bool value(int depth) {
        skip_space();
        switch (peek()) {
            case '{': return depth < kMaxJsonDepth && object(depth + 1);
            case '[': return depth < kMaxJsonDepth && array(depth + 1);
            case '"': return string();
            case 't': return literal("true");
            case 'f': return literal("false");
            case 'n': return literal("null");
            default: return number();
        }
    }

    bool object(int depth) {
        ++pos_;  // '{'
        skip_space();
        if (peek() == '}') {
            ++pos_;
            return true;
        }
        while (true) {
            skip_space();
            if (peek() != '"' || !string()) {
                return false;
            }
            skip_space();
            if (peek() != ':') {
                return false;
            }
            ++pos_;
            if (!value(depth)) {
                return false;
            }
            skip_space();
            if (peek() == '}') {
                ++pos_;
                return true;
            }
            if (peek() != ',') {
                return false;
            }
            ++pos_;
        }
    }

    bool array(int depth) {
        ++pos_;  // '['
        skip_space();
        if (peek() == ']') {
            ++pos_;
            return true;
        }
        while (true) {
            if (!value(depth)) {
                return false;
            }
            skip_space();
            if (peek() == ']') {
                ++pos_;
                return true;
            }
            if (peek() != ',') {
                return false;
            }
            ++pos_;
        }
    }

    static bool hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    bool string() {
        ++pos_;  // '"'
        while (!at_end()) {
            const auto c = static_cast<unsigned char>(text_[pos_++]);
            if (c == '"') {
                return true;
            }
            if (c < 0x20) {
                return false;
            }
            if (c != '\\') {
                continue;
            }
            const char e = peek();
            ++pos_;
            if (e == 'u') {
                for (int i = 0; i < 4; ++i, ++pos_) {
                    if (!hex(peek())) {
                        return false;
                    }
                }
            } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos ||
                       e == '\0') {
                return false;
            }
        }
        return false;
    }

    bool digits() {
        const std::size_t start = pos_;
        while (peek() >= '0' && peek() <= '9') {
            ++pos_;
        }
        return pos_ > start;
    }

    bool number() {
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
        return true;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

bool is_json_object(std::string_view text) { return JsonChecker(text).whole_object(); }

}  // namespace logcollector
