// Rootcheck's view of Windows: the process list (Toolhelp snapshot, full
// image paths where the process can be opened). OSSEC 3.8 has no hidden
// process, port or interface check on Windows, and neither has this.
#include "pal/system_probe.hpp"

#include <windows.h>
#include <tlhelp32.h>

#include "win32_error.hpp"

namespace pal {
namespace {

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

std::string image_path(DWORD pid, const wchar_t* exe_file) {
    HANDLE process = ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (process != nullptr) {
        wchar_t path[MAX_PATH * 4];
        DWORD size = MAX_PATH * 4;
        const BOOL ok = ::QueryFullProcessImageNameW(process, 0, path, &size);
        ::CloseHandle(process);
        if (ok) {
            return narrow(path, size);
        }
    }
    return narrow(exe_file, wcslen(exe_file));
}

std::error_code unsupported() { return std::make_error_code(std::errc::not_supported); }

}  // namespace

std::error_code list_processes(std::vector<ProcessEntry>& out) {
    out.clear();
    HANDLE snapshot = ::CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (snapshot == INVALID_HANDLE_VALUE) {
        return win32::last_error();
    }
    PROCESSENTRY32W entry{};
    entry.dwSize = sizeof entry;
    for (BOOL more = ::Process32FirstW(snapshot, &entry); more;
         more = ::Process32NextW(snapshot, &entry)) {
        out.push_back({static_cast<long>(entry.th32ProcessID),
                       image_path(entry.th32ProcessID, entry.szExeFile)});
    }
    ::CloseHandle(snapshot);
    return {};
}

std::error_code sight_process(long, ProcessSighting&) { return unsupported(); }
std::error_code listed_thread_ids(std::set<long>&) { return unsupported(); }
long max_process_id() { return 0; }
std::error_code port_in_use(Transport, std::uint16_t, bool&) { return unsupported(); }
std::error_code listed_ports(Transport, std::vector<bool>&) { return unsupported(); }
std::error_code network_interfaces(std::vector<NetworkInterface>&) { return unsupported(); }

}  // namespace pal
