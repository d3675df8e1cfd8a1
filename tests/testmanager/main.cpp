// ossec-testmanager: the test manager as a program. It listens for agents
// on UDP (or TCP with --tcp), answers them as ossec-remoted does, and prints every message it
// accepts or rejects, one line each, until SIGINT or SIGTERM.
//
//   ossec-testmanager [--port N] [--keys FILE] [--bind ADDR] [--tcp]

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <string_view>

#include "testmanager/test_manager.hpp"

namespace {

struct Arguments {
    std::string bind_address = "127.0.0.1";
    std::uint16_t port = 1514;
    std::string keys_file = "client.keys";
    bool tcp = false;
};

void usage(std::ostream& out) {
    out << "usage: ossec-testmanager [--port N] [--keys FILE] [--bind ADDR] [--tcp]\n"
           "  --port N      port to listen on (default 1514; 0 picks one)\n"
           "  --keys FILE   client.keys holding the agents' keys (default "
           "./client.keys)\n"
           "  --bind ADDR   address to bind (default 127.0.0.1)\n"
           "  --tcp         listen on TCP (Wazuh 4.x framing) instead of UDP\n";
}

bool parse_port(std::string_view text, std::uint16_t& port) {
    try {
        const unsigned long value = std::stoul(std::string(text));
        if (value > 65535) {
            return false;
        }
        port = static_cast<std::uint16_t>(value);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

// Returns false (after printing why) when the command line is wrong.
bool parse_arguments(int argc, char** argv, Arguments& args) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "-h" || arg == "--help") {
            usage(std::cout);
            std::exit(0);
        } else if (arg == "--port" && has_value && parse_port(argv[i + 1], args.port)) {
            ++i;
        } else if (arg == "--keys" && has_value) {
            args.keys_file = argv[++i];
        } else if (arg == "--tcp") {
            args.tcp = true;
        } else if (arg == "--bind" && has_value) {
            args.bind_address = argv[++i];
        } else {
            std::cerr << "ossec-testmanager: bad argument '" << arg << "'\n";
            usage(std::cerr);
            return false;
        }
    }
    return true;
}

std::string describe(const testmanager::Received& r) {
    const std::string who = " agent=" + r.agent_id;
    if (r.is_startup()) {
        return "startup" + who;
    }
    if (r.is_control()) {
        return "keepalive" + who + ": " + r.first_line();
    }
    if (!r.event) {
        return "event" + who + " (not <Q>:<location>:<message>): " + r.payload;
    }
    return "event" + who + " queue=" + std::string(1, r.event->queue) +
           " location=" + r.event->location + ": " + r.event->text;
}

std::string describe(const testmanager::Rejected& r) {
    return "rejected agent=" + (r.agent_id.empty() ? "?" : r.agent_id) +
           " from=" + r.source_address + ":" + std::to_string(r.source_port) +
           " reason=" + std::string(testmanager::to_string(r.reason)) + ": " + r.detail;
}

}  // namespace

int main(int argc, char** argv) {
    Arguments args;
    if (!parse_arguments(argc, argv, args)) {
        return 2;
    }

    std::mutex output;
    testmanager::ManagerOptions options;
    options.bind_address = args.bind_address;
    options.port = args.port;
    options.tcp = args.tcp;
    options.on_received = [&output](const testmanager::Received& r) {
        std::lock_guard lock(output);
        std::cout << describe(r) << std::endl;
    };
    options.on_rejected = [&output](const testmanager::Rejected& r) {
        std::lock_guard lock(output);
        std::cout << describe(r) << std::endl;
    };
    testmanager::TestManager manager(std::move(options));

    const auto problems = manager.load_keys_file(args.keys_file);
    for (const auto& problem : problems) {
        std::cerr << "ossec-testmanager: " << args.keys_file << ": " << problem << "\n";
    }
    if (const auto ec = manager.start()) {
        std::cerr << "ossec-testmanager: cannot listen on " << args.bind_address << ":"
                  << args.port << ": " << ec.message() << "\n";
        return 1;
    }
    {
        std::lock_guard lock(output);
        std::cout << "listening on " << args.bind_address << ":" << manager.port()
                  << (args.tcp ? " (tcp)" : " (udp)") << "; Ctrl-C stops" << std::endl;
    }

    asio::io_context io;
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([](std::error_code, int) {});
    io.run();

    manager.stop();
    const auto stats = manager.stats();
    std::cout << "stopped: accepted " << stats.accepted << ", rejected "
              << stats.rejected_replay << " replayed, " << stats.rejected_bad << " bad, "
              << stats.rejected_unknown << " from unknown agents" << std::endl;
    return 0;
}
