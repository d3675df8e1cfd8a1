#include "daemon/daemon_options.hpp"

namespace daemon_support {

namespace {

// The argument of the flag at arg[j], the next word of args; false (with
// error set) when the flag is not last in its group or nothing follows.
bool take_argument(const std::vector<std::string>& args, std::size_t& i, std::size_t j,
                   const char* what, std::string& value, std::string& error) {
    const std::string& arg = args[i];
    if (j + 1 != arg.size() || i + 1 == args.size()) {
        error = std::string("option -") + arg[j] + " needs " + what;
        return false;
    }
    value = args[++i];
    return true;
}

}  // namespace

std::optional<DaemonOptions> parse_daemon_options(const std::vector<std::string>& args,
                                                  std::string& error, UserFlags user_flags) {
    DaemonOptions options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.size() < 2 || arg[0] != '-') {
            error = "unexpected argument '" + arg + "'";
            return std::nullopt;
        }
        // Flags may be grouped, as in "-fdd".
        for (std::size_t j = 1; j < arg.size(); ++j) {
            switch (arg[j]) {
                case 'f': options.foreground = true; break;
                case 'd': ++options.debug_level; break;
                case 't': options.test_config = true; break;
                case 'V': options.show_version = true; break;
                case 'h': options.show_help = true; break;
                case 'c': {
                    std::string file;
                    if (!take_argument(args, i, j, "a file name", file, error)) {
                        return std::nullopt;
                    }
                    options.config_file = file;
                    j = arg.size();
                    break;
                }
                case 'u':
                case 'g':
                    if (user_flags == UserFlags::kAccepted) {
                        std::string& name = arg[j] == 'u' ? options.user : options.group;
                        if (!take_argument(args, i, j, "a name", name, error)) {
                            return std::nullopt;
                        }
                        j = arg.size();
                        break;
                    }
                    [[fallthrough]];
                default:
                    error = std::string("unknown option -") + arg[j];
                    return std::nullopt;
            }
        }
    }
    return options;
}

std::string usage_text(const std::string& program, UserFlags user_flags) {
    const bool users = user_flags == UserFlags::kAccepted;
    return program + " [-f] [-d] [-t] [-V] [-h] [-c config]" +
           (users ? " [-u user] [-g group]" : "") +
           "\n"
           "  -f  run in the foreground\n"
           "  -d  more debug output (repeat for more)\n"
           "  -t  test the configuration and exit (0 when valid)\n"
           "  -c  configuration file (default: <home>/etc/ossec.conf)\n" +
           (users ? "  -u  user to run as after start-up (default: ossec)\n"
                    "  -g  group to run as after start-up (default: ossec)\n"
                  : "") +
           "  -V  print the version and exit\n"
           "  -h  this help\n";
}

std::string version_text(const std::string& program) {
    return program + " " AGENT_VERSION " (compatible with OSSEC HIDS v3.8.0)\n";
}

std::filesystem::path config_path(const DaemonOptions& options, const core::Home& home) {
    return options.config_file ? *options.config_file : home.config_file();
}

}  // namespace daemon_support
