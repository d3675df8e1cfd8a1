#include "pal/file.hpp"

#include <windows.h>

#include <algorithm>

#include "unique_handle.hpp"
#include "win32_error.hpp"

namespace pal {
namespace {

using win32::last_error;
using win32::UniqueHandle;

// Others may rename, truncate or delete a file while the agent holds it.
constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

// A virus scanner or indexer may hold the target for a moment; replacing it
// then fails with a sharing error that goes away on its own.
constexpr int kReplaceAttempts = 5;
constexpr DWORD kReplaceRetryMs = 20;

std::uint64_t join(DWORD high, DWORD low) {
    return (static_cast<std::uint64_t>(high) << 32) | low;
}

std::error_code info_of(HANDLE file, FileInfo& info) {
    BY_HANDLE_FILE_INFORMATION data{};
    if (!::GetFileInformationByHandle(file, &data)) {
        return last_error();
    }
    info.id = FileId{data.dwVolumeSerialNumber, join(data.nFileIndexHigh, data.nFileIndexLow)};
    info.size = join(data.nFileSizeHigh, data.nFileSizeLow);
    info.is_directory = (data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    info.is_regular = !info.is_directory && ::GetFileType(file) == FILE_TYPE_DISK;
    FILE_STANDARD_INFO standard{};
    info.delete_pending =
        ::GetFileInformationByHandleEx(file, FileStandardInfo, &standard, sizeof standard) &&
        standard.DeletePending;
    return {};
}

// The identity of an open file cannot change, so it is read once, at open.
// That also sidesteps Wine, which reports volume serial 0 for a file that
// was renamed while open (Windows itself reports the real one).
class Win32ReadableFile final : public ReadableFile {
public:
    Win32ReadableFile(UniqueHandle file, FileId id) : file_(std::move(file)), id_(id) {}

    std::size_t read(char* buffer, std::size_t size, std::error_code& ec) override {
        const DWORD wanted = static_cast<DWORD>(std::min<std::size_t>(size, 1u << 30));
        DWORD got = 0;
        if (!::ReadFile(file_.get(), buffer, wanted, &got, nullptr)) {
            const DWORD error = ::GetLastError();
            if (error == ERROR_HANDLE_EOF) {
                ec.clear();
                return 0;
            }
            ec = win32::to_error_code(error);
            return 0;
        }
        ec.clear();
        return got;
    }

    std::error_code seek(std::uint64_t offset) override {
        LARGE_INTEGER distance{};
        distance.QuadPart = static_cast<LONGLONG>(offset);
        if (!::SetFilePointerEx(file_.get(), distance, nullptr, FILE_BEGIN)) {
            return last_error();
        }
        return {};
    }

    std::error_code info(FileInfo& info) const override {
        if (std::error_code ec = info_of(file_.get(), info)) {
            return ec;
        }
        info.id = id_;
        return {};
    }

private:
    UniqueHandle file_;
    FileId id_;
};

std::error_code write_all(HANDLE file, const std::string& content) {
    std::size_t done = 0;
    while (done < content.size()) {
        const DWORD chunk =
            static_cast<DWORD>(std::min<std::size_t>(content.size() - done, 1u << 30));
        DWORD written = 0;
        if (!::WriteFile(file, content.data() + done, chunk, &written, nullptr)) {
            return last_error();
        }
        done += written;
    }
    return {};
}

std::error_code write_durably(const std::filesystem::path& path, const std::string& content) {
    UniqueHandle file(::CreateFileW(path.wstring().c_str(), GENERIC_WRITE, 0, nullptr,
                                    CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!file) {
        return last_error();
    }
    if (std::error_code ec = write_all(file.get(), content)) {
        return ec;
    }
    if (!::FlushFileBuffers(file.get())) {
        return last_error();
    }
    return {};
}

std::error_code replace(const std::filesystem::path& from, const std::filesystem::path& to) {
    const DWORD flags = MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH;
    for (int attempt = 1;; ++attempt) {
        if (::MoveFileExW(from.wstring().c_str(), to.wstring().c_str(), flags)) {
            return {};
        }
        const DWORD error = ::GetLastError();
        const bool transient = error == ERROR_ACCESS_DENIED ||
                               error == ERROR_SHARING_VIOLATION;
        if (!transient || attempt == kReplaceAttempts) {
            return win32::to_error_code(error);
        }
        ::Sleep(kReplaceRetryMs);
    }
}

}  // namespace

std::error_code stat_path(const std::filesystem::path& path, FileInfo& info) {
    // No access rights are needed to read the metadata; BACKUP_SEMANTICS
    // lets the same call open a directory.
    UniqueHandle file(::CreateFileW(path.wstring().c_str(), FILE_READ_ATTRIBUTES, kShareAll,
                                    nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS,
                                    nullptr));
    if (!file) {
        return last_error();
    }
    return info_of(file.get(), info);
}

std::unique_ptr<ReadableFile> open_readable(const std::filesystem::path& path,
                                            std::error_code& ec) {
    UniqueHandle file(::CreateFileW(path.wstring().c_str(), GENERIC_READ, kShareAll, nullptr,
                                    OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, nullptr));
    if (!file) {
        ec = last_error();
        return nullptr;
    }
    FileInfo opened;
    ec = info_of(file.get(), opened);
    if (ec) {
        return nullptr;
    }
    return std::make_unique<Win32ReadableFile>(std::move(file), opened.id);
}

// Windows flushes in both cases: MoveFileEx with WRITE_THROUGH is the
// only ordering guarantee it offers, so kOrdered costs the same as kSynced.
std::error_code write_file_atomically(const std::filesystem::path& path,
                                      const std::string& content, Durability) {
    std::filesystem::path temp = path;
    temp += ".tmp";
    std::error_code ec = write_durably(temp, content);
    if (!ec) {
        ec = replace(temp, path);
    }
    if (ec) {
        ::DeleteFileW(temp.wstring().c_str());
    }
    return ec;
}

// The install directory's ACL (SYSTEM and Administrators only) already
// protects what the agent writes there, as with OSSEC's Windows agent.
std::error_code restrict_to_owner(const std::filesystem::path&) { return {}; }

std::error_code restrict_to_group(const std::filesystem::path&, const std::string&) {
    return {};
}

}  // namespace pal
