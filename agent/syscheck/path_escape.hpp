// Path names as they travel in syscheck messages and the local baseline.
// A path may hold any bytes but the message must stay one line of text, so:
// bytes that are not valid UTF-8, control characters (TAB, CR, LF and NUL
// included) and DEL become "\xHH" (two upper-case hex digits); a backslash
// that would read as such an escape ("\x" and two hex digits) becomes
// "\x5C". Every other byte is left alone, so ordinary paths (Windows paths
// with their backslashes too) reach the manager exactly as OSSEC sends them.
#pragma once

#include <string>
#include <string_view>

namespace syscheck {

std::string escape_path(std::string_view raw);

// The raw bytes an escaped path came from.
std::string unescape_path(std::string_view escaped);

}  // namespace syscheck
