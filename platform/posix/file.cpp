#include "pal/file.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <vector>

namespace pal {
namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

// The id of the group named name, or nullopt when there is none.
std::optional<gid_t> find_group(const std::string& name) {
    group entry{};
    group* found = nullptr;
    std::vector<char> buffer(16384);
    if (getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
        found == nullptr) {
        return std::nullopt;
    }
    return entry.gr_gid;
}

FileInfo to_info(const struct stat& st) {
    FileInfo info;
    info.id = FileId{static_cast<std::uint64_t>(st.st_dev),
                     static_cast<std::uint64_t>(st.st_ino)};
    info.size = static_cast<std::uint64_t>(st.st_size);
    info.is_regular = S_ISREG(st.st_mode);
    info.is_directory = S_ISDIR(st.st_mode);
    info.delete_pending = st.st_nlink == 0;
    return info;
}

class PosixReadableFile final : public ReadableFile {
public:
    explicit PosixReadableFile(int fd) : fd_(fd) {}
    ~PosixReadableFile() override { ::close(fd_); }

    std::size_t read(char* buffer, std::size_t size, std::error_code& ec) override {
        for (;;) {
            const ssize_t n = ::read(fd_, buffer, size);
            if (n >= 0) {
                ec.clear();
                return static_cast<std::size_t>(n);
            }
            if (errno != EINTR) {
                ec = last_error();
                return 0;
            }
        }
    }

    std::error_code seek(std::uint64_t offset) override {
        if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) {
            return last_error();
        }
        return {};
    }

    std::error_code info(FileInfo& info) const override {
        struct stat st {};
        if (::fstat(fd_, &st) != 0) {
            return last_error();
        }
        info = to_info(st);
        return {};
    }

private:
    int fd_;
};

std::error_code write_all(int fd, const std::string& content) {
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return last_error();
        }
        done += static_cast<std::size_t>(n);
    }
    return {};
}

void sync_directory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

std::error_code stat_path(const std::filesystem::path& path, FileInfo& info) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return last_error();
    }
    info = to_info(st);
    return {};
}

std::unique_ptr<ReadableFile> open_readable(const std::filesystem::path& path,
                                            std::error_code& ec) {
    // O_NONBLOCK: opening a FIFO someone put at a log path must not hang
    // the reader; only regular files are read (for them the flag does
    // nothing).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        ec = last_error();
        return nullptr;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ec = S_ISDIR(st.st_mode) ? std::make_error_code(std::errc::is_a_directory)
                                 : std::make_error_code(std::errc::invalid_argument);
        ::close(fd);
        return nullptr;
    }
    ec.clear();
    return std::make_unique<PosixReadableFile>(fd);
}

std::error_code write_file_atomically(const std::filesystem::path& path,
                                      const std::string& content, Durability durability) {
    const bool synced = durability == Durability::kSynced;
    std::filesystem::path temp = path;
    temp += ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        return last_error();
    }
    std::error_code ec = write_all(fd, content);
    if (!ec && synced && ::fsync(fd) != 0) {
        ec = last_error();
    }
    ::close(fd);
    if (!ec && ::rename(temp.c_str(), path.c_str()) != 0) {
        ec = last_error();
    }
    if (ec) {
        ::unlink(temp.c_str());
        return ec;
    }
    if (synced) {
        sync_directory(path.parent_path());
    }
    return {};
}

std::error_code restrict_to_owner(const std::filesystem::path& path) {
    if (::chmod(path.c_str(), 0600) != 0) {
        return last_error();
    }
    return {};
}

std::error_code restrict_to_group(const std::filesystem::path& path, const std::string& group) {
    const std::optional<gid_t> gid = find_group(group);
    if (!gid) {
        if (const std::error_code ec = restrict_to_owner(path)) {
            return ec;
        }
        return std::make_error_code(std::errc::no_such_file_or_directory);
    }
    // Mode first: the file is never readable by the group before it has
    // that group.
    if (::chmod(path.c_str(), 0600) != 0 ||
        ::chown(path.c_str(), static_cast<uid_t>(-1), *gid) != 0 ||
        ::chmod(path.c_str(), 0640) != 0) {
        return last_error();
    }
    return {};
}

}  // namespace pal
