// Making a raw log line safe to send as text, without losing anything.
//
// Bytes that are not valid UTF-8, control characters other than TAB (NUL
// and CR included) and DEL become "\xHH" (two upper-case hex digits). A
// backslash that would otherwise read as such an escape ("\x" followed by
// two hex digits in the input) becomes "\x5C", so unescape_line() gives
// back the raw bytes exactly. Every other byte, backslashes included, is
// left alone, so ordinary lines (Windows paths too) reach the manager's
// decoders unchanged.
#pragma once

#include <string>
#include <string_view>

namespace logcollector {

// True when escape_line would change raw.
bool needs_escape(std::string_view raw);

// Appends the escaped form of raw to out.
void escape_line(std::string_view raw, std::string& out);

// The raw bytes an escaped line came from.
std::string unescape_line(std::string_view escaped);

// The largest length <= limit at which escaped text can be cut without
// splitting a UTF-8 character or an "\xHH" escape.
std::size_t safe_cut(std::string_view escaped, std::size_t limit);

}  // namespace logcollector
