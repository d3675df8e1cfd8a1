// The checks of the running system: hidden processes, hidden ports and
// promiscuous interfaces. OSSEC compares what system calls see with what
// ps(1), netstat(1) and ifconfig(8) print, running them through a shell
// for every process id and port. Here the userland view is the /proc
// listing and the /proc/net tables (what ps and netstat themselves read),
// taken through the platform layer, and nothing is run through a shell.
// What a system cannot tell (Windows, as in OSSEC) is logged once and
// skipped.
#include <algorithm>

#include "rootcheck/rootcheck.hpp"

namespace rootcheck {
namespace {

constexpr int kMaxHiddenProcesses = 15;
constexpr int kMaxHiddenPorts = 20;

std::string flag(bool value) { return value ? "1" : "0"; }

}  // namespace

void Rootcheck::check_pids() {
    std::set<long> threads;
    if (const auto ec = system_.thread_ids(threads)) {
        unsupported("the hidden process check", ec);
        return;
    }
    const long own = system_.own_pid();
    int errors = 0;
    bool threads_fresh = true;
    for (long pid = 1; pid <= system_.max_pid() && !stopping(); ++pid) {
        pal::ProcessSighting first;
        if (const auto ec = system_.sight_process(pid, first)) {
            unsupported("the hidden process check", ec);
            return;
        }
        if (!first.any() || pid == own) {
            continue;
        }
        if (first.signal && first.session && first.group && first.proc_stat &&
            first.proc_listed) {
            continue;
        }
        // Seen differently: look again (it may have just started or ended).
        pal::ProcessSighting second;
        system_.sight_process(pid, second);
        if (!second.any()) {
            continue;
        }
        if (errors > kMaxHiddenProcesses) {
            send("Excessive number of hidden processes. It maybe a false-positive or "
                 "something really bad is going on.");
            return;
        }
        std::string finding;
        if (first.session == second.session && first.signal == second.signal &&
            first.session != first.signal) {
            // Answering kill only is a zombie: not a finding.
            if (!(first.signal && !first.session && !first.group)) {
                finding = "Process '" + std::to_string(pid) + "' hidden from kill (" +
                          flag(first.signal) + ") or getsid (" + flag(first.session) +
                          "). Possible kernel-level rootkit.";
            }
        } else if (second.signal != second.session || second.group != second.signal) {
            if (!(second.signal && !first.session && !first.group && !second.session)) {
                finding = "Process '" + std::to_string(pid) + "' hidden from kill (" +
                          flag(second.signal) + "), getsid (" + flag(second.session) +
                          ") or getpgid. Possible kernel-level rootkit.";
            }
        } else if (second.proc_listed != second.proc_stat ||
                   second.proc_listed != second.proc_chdir ||
                   second.proc_stat != second.signal) {
            if (threads.count(pid) == 0 && threads_fresh) {
                // A thread started after the snapshot: refresh once.
                system_.thread_ids(threads);
                threads_fresh = false;
            }
            if (threads.count(pid) == 0) {
                finding = "Process '" + std::to_string(pid) +
                          "' hidden from /proc. Possible kernel level rootkit.";
            }
        }
        if (!finding.empty()) {
            ++errors;
            send(finding);
        }
    }
    if (errors == 0) {
        logger_.debug("No hidden process by Kernel-level rootkits.");
    }
}

void Rootcheck::check_ports() {
    for (const auto transport : {pal::Transport::kTcp, pal::Transport::kUdp}) {
        const std::string name = transport == pal::Transport::kTcp ? "tcp" : "udp";
        std::vector<bool> listed;
        if (const auto ec = system_.listed_ports(transport, listed)) {
            unsupported("the hidden port check", ec);
            return;
        }
        int errors = 0;
        for (std::uint32_t port = 0; port <= 65535 && !stopping(); ++port) {
            const auto p = static_cast<std::uint16_t>(port);
            bool in_use = false;
            if (const auto ec = system_.port_in_use(transport, p, in_use)) {
                unsupported("the hidden port check", ec);
                return;
            }
            if (!in_use || listed[port]) {
                continue;
            }
            // Look again: the port may have been taken since the listing.
            system_.listed_ports(transport, listed);
            system_.port_in_use(transport, p, in_use);
            if (!in_use || listed[port]) {
                continue;
            }
            ++errors;
            send("Port '" + std::to_string(port) + "'(" + name +
                 ") hidden. Kernel-level rootkit or trojaned version of netstat.");
            if (errors > kMaxHiddenPorts) {
                send("Excessive number of '" + name + "' ports hidden. It maybe a "
                     "false-positive or something really bad is going on.");
                return;
            }
        }
    }
}

void Rootcheck::check_interfaces() {
    std::vector<pal::NetworkInterface> interfaces;
    if (const auto ec = system_.interfaces(interfaces)) {
        unsupported("the promiscuous interface check", ec);
        return;
    }
    int errors = 0;
    for (const auto& interface : interfaces) {
        if (interface.promiscuous) {
            ++errors;
            send("Interface '" + interface.name + "' in promiscuous mode.");
        }
    }
    if (errors == 0) {
        logger_.debug("No problem detected on ifconfig/ifs. Analyzed " +
                      std::to_string(interfaces.size()) + " interfaces.");
    }
}

}  // namespace rootcheck
