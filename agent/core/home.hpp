// The agent's home directory and the OSSEC layout under it. The home is
// the parent of the directory holding the running program (bin/), so an
// install under any prefix works without flags.
#pragma once

#include <filesystem>
#include <string>

namespace core {

// The account OSSEC's installer creates: ossec-agentd runs as this user,
// and files it must read but not write (client.keys) belong to the group.
inline constexpr char kAgentUser[] = "ossec";
inline constexpr char kAgentGroup[] = "ossec";

class Home {
public:
    explicit Home(std::filesystem::path root) : root_(std::move(root)) {}

    // The home of the program at executable_path (its parent's parent).
    static Home from_executable(const std::filesystem::path& executable_path);

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path config_file() const { return root_ / "etc" / "ossec.conf"; }
    std::filesystem::path internal_options() const {
        return root_ / "etc" / "internal_options.conf";
    }
    std::filesystem::path client_keys() const { return root_ / "etc" / "client.keys"; }
    std::filesystem::path shared_dir() const { return root_ / "etc" / "shared"; }
    std::filesystem::path log_file() const { return root_ / "logs" / "ossec.log"; }
    std::filesystem::path event_queue() const { return root_ / "queue" / "ossec" / "queue"; }
    std::filesystem::path exec_queue() const { return root_ / "queue" / "alerts" / "execq"; }
    std::filesystem::path rids_dir() const { return root_ / "queue" / "rids"; }
    std::filesystem::path buffer_dir() const { return root_ / "queue" / "buffer"; }
    std::filesystem::path run_dir() const { return root_ / "var" / "run"; }
    std::filesystem::path pid_file(const std::string& program) const;

private:
    std::filesystem::path root_;
};

}  // namespace core
