// agentd throughput and cost: the real ossec-agentd, in a temporary home,
// forwards N events of a given size from the local queue to the test
// manager on 127.0.0.1. Prints events/s end to end, whether every event
// arrived, and agentd's CPU time per event (utime + stime from /proc).
//
//   agentd_bench <path to ossec-agentd> [events=100000] [size=120] [eps=0]
//                [udp|tcp|tcp-aes]
//
// events takes a k or M suffix: "1M" is the million-event run. eps is
// <client_buffer><events_per_second> (0: no pacing). The last argument
// picks the transport (and AES over TCP). Figures only; nothing here
// passes or fails.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/agent_home.hpp"
#include "integration/child_process.hpp"
#include "pal/local_queue.hpp"
#include "testmanager/test_manager.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const char kKey[] =
    "001 bench-agent any d463111442d76de0c15defc0177c6fd547cb6f7251a36253cebb3e558cd324e5\n";

// utime + stime of a process, in seconds.
double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string skip;
    for (int i = 0; i < 11; ++i) {
        fields >> skip;
    }
    unsigned long utime = 0;
    unsigned long stime = 0;
    fields >> utime >> stime;
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::size_t count_bench_events(testmanager::TestManager& manager) {
    return manager.stats().accepted_events;
}

// "100000", "100k", "1M".
long parse_count(const std::string& text) {
    const char unit = text.empty() ? '\0' : text.back();
    const long base = std::stol(text);
    return unit == 'k' || unit == 'K' ? base * 1000 : unit == 'M' ? base * 1000000 : base;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <ossec-agentd> [events] [size] [eps]\n", argv[0]);
        return 2;
    }
    const long events = argc > 2 ? parse_count(argv[2]) : 100000;
    const std::size_t size = argc > 3 ? std::stoul(argv[3]) : 120;
    const long eps = argc > 4 ? std::stol(argv[4]) : 0;
    const std::string transport = argc > 5 ? argv[5] : "udp";
    const bool tcp = transport != "udp";

    testmanager::ManagerOptions options;
    options.tcp = tcp;
    testmanager::TestManager manager(options);
    manager.load_keys(kKey);
    if (manager.start()) {
        std::fprintf(stderr, "cannot start the test manager\n");
        return 1;
    }
    integration::AgentHome home;
    const auto agentd = home.install(argv[1]);
    home.write_keys(kKey);
    std::ofstream(home.root() / "etc" / "ossec.conf")
        << "<ossec_config><client><server-ip>127.0.0.1</server-ip><port>" << manager.port()
        << "</port><protocol>" << (tcp ? "tcp" : "udp") << "</protocol>"
        << (transport == "tcp-aes" ? "<crypto_method>aes</crypto_method>" : "")
        << "<notify_time>10</notify_time></client><client_buffer>"
        << "<events_per_second>" << eps << "</events_per_second><disk_size>4096</disk_size>"
        << "</client_buffer></ossec_config>\n";

    integration::ChildProcess process({agentd.string(), "-f"},
                                      home.root() / "logs" / "agentd.out");
    if (process.start() || !manager.wait_for_events(1, 30s) ||
        !integration::wait_for_path(home.event_queue(), 10s)) {
        std::fprintf(stderr, "agentd did not connect\n");
        return 1;
    }
    std::error_code ec;
    auto sender = pal::connect_queue(home.event_queue(), ec);
    if (!sender) {
        std::fprintf(stderr, "cannot connect to the queue: %s\n", ec.message().c_str());
        return 1;
    }

    const std::size_t before = count_bench_events(manager);
    const double cpu_before = cpu_seconds(process.pid());
    const std::string filler(size > 30 ? size - 30 : 1, 'x');
    const auto start = Clock::now();
    for (long i = 0; i < events; ++i) {
        while (sender->send("1:bench:" + std::to_string(i) + " " + filler)) {
            std::this_thread::sleep_for(1ms);
        }
    }
    const auto queued = Clock::now();
    const std::size_t wanted = before + static_cast<std::size_t>(events);
    // Polled, not waited on: a waiter woken for every message would take
    // a core from agentd (and the manager's receive thread).
    auto done = Clock::now();
    for (const auto limit = Clock::now() + 600s; Clock::now() < limit;) {
        std::this_thread::sleep_for(20ms);
        done = Clock::now();
        if (count_bench_events(manager) >= wanted) {
            break;
        }
    }
    std::this_thread::sleep_for(3s);  // let late duplicates or stragglers land
    const double cpu = cpu_seconds(process.pid()) - cpu_before;
    const std::size_t received = count_bench_events(manager) - before;
    // Distinct event numbers: an event may arrive twice (resent after a
    // lost confirmation), so the count alone cannot show loss.
    std::vector<bool> seen(static_cast<std::size_t>(events), false);
    std::size_t distinct = 0;
    for (const auto& m : manager.events()) {
        if (!m.event || m.event->location != "bench") {
            continue;
        }
        const long n = std::strtol(m.event->text.c_str(), nullptr, 10);
        if (n >= 0 && n < events && !seen[static_cast<std::size_t>(n)]) {
            seen[static_cast<std::size_t>(n)] = true;
            ++distinct;
        }
    }

    const double seconds = std::chrono::duration<double>(done - start).count();
    std::printf("agentd_bench: %ld events of %zu bytes over %s, pacing %ld events/s "
                "(0 = none)\n",
                events, size, transport.c_str(), eps);
    std::printf("  queued in          %.2f s\n",
                std::chrono::duration<double>(queued - start).count());
    std::printf("  all received in    %.2f s -> %.0f events/s end to end\n", seconds,
                static_cast<double>(events) / seconds);
    std::printf("  received           %zu, %zu distinct of %ld (%s)\n", received, distinct,
                events, distinct == static_cast<std::size_t>(events) ? "no loss" : "LOSS");
    std::printf("  agentd CPU         %.2f s -> %.2f us per event\n", cpu,
                cpu * 1e6 / static_cast<double>(events));
    process.terminate();
    return 0;
}
