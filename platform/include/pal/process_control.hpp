// How a daemon runs: detaching from the terminal, its pid file, and the
// stop and reload requests the OS delivers (SIGTERM/SIGINT/SIGHUP on POSIX,
// console control events or the service manager on Windows).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <system_error>

namespace pal {

enum class ControlRequest { kStop, kReload };

// Installs handlers for stop and reload requests. The callback runs on a
// dedicated thread (never in a signal handler), so it may take locks.
// Call once, from main(), before starting other threads.
void on_control_request(std::function<void(ControlRequest)> callback);

// Detaches from the controlling terminal and runs in the background.
// Does nothing where the OS has no such notion.
std::error_code daemonize();

// Writes the current process id to path; remove_pid_file() deletes it.
std::error_code write_pid_file(const std::filesystem::path& path);
void remove_pid_file(const std::filesystem::path& path);

// The numeric identity a process switches to (POSIX uid and gid).
struct AccountIds {
    unsigned uid = 0;
    unsigned gid = 0;
};

// Looks up user and group (an empty group: the user's primary group).
// nullopt when either does not exist (ec clear) or the lookup failed (ec
// set); on Windows, which has no such switch, nullopt with
// function_not_supported. Call before change_root(): the account files
// are outside the new root.
std::optional<AccountIds> find_account(const std::string& user, const std::string& group,
                                       std::error_code& ec);

// What drop_privileges() did.
enum class PrivilegeChange {
    kSwitched,       // now runs as the ids, and no other group
    kNotPrivileged,  // not root (or Windows): nothing done
};

// Switches a process running as root to the ids: supplementary groups
// cleared, then the gid, then the uid, for good (root cannot be
// regained). Files and sockets already open stay usable. Every thread
// switches (glibc applies set*id to all threads). An error means the
// switch failed part-way; the caller should stop rather than run with
// unknown privileges.
PrivilegeChange drop_privileges(const AccountIds& ids, std::error_code& ec);

// Makes dir the process's root directory and its working directory, so
// that every path it opens afterwards resolves inside dir (OSSEC confines
// ossec-agentd so). Needs root; call before drop_privileges(). The local
// time zone is loaded first, since /etc/localtime is out of reach after.
// Windows has no such confinement: nothing is done and the result is
// function_not_supported.
std::error_code change_root(const std::filesystem::path& dir);

}  // namespace pal
