// MSVCRT command-line quoting. Plain string work, compiled on every OS so
// that the round trip is tested on Linux as well as under Wine.
#include <string>
#include <string_view>
#include <vector>

#include "pal/process.hpp"

namespace pal {
namespace {

bool needs_quotes(std::string_view arg) {
    return arg.empty() || arg.find_first_of(" \t\n\v\"") != std::string_view::npos;
}

// One argument after the first: backslashes are literal unless they precede
// a '"', where they are doubled and the quote escaped; a closing quote
// doubles the backslashes before it.
void append_quoted(std::string& line, std::string_view arg) {
    if (!needs_quotes(arg)) {
        line += arg;
        return;
    }
    line += '"';
    std::size_t backslashes = 0;
    for (char c : arg) {
        if (c == '\\') {
            ++backslashes;
            continue;
        }
        if (c == '"') {
            line.append(backslashes * 2 + 1, '\\');
        } else {
            line.append(backslashes, '\\');
        }
        backslashes = 0;
        line += c;
    }
    line.append(backslashes * 2, '\\');
    line += '"';
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// argv[0] follows its own rule: up to the next quote, no escapes.
std::size_t parse_program(std::string_view line, std::string& program) {
    std::size_t i = 0;
    if (!line.empty() && line[0] == '"') {
        const std::size_t end = line.find('"', 1);
        program = line.substr(1, end == std::string_view::npos ? end : end - 1);
        return end == std::string_view::npos ? line.size() : end + 1;
    }
    while (i < line.size() && !is_blank(line[i])) {
        program += line[i++];
    }
    return i;
}

}  // namespace

std::string build_command_line(const std::vector<std::string>& argv) {
    std::string line;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (i == 0) {
            line += '"' + argv[0] + '"';
            continue;
        }
        line += ' ';
        append_quoted(line, argv[i]);
    }
    return line;
}

std::vector<std::string> parse_command_line(std::string_view line) {
    std::vector<std::string> args(1);
    std::size_t i = parse_program(line, args[0]);
    for (;;) {
        while (i < line.size() && is_blank(line[i])) {
            ++i;
        }
        if (i >= line.size()) {
            return args;
        }
        std::string arg;
        bool quoted = false;
        while (i < line.size() && (quoted || !is_blank(line[i]))) {
            std::size_t backslashes = 0;
            while (i < line.size() && line[i] == '\\') {
                ++backslashes;
                ++i;
            }
            if (i < line.size() && line[i] == '"') {
                arg.append(backslashes / 2, '\\');
                if (backslashes % 2 == 1) {
                    arg += '"';
                } else if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
                    arg += '"';  // "" inside quotes: a literal quote
                    ++i;
                } else {
                    quoted = !quoted;
                }
                ++i;
                continue;
            }
            arg.append(backslashes, '\\');
            if (i < line.size() && (quoted || !is_blank(line[i]))) {
                arg += line[i++];
            }
        }
        args.push_back(std::move(arg));
    }
}

std::optional<std::string> build_batch_command_line(const std::vector<std::string>& argv) {
    std::string line;
    for (const std::string& arg : argv) {
        if (arg.find_first_of(std::string_view("\"%\r\n\0", 5)) != std::string::npos) {
            return std::nullopt;
        }
        if (!line.empty()) {
            line += ' ';
        }
        // cmd.exe gives backslashes no meaning, so quotes alone suffice;
        // %~1 in the batch file yields the argument unchanged.
        line += '"' + arg + '"';
    }
    return line;
}

}  // namespace pal
