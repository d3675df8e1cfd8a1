#include "pal/system_info.hpp"

#include <windows.h>

#include <optional>
#include <string>

namespace pal {
namespace {

constexpr wchar_t kVersionKey[] = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";

std::string to_utf8(const std::wstring& text) {
    if (text.empty()) {
        return {};
    }
    const int size = ::WideCharToMultiByte(CP_UTF8, 0, text.data(),
                                           static_cast<int>(text.size()), nullptr, 0,
                                           nullptr, nullptr);
    std::string out(static_cast<std::size_t>(size), '\0');
    ::WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                          out.data(), size, nullptr, nullptr);
    return out;
}

std::optional<std::wstring> read_string(const wchar_t* name) {
    DWORD bytes = 0;
    if (::RegGetValueW(HKEY_LOCAL_MACHINE, kVersionKey, name, RRF_RT_REG_SZ, nullptr,
                       nullptr, &bytes) != ERROR_SUCCESS) {
        return std::nullopt;
    }
    std::wstring value(bytes / sizeof(wchar_t), L'\0');
    if (::RegGetValueW(HKEY_LOCAL_MACHINE, kVersionKey, name, RRF_RT_REG_SZ, nullptr,
                       value.data(), &bytes) != ERROR_SUCCESS) {
        return std::nullopt;
    }
    value.resize(value.find(L'\0') == std::wstring::npos ? value.size()
                                                         : value.find(L'\0'));
    return value;
}

std::optional<DWORD> read_number(const wchar_t* name) {
    DWORD value = 0;
    DWORD bytes = sizeof value;
    if (::RegGetValueW(HKEY_LOCAL_MACHINE, kVersionKey, name, RRF_RT_REG_DWORD, nullptr,
                       &value, &bytes) != ERROR_SUCCESS) {
        return std::nullopt;
    }
    return value;
}

// "10.0" on Windows 10 and later (CurrentMajor/MinorVersionNumber); older
// systems only have CurrentVersion, which is "6.1" to "6.3".
std::wstring major_minor_version() {
    const auto major = read_number(L"CurrentMajorVersionNumber");
    const auto minor = read_number(L"CurrentMinorVersionNumber");
    if (major && minor) {
        return std::to_wstring(*major) + L"." + std::to_wstring(*minor);
    }
    return read_string(L"CurrentVersion").value_or(L"0.0");
}

}  // namespace

// The format of OSSEC's Windows agent, which the manager shows as the
// agent's OS: "Microsoft Windows Server 2019 Datacenter [Ver: 10.0.17763]".
// Like OSSEC it reports the ProductName as the registry holds it, which
// still reads "Windows 10" on Windows 11; the build number (22000 and up)
// tells them apart.
std::string os_description() {
    std::wstring product = read_string(L"ProductName").value_or(L"Windows");
    if (product.rfind(L"Microsoft ", 0) != 0) {
        product.insert(0, L"Microsoft ");
    }
    const std::wstring build = read_string(L"CurrentBuildNumber").value_or(L"0");
    return to_utf8(product + L" [Ver: " + major_minor_version() + L"." + build + L"]");
}

std::string host_name() {
    wchar_t name[256] = {};
    DWORD size = static_cast<DWORD>(std::size(name));
    if (!::GetComputerNameExW(ComputerNameDnsHostname, name, &size) || size == 0) {
        size = static_cast<DWORD>(std::size(name));
        if (!::GetComputerNameW(name, &size) || size == 0) {
            return "unknown";
        }
    }
    return to_utf8(std::wstring(name, size));
}

long process_id() { return static_cast<long>(::GetCurrentProcessId()); }

}  // namespace pal
