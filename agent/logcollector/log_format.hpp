// Which <localfile> entries this collector can follow, and how.
//
// In OSSEC 3.x, syslog, snort-fast, apache, iis and squid (and the
// undocumented generic and syslog-pipe) are all read by read_syslog: every
// line is sent unchanged on queue '1'. The others have their own framing
// (snort-full, nmapg, mysql_log, postgresql_log, djb-multilog,
// multi-line:N, ...) or are not files (command, full_command, eventlog,
// eventchannel); command and full_command run commands (command_source.hpp),
// the others are not supported here yet.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "logcollector/command_source.hpp"

namespace logcollector {

// The queue character for a format read line by line, unchanged; nullopt
// for every other format.
std::optional<char> plain_line_queue(std::string_view log_format);

// A <localfile> this collector will follow.
struct TailSpec {
    std::string location;
    char queue = '1';
    // A file never read before, already there at start: from its end
    // (<only-future-events>yes, OSSEC's behaviour) or from its start.
    bool only_future_events = true;
};

struct Selection {
    std::vector<TailSpec> tails;
    std::vector<CommandSpec> commands;
    // "<config>:<line>: ..." for each entry skipped and why.
    std::vector<std::string> skipped;
};

// Picks the entries to follow; config_name prefixes the messages.
Selection select_localfiles(const std::vector<core::LocalFile>& files,
                            const std::string& config_name);

}  // namespace logcollector
