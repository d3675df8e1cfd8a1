#include "pal/local_queue.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <vector>

namespace pal {
namespace {

// Datagrams up to this size are read whole; agentd bounds what it accepts.
constexpr std::size_t kReadBuffer = 65536;
constexpr int kSocketBuffer = 4 * 1024 * 1024;
constexpr timeval kSendTimeout{5, 0};

std::error_code last_error() { return {errno, std::generic_category()}; }

bool make_address(const std::filesystem::path& path, sockaddr_un& address) {
    std::memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    const std::string text = path.string();
    if (text.size() >= sizeof address.sun_path) {
        return false;
    }
    std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
    return true;
}

class UnixQueueReceiver final : public QueueReceiver {
public:
    UnixQueueReceiver(int fd, int wake_read, int wake_write, std::filesystem::path path)
        : fd_(fd), wake_read_(wake_read), wake_write_(wake_write), path_(std::move(path)) {}

    ~UnixQueueReceiver() override {
        ::close(fd_);
        ::close(wake_read_);
        ::close(wake_write_);
        ::unlink(path_.c_str());
    }

    std::optional<std::string> receive(std::chrono::milliseconds timeout,
                                       std::error_code& ec) override {
        ec.clear();
        if (closed_) {
            return std::nullopt;
        }
        // Under load a datagram is usually waiting: take it without a
        // poll() first (one system call per message instead of two).
        if (std::optional<std::string> ready = read_one(ec); ready || ec) {
            return ready;
        }
        pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_read_, POLLIN, 0}};
        const int ready = ::poll(fds, 2, static_cast<int>(timeout.count()));
        if (ready < 0) {
            if (errno != EINTR) {
                ec = last_error();
            }
            return std::nullopt;
        }
        if (ready == 0 || (fds[1].revents & POLLIN) != 0) {
            return std::nullopt;
        }
        return read_one(ec);
    }

    // One datagram, without waiting; nullopt when none is there. Reads
    // into one buffer kept for the receiver's life (receive() is called
    // from one thread), so a message costs a copy of its own size, not a
    // fresh 64 KB.
    std::optional<std::string> read_one(std::error_code& ec) {
        const ssize_t n = ::recv(fd_, buffer_.data(), buffer_.size(), MSG_DONTWAIT);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                ec = last_error();
            }
            return std::nullopt;
        }
        std::size_t size = static_cast<std::size_t>(n);
        // OSSEC's writers send the terminating NUL as well.
        if (size > 0 && buffer_[size - 1] == '\0') {
            --size;
        }
        return std::string(buffer_.data(), size);
    }

    void close() override {
        closed_ = true;
        const char byte = 1;
        [[maybe_unused]] const ssize_t n = ::write(wake_write_, &byte, 1);
    }

private:
    int fd_;
    int wake_read_;
    int wake_write_;
    std::filesystem::path path_;
    std::vector<char> buffer_ = std::vector<char>(kReadBuffer);
    std::atomic<bool> closed_{false};
};

class UnixQueueSender final : public QueueSender {
public:
    explicit UnixQueueSender(std::filesystem::path path) : path_(std::move(path)) {}
    ~UnixQueueSender() override { disconnect(); }

    std::error_code connect() {
        disconnect();
        sockaddr_un address{};
        if (!make_address(path_, address)) {
            return std::make_error_code(std::errc::filename_too_long);
        }
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) {
            return last_error();
        }
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &kSocketBuffer, sizeof kSocketBuffer);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &kSendTimeout, sizeof kSendTimeout);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            const std::error_code ec = last_error();
            disconnect();
            return ec;
        }
        return {};
    }

    std::error_code send(std::string_view message) override {
        std::string datagram(message);
        datagram.push_back('\0');
        std::error_code ec = send_once(datagram);
        if (ec == std::errc::connection_refused || ec == std::errc::not_connected ||
            ec == std::errc::bad_file_descriptor) {
            // The receiver is gone; a new one may have bound the path.
            ec = connect();
            if (!ec) {
                ec = resend_recent();
            }
            if (!ec) {
                ec = send_once(datagram);
            }
        }
        if (!ec) {
            remember(std::move(datagram));
        }
        return ec;
    }

private:
    void remember(std::string datagram) {
        recent_.push_back(std::move(datagram));
        if (recent_.size() > kQueueResendWindow) {
            recent_.pop_front();
        }
    }

    std::error_code resend_recent() {
        for (const std::string& datagram : recent_) {
            if (std::error_code ec = send_once(datagram)) {
                return ec;
            }
        }
        return {};
    }

    std::error_code send_once(const std::string& datagram) {
        if (fd_ < 0) {
            return std::make_error_code(std::errc::not_connected);
        }
        for (;;) {
            if (::send(fd_, datagram.data(), datagram.size(), MSG_NOSIGNAL) >= 0) {
                return {};
            }
            if (errno != EINTR) {
                return last_error();
            }
        }
    }

    void disconnect() {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }

    std::filesystem::path path_;
    int fd_ = -1;
    std::deque<std::string> recent_;
};

}  // namespace

std::unique_ptr<QueueReceiver> bind_queue(const std::filesystem::path& path,
                                          std::error_code& ec) {
    sockaddr_un address{};
    if (!make_address(path, address)) {
        ec = std::make_error_code(std::errc::filename_too_long);
        return nullptr;
    }
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        ec = last_error();
        return nullptr;
    }
    ::unlink(path.c_str());
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ec = last_error();
        ::close(fd);
        return nullptr;
    }
    ::chmod(path.c_str(), 0660);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kSocketBuffer, sizeof kSocketBuffer);

    int wake[2];
    if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        ec = last_error();
        ::close(fd);
        ::unlink(path.c_str());
        return nullptr;
    }
    ec.clear();
    return std::make_unique<UnixQueueReceiver>(fd, wake[0], wake[1], path);
}

std::unique_ptr<QueueSender> connect_queue(const std::filesystem::path& path,
                                           std::error_code& ec) {
    auto sender = std::make_unique<UnixQueueSender>(path);
    ec = sender->connect();
    if (ec) {
        return nullptr;
    }
    return sender;
}

}  // namespace pal
