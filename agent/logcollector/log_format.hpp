// Which <localfile> entries this collector can follow, and how.
//
// In OSSEC 3.x, syslog, snort-fast, apache, iis and squid (and the
// undocumented generic and syslog-pipe) are all read by read_syslog: every
// line is sent unchanged on queue '1'. snort-full, nmapg, mysql_log,
// postgresql_log, djb-multilog, multi-line:N, json and multi-line-regex
// have their own framing (event_assembler.hpp). command and full_command
// run commands (command_source.hpp). eventlog and eventchannel are not
// files; the others (audit, journald, ...) are not supported.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "logcollector/command_source.hpp"
#include "logcollector/event_assembler.hpp"
#include "logcollector/event_channel_source.hpp"

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
    // The formats with their own framing: the entry, for make_assembler.
    bool assembled = false;
    core::LocalFile source{};
};

struct Selection {
    std::vector<TailSpec> tails;
    std::vector<CommandSpec> commands;
    std::vector<ChannelSpec> channels;  // eventchannel
    // "<config>:<line>: ..." for each entry skipped and why.
    std::vector<std::string> skipped;
};

// Picks the entries to follow; config_name prefixes the messages.
Selection select_localfiles(const std::vector<core::LocalFile>& files,
                            const std::string& config_name);

}  // namespace logcollector
