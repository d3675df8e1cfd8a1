// Rootcheck policy files (OSSEC's "rcl" syntax: system_audit,
// windows_audit, windows_malware, windows_apps), read as OSSEC 3.8 reads
// them:
//
//   $name=value,value;                  variables, before the first entry
//   [title] [any|all|none] [reference]  an entry ("any required" and "all
//                                       required" stop the file when the
//                                       entry does not hold)
//   f:<file>[ -> <pattern>];            the file exists [and a line matches]
//   d:<dir>[,<dir>] -> <name> [-> <pattern>];  a file under the directory
//                                       whose name matches (r: OSSEC regex,
//                                       else OSSEC sregex) [and a line]
//   p:<pattern>;                        a running process matches
//   r:<key>[ -> <value name>[ -> <pattern>]];  a registry key (Windows)
//   f:!...  (a '!' after the type)      the opposite
// Lines whose first non-blank is '#' are comments. A malformed line ends
// the file where it stands, as in OSSEC: entries before it still count,
// and `error` says where and why. "none" is Wazuh's: the entry holds when
// no check does.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rootcheck/value_pattern.hpp"

namespace rootcheck {

enum class CheckType { kFile, kRegistry, kProcess, kDirectory };
enum class Condition { kAll, kAny, kNone };

struct PolicyCheck {
    CheckType type = CheckType::kFile;
    bool negated = false;
    std::string target;       // file(s), directories, key, or the process pattern
    std::string name;         // d: the file name pattern; r: the value name
    std::optional<ValuePattern> pattern;  // the last "-> ..." part
    bool has_name = false;    // d: / r: had a second part
    int line = 0;
};

struct PolicyEntry {
    std::string title;
    Condition condition = Condition::kAll;
    bool required = false;
    std::string reference;  // "" when none
    std::vector<PolicyCheck> checks;
    int line = 0;
};

struct Policy {
    std::map<std::string, std::string, std::less<>> variables;  // "$name" -> value
    std::vector<PolicyEntry> entries;
    std::optional<std::string> error;  // "line N: ..." where reading stopped
};

// Lines longer than 1023 bytes are cut in pieces, as OSSEC reads them.
Policy parse_policy(std::string_view text);

}  // namespace rootcheck
