#include "core/rootcheck_config.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <map>

namespace core {
namespace {

int line_of(std::string_view text, std::ptrdiff_t offset) {
    const auto size = static_cast<std::ptrdiff_t>(text.size());
    const auto end = text.begin() + std::clamp<std::ptrdiff_t>(offset, 0, size);
    return 1 + static_cast<int>(std::count(text.begin(), end, '\n'));
}

std::string trimmed(std::string_view value) {
    const char* blanks = " \t\r\n";
    const auto first = value.find_first_not_of(blanks);
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = value.find_last_not_of(blanks);
    return std::string(value.substr(first, last - first + 1));
}

bool* flag_of(RootcheckConfig& c, std::string_view tag) {
    const std::map<std::string_view, bool*> flags = {
        {"disabled", &c.disabled},         {"scanall", &c.scanall},
        {"readall", &c.readall},           {"skip_nfs", &c.skip_nfs},
        {"check_dev", &c.check_dev},       {"check_files", &c.check_files},
        {"check_if", &c.check_if},         {"check_pids", &c.check_pids},
        {"check_ports", &c.check_ports},   {"check_sys", &c.check_sys},
        {"check_trojans", &c.check_trojans}, {"check_unixaudit", &c.check_unixaudit},
        {"check_winaudit", &c.check_winaudit}, {"check_winmalware", &c.check_winmalware},
        {"check_winapps", &c.check_winapps},
    };
    const auto found = flags.find(tag);
    return found == flags.end() ? nullptr : found->second;
}

std::string* text_option_of(RootcheckConfig& c, std::string_view tag) {
    const std::map<std::string_view, std::string*> options = {
        {"rootkit_files", &c.rootkit_files},     {"rootkit_trojans", &c.rootkit_trojans},
        {"windows_audit", &c.windows_audit},     {"windows_malware", &c.windows_malware},
        {"windows_apps", &c.windows_apps},       {"base_directory", &c.base_directory},
    };
    const auto found = options.find(tag);
    return found == options.end() ? nullptr : found->second;
}

// "" when the option was applied, else the problem.
std::string apply(RootcheckConfig& c, std::string_view tag, const std::string& value,
                  bool& unknown) {
    if (value.empty()) {
        return "empty value for <" + std::string(tag) + ">";
    }
    if (bool* flag = flag_of(c, tag)) {
        if (value != "yes" && value != "no") {
            return "invalid value '" + value + "' for <" + std::string(tag) +
                   ">: expected yes or no";
        }
        *flag = value == "yes";
    } else if (std::string* option = text_option_of(c, tag)) {
        *option = value;
    } else if (tag == "system_audit") {
        c.system_audit.push_back(value);
    } else if (tag == "ignore") {
        c.ignore.push_back(value);
    } else if (tag == "frequency") {
        if (value.size() > 9 || !std::all_of(value.begin(), value.end(),
                                             [](char ch) { return ch >= '0' && ch <= '9'; })) {
            return "invalid value '" + value + "' for <frequency>: expected seconds";
        }
        c.frequency = std::chrono::seconds(std::stoll(value));
    } else {
        unknown = true;
    }
    return {};
}

}  // namespace

Result<LoadedRootcheckConfig> parse_rootcheck_config(std::string_view text,
                                                     const std::string& name) {
    pugi::xml_document doc;
    const auto parsed = doc.load_buffer(text.data(), text.size(),
                                        pugi::parse_default | pugi::parse_fragment,
                                        pugi::encoding_utf8);
    if (!parsed) {
        return Error{name + ":" + std::to_string(line_of(text, parsed.offset)) +
                     ": XML error: " + parsed.description()};
    }
    LoadedRootcheckConfig loaded;
    for (const pugi::xml_node& root : doc.children()) {
        const std::string_view root_name = root.name();
        if (root.type() != pugi::node_element ||
            (root_name != "ossec_config" && root_name != "agent_config")) {
            continue;
        }
        for (const pugi::xml_node& section : root.children("rootcheck")) {
            for (const pugi::xml_node& option : section.children()) {
                if (option.type() != pugi::node_element) {
                    continue;
                }
                const std::string where =
                    name + ":" + std::to_string(line_of(text, option.offset_debug())) + ": ";
                bool unknown = false;
                const std::string problem = apply(loaded.config, option.name(),
                                                  trimmed(option.text().get()), unknown);
                if (!problem.empty()) {
                    return Error{where + problem};
                }
                if (unknown) {
                    loaded.warnings.push_back(where + "unknown option <" +
                                              std::string(option.name()) +
                                              "> in <rootcheck>; ignored");
                }
            }
        }
    }
    return loaded;
}

}  // namespace core
