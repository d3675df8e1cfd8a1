// Rootcheck's view of a Linux (or other POSIX) system: /proc, kill(2),
// getsid(2), getpgid(2), bind(2), /proc/net and SIOCGIFFLAGS.
#include "pal/system_probe.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace pal {
namespace {

constexpr long kOssecMaxPid = 32768;

std::error_code last_error() { return {errno, std::generic_category()}; }

bool all_digits(const char* name) {
    if (*name == '\0') {
        return false;
    }
    for (; *name != '\0'; ++name) {
        if (*name < '0' || *name > '9') {
            return false;
        }
    }
    return true;
}

// Numeric entries of a directory.
std::vector<long> numeric_entries(const std::string& path) {
    std::vector<long> ids;
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) {
        return ids;
    }
    while (const dirent* entry = ::readdir(dir)) {
        if (all_digits(entry->d_name)) {
            ids.push_back(std::strtol(entry->d_name, nullptr, 10));
        }
    }
    ::closedir(dir);
    return ids;
}

bool answers(int result) { return !(result == -1 && errno == ESRCH); }

// OSSEC chdir()s into the directory; opening it as a directory asks the
// kernel the same question without changing the working directory of a
// process that runs other threads.
bool can_enter(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    ::close(fd);
    return true;
}

bool bind_fails_in_use(int family, int type, std::uint16_t port) {
    const int fd = ::socket(family, type | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return false;
    }
    int result = 0;
    if (family == AF_INET) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_ANY);
        result = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    } else {
        const int only = 1;
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
        sockaddr_in6 address{};
        address.sin6_family = AF_INET6;
        address.sin6_port = htons(port);
        address.sin6_addr = in6addr_any;
        result = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    }
    const bool in_use = result != 0 && errno == EADDRINUSE;
    ::close(fd);
    return in_use;
}

// Local ports of one /proc/net table ("sl local_address rem_address ...",
// the address as HEX:PORT in hex).
void read_port_table(const std::string& path, std::vector<bool>& out) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string slot;
        std::string local;
        fields >> slot >> local;
        const auto colon = local.rfind(':');
        if (colon == std::string::npos) {
            continue;
        }
        const unsigned long port = std::strtoul(local.c_str() + colon + 1, nullptr, 16);
        if (port < out.size()) {
            out[port] = true;
        }
    }
}

}  // namespace

std::error_code list_processes(std::vector<ProcessEntry>& out) {
    out.clear();
    DIR* probe = ::opendir("/proc");
    if (probe == nullptr) {
        return last_error();
    }
    ::closedir(probe);
    for (const long pid : numeric_entries("/proc")) {
        std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
        std::string name;
        if (std::getline(comm, name)) {
            out.push_back({pid, name});
        }
    }
    return {};
}

std::error_code sight_process(long pid, ProcessSighting& out) {
    const auto id = static_cast<pid_t>(pid);
    out.signal = answers(::kill(id, 0));
    out.session = answers(::getsid(id));
    out.group = answers(::getpgid(id));
    const std::string path = "/proc/" + std::to_string(pid);
    struct stat info{};
    out.proc_stat = ::stat(path.c_str(), &info) == 0;
    out.proc_chdir = can_enter(path);
    // The /proc listing is read only for an id something else answered
    // for: reading it for each of the 32768 ids would cost seconds, and an
    // id that only the listing shows is not a process to look at.
    out.proc_listed = false;
    if (out.signal || out.session || out.group || out.proc_stat || out.proc_chdir) {
        const auto listed = numeric_entries("/proc");
        out.proc_listed = std::find(listed.begin(), listed.end(), pid) != listed.end();
    }
    return {};
}

std::error_code listed_thread_ids(std::set<long>& out) {
    out.clear();
    for (const long pid : numeric_entries("/proc")) {
        for (const long tid : numeric_entries("/proc/" + std::to_string(pid) + "/task")) {
            out.insert(tid);
        }
    }
    return {};
}

long max_process_id() {
    std::ifstream in("/proc/sys/kernel/pid_max");
    long limit = 0;
    if (in >> limit && limit > 0) {
        return std::min(limit, kOssecMaxPid);
    }
    return kOssecMaxPid;
}

std::error_code port_in_use(Transport transport, std::uint16_t port, bool& in_use) {
    const int type = transport == Transport::kTcp ? SOCK_STREAM : SOCK_DGRAM;
    in_use = bind_fails_in_use(AF_INET, type, port) || bind_fails_in_use(AF_INET6, type, port);
    return {};
}

std::error_code listed_ports(Transport transport, std::vector<bool>& out) {
    out.assign(65536, false);
    const std::string base = transport == Transport::kTcp ? "/proc/net/tcp" : "/proc/net/udp";
    std::ifstream probe(base);
    if (!probe) {
        return std::make_error_code(std::errc::not_supported);
    }
    read_port_table(base, out);
    read_port_table(base + "6", out);
    return {};
}

std::error_code network_interfaces(std::vector<NetworkInterface>& out) {
    out.clear();
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return last_error();
    }
    struct if_nameindex* names = ::if_nameindex();
    if (names == nullptr) {
        const auto ec = last_error();
        ::close(fd);
        return ec;
    }
    for (const struct if_nameindex* n = names; n->if_index != 0; ++n) {
        ifreq request{};
        std::strncpy(request.ifr_name, n->if_name, IFNAMSIZ - 1);
        if (::ioctl(fd, SIOCGIFFLAGS, &request) == 0) {
            out.push_back({n->if_name, (request.ifr_flags & IFF_PROMISC) != 0});
        }
    }
    ::if_freenameindex(names);
    ::close(fd);
    return {};
}

}  // namespace pal
