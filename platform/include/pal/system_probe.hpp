// What rootcheck asks the running system: processes, how a process id
// shows up to different system calls, ports in use and the ports the
// system lists, network interfaces. Where an OS has no such view (Windows
// for everything but the process list, as in OSSEC), the call fails with
// std::errc::not_supported. Thread safe.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace pal {

struct ProcessEntry {
    long pid = 0;
    // POSIX: the command name (what ps shows as CMD, /proc/<pid>/comm);
    // Windows: the executable's full path, or its file name when the path
    // cannot be read.
    std::string name;
};

std::error_code list_processes(std::vector<ProcessEntry>& out);

// How one process id answers: kill(pid, 0), getsid, getpgid, stat of
// /proc/<pid>, opening it as a directory, and its presence in the /proc
// listing (looked at only when one of the others answered).
struct ProcessSighting {
    bool signal = false;
    bool session = false;
    bool group = false;
    bool proc_stat = false;
    bool proc_chdir = false;
    bool proc_listed = false;
    bool any() const {
        return signal || session || group || proc_stat || proc_chdir || proc_listed;
    }
    friend bool operator==(const ProcessSighting&, const ProcessSighting&) = default;
};

std::error_code sight_process(long pid, ProcessSighting& out);

// Ids of every thread the /proc tree lists under some process (threads
// answer kill and stat but are not in the /proc listing).
std::error_code listed_thread_ids(std::set<long>& out);

// The largest process id to look at (OSSEC's MAX_PID, 32768, or the
// system's own limit when lower).
long max_process_id();

enum class Transport { kTcp, kUdp };

// in_use is set when binding the port on every IPv4 or IPv6 address fails
// because the address is in use.
std::error_code port_in_use(Transport transport, std::uint16_t port, bool& in_use);

// The local ports the system lists for its sockets (what netstat shows);
// out has 65536 entries.
std::error_code listed_ports(Transport transport, std::vector<bool>& out);

struct NetworkInterface {
    std::string name;
    bool promiscuous = false;
};

std::error_code network_interfaces(std::vector<NetworkInterface>& out);

}  // namespace pal
