// command_argv for Windows: the MSVCRT's splitting for plain words,
// cmd.exe /c for the rest (and for cmd.exe's built-in commands, such as
// dir or echo, which are no program in PATH).
#include "pal/command.hpp"

#include <windows.h>

#include <filesystem>
#include <optional>

#include "pal/process.hpp"

namespace pal {
namespace {

constexpr std::string_view kShellSyntax = "|&<>^%\r\n";

std::string cmd_exe() {
    wchar_t dir[MAX_PATH];
    const UINT n = ::GetSystemDirectoryW(dir, MAX_PATH);
    const std::filesystem::path system = n > 0 && n < MAX_PATH
        ? std::filesystem::path(std::wstring(dir, n))
        : std::filesystem::path(L"C:\\Windows\\System32");
    return (system / "cmd.exe").string();
}

bool is_file(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

// The program as CreateProcess would find it, with PATHEXT's extensions.
std::optional<std::string> find_program(const std::string& program) {
    const std::filesystem::path name(program);
    std::vector<std::filesystem::path> dirs;
    if (name.has_parent_path()) {
        dirs.push_back({});
    } else {
        wchar_t buffer[32767];
        const DWORD n = ::GetEnvironmentVariableW(L"PATH", buffer, 32767);
        std::wstring_view path(buffer, n < 32767 ? n : 0);
        while (!path.empty()) {
            const std::size_t semi = path.find(L';');
            dirs.emplace_back(path.substr(0, semi));
            path.remove_prefix(semi == std::wstring_view::npos ? path.size() : semi + 1);
        }
    }
    for (const auto& dir : dirs) {
        for (const char* ext : {"", ".exe", ".com", ".bat", ".cmd"}) {
            const auto candidate = dir / (program + ext);
            if (is_file(candidate)) {
                return std::filesystem::absolute(candidate).string();
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::error_code command_argv(std::string_view command, CommandArgv& out) {
    if (command.find_first_not_of(" \t") == std::string_view::npos) {
        return std::make_error_code(std::errc::invalid_argument);
    }
    std::vector<std::string> words;
    if (command.find_first_of(kShellSyntax) == std::string_view::npos) {
        words = parse_command_line(command);
    }
    const auto program = words.empty() ? std::nullopt : find_program(words.front());
    if (!program) {
        // Shell syntax, or a cmd.exe built-in: cmd.exe runs it as written.
        out = {{cmd_exe(), "/c", std::string(command)}, true};
        return {};
    }
    words.front() = *program;
    out = {std::move(words), false};
    return {};
}

}  // namespace pal
