// FileWatcher with ReadDirectoryChangesW: one overlapped read per watched
// directory, each with its own event, waited on together with a wake-up
// event. WaitForMultipleObjects takes at most 64 handles, so at most 63
// directories are watched; add() fails past that and the caller polls.
#include "pal/file_watcher.hpp"

#include <windows.h>

#include <list>
#include <vector>

#include "unique_handle.hpp"
#include "win32_error.hpp"

namespace pal {
namespace {

constexpr DWORD kFilter = FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME |
                          FILE_NOTIFY_CHANGE_SIZE | FILE_NOTIFY_CHANGE_LAST_WRITE |
                          FILE_NOTIFY_CHANGE_ATTRIBUTES | FILE_NOTIFY_CHANGE_CREATION;
constexpr std::size_t kMaxDirectories = MAXIMUM_WAIT_OBJECTS - 1;
constexpr DWORD kBufferSize = 16 * 1024;

// One watched directory and its read in flight. Lives at a fixed address
// (std::list) because the OS writes to overlapped and buffer.
struct Watch {
    std::filesystem::path directory;
    win32::UniqueHandle handle;
    win32::UniqueHandle event;
    OVERLAPPED overlapped{};
    alignas(DWORD) char buffer[kBufferSize];
    bool pending = false;
};

std::error_code issue_read(Watch& watch) {
    watch.overlapped = OVERLAPPED{};
    watch.overlapped.hEvent = watch.event.get();
    if (!::ReadDirectoryChangesW(watch.handle.get(), watch.buffer, kBufferSize, FALSE,
                                 kFilter, nullptr, &watch.overlapped, nullptr)) {
        watch.pending = false;
        return win32::last_error();
    }
    watch.pending = true;
    return {};
}

void cancel(Watch& watch) {
    if (watch.pending) {
        ::CancelIoEx(watch.handle.get(), &watch.overlapped);
        DWORD bytes = 0;
        ::GetOverlappedResult(watch.handle.get(), &watch.overlapped, &bytes, TRUE);
        watch.pending = false;
    }
}

class DirectoryChangesWatcher final : public FileWatcher {
public:
    explicit DirectoryChangesWatcher(HANDLE wake_event) : wake_(wake_event) {}
    ~DirectoryChangesWatcher() override {
        for (Watch& watch : watches_) {
            cancel(watch);
        }
    }

    std::error_code add(const std::filesystem::path& directory) override {
        for (const Watch& watch : watches_) {
            if (watch.directory == directory) {
                return {};
            }
        }
        if (watches_.size() >= kMaxDirectories) {
            return std::make_error_code(std::errc::too_many_files_open);
        }
        return open_watch(directory);
    }

    void remove(const std::filesystem::path& directory) override {
        for (auto it = watches_.begin(); it != watches_.end(); ++it) {
            if (it->directory == directory) {
                cancel(*it);
                watches_.erase(it);
                return;
            }
        }
    }

    std::error_code wait(std::chrono::milliseconds timeout,
                         std::vector<WatchEvent>& events) override {
        std::vector<HANDLE> handles{wake_.get()};
        std::vector<Watch*> order;
        for (Watch& watch : watches_) {
            if (watch.pending) {
                handles.push_back(watch.event.get());
                order.push_back(&watch);
            }
        }
        const DWORD result = ::WaitForMultipleObjects(
            static_cast<DWORD>(handles.size()), handles.data(), FALSE,
            static_cast<DWORD>(timeout.count()));
        if (result == WAIT_FAILED) {
            return win32::last_error();
        }
        if (result == WAIT_OBJECT_0) {
            return {};  // wake(): the auto-reset event is consumed
        }
        // Every completed read, not only the one that ended the wait.
        for (Watch* watch : order) {
            collect(*watch, events);
        }
        return {};
    }

    void wake() override { ::SetEvent(wake_.get()); }

private:
    std::error_code open_watch(const std::filesystem::path& directory) {
        // Checked first: Wine opens a missing directory without complaint.
        const DWORD attributes = ::GetFileAttributesW(directory.c_str());
        if (attributes == INVALID_FILE_ATTRIBUTES) {
            return win32::last_error();
        }
        if ((attributes & FILE_ATTRIBUTE_DIRECTORY) == 0) {
            return std::make_error_code(std::errc::not_a_directory);
        }
        Watch& watch = watches_.emplace_back();
        watch.directory = directory;
        watch.handle.reset(::CreateFileW(
            directory.c_str(), FILE_LIST_DIRECTORY,
            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
            FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, nullptr));
        watch.event.reset(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
        std::error_code ec;
        if (!watch.handle || !watch.event) {
            ec = win32::last_error();
        } else {
            ec = issue_read(watch);
        }
        if (ec) {
            watches_.pop_back();
        }
        return ec;
    }

    void collect(Watch& watch, std::vector<WatchEvent>& events) {
        DWORD bytes = 0;
        if (!::GetOverlappedResult(watch.handle.get(), &watch.overlapped, &bytes, FALSE)) {
            const DWORD error = ::GetLastError();
            if (error == ERROR_IO_INCOMPLETE) {
                return;
            }
            // The directory went away or the read failed: say it changed,
            // and stop watching it; the caller adds it again once it is back.
            watch.pending = false;
            events.push_back({WatchEvent::Kind::kChanged, watch.directory});
            remove(std::filesystem::path(watch.directory));
            return;
        }
        ::ResetEvent(watch.event.get());
        // Zero bytes: the OS buffer overflowed and the changes were lost.
        events.push_back(bytes == 0 ? WatchEvent{WatchEvent::Kind::kOverflow, {}}
                                    : WatchEvent{WatchEvent::Kind::kChanged,
                                                 watch.directory});
        if (issue_read(watch)) {
            events.push_back({WatchEvent::Kind::kChanged, watch.directory});
        }
    }

    win32::UniqueHandle wake_;
    std::list<Watch> watches_;
};

}  // namespace

std::unique_ptr<FileWatcher> create_file_watcher(std::error_code& ec) {
    HANDLE wake = ::CreateEventW(nullptr, FALSE, FALSE, nullptr);
    if (wake == nullptr) {
        ec = win32::last_error();
        return nullptr;
    }
    ec.clear();
    return std::make_unique<DirectoryChangesWatcher>(wake);
}

}  // namespace pal
