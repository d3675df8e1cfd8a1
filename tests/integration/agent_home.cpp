#include "integration/agent_home.hpp"

#include <fstream>
#include <sstream>
#include <thread>

namespace integration {

namespace fs = std::filesystem;

AgentHome::AgentHome() {
    for (const char* dir : {"bin", "etc/shared", "logs", "queue/ossec", "queue/rids",
                            "queue/alerts", "var/run", "active-response/bin"}) {
        fs::create_directories(root() / dir);
    }
}

fs::path AgentHome::install(const fs::path& program) {
    const fs::path target = bin() / program.filename();
    fs::copy_file(program, target, fs::copy_options::overwrite_existing);
    fs::permissions(target, fs::perms::owner_all | fs::perms::group_read |
                                fs::perms::group_exec | fs::perms::others_read |
                                fs::perms::others_exec);
    return target;
}

void AgentHome::write_config(const AgentConfig& config) {
    testing_support::write_file(root() / "etc" / "ossec.conf", format_config(config));
}

void AgentHome::write_keys(std::string_view client_keys) {
    testing_support::write_file(root() / "etc" / "client.keys", client_keys);
}

std::string AgentHome::read_log() const {
    std::ifstream in(log_file(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string format_config(const AgentConfig& config) {
    std::ostringstream xml;
    xml << "<ossec_config>\n"
        << "  <client>\n";
    if (config.servers.empty()) {
        xml << "    <server-ip>127.0.0.1</server-ip>\n"
            << "    <port>" << config.port << "</port>\n";
    }
    for (const auto& server : config.servers) {
        xml << "    <server>\n"
            << "      <address>" << server.address << "</address>\n"
            << "      <port>" << server.port << "</port>\n";
        if (!server.protocol.empty()) {
            xml << "      <protocol>" << server.protocol << "</protocol>\n";
        }
        xml << "    </server>\n";
    }
    if (!config.crypto_method.empty()) {
        xml << "    <crypto_method>" << config.crypto_method << "</crypto_method>\n";
    }
    xml
        << "    <notify_time>" << config.notify_time << "</notify_time>\n"
        << "    <time-reconnect>" << config.time_reconnect << "</time-reconnect>\n"
        << "  </client>\n";
    for (const auto& file : config.log_files) {
        xml << "  <localfile>\n"
            << "    <log_format>syslog</log_format>\n"
            << "    <location>" << file.string() << "</location>\n"
            << "  </localfile>\n";
    }
    xml << "</ossec_config>\n";
    return xml.str();
}

bool wait_for_path(const fs::path& path, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::error_code ec;
    while (!fs::exists(fs::symlink_status(path, ec))) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

void append_to_file(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
}

}  // namespace integration
