#include "pal/paths.hpp"

#include <windows.h>

#include <string>

namespace pal {

std::filesystem::path executable_path() {
    // GetModuleFileNameW truncates silently when the buffer is too small,
    // so grow it until the name fits (long paths reach 32767 characters).
    std::wstring buffer(MAX_PATH, L'\0');
    while (buffer.size() <= 32768) {
        const DWORD size = ::GetModuleFileNameW(nullptr, buffer.data(),
                                                static_cast<DWORD>(buffer.size()));
        if (size == 0) {
            return {};
        }
        if (size < buffer.size()) {
            buffer.resize(size);
            return std::filesystem::path(buffer);
        }
        buffer.resize(buffer.size() * 2);
    }
    return {};
}

}  // namespace pal
