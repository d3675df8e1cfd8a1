#include "logcollector/event_assembler.hpp"

#include "logcollector/assemblers.hpp"

namespace logcollector {
namespace {

// OSSEC's init_djbmultilog: the program is the directory holding
// "current"; "/current" alone names none.
std::optional<std::string> djb_program(const std::string& location) {
    constexpr std::string_view kCurrent = "/current";
    if (location.size() <= kCurrent.size() ||
        location.compare(location.size() - kCurrent.size(), kCurrent.size(), kCurrent) != 0) {
        return std::nullopt;
    }
    const std::string directory = location.substr(0, location.size() - kCurrent.size());
    const std::size_t slash = directory.rfind('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == directory.size()) {
        return std::nullopt;
    }
    return directory.substr(slash + 1);
}

}  // namespace

std::optional<char> assembled_format_queue(std::string_view log_format) {
    if (log_format == "multi-line" || log_format == "multi-line-regex" ||
        log_format == "snort-full" || log_format == "json") {
        return '1';
    }
    if (log_format == "mysql_log" || log_format == "djb-multilog") {
        return 'a';
    }
    if (log_format == "postgresql_log") {
        return 'b';
    }
    if (log_format == "nmapg") {
        return '3';
    }
    return std::nullopt;
}

AssemblerChoice make_assembler(const core::LocalFile& file, const FormatContext& context) {
    AssemblerChoice choice;
    const std::string& format = file.log_format;
    const std::size_t max = context.max_text;
    if (format == "multi-line") {
        const auto lines = static_cast<std::size_t>(file.multiline_lines > 0
                                                        ? file.multiline_lines : 1);
        choice.assembler = std::make_unique<MultiLineAssembler>(lines, max);
    } else if (format == "multi-line-regex") {
        choice.assembler = std::make_unique<MultiLineRegexAssembler>(file.multiline_regex, max);
    } else if (format == "snort-full") {
        choice.assembler =
            std::make_unique<SnortFullAssembler>(context.location, max, context.logger);
    } else if (format == "postgresql_log") {
        choice.assembler = std::make_unique<PostgresqlAssembler>(max);
    } else if (format == "mysql_log") {
        choice.assembler = std::make_unique<MysqlAssembler>(max);
    } else if (format == "nmapg") {
        choice.assembler =
            std::make_unique<NmapGrepableAssembler>(context.location, max, context.logger);
    } else if (format == "json") {
        choice.assembler = std::make_unique<JsonAssembler>(context.location, context.logger);
    } else if (format == "djb-multilog") {
        if (const auto program = djb_program(context.location)) {
            choice.assembler = std::make_unique<DjbMultilogAssembler>(
                *program, context.hostname, context.clock, max);
        } else {
            choice.error = "djb-multilog file '" + context.location +
                           "' is not named '<directory>/<program>/current'; it is not read";
        }
    }
    return choice;
}

}  // namespace logcollector
