// The <rootcheck> sections of ossec.conf, as OSSEC 3.x reads them. Every
// section adds to one configuration; <system_audit> and <ignore> may be
// repeated; a yes/no option with another value, a <frequency> that is not
// a number, or an empty value is an error; an unknown element is a
// warning (OSSEC refuses it), so a newer option does not stop the agent.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace core {

struct RootcheckConfig {
    bool disabled = false;
    std::chrono::seconds frequency{72000};  // OSSEC's ROOTCHECK_WAIT
    std::string rootkit_files;
    std::string rootkit_trojans;
    std::vector<std::string> system_audit;
    std::string windows_audit;
    std::string windows_malware;
    std::string windows_apps;
    std::string base_directory;  // "" = the system's root
    std::vector<std::string> ignore;  // directories check_sys leaves out
    bool scanall = false;
    bool readall = false;
    bool skip_nfs = false;
    bool check_dev = true;
    bool check_files = true;
    bool check_if = true;
    bool check_pids = true;
    bool check_ports = true;
    bool check_sys = true;
    bool check_trojans = true;
    bool check_unixaudit = true;
    bool check_winaudit = true;
    bool check_winmalware = true;
    bool check_winapps = true;
};

struct LoadedRootcheckConfig {
    RootcheckConfig config;
    std::vector<std::string> warnings;  // "<name>:<line>: ..." each
};

// Reads the <rootcheck> sections of an ossec.conf text. Fails with
// "<name>:<line>: <problem>".
Result<LoadedRootcheckConfig> parse_rootcheck_config(std::string_view text,
                                                     const std::string& name);

}  // namespace core
