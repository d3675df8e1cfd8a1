// FileWatcher with Linux inotify. A pipe wakes poll() for wake().
#include "pal/file_watcher.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <map>

namespace pal {
namespace {

constexpr std::uint32_t kMask = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB |
                                IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE |
                                IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

std::error_code last_error() { return {errno, std::generic_category()}; }

class UniqueFd {
public:
    explicit UniqueFd(int fd = -1) : fd_(fd) {}
    ~UniqueFd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

class InotifyWatcher final : public FileWatcher {
public:
    InotifyWatcher(int inotify_fd, int wake_read, int wake_write)
        : inotify_(inotify_fd), wake_read_(wake_read), wake_write_(wake_write) {}

    std::error_code add(const std::filesystem::path& directory) override {
        const int wd = ::inotify_add_watch(inotify_.get(), directory.c_str(), kMask);
        if (wd < 0) {
            return last_error();
        }
        directories_[wd] = directory;
        return {};
    }

    void remove(const std::filesystem::path& directory) override {
        for (auto it = directories_.begin(); it != directories_.end(); ++it) {
            if (it->second == directory) {
                ::inotify_rm_watch(inotify_.get(), it->first);
                directories_.erase(it);
                return;
            }
        }
    }

    std::error_code wait(std::chrono::milliseconds timeout,
                         std::vector<WatchEvent>& events) override {
        std::array<pollfd, 2> fds{pollfd{inotify_.get(), POLLIN, 0},
                                  pollfd{wake_read_.get(), POLLIN, 0}};
        const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(timeout.count()));
        if (ready < 0) {
            return errno == EINTR ? std::error_code{} : last_error();
        }
        if (fds[1].revents != 0) {
            drain_wake_pipe();
            return {};
        }
        return fds[0].revents != 0 ? read_events(events) : std::error_code{};
    }

    void wake() override {
        const char byte = 1;
        // A full pipe already holds a wake-up; nothing is lost.
        [[maybe_unused]] const auto n = ::write(wake_write_.get(), &byte, 1);
    }

private:
    std::error_code read_events(std::vector<WatchEvent>& events) {
        alignas(inotify_event) char buffer[16 * 1024];
        for (;;) {
            const ssize_t n = ::read(inotify_.get(), buffer, sizeof buffer);
            if (n < 0) {
                return errno == EAGAIN ? std::error_code{} : last_error();
            }
            for (ssize_t pos = 0; pos < n;) {
                const auto* event = reinterpret_cast<const inotify_event*>(buffer + pos);
                note(*event, events);
                pos += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            }
        }
    }

    void note(const inotify_event& event, std::vector<WatchEvent>& events) {
        if (event.mask & IN_Q_OVERFLOW) {
            events.push_back({WatchEvent::Kind::kOverflow, {}});
            return;
        }
        const auto it = directories_.find(event.wd);
        if (it == directories_.end()) {
            return;
        }
        if (events.empty() || events.back().directory != it->second) {
            events.push_back({WatchEvent::Kind::kChanged, it->second});
        }
        if (event.mask & IN_IGNORED) {
            directories_.erase(it);  // the directory is gone; add() it again later
        }
    }

    void drain_wake_pipe() {
        char bytes[64];
        while (::read(wake_read_.get(), bytes, sizeof bytes) > 0) {
        }
    }

    UniqueFd inotify_;
    UniqueFd wake_read_;
    UniqueFd wake_write_;
    std::map<int, std::filesystem::path> directories_;
};

}  // namespace

std::unique_ptr<FileWatcher> create_file_watcher(std::error_code& ec) {
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        ec = last_error();
        return nullptr;
    }
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC) != 0) {
        ec = last_error();
        ::close(fd);
        return nullptr;
    }
    ec.clear();
    return std::make_unique<InotifyWatcher>(fd, pipe_fds[0], pipe_fds[1]);
}

}  // namespace pal
