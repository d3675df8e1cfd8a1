#include "logcollector/log_format.hpp"

#include <algorithm>
#include <array>

namespace logcollector {
namespace {

constexpr std::array<std::string_view, 7> kPlainLineFormats = {
    "syslog", "snort-fast", "apache", "iis", "squid", "generic", "syslog-pipe",
};

std::string where(const std::string& config_name, const core::LocalFile& file) {
    return config_name + ":" + std::to_string(file.line) + ": ";
}

CommandSpec command_spec(const core::LocalFile& file) {
    CommandSpec spec;
    spec.command = file.command;
    spec.alias = file.alias;
    spec.full = file.log_format == "full_command";
    if (file.frequency.count() > 0) {
        spec.frequency = file.frequency;
    }
    return spec;
}

}  // namespace

std::optional<char> plain_line_queue(std::string_view log_format) {
    if (std::find(kPlainLineFormats.begin(), kPlainLineFormats.end(), log_format) !=
        kPlainLineFormats.end()) {
        return '1';
    }
    return std::nullopt;
}

Selection select_localfiles(const std::vector<core::LocalFile>& files,
                            const std::string& config_name) {
    Selection selection;
    for (const core::LocalFile& file : files) {
        const auto assembled = assembled_format_queue(file.log_format);
        const auto queue = assembled ? assembled : plain_line_queue(file.log_format);
        const std::string at = where(config_name, file);
        if (file.log_format == "command" || file.log_format == "full_command") {
            selection.commands.push_back(command_spec(file));
        } else if (file.log_format == "eventchannel") {
            selection.channels.push_back(
                ChannelSpec{file.location, file.query, file.only_future_events_set &&
                                                           file.only_future_events});
        } else if (!queue) {
            selection.skipped.push_back(at + "log_format '" + file.log_format +
                                        "' is not supported yet; <localfile> skipped");
        } else if (std::any_of(selection.tails.begin(), selection.tails.end(),
                               [&](const TailSpec& t) { return t.location == file.location; })) {
            selection.skipped.push_back(at + "log file '" + file.location +
                                        "' is configured twice; the second is ignored");
        } else {
            selection.tails.push_back(TailSpec{file.location, *queue, file.only_future_events,
                                               assembled.has_value(), file});
        }
    }
    return selection;
}

}  // namespace logcollector
