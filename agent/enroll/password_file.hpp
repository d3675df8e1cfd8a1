// The enrollment password as an admin stores it in etc/authd.pass (or a
// file given to agent-auth -P), whatever editor wrote it.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace enroll {

// The password in the file's bytes: its first line, without CR or LF.
// A UTF-8 byte order mark is dropped; UTF-16 with a byte order mark
// (little or big endian, as Windows Notepad writes it) is decoded to
// UTF-8. Fails on an empty password, on a NUL or other control character
// (a NUL usually means UTF-16 without a byte order mark), on an
// odd-sized or badly paired UTF-16 text. Errors never quote the
// password.
core::Result<std::string> decode_password_file(std::string_view bytes);

}  // namespace enroll
