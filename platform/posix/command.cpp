// command_argv for POSIX: sh's word splitting for plain words, sh -c for
// the rest.
#include "pal/command.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

namespace pal {
namespace {

constexpr std::string_view kShell = "/bin/sh";
// Characters that make sh do more than split words: operators,
// expansions, globs, comments, newlines.
constexpr std::string_view kShellSyntax = "|&;<>()$`*?[]{}~#!\n";

// sh's quoting: '...' literal, "..." with \ before " \ $ `, \ outside
// quotes escapes the next character. nullopt for unbalanced quotes.
std::optional<std::vector<std::string>> split_words(std::string_view command) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    for (std::size_t i = 0; i < command.size(); ++i) {
        const char c = command[i];
        if (c == ' ' || c == '\t') {
            if (in_word) {
                words.push_back(std::move(word));
                word.clear();
                in_word = false;
            }
            continue;
        }
        in_word = true;
        if (c == '\\' && i + 1 < command.size()) {
            word += command[++i];
        } else if (c == '\'' || c == '"') {
            const std::size_t end = command.find(c, i + 1);
            if (end == std::string_view::npos) {
                return std::nullopt;
            }
            for (std::size_t j = i + 1; j < end; ++j) {
                const bool escape = c == '"' && command[j] == '\\' && j + 1 < end &&
                                    std::string_view("\"\\$`").find(command[j + 1]) !=
                                        std::string_view::npos;
                word += command[escape ? ++j : j];
            }
            i = end;
        } else {
            word += c;
        }
    }
    if (in_word) {
        words.push_back(std::move(word));
    }
    return words;
}

std::optional<std::string> find_in_path(const std::string& program) {
    if (program.find('/') != std::string::npos) {
        return program;
    }
    const char* path = std::getenv("PATH");
    std::string_view dirs = path ? path : "/usr/bin:/bin";
    while (true) {
        const std::size_t colon = dirs.find(':');
        std::string dir(dirs.substr(0, colon));
        const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0 &&
            !std::filesystem::is_directory(candidate)) {
            return std::filesystem::absolute(candidate).string();
        }
        if (colon == std::string_view::npos) {
            return std::nullopt;
        }
        dirs.remove_prefix(colon + 1);
    }
}

}  // namespace

std::error_code command_argv(std::string_view command, CommandArgv& out) {
    if (command.find_first_of(kShellSyntax) != std::string_view::npos) {
        out = {{std::string(kShell), "-c", std::string(command)}, true};
        return {};
    }
    auto words = split_words(command);
    if (!words || words->empty()) {
        return std::make_error_code(std::errc::invalid_argument);
    }
    const auto program = find_in_path(words->front());
    if (!program) {
        return std::make_error_code(std::errc::no_such_file_or_directory);
    }
    words->front() = *program;
    out = {std::move(*words), false};
    return {};
}

}  // namespace pal
