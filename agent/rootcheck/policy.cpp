#include "rootcheck/policy.hpp"

#include "rootcheck/databases.hpp"

namespace rootcheck {
namespace {

constexpr std::size_t kMaxLine = 1023;
constexpr std::string_view kArrow = " -> ";

bool is_title(std::string_view line) {
    return line.size() >= 2 && line.front() == '[' && line.back() == ']';
}

// "[title] [condition] [reference]"; false when it does not parse.
bool parse_title(std::string_view line, PolicyEntry& entry) {
    if (!is_title(line)) {
        return false;
    }
    const std::size_t title_end = line.find(']');
    entry.title = std::string(line.substr(1, title_end - 1));
    std::string_view rest = line.substr(title_end + 1);
    if (rest.size() < 2 || rest.substr(0, 2) != " [") {
        return false;
    }
    rest.remove_prefix(2);
    const std::size_t condition_end = rest.find(']');
    if (condition_end == std::string_view::npos) {
        return false;
    }
    const std::string_view condition = rest.substr(0, condition_end);
    if (condition == "all" || condition == "all required") {
        entry.condition = Condition::kAll;
    } else if (condition == "any" || condition == "any required") {
        entry.condition = Condition::kAny;
    } else if (condition == "none") {
        entry.condition = Condition::kNone;
    } else {
        return false;
    }
    entry.required = condition.size() > 3 && condition.substr(3) == " required";
    rest.remove_prefix(condition_end + 1);
    if (rest.size() < 2 || rest.substr(0, 2) != " [") {
        return false;
    }
    rest.remove_prefix(2);
    const std::size_t reference_end = rest.find(']');
    if (reference_end == std::string_view::npos) {
        return false;
    }
    entry.reference = std::string(rest.substr(0, std::min<std::size_t>(reference_end, 255)));
    return true;
}

// Cuts text at the first " -> "; returns what follows, or nullopt.
std::optional<std::string_view> split_arrow(std::string_view& text) {
    const std::size_t arrow = text.find(kArrow);
    if (arrow == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view after = text.substr(arrow + kArrow.size());
    text = text.substr(0, arrow);
    return after;
}

// "<type>:<value>;" into check; false when malformed.
bool parse_check(std::string_view line, PolicyCheck& check) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
        return false;
    }
    std::string_view type = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    const std::size_t semicolon = value.find(';');
    if (semicolon == std::string_view::npos) {
        return false;
    }
    value = value.substr(0, semicolon);
    if (!type.empty() && type.front() == '!') {
        type.remove_prefix(1);  // OSSEC accepts and ignores it here
    }
    if (type == "f") {
        check.type = CheckType::kFile;
    } else if (type == "r") {
        check.type = CheckType::kRegistry;
    } else if (type == "p") {
        check.type = CheckType::kProcess;
    } else if (type == "d") {
        check.type = CheckType::kDirectory;
    } else {
        return false;
    }
    if (!value.empty() && value.front() == '!') {
        check.negated = true;
        value.remove_prefix(1);
    }

    if (check.type == CheckType::kProcess) {
        check.pattern = ValuePattern::compile(value);
        check.target = std::string(value);
        return true;
    }
    auto second = split_arrow(value);
    check.target = std::string(value);
    if (check.type == CheckType::kFile) {
        if (second) {
            check.pattern = ValuePattern::compile(*second);
        }
        return true;
    }
    if (second) {
        auto third = split_arrow(*second);
        check.has_name = true;
        check.name = std::string(*second);
        if (third) {
            check.pattern = ValuePattern::compile(*third);
        }
    }
    return true;
}

}  // namespace

Policy parse_policy(std::string_view text) {
    Policy policy;
    std::optional<PolicyEntry> current;
    bool in_variables = true;
    int number = 0;
    const auto stop = [&](const std::string& why) {
        policy.error = "line " + std::to_string(number) + ": " + why;
    };

    for (std::string_view line : split_lines(text, kMaxLine)) {
        ++number;
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
            line.remove_prefix(1);
        }
        if (line.empty() || line.front() == '#') {
            continue;
        }
        if (in_variables && line.front() == '$') {
            const std::size_t semicolon = line.find(';');
            const std::size_t equals = line.substr(0, semicolon).find('=');
            if (semicolon == std::string_view::npos || equals == std::string_view::npos) {
                stop("invalid variable '" + std::string(line) + "'");
                return policy;
            }
            policy.variables[std::string(line.substr(0, equals))] =
                std::string(line.substr(equals + 1, semicolon - equals - 1));
            continue;
        }
        in_variables = false;
        if (is_title(line) || !current) {
            PolicyEntry entry;
            if (!parse_title(line, entry)) {
                stop("invalid entry title '" + std::string(line) + "'");
                break;
            }
            if (current) {
                policy.entries.push_back(std::move(*current));
            }
            entry.line = number;
            current = std::move(entry);
            continue;
        }
        PolicyCheck check;
        check.line = number;
        if (!parse_check(line, check)) {
            // OSSEC drops the entry being read and the rest of the file.
            stop("invalid check '" + std::string(line) + "'");
            return policy;
        }
        current->checks.push_back(std::move(check));
    }
    if (current) {
        policy.entries.push_back(std::move(*current));
    }
    return policy;
}

}  // namespace rootcheck
