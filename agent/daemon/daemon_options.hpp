// The command line every daemon shares, as OSSEC's daemons take it:
//   -f  stay in the foreground      -d  more debug output (repeatable)
//   -t  test the configuration      -c  FILE  configuration file
//   -V  print the version           -h  help
// and, for ossec-agentd only, as OSSEC's takes them:
//   -u  USER  the user to switch to  -g  GROUP  the group (both "ossec")
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/home.hpp"

namespace daemon_support {

struct DaemonOptions {
    bool foreground = false;
    bool test_config = false;
    bool show_version = false;
    bool show_help = false;
    int debug_level = 0;
    std::optional<std::filesystem::path> config_file;
    std::string user = core::kAgentUser;
    std::string group = core::kAgentGroup;
};

// Whether the program switches user, and so takes -u and -g.
enum class UserFlags { kNone, kAccepted };

// Parses argv. Fails (returns nullopt, with error set) on an unknown flag
// or a missing argument.
std::optional<DaemonOptions> parse_daemon_options(const std::vector<std::string>& args,
                                                  std::string& error,
                                                  UserFlags user_flags = UserFlags::kNone);

std::string usage_text(const std::string& program, UserFlags user_flags = UserFlags::kNone);
std::string version_text(const std::string& program);

// The configuration file to use: -c if given, else the home's.
std::filesystem::path config_path(const DaemonOptions& options, const core::Home& home);

}  // namespace daemon_support
