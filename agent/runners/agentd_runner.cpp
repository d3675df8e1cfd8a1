// The agentd module: the agent's link to the manager. Reads ossec.conf and
// client.keys, then forwards events from the local queue and handles what
// the manager sends back.
#include "runners/agentd_runner.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "agentd/agentd_service.hpp"
#include "core/client_keys.hpp"
#include "core/config.hpp"
#include "core/home.hpp"
#include "core/logger.hpp"
#include "pal/file_metadata.hpp"
#include "pal/paths.hpp"
#include "pal/process_control.hpp"
#include "pal/system_info.hpp"

namespace runners {
namespace {

constexpr char kProgram[] = "ossec-agentd";
// The account agentd runs as once it has opened what needs root, as in
// OSSEC. Its primary group is expected to be "ossec" too.
constexpr char kUser[] = "ossec";

struct Loaded {
    core::AgentConfig config;
    core::AgentKey key;
    std::vector<std::string> warnings;
};

core::Result<Loaded> load_everything(const std::filesystem::path& config_file,
                                     const core::Home& home) {
    core::Result<core::LoadedConfig> loaded = core::load_config(config_file);
    if (!loaded.ok()) {
        return core::Error{loaded.error()};
    }
    Loaded result{loaded.value().config, {}, loaded.value().warnings};
    if (result.config.client.servers.empty()) {
        return core::Error{config_file.string() +
                           ": no manager configured: add <server-ip> or "
                           "<server-hostname> to <client>"};
    }

    std::ifstream in(home.client_keys(), std::ios::binary);
    if (!in) {
        return core::Error{
            "cannot read the agent key file '" + home.client_keys().string() +
            "': import a key with manage_agents or enroll with agent-auth"};
    }
    std::ostringstream text;
    text << in.rdbuf();
    const core::ClientKeys keys = core::parse_client_keys(text.str());
    for (const std::string& problem : keys.problems) {
        result.warnings.push_back(home.client_keys().string() + ": " + problem);
    }
    if (keys.entries.empty()) {
        return core::Error{home.client_keys().string() + ": no valid agent key" +
                           (keys.problems.empty() ? std::string(" (the file is empty)")
                                                  : " (" + keys.problems.front() + ")")};
    }
    result.key = keys.entries.front();
    return result;
}

// True when the home was laid out for the agent user: the installer makes
// it group "ossec" and gives that group the directories agentd writes.
// A home that is not (a test or hand-made install run as root) would leave
// agentd unable to write its counters and buffer, so it keeps root there.
bool home_prepared_for_user(const core::Home& home) {
    pal::FileMetadata metadata;
    const std::error_code ec =
        pal::read_metadata(home.root(), pal::FollowLinks::kYes, true, metadata);
    return !ec && metadata.group == kUser;
}

// Privilege separation: agentd parses what comes from the network, so once
// the keys, the queue socket, the counter and buffer files and the log are
// open it gives up root.
//
// It does not chroot into the home, though OSSEC does. After a chroot the
// resolver reads /etc/resolv.conf, /etc/hosts and nsswitch.conf and loads
// the libnss modules from inside the home, where they are not, so a
// manager given by name (<server-hostname>) could no longer be resolved on
// reconnect; and every path agentd holds (etc/shared, queue/, var/run,
// the log) is absolute under the home and would have to be rebuilt
// relative to the new root. Copying the resolver files into the home
// would go stale when the host's DNS changes. So: user switch only.
// Returns false when the switch failed part-way (the caller stops).
bool drop_to_agent_user(const core::Home& home, core::Logger& logger) {
    if (!home_prepared_for_user(home)) {
        logger.debug("the home '" + home.root().string() + "' is not group '" + kUser +
                     "'; keeping the current user");
        return true;
    }
    std::error_code ec;
    switch (pal::drop_privileges(kUser, ec)) {
        case pal::PrivilegeChange::kSwitched:
            if (ec) {
                break;
            }
            logger.info(std::string("now running as user '") + kUser + "'");
            return true;
        case pal::PrivilegeChange::kNoSuchUser:
            logger.warning(std::string("no user '") + kUser + "'" +
                           (ec ? " (" + ec.message() + ")" : std::string()) +
                           "; running on as root. Create it to separate privileges");
            return true;
        case pal::PrivilegeChange::kNotPrivileged:
            if (!ec) {
                return true;
            }
            break;
    }
    logger.critical(std::string("cannot switch to user '") + kUser +
                    "': " + ec.message() + "; exiting");
    return false;
}

}  // namespace

int agentd_test_config(const std::filesystem::path& config_file, const core::Home& home) {
    core::Result<Loaded> loaded = load_everything(config_file, home);
    core::Logger console(kProgram);
    if (loaded.ok()) {
        for (const auto& warning : loaded.value().warnings) {
            console.warning(warning);
        }
        return 0;
    }
    console.error(loaded.error());
    return 1;
}

int run_agentd(const daemon_support::ModuleHost& host) {
    const core::Home& home = host.home;
    core::Result<Loaded> loaded = load_everything(host.config_file, home);
    core::Logger logger(kProgram, home.log_file(), host.foreground, host.debug_level);
    if (!loaded.ok()) {
        logger.critical(loaded.error() + "; exiting");
        return 1;
    }
    for (const auto& warning : loaded.value().warnings) {
        logger.warning(warning);
    }
    if (host.standalone && !host.foreground) {
        if (const std::error_code ec = pal::daemonize()) {
            logger.critical("cannot run in the background: " + ec.message());
            return 1;
        }
    }

    agentd::AgentdService service(
        agentd::AgentdSettings{home, loaded.value().config, loaded.value().key,
                               pal::os_description(), AGENT_PRODUCT_VERSION},
        logger);
    core::Result<bool> opened = service.open();
    if (!opened.ok()) {
        logger.critical(opened.error() + "; exiting");
        return 1;
    }
    if (host.standalone && !drop_to_agent_user(home, logger)) {
        return 1;
    }
    host.on_control([&service, &logger](pal::ControlRequest request) {
        if (request == pal::ControlRequest::kStop) {
            logger.info("stop requested; shutting down");
            service.stop();
        }
    });
    const auto pid_file = home.pid_file(kProgram);
    if (host.standalone) {
        if (const std::error_code ec = pal::write_pid_file(pid_file)) {
            logger.warning("cannot write pid file '" + pid_file.string() +
                           "': " + ec.message());
        }
    }

    logger.info("started (agent '" + loaded.value().key.name + "', id " +
                loaded.value().key.id + ", home '" + home.root().string() + "')");
    service.run();
    if (host.standalone) {
        pal::remove_pid_file(pid_file);
    }
    logger.info("stopped");
    return 0;
}

}  // namespace runners
