// A temporary agent home laid out as an OSSEC install: bin/, etc/,
// logs/, queue/{ossec,rids,alerts}, etc/shared, var/run. The programs
// find their home from their own path (the parent of bin/), so they are
// copied into bin/, not linked. Removed on destruction.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_support.hpp"

namespace integration {

// One <server> block of <client>.
struct ServerBlock {
    std::string address;
    std::uint16_t port = 1514;
    std::string protocol;  // "udp", "tcp", or "" for none
};

struct AgentConfig {
    std::uint16_t port = 1514;                     // with <server-ip>127.0.0.1
    std::vector<ServerBlock> servers;              // when set, instead of the above
    std::string crypto_method;                     // "aes", "blowfish" or "" for none
    int notify_time = 1;                           // seconds
    int time_reconnect = 60;                       // seconds
    std::vector<std::filesystem::path> log_files;  // <localfile> syslog
};

class AgentHome {
  public:
    AgentHome();

    const std::filesystem::path& root() const { return dir_.path(); }
    std::filesystem::path bin() const { return root() / "bin"; }
    std::filesystem::path log_file() const { return root() / "logs" / "ossec.log"; }
    std::filesystem::path event_queue() const {
        return root() / "queue" / "ossec" / "queue";
    }
    std::filesystem::path rids_dir() const { return root() / "queue" / "rids"; }
    std::filesystem::path shared_dir() const { return root() / "etc" / "shared"; }

    // Copies the program into bin/ and returns its new path.
    std::filesystem::path install(const std::filesystem::path& program);
    void write_config(const AgentConfig& config);
    void write_keys(std::string_view client_keys);

    // ossec.log, or "" while it does not exist.
    std::string read_log() const;

  private:
    testing_support::TempDir dir_;
};

// The text of the XML element for config (an ossec_config document).
std::string format_config(const AgentConfig& config);

// Waits until path exists; false at the deadline.
bool wait_for_path(const std::filesystem::path& path, std::chrono::milliseconds timeout);

// Appends text to the file, creating it, and flushes it to the kernel.
void append_to_file(const std::filesystem::path& path, std::string_view text);

}  // namespace integration
