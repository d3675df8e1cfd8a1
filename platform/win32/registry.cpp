// The registry through RegOpenKeyExW / RegEnumKeyExW / RegEnumValueW, in
// the 64-bit view, names and strings converted between UTF-16 and UTF-8.
#include "pal/registry.hpp"

#include <windows.h>

#include "win32_error.hpp"

namespace pal {
namespace {

std::wstring widen(const std::string& text) {
    if (text.empty()) {
        return {};
    }
    const int size = ::MultiByteToWideChar(CP_UTF8, 0, text.data(),
                                           static_cast<int>(text.size()), nullptr, 0);
    std::wstring out(static_cast<std::size_t>(size), L'\0');
    ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(),
                          size);
    return out;
}

std::string narrow(const wchar_t* text, std::size_t length) {
    if (length == 0) {
        return {};
    }
    const int size = ::WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(length), nullptr,
                                           0, nullptr, nullptr);
    std::string out(static_cast<std::size_t>(size), '\0');
    ::WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(length), out.data(), size, nullptr,
                          nullptr);
    return out;
}

HKEY handle_of(RegistryRoot root) {
    switch (root) {
    case RegistryRoot::kLocalMachine: return HKEY_LOCAL_MACHINE;
    case RegistryRoot::kClassesRoot: return HKEY_CLASSES_ROOT;
    case RegistryRoot::kCurrentConfig: return HKEY_CURRENT_CONFIG;
    case RegistryRoot::kUsers: return HKEY_USERS;
    case RegistryRoot::kCurrentUser: return HKEY_CURRENT_USER;
    }
    return HKEY_LOCAL_MACHINE;
}

std::error_code code(LONG status) { return win32::to_error_code(static_cast<DWORD>(status)); }

// Closes the key on destruction.
class Key {
public:
    std::error_code open(RegistryRoot root, const std::string& path, REGSAM access) {
        return code(::RegOpenKeyExW(handle_of(root), widen(path).c_str(), 0,
                                    access | KEY_WOW64_64KEY, &key_));
    }
    ~Key() {
        if (key_ != nullptr) {
            ::RegCloseKey(key_);
        }
    }
    HKEY get() const { return key_; }

private:
    HKEY key_ = nullptr;
};

// UTF-16 registry data as this interface hands it out.
std::string string_data(std::uint32_t type, const BYTE* data, DWORD size) {
    const auto* text = reinterpret_cast<const wchar_t*>(data);
    std::size_t chars = size / sizeof(wchar_t);
    if (type != kRegMultiSz) {
        std::size_t end = 0;
        while (end < chars && text[end] != L'\0') {
            ++end;
        }
        return narrow(text, end);
    }
    std::string out;
    std::size_t start = 0;
    while (start < chars && text[start] != L'\0') {
        std::size_t end = start;
        while (end < chars && text[end] != L'\0') {
            ++end;
        }
        out += narrow(text + start, end - start);
        out.push_back('\0');
        start = end + 1;
    }
    return out;
}

}  // namespace

std::error_code registry_subkeys(RegistryRoot root, const std::string& key,
                                 std::vector<std::string>& out) {
    out.clear();
    Key k;
    if (const auto ec = k.open(root, key, KEY_READ)) {
        return ec;
    }
    DWORD count = 0;
    DWORD longest = 0;
    LONG status = ::RegQueryInfoKeyW(k.get(), nullptr, nullptr, nullptr, &count, &longest,
                                     nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    if (status != ERROR_SUCCESS) {
        return code(status);
    }
    std::wstring name(longest + 2, L'\0');
    for (DWORD i = 0; i < count; ++i) {
        DWORD length = static_cast<DWORD>(name.size());
        status = ::RegEnumKeyExW(k.get(), i, name.data(), &length, nullptr, nullptr, nullptr,
                                 nullptr);
        if (status == ERROR_NO_MORE_ITEMS) {
            break;
        }
        if (status == ERROR_SUCCESS) {
            out.push_back(narrow(name.data(), length));
        }
    }
    return {};
}

std::error_code registry_values(RegistryRoot root, const std::string& key,
                                std::vector<RegistryValue>& out) {
    out.clear();
    Key k;
    if (const auto ec = k.open(root, key, KEY_READ)) {
        return ec;
    }
    DWORD count = 0;
    DWORD longest_name = 0;
    DWORD longest_data = 0;
    LONG status = ::RegQueryInfoKeyW(k.get(), nullptr, nullptr, nullptr, nullptr, nullptr,
                                     nullptr, &count, &longest_name, &longest_data, nullptr,
                                     nullptr);
    if (status != ERROR_SUCCESS) {
        return code(status);
    }
    std::wstring name(longest_name + 2, L'\0');
    std::vector<BYTE> data(longest_data + 2);
    for (DWORD i = 0; i < count; ++i) {
        DWORD name_length = static_cast<DWORD>(name.size());
        DWORD size = static_cast<DWORD>(data.size());
        DWORD type = 0;
        status = ::RegEnumValueW(k.get(), i, name.data(), &name_length, nullptr, &type,
                                 data.data(), &size);
        if (status == ERROR_NO_MORE_ITEMS) {
            break;
        }
        if (status != ERROR_SUCCESS) {
            continue;  // changed while we read; the next scan sees it
        }
        RegistryValue value;
        value.name = narrow(name.data(), name_length);
        value.type = type;
        if (type == REG_SZ || type == REG_EXPAND_SZ || type == REG_MULTI_SZ) {
            value.data = string_data(type, data.data(), size);
        } else {
            value.data.assign(reinterpret_cast<const char*>(data.data()), size);
        }
        out.push_back(std::move(value));
    }
    return {};
}

std::error_code registry_set_value(RegistryRoot root, const std::string& key,
                                   const RegistryValue& value) {
    HKEY created = nullptr;
    LONG status = ::RegCreateKeyExW(handle_of(root), widen(key).c_str(), 0, nullptr, 0,
                                    KEY_WRITE | KEY_WOW64_64KEY, nullptr, &created, nullptr);
    if (status != ERROR_SUCCESS) {
        return code(status);
    }
    std::vector<BYTE> bytes;
    if (value.type == kRegSz || value.type == kRegExpandSz || value.type == kRegMultiSz) {
        const std::wstring text = widen(value.data);
        bytes.assign(reinterpret_cast<const BYTE*>(text.data()),
                     reinterpret_cast<const BYTE*>(text.data() + text.size()));
        bytes.push_back(0);
        bytes.push_back(0);
        if (value.type == kRegMultiSz) {
            bytes.push_back(0);
            bytes.push_back(0);
        }
    } else {
        bytes.assign(value.data.begin(), value.data.end());
    }
    status = ::RegSetValueExW(created, widen(value.name).c_str(), 0, value.type, bytes.data(),
                              static_cast<DWORD>(bytes.size()));
    ::RegCloseKey(created);
    return code(status);
}

std::error_code registry_delete_tree(RegistryRoot root, const std::string& key) {
    std::vector<std::string> children;
    if (const auto ec = registry_subkeys(root, key, children)) {
        return ec == std::errc::no_such_file_or_directory ? std::error_code() : ec;
    }
    for (const auto& child : children) {
        if (const auto ec = registry_delete_tree(root, key + "\\" + child)) {
            return ec;
        }
    }
    const LONG status =
        ::RegDeleteKeyExW(handle_of(root), widen(key).c_str(), KEY_WOW64_64KEY, 0);
    return status == ERROR_FILE_NOT_FOUND ? std::error_code() : code(status);
}

}  // namespace pal
