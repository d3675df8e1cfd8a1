// Path names as they travel in syscheck messages and the local baseline.
// A path may hold any bytes but the message must stay one line of text, so:
// bytes that are not valid UTF-8, control characters (TAB, CR, LF and NUL
// included) and DEL become "\xHH" (two upper-case hex digits); a backslash
// that would read as such an escape ("\x" and two hex digits) becomes
// "\x5C". Every other byte is left alone, so ordinary paths (Windows paths
// with their backslashes too) reach the manager exactly as OSSEC sends them.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace syscheck {

std::string escape_path(std::string_view raw);

// The raw bytes an escaped path came from.
std::string unescape_path(std::string_view escaped);

// A path's bytes as messages and the baseline carry them (UTF-8 on
// Windows, the raw bytes on POSIX), and back.
std::string raw_text(const std::filesystem::path& path);
std::filesystem::path path_of(std::string_view raw);

bool is_separator(char c);  // '/' or '\\'
// "/etc/" and "/etc" name the same entry; "/" stays "/".
std::string without_trailing_separator(std::string path);
// path is root or lies under it (raw paths, separators as written).
bool is_under(std::string_view path, std::string_view root);

}  // namespace syscheck
