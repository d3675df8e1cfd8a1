#include "pal/file_metadata.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace pal {
namespace {

FileKind kind_of(mode_t mode) {
    if (S_ISREG(mode)) {
        return FileKind::kRegular;
    }
    if (S_ISDIR(mode)) {
        return FileKind::kDirectory;
    }
    if (S_ISLNK(mode)) {
        return FileKind::kSymlink;
    }
    return FileKind::kOther;
}

// Account names rarely change while the agent runs, and a scan asks for
// the same few ids again and again: remember them.
class NameCache {
public:
    std::string user(uid_t uid) {
        return lookup(users_, uid, [](uid_t id, std::vector<char>& buffer) {
            struct passwd entry {};
            struct passwd* found = nullptr;
            const int rc = ::getpwuid_r(id, &entry, buffer.data(), buffer.size(), &found);
            return std::make_pair(rc, found ? std::string(found->pw_name) : std::string());
        });
    }
    std::string group(gid_t gid) {
        return lookup(groups_, gid, [](gid_t id, std::vector<char>& buffer) {
            struct group entry {};
            struct group* found = nullptr;
            const int rc = ::getgrgid_r(id, &entry, buffer.data(), buffer.size(), &found);
            return std::make_pair(rc, found ? std::string(found->gr_name) : std::string());
        });
    }

private:
    template <class Id, class Query>
    std::string lookup(std::unordered_map<Id, std::string>& cache, Id id, Query query) {
        {
            std::lock_guard lock(mutex_);
            if (const auto it = cache.find(id); it != cache.end()) {
                return it->second;
            }
        }
        std::vector<char> buffer(1024);
        auto [rc, name] = query(id, buffer);
        while (rc == ERANGE && buffer.size() < (1u << 20)) {
            buffer.resize(buffer.size() * 4);
            std::tie(rc, name) = query(id, buffer);
        }
        std::lock_guard lock(mutex_);
        cache.emplace(id, name);
        return name;
    }

    std::mutex mutex_;
    std::unordered_map<uid_t, std::string> users_;
    std::unordered_map<gid_t, std::string> groups_;
};

NameCache& names() {
    static NameCache cache;
    return cache;
}

}  // namespace

std::error_code read_metadata(const std::filesystem::path& path, FollowLinks follow,
                              bool with_names, FileMetadata& out) {
    struct stat st {};
    const int rc = follow == FollowLinks::kYes ? ::stat(path.c_str(), &st)
                                               : ::lstat(path.c_str(), &st);
    if (rc != 0) {
        return {errno, std::generic_category()};
    }
    out = FileMetadata{};
    out.id = FileId{static_cast<std::uint64_t>(st.st_dev),
                    static_cast<std::uint64_t>(st.st_ino)};
    out.kind = kind_of(st.st_mode);
    out.size = static_cast<std::uint64_t>(st.st_size);
    out.mode = static_cast<std::uint32_t>(st.st_mode);
    out.uid = static_cast<std::uint32_t>(st.st_uid);
    out.gid = static_cast<std::uint32_t>(st.st_gid);
    out.mtime = static_cast<std::int64_t>(st.st_mtime);
    if (with_names) {
        out.owner = names().user(st.st_uid);
        out.group = names().group(st.st_gid);
    }
    return {};
}

bool is_network_file_system(const std::filesystem::path& path) {
    struct statfs fs {};
    if (::statfs(path.c_str(), &fs) != 0) {
        return false;
    }
    // Magic numbers from linux/magic.h (not included: it is Linux-only
    // and the values are fixed ABI).
    constexpr long kNfs = 0x6969;
    constexpr long kSmb = 0x517B;
    constexpr long kCifs = static_cast<long>(0xFF534D42);
    constexpr long kSmb2 = static_cast<long>(0xFE534D42);
    constexpr long kCoda = 0x73757245;
    constexpr long kAfs = 0x5346414F;
    const long type = static_cast<long>(fs.f_type);
    return type == kNfs || type == kSmb || type == kCifs || type == kSmb2 ||
           type == kCoda || type == kAfs;
}

}  // namespace pal
