// manage_agents, agent side: imports the key the manager exported
// (-i, base64 of "ID NAME IP KEY") and shows the agent's identity (-l).
// Adding, removing and exporting keys happen on the manager; as in OSSEC,
// those flags are refused here. OSSEC's interactive menu is not offered.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/client_keys.hpp"
#include "core/home.hpp"
#include "daemon/daemon_options.hpp"
#include "enroll/key_import.hpp"
#include "pal/paths.hpp"
#include "pal/terminal.hpp"

namespace {

constexpr char kProgram[] = "manage_agents";

enum class Action { kNone, kImport, kList, kHelp, kVersion };

struct Options {
    Action action = Action::kNone;
    std::string import_text;
    bool assume_yes = false;
};

std::string usage() {
    return std::string("usage: ") + kProgram +
           " -i KEY [-y] | -l | -V | -h\n"
           "  -i KEY  import the agent key exported on the manager (manage_agents -e "
           "ID),\n"
           "          replacing etc/client.keys; asks for confirmation on a terminal\n"
           "  -y      import without asking (also: OSSEC_ACTION_CONFIRMED=y)\n"
           "  -l      show the agent's identity in etc/client.keys (ID, name, IP)\n"
           "  -V      print the version    -h  this help\n";
}

std::optional<Options> parse_options(const std::vector<std::string>& args,
                                     std::string& error) {
    Options options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "-i" && i + 1 < args.size()) {
            options.action = Action::kImport;
            options.import_text = args[++i];
        } else if (arg == "-l") {
            options.action = Action::kList;
        } else if (arg == "-y") {
            options.assume_yes = true;
        } else if (arg == "-h") {
            options.action = Action::kHelp;
        } else if (arg == "-V") {
            options.action = Action::kVersion;
        } else if (arg == "-e" || arg == "-r" || arg == "-a" || arg == "-f" ||
                   arg == "-n") {
            error = "'" + arg +
                    "' (adding, removing or exporting keys) works only on "
                    "the manager";
            return std::nullopt;
        } else {
            error = arg == "-i" ? "-i needs the key as its argument"
                                : "unknown argument '" + arg + "'";
            return std::nullopt;
        }
    }
    return options;
}

std::string read_text(const std::filesystem::path& path, bool& found) {
    std::ifstream in(path, std::ios::binary);
    found = static_cast<bool>(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// OSSEC asks "Confirm adding it?(y/n)" and reads OSSEC_ACTION_CONFIRMED
// first, so scripts written for it keep working. Without a terminal and
// without that variable nobody can answer, so the import goes ahead.
bool confirmed(const Options& options) {
    if (options.assume_yes) {
        return true;
    }
    if (const char* answer = std::getenv("OSSEC_ACTION_CONFIRMED")) {
        return answer[0] == 'y' || answer[0] == 'Y';
    }
    if (!pal::standard_input_is_terminal()) {
        return true;
    }
    std::printf("Confirm adding it?(y/n): ");
    std::fflush(stdout);
    std::string line;
    return std::getline(std::cin, line) && !line.empty() &&
           (line[0] == 'y' || line[0] == 'Y');
}

void print_identity(const core::AgentKey& key) {
    std::printf("   ID:%s\n   Name:%s\n   IP Address:%s\n", key.id.c_str(),
                key.name.c_str(), key.ip.c_str());
}

int import_key(const core::Home& home, const Options& options) {
    const core::Result<core::AgentKey> key =
        enroll::parse_import_key(options.import_text);
    if (!key.ok()) {
        std::fprintf(stderr,
                     "%s: ERROR: cannot import the key: %s; nothing was changed\n",
                     kProgram, key.error().c_str());
        return 1;
    }
    std::printf("\nAgent information:\n");
    print_identity(key.value());
    std::printf("\n");
    if (!confirmed(options)) {
        std::printf("Not adding.\n");
        return 1;
    }

    const core::Result<enroll::KeyInstallReport> installed =
        enroll::install_agent_key(home, key.value());
    if (!installed.ok()) {
        std::fprintf(stderr, "%s: ERROR: %s; the previous key file is unchanged\n",
                     kProgram, installed.error().c_str());
        return 1;
    }
    for (const auto& removed : installed.value().removed_counters) {
        std::printf("Removed the stale manager counter '%s'.\n",
                    removed.string().c_str());
    }
    for (const std::string& warning : installed.value().warnings) {
        std::fprintf(stderr, "%s: WARNING: %s\n", kProgram, warning.c_str());
    }
    std::printf(
        "Added to '%s'.\n\n** You must restart the agent for your changes to take "
        "effect.\n\n",
        home.client_keys().string().c_str());
    return 0;
}

int list_keys(const core::Home& home) {
    bool found = false;
    const std::string text = read_text(home.client_keys(), found);
    if (!found) {
        std::fprintf(stderr, "%s: ERROR: cannot read '%s'; import a key with -i\n",
                     kProgram, home.client_keys().string().c_str());
        return 1;
    }
    const core::ClientKeys keys = core::parse_client_keys(text);
    for (const std::string& problem : keys.problems) {
        std::fprintf(stderr, "%s: WARNING: %s: %s\n", kProgram,
                     home.client_keys().string().c_str(), problem.c_str());
    }
    if (keys.entries.empty()) {
        std::printf("\n** No agent available. Import a key with -i.\n\n");
        return 1;
    }
    std::printf("\nAvailable agents: \n");
    for (const core::AgentKey& key : keys.entries) {
        std::printf("   ID: %s, Name: %s, IP: %s\n", key.id.c_str(), key.name.c_str(),
                    key.ip.c_str());
    }
    std::printf("\n");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string error;
    const auto options =
        parse_options(std::vector<std::string>(argv + 1, argv + argc), error);
    if (!options) {
        std::fprintf(stderr, "%s: %s\n%s", kProgram, error.c_str(), usage().c_str());
        return 2;
    }

    const core::Home home = core::Home::from_executable(pal::executable_path());
    switch (options->action) {
        case Action::kImport:
            return import_key(home, *options);
        case Action::kList:
            return list_keys(home);
        case Action::kVersion:
            std::printf("%s", daemon_support::version_text(kProgram).c_str());
            return 0;
        case Action::kHelp:
            std::printf("%s", usage().c_str());
            return 0;
        case Action::kNone:
            break;
    }
    std::fprintf(stderr, "%s: nothing to do\n%s", kProgram, usage().c_str());
    return 2;
}
