#include "rootcheck/os_regex.hpp"

#include <array>
#include <memory>

namespace rootcheck {
namespace {

using Op = OsRegex::Op;
using Instruction = OsRegex::Instruction;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

enum class Tok { kByte, kClass, kAny, kBegin, kEnd, kOpen, kClose, kBar, kStar, kPlus };
struct Token {
    Tok kind;
    char value = 0;
};

// Splits the pattern the way OSSEC's converter reads it; false when it
// holds a backslash sequence OSSEC refuses.
bool tokenize(std::string_view p, std::vector<Token>& out) {
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        if (i >= 2 && p[i - 2] == '\\' && (c == '*' || c == '+')) {
            out.push_back({c == '*' ? Tok::kStar : Tok::kPlus});
            continue;
        }
        if (c != '\\') {
            switch (c) {
            case '$': out.push_back({Tok::kEnd}); break;
            case '^': out.push_back({Tok::kBegin}); break;
            case '(': out.push_back({Tok::kOpen}); break;
            case ')': out.push_back({Tok::kClose}); break;
            case '|': out.push_back({Tok::kBar}); break;
            default: out.push_back({Tok::kByte, lower(c)}); break;
            }
            continue;
        }
        if (i + 1 >= p.size()) {
            return false;
        }
        const char d = p[++i];
        if (std::string_view("pswWdDS").find(d) != std::string_view::npos) {
            out.push_back({Tok::kClass, d});
        } else if (d == '.') {
            out.push_back({Tok::kAny});
        } else if (std::string_view("t$(){}[]\\|<").find(d) != std::string_view::npos) {
            out.push_back({Tok::kByte, d == 't' ? '\t' : d});
        } else {
            return false;
        }
    }
    return true;
}

// Syntax tree of the pattern.
struct Node {
    enum class Kind { kLeaf, kConcat, kAlternation, kStar, kPlus } kind = Kind::kLeaf;
    Instruction leaf;
    std::vector<std::unique_ptr<Node>> children;
};

class Parser {
public:
    explicit Parser(const std::vector<Token>& tokens) : tokens_(tokens) {}

    std::unique_ptr<Node> parse() {
        auto node = alternation(0);
        if (!node || pos_ != tokens_.size()) {
            return nullptr;  // an unmatched ')' or a bad quantifier
        }
        return node;
    }

private:
    // Nesting deeper than this is refused (bounds the recursion).
    static constexpr int kMaxDepth = 200;

    bool at(Tok kind) const { return pos_ < tokens_.size() && tokens_[pos_].kind == kind; }

    std::unique_ptr<Node> alternation(int depth) {
        if (depth > kMaxDepth) {
            return nullptr;
        }
        auto node = std::make_unique<Node>();
        node->kind = Node::Kind::kAlternation;
        do {
            if (!node->children.empty()) {
                ++pos_;  // the '|'
            }
            auto branch = sequence(depth);
            if (!branch) {
                return nullptr;
            }
            node->children.push_back(std::move(branch));
        } while (at(Tok::kBar));
        return node;
    }

    std::unique_ptr<Node> sequence(int depth) {
        auto node = std::make_unique<Node>();
        node->kind = Node::Kind::kConcat;
        while (pos_ < tokens_.size() && !at(Tok::kBar) && !at(Tok::kClose)) {
            bool repeatable = true;
            auto item = atom(depth, repeatable);
            if (!item) {
                return nullptr;
            }
            if (at(Tok::kStar) || at(Tok::kPlus)) {
                if (!repeatable) {
                    return nullptr;
                }
                auto loop = std::make_unique<Node>();
                loop->kind = at(Tok::kStar) ? Node::Kind::kStar : Node::Kind::kPlus;
                loop->children.push_back(std::move(item));
                item = std::move(loop);
                ++pos_;
            }
            node->children.push_back(std::move(item));
        }
        return node;
    }

    std::unique_ptr<Node> atom(int depth, bool& repeatable) {
        const Token token = tokens_[pos_++];
        auto node = std::make_unique<Node>();
        switch (token.kind) {
        case Tok::kByte: node->leaf = {Op::kByte, static_cast<std::uint8_t>(token.value)}; break;
        case Tok::kClass:
            node->leaf = {Op::kClass, static_cast<std::uint8_t>(token.value)};
            break;
        case Tok::kAny: node->leaf = {Op::kAny}; break;
        case Tok::kBegin:
            node->leaf = {Op::kBegin};
            repeatable = false;
            break;
        case Tok::kEnd:
            node->leaf = {Op::kEnd};
            repeatable = false;
            break;
        case Tok::kOpen: {
            auto inner = alternation(depth + 1);
            if (!inner || !at(Tok::kClose)) {
                return nullptr;
            }
            ++pos_;
            return inner;
        }
        default: return nullptr;  // a quantifier with nothing to repeat
        }
        return node;
    }

    const std::vector<Token>& tokens_;
    std::size_t pos_ = 0;
};

class Emitter {
public:
    explicit Emitter(std::vector<Instruction>& program) : program_(program) {}

    void emit(const Node& node) {
        switch (node.kind) {
        case Node::Kind::kLeaf: program_.push_back(node.leaf); break;
        case Node::Kind::kConcat:
            for (const auto& child : node.children) {
                emit(*child);
            }
            break;
        case Node::Kind::kAlternation: alternation(node, 0); break;
        case Node::Kind::kStar: {
            const int split = add({Op::kSplit});
            program_[split].next = here();
            emit(*node.children[0]);
            add({Op::kJump, 0, split});
            program_[split].alternative = here();
            break;
        }
        case Node::Kind::kPlus: {
            const int start = here();
            emit(*node.children[0]);
            add({Op::kSplit, 0, start, here() + 1});
            break;
        }
        }
    }

private:
    int here() const { return static_cast<int>(program_.size()); }
    int add(Instruction instruction) {
        program_.push_back(instruction);
        return here() - 1;
    }

    void alternation(const Node& node, std::size_t first) {
        if (first + 1 == node.children.size()) {
            emit(*node.children[first]);
            return;
        }
        const int split = add({Op::kSplit});
        program_[split].next = here();
        emit(*node.children[first]);
        const int jump = add({Op::kJump});
        program_[split].alternative = here();
        alternation(node, first + 1);
        program_[jump].next = here();
    }

    std::vector<Instruction>& program_;
};

bool in_class(char letter, unsigned char c) {
    const bool digit = c >= '0' && c <= '9';
    const bool word = digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@' ||
                      c == '_' || c == '-';
    switch (letter) {
    case 'd': return digit;
    case 'D': return !digit;
    case 'w': return word;
    case 'W': return !word;
    case 's': return c == ' ';
    case 'S': return c != ' ';
    case 'p': return c < 0x80 && std::string_view("()*+,.:;<=>?[]!\"'#%&$|{}-").find(
                                     static_cast<char>(c)) != std::string_view::npos;
    default: return false;
    }
}

// Bytes of the character at text[pos]: a whole UTF-8 sequence when one
// starts there (PCRE2's UTF mode reads characters, not bytes), else 1.
std::size_t char_width(std::string_view text, std::size_t pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    std::size_t width = 1;
    if (lead >= 0xC2 && lead <= 0xDF) {
        width = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        width = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        width = 4;
    }
    if (pos + width > text.size()) {
        return 1;
    }
    for (std::size_t i = 1; i < width; ++i) {
        if ((static_cast<unsigned char>(text[pos + i]) & 0xC0) != 0x80) {
            return 1;
        }
    }
    return width;
}

// Bytes the instruction consumes at pos, 0 when it does not match there.
std::size_t step_width(const Instruction& in, std::string_view text, std::size_t pos) {
    if (pos >= text.size()) {
        return 0;
    }
    const auto c = static_cast<unsigned char>(text[pos]);
    switch (in.op) {
    case Op::kByte: return static_cast<unsigned char>(lower(static_cast<char>(c))) == in.value;
    case Op::kAny: return char_width(text, pos);
    case Op::kClass: {
        const char letter = static_cast<char>(in.value);
        if (!in_class(letter, c)) {
            return 0;
        }
        const bool negated = letter == 'D' || letter == 'W' || letter == 'S';
        return negated ? char_width(text, pos) : 1;
    }
    default: return 0;
    }
}

}  // namespace

std::optional<OsRegex> OsRegex::compile(std::string_view pattern) {
    if (pattern.size() > kMaxPatternSize) {
        return std::nullopt;
    }
    std::vector<Token> tokens;
    if (!tokenize(pattern, tokens)) {
        return std::nullopt;
    }
    const auto tree = Parser(tokens).parse();
    if (!tree) {
        return std::nullopt;
    }
    OsRegex regex;
    Emitter(regex.program_).emit(*tree);
    regex.program_.push_back({Op::kMatch});
    return regex;
}

bool OsRegex::matches(std::string_view text) const {
    // Threads waiting at pos, pos+1, ... pos+4 (a character is at most 4
    // bytes); seen[slot][pc] == position marks a thread already queued.
    constexpr std::size_t kSlots = 5;
    const std::size_t size = program_.size();
    std::array<std::vector<int>, kSlots> queued;
    std::array<std::vector<std::size_t>, kSlots> seen;
    for (auto& s : seen) {
        s.assign(size, static_cast<std::size_t>(-1));
    }
    std::vector<int> stack;

    // Adds pc and everything reachable from it without consuming; true
    // when that reaches kMatch.
    const auto add = [&](std::size_t pos, int start) {
        auto& list = queued[pos % kSlots];
        auto& marks = seen[pos % kSlots];
        stack.assign(1, start);
        while (!stack.empty()) {
            const int pc = stack.back();
            stack.pop_back();
            if (marks[static_cast<std::size_t>(pc)] == pos) {
                continue;
            }
            marks[static_cast<std::size_t>(pc)] = pos;
            const Instruction& in = program_[static_cast<std::size_t>(pc)];
            switch (in.op) {
            case Op::kMatch: return true;
            case Op::kJump: stack.push_back(in.next); break;
            case Op::kSplit:
                stack.push_back(in.alternative);
                stack.push_back(in.next);
                break;
            case Op::kBegin:
                if (pos == 0) {
                    stack.push_back(pc + 1);
                }
                break;
            case Op::kEnd:
                if (pos == text.size()) {
                    stack.push_back(pc + 1);
                }
                break;
            default: list.push_back(pc); break;
            }
        }
        return false;
    };

    for (std::size_t pos = 0; pos <= text.size(); ++pos) {
        if (add(pos, 0)) {
            return true;
        }
        auto current = std::move(queued[pos % kSlots]);
        queued[pos % kSlots].clear();
        for (const int pc : current) {
            const std::size_t width = step_width(program_[static_cast<std::size_t>(pc)], text, pos);
            if (width > 0 && add(pos + width, pc + 1)) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace rootcheck
