// Translation of Win32 error numbers into std::error_code, done here and
// nowhere else. Internal to platform/win32.
#pragma once

#include <windows.h>

#include <system_error>

namespace pal::win32 {

// The Win32 error as a std::error_code. Errors that callers test against a
// portable condition (a missing file or directory) become that condition,
// so `ec == std::errc::no_such_file_or_directory` holds on every OS; the
// rest keep their Win32 number in std::system_category().
inline std::error_code to_error_code(DWORD error) {
    switch (error) {
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND:
        case ERROR_INVALID_DRIVE:
        case ERROR_BAD_NETPATH:
            return std::make_error_code(std::errc::no_such_file_or_directory);
        default:
            return {static_cast<int>(error), std::system_category()};
    }
}

inline std::error_code last_error() { return to_error_code(::GetLastError()); }

}  // namespace pal::win32
