#include "pal/process_control.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <fstream>
#include <thread>
#include <vector>

namespace pal {

void on_control_request(std::function<void(ControlRequest)> callback) {
    // Block the signals in every thread (threads started later inherit the
    // mask) and take them synchronously on one thread with sigwait.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    std::thread([set, callback = std::move(callback)]() {
        for (;;) {
            int signal_number = 0;
            if (sigwait(&set, &signal_number) != 0) {
                continue;
            }
            callback(signal_number == SIGHUP ? ControlRequest::kReload
                                             : ControlRequest::kStop);
        }
    }).detach();
}

std::error_code daemonize() {
    const pid_t child = fork();
    if (child < 0) {
        return {errno, std::generic_category()};
    }
    if (child > 0) {
        _exit(0);
    }
    setsid();
    const int null_fd = ::open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
        dup2(null_fd, 0);
        dup2(null_fd, 1);
        dup2(null_fd, 2);
        if (null_fd > 2) {
            ::close(null_fd);
        }
    }
    return {};
}

std::error_code write_pid_file(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::trunc);
    out << getpid() << "\n";
    out.flush();
    if (!out) {
        return {errno != 0 ? errno : EIO, std::generic_category()};
    }
    return {};
}

void remove_pid_file(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
}

namespace {

std::error_code last_error() {
    return {errno, std::generic_category()};
}

// The account's uid and primary gid; false when there is no such account.
bool find_account(const std::string& user, uid_t& uid, gid_t& gid, std::error_code& ec) {
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(16384);
    const int rc = getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (rc != 0) {
        ec = {rc, std::generic_category()};
        return false;
    }
    if (found == nullptr) {
        return false;
    }
    uid = entry.pw_uid;
    gid = entry.pw_gid;
    return true;
}

// The id of the group named name; false when there is no such group.
bool find_group(const std::string& name, gid_t& gid, std::error_code& ec) {
    group entry{};
    group* found = nullptr;
    std::vector<char> buffer(16384);
    const int rc = getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (rc != 0) {
        ec = {rc, std::generic_category()};
        return false;
    }
    if (found == nullptr) {
        return false;
    }
    gid = entry.gr_gid;
    return true;
}

}  // namespace

std::optional<AccountIds> find_account(const std::string& user, const std::string& group,
                                       std::error_code& ec) {
    ec.clear();
    uid_t uid = 0;
    gid_t gid = 0;
    if (!find_account(user, uid, gid, ec) || (!group.empty() && !find_group(group, gid, ec))) {
        return std::nullopt;
    }
    return AccountIds{static_cast<unsigned>(uid), static_cast<unsigned>(gid)};
}

PrivilegeChange drop_privileges(const AccountIds& ids, std::error_code& ec) {
    ec.clear();
    if (geteuid() != 0) {
        return PrivilegeChange::kNotPrivileged;
    }
    const uid_t uid = ids.uid;
    const gid_t gid = ids.gid;
    // Order matters: groups and gid can only be changed while still root.
    if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
        ec = last_error();
        return PrivilegeChange::kNotPrivileged;
    }
    if (uid != 0 && setuid(0) == 0) {
        ec = std::make_error_code(std::errc::operation_not_permitted);
    }
    return PrivilegeChange::kSwitched;
}

std::error_code change_root(const std::filesystem::path& dir) {
    // Logged times stay in local time: glibc keeps the zone it loaded
    // and does not look for /etc/localtime again while TZ is unchanged.
    tzset();
    if (::chroot(dir.c_str()) != 0 || ::chdir("/") != 0) {
        return last_error();
    }
    return {};
}

}  // namespace pal
