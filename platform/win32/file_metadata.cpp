#include "pal/file_metadata.hpp"

#include <windows.h>

#include <aclapi.h>
#include <sddl.h>

#include "unique_handle.hpp"
#include "win32_error.hpp"

namespace pal {
namespace {

using win32::last_error;
using win32::UniqueHandle;

constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

std::uint64_t join(DWORD high, DWORD low) {
    return (static_cast<std::uint64_t>(high) << 32) | low;
}

// FILETIME counts 100 ns steps since 1601; the Unix epoch is 11644473600 s later.
std::int64_t unix_seconds(const FILETIME& time) {
    const auto ticks = static_cast<std::int64_t>(join(time.dwHighDateTime, time.dwLowDateTime));
    return ticks / 10000000 - 11644473600LL;
}

std::string narrow(const wchar_t* text) {
    const int size = ::WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
    if (size <= 1) {
        return {};
    }
    std::string out(static_cast<std::size_t>(size - 1), '\0');
    ::WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), size, nullptr, nullptr);
    return out;
}

// The owner SID as text and, when asked, the account name ("DOMAIN\user").
void read_owner(HANDLE file, bool with_names, FileMetadata& out) {
    PSID owner = nullptr;
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    if (::GetSecurityInfo(file, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner,
                          nullptr, nullptr, nullptr, &descriptor) != ERROR_SUCCESS) {
        return;
    }
    LPWSTR sid_text = nullptr;
    if (::ConvertSidToStringSidW(owner, &sid_text)) {
        out.owner_sid = narrow(sid_text);
        ::LocalFree(sid_text);
    }
    if (with_names) {
        wchar_t name[256];
        wchar_t domain[256];
        DWORD name_size = 256;
        DWORD domain_size = 256;
        SID_NAME_USE use{};
        if (::LookupAccountSidW(nullptr, owner, name, &name_size, domain, &domain_size,
                                &use)) {
            out.owner = narrow(domain) + "\\" + narrow(name);
        }
    }
    ::LocalFree(descriptor);
}

FileKind kind_of(DWORD attributes, bool follow) {
    if (!follow && (attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0) {
        return FileKind::kSymlink;
    }
    if ((attributes & FILE_ATTRIBUTE_DIRECTORY) != 0) {
        return FileKind::kDirectory;
    }
    return FileKind::kRegular;
}

}  // namespace

std::error_code read_metadata(const std::filesystem::path& path, FollowLinks follow,
                              bool with_names, FileMetadata& out) {
    const bool follows = follow == FollowLinks::kYes;
    const DWORD flags =
        FILE_FLAG_BACKUP_SEMANTICS | (follows ? 0 : FILE_FLAG_OPEN_REPARSE_POINT);
    UniqueHandle file(::CreateFileW(path.c_str(), READ_CONTROL | FILE_READ_ATTRIBUTES,
                                    kShareAll, nullptr, OPEN_EXISTING, flags, nullptr));
    if (!file) {
        return last_error();
    }
    BY_HANDLE_FILE_INFORMATION data{};
    if (!::GetFileInformationByHandle(file.get(), &data)) {
        return last_error();
    }
    out = FileMetadata{};
    out.id = FileId{data.dwVolumeSerialNumber, join(data.nFileIndexHigh, data.nFileIndexLow)};
    out.kind = kind_of(data.dwFileAttributes, follows);
    out.size = join(data.nFileSizeHigh, data.nFileSizeLow);
    out.attributes = data.dwFileAttributes;
    out.mtime = unix_seconds(data.ftLastWriteTime);
    read_owner(file.get(), with_names, out);
    return {};
}

bool is_network_file_system(const std::filesystem::path& path) {
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    if (ec) {
        return false;
    }
    const std::wstring root = absolute.root_path().wstring();
    if (root.rfind(L"\\\\", 0) == 0) {
        return true;  // a UNC path: \\server\share
    }
    return ::GetDriveTypeW(root.c_str()) == DRIVE_REMOTE;
}

}  // namespace pal
