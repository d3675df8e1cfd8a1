// How a daemon runs: detaching from the terminal, its pid file, and the
// stop and reload requests the OS delivers (SIGTERM/SIGINT/SIGHUP on POSIX,
// console control events or the service manager on Windows).
#pragma once

#include <filesystem>
#include <functional>
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

// What drop_privileges() did.
enum class PrivilegeChange {
    kSwitched,       // now runs as the user, its primary group and no other group
    kNotPrivileged,  // not root (or Windows, which has no such switch): nothing done
    kNoSuchUser,     // no account by that name; the process keeps its privileges
};

// Switches a process running as root to user: supplementary groups
// cleared, then the user's primary group, then its uid, for good (root
// cannot be regained). Files and sockets already open stay usable. Every
// thread switches (glibc applies set*id to all threads). An error means
// the switch failed part-way; the caller should stop rather than run with
// unknown privileges.
PrivilegeChange drop_privileges(const std::string& user, std::error_code& ec);

}  // namespace pal
