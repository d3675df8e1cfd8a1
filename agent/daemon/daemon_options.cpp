#include "daemon/daemon_options.hpp"

namespace daemon_support {

std::optional<DaemonOptions> parse_daemon_options(const std::vector<std::string>& args,
                                                  std::string& error) {
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
                case 'c':
                    if (j + 1 != arg.size() || i + 1 == args.size()) {
                        error = "option -c needs a file name";
                        return std::nullopt;
                    }
                    options.config_file = args[++i];
                    break;
                default:
                    error = std::string("unknown option -") + arg[j];
                    return std::nullopt;
            }
        }
    }
    return options;
}

std::string usage_text(const std::string& program) {
    return program +
           " [-f] [-d] [-t] [-V] [-h] [-c config]\n"
           "  -f  run in the foreground\n"
           "  -d  more debug output (repeat for more)\n"
           "  -t  test the configuration and exit (0 when valid)\n"
           "  -c  configuration file (default: <home>/etc/ossec.conf)\n"
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
