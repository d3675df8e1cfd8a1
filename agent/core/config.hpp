// ossec.conf, read into immutable values. Only what the agent's modules
// use is modelled; sections that belong to modules not built yet are
// recognised and left alone, and anything unknown is reported as a warning
// with its line number, never as a fatal error.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace core {

enum class Transport { kUdp, kTcp };

struct ServerAddress {
    std::string host;  // an IPv4 or IPv6 address, or a host name
    std::uint16_t port = 1514;
    Transport transport = Transport::kUdp;
};

struct ClientConfig {
    std::vector<ServerAddress> servers;  // in failover order
    std::chrono::seconds notify_time{600};
    std::chrono::seconds time_reconnect{1800};
    bool disable_active_response = false;
    std::string config_profile;
    bool aes = false;  // <crypto_method>aes</crypto_method> (Wazuh); else Blowfish
};

// Wazuh's <multiline_regex match="..." replace="..." timeout="...">: how
// the lines of one multi-line log are recognised and joined.
enum class MultilineMatch { kStart, kEnd, kAll };
enum class MultilineReplace { kNoReplace, kNone, kWhitespace, kTab };

struct MultilineRegex {
    std::string pattern;  // an ECMAScript regular expression, checked at parse
    MultilineMatch match = MultilineMatch::kStart;
    MultilineReplace replace = MultilineReplace::kNoReplace;
    std::chrono::seconds timeout{5};  // Wazuh's default; at most 120
};

struct LocalFile {
    std::string location;
    // As written ("syslog", "command", ...), except multi-line, which is
    // always "multi-line" with its count in multiline_lines.
    std::string log_format;
    int multiline_lines = 0;  // multi-line:N
    MultilineRegex multiline_regex;  // for multi-line-regex
    std::string query;               // <query> of eventchannel
    std::string command;
    std::string alias;
    std::chrono::seconds frequency{0};
    // For a file never read before: true starts at its end (OSSEC), false
    // reads it from the start (Wazuh's <only-future-events>no</...>).
    bool only_future_events = true;
    bool only_future_events_set = false;  // written in the file (eventchannel's default differs)
    int line = 0;  // where it was configured, for messages
};

// <client_buffer>: how agentd paces events toward the manager
// (events_per_second, Wazuh's name) and how much its disk buffer under
// queue/buffer may hold (disk_size, in MB). Wazuh's queue_size is read
// for compatibility; it has no effect here, as events go straight to the
// disk buffer and memory stays bounded without it.
struct ClientBuffer {
    std::uint32_t events_per_second = 500;  // 0 = no pacing
    std::uint32_t queue_size = 20000;
    std::uint32_t disk_megabytes = 1024;
};

// <active-response> in the agent's own ossec.conf, as execd reads it.
// The manager-side options (<command>, <location>, ...) are not the
// agent's business and are ignored.
struct ActiveResponseConfig {
    bool disabled = false;
    // Block lengths for an IP blocked again, in order, last one repeated;
    // at most 5 values, each > 0 (OSSEC's <repeated_offenders>).
    std::vector<std::chrono::minutes> repeated_offenders;
};

struct AgentConfig {
    ClientConfig client;
    ClientBuffer buffer;
    ActiveResponseConfig active_response;
    std::vector<LocalFile> localfiles;
};

struct LoadedConfig {
    AgentConfig config;
    std::vector<std::string> warnings;  // "<file>:<line>: ..." each
};

// Parses configuration text; name is used in messages (usually the path).
// Fails with "<name>:<line>: <problem>" on malformed XML or an invalid
// value of a known option.
Result<LoadedConfig> parse_config(std::string_view text, const std::string& name);

// Reads and parses a file; fails with a message naming the file when it
// cannot be read.
Result<LoadedConfig> load_config(const std::filesystem::path& path);

}  // namespace core
