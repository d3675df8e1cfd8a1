// Being told, without polling, that something changed under a directory:
// inotify on Linux, ReadDirectoryChangesW on Windows.
//
// The watcher reports only "something changed directly in this directory"
// (a file in it created, written, renamed, deleted, or the directory itself
// moved or removed), never what changed: the caller looks again. That keeps
// the contract the same on every OS and makes a lost event harmless, as
// long as the caller also looks now and then (a watch can fail silently,
// on network file systems for instance). When the OS dropped events, an
// overflow event says so and the caller must look at everything.
//
// Watches are not recursive: one add() per directory.
//
// Thread safety: add(), remove() and wait() from one thread; wake() from
// any thread, to end a wait() early (to stop, for instance).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

namespace pal {

struct WatchEvent {
    enum class Kind {
        kChanged,   // something changed in directory
        kOverflow,  // events were lost; directory is empty: look at all
    };
    Kind kind = Kind::kChanged;
    std::filesystem::path directory;  // as passed to add()
};

class FileWatcher {
public:
    virtual ~FileWatcher() = default;

    // Starts watching directory (adding it again does nothing). Fails when
    // it does not exist, is not a directory, or the OS limit on watches is
    // reached; the caller then polls it.
    virtual std::error_code add(const std::filesystem::path& directory) = 0;
    // Stops watching it; unknown directories are ignored.
    virtual void remove(const std::filesystem::path& directory) = 0;

    // Waits up to timeout for events and appends them to events (a zero
    // timeout only collects what is pending). Returns early, with no
    // events, after wake(). Errors are the OS's; the caller then polls.
    virtual std::error_code wait(std::chrono::milliseconds timeout,
                                 std::vector<WatchEvent>& events) = 0;
    virtual void wake() = 0;
};

// A watcher for this OS; nullptr with ec set when the OS refuses one.
std::unique_ptr<FileWatcher> create_file_watcher(std::error_code& ec);

}  // namespace pal
