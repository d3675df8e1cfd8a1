#include "runners/agent_setup.hpp"

#include <fstream>
#include <sstream>

#include "enroll/key_import.hpp"

namespace agent_setup {
namespace {

constexpr std::size_t kMaxAddress = 255;
constexpr std::size_t kMaxConfigSize = 4 * 1024 * 1024;

bool is_ip_address(const std::string& value) {
    return value.find_first_not_of("0123456789.:abcdefABCDEF") == std::string::npos;
}

bool is_host_name(const std::string& value) {
    return !value.empty() && value.size() <= kMaxAddress &&
           value.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789.-:_") == std::string::npos;
}

bool is_port(const std::string& value) {
    return !value.empty() && value.size() <= 5 &&
           value.find_first_not_of("0123456789") == std::string::npos &&
           std::stoi(value) > 0 && std::stoi(value) < 65536;
}

// Replaces the content of the first <tag>...</tag> with value, renaming
// the element to new_tag. False when there is none.
bool replace_element(std::string& text, const std::string& tag, const std::string& new_tag,
                     const std::string& value) {
    const std::string open = "<" + tag + ">";
    const std::string close = "</" + tag + ">";
    const std::size_t begin = text.find(open);
    if (begin == std::string::npos) {
        return false;
    }
    const std::size_t end = text.find(close, begin + open.size());
    if (end == std::string::npos) {
        return false;
    }
    text.replace(begin, end + close.size() - begin,
                 "<" + new_tag + ">" + value + "</" + new_tag + ">");
    return true;
}

core::Result<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return core::Error{"cannot read '" + path.string() + "'"};
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().size() > kMaxConfigSize) {
        return core::Error{"'" + path.string() + "' is larger than 4 MB"};
    }
    return text.str();
}

// Written beside the file and renamed over it, so a failure leaves the old one.
core::Result<bool> write_file(const std::filesystem::path& path, const std::string& text) {
    const std::filesystem::path temporary = path.string() + ".new";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            return core::Error{"cannot write '" + temporary.string() + "'"};
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        return core::Error{"cannot replace '" + path.string() + "': " + ec.message()};
    }
    return true;
}

}  // namespace

core::Result<SetupOptions> parse_setup_options(const std::vector<std::string>& args) {
    SetupOptions options;
    for (std::size_t i = 0; i < args.size(); i += 2) {
        if (i + 1 >= args.size()) {
            return core::Error{"option '" + args[i] + "' needs a value"};
        }
        const std::string& value = args[i + 1];
        if (args[i] == "-m") {
            options.manager = value;
        } else if (args[i] == "-p") {
            options.port = value;
        } else if (args[i] == "-k") {
            options.key = value;
        } else {
            return core::Error{"unknown setup option '" + args[i] + "'"};
        }
    }
    return options;
}

core::Result<std::string> set_manager(std::string text, const std::string& address,
                                      const std::string& port) {
    if (!is_host_name(address)) {
        return core::Error{"'" + address + "' is not a manager address (IP or host name)"};
    }
    if (!port.empty() && !is_port(port)) {
        return core::Error{"'" + port + "' is not a port number (1-65535)"};
    }
    const std::string tag = is_ip_address(address) ? "server-ip" : "server-hostname";
    if (!replace_element(text, "server-ip", tag, address) &&
        !replace_element(text, "server-hostname", tag, address)) {
        return core::Error{"no <server-ip> or <server-hostname> element to set"};
    }
    if (!port.empty() && !replace_element(text, "port", "port", port)) {
        return core::Error{"no <port> element to set"};
    }
    return text;
}

core::Result<bool> run_setup(const core::Home& home, const SetupOptions& options,
                             std::vector<std::string>& out) {
    for (const auto& dir : {home.shared_dir(), home.log_file().parent_path(),
                            home.event_queue().parent_path(), home.exec_queue().parent_path(),
                            home.rids_dir(), home.run_dir()}) {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            return core::Error{"cannot create '" + dir.string() + "': " + ec.message()};
        }
    }

    const auto config = home.config_file();
    if (!std::filesystem::exists(config)) {
        const auto fallback = std::filesystem::path(config.string() + ".default");
        std::error_code ec;
        std::filesystem::copy_file(fallback, config, ec);
        if (ec) {
            return core::Error{"cannot copy '" + fallback.string() + "' to '" +
                               config.string() + "': " + ec.message()};
        }
        out.push_back("installed the default configuration '" + config.string() + "'");
    }
    if (!options.manager.empty()) {
        auto text = read_file(config);
        if (!text.ok()) {
            return core::Error{text.error()};
        }
        auto changed = set_manager(text.value(), options.manager, options.port);
        if (!changed.ok()) {
            return core::Error{config.string() + ": " + changed.error()};
        }
        if (auto written = write_file(config, changed.value()); !written.ok()) {
            return written;
        }
        out.push_back("manager set to '" + options.manager + "' in '" + config.string() + "'");
    }

    if (!options.key.empty()) {
        const auto key = enroll::parse_import_key(options.key);
        if (!key.ok()) {
            return core::Error{"cannot import the agent key: " + key.error()};
        }
        const auto installed = enroll::install_agent_key(home, key.value());
        if (!installed.ok()) {
            return core::Error{installed.error()};
        }
        out.push_back("agent key imported (agent '" + key.value().name + "', id " +
                      key.value().id + ")");
    } else if (!std::filesystem::exists(home.client_keys())) {
        if (auto written = write_file(home.client_keys(), ""); !written.ok()) {
            return written;
        }
    }
    return true;
}

}  // namespace agent_setup
