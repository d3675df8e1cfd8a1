// The agentd module: the agent's link to the manager. Reads ossec.conf and
// client.keys, then forwards events from the local queue and handles what
// the manager sends back.
#include "runners/agentd_runner.hpp"

#include <cstdio>
#include <fstream>
#include <optional>
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
// it group "ossec" (-g) and gives that group the directories agentd
// writes. A home that is not (a test or hand-made install run as root)
// would leave agentd unable to write its counters and buffer, so agentd
// keeps root and the whole file system there.
bool home_prepared_for(const core::Home& home, const std::string& group) {
    pal::FileMetadata metadata;
    const std::error_code ec =
        pal::read_metadata(home.root(), pal::FollowLinks::kYes, true, metadata);
    return !ec && metadata.group == group;
}

// The account agentd switches to, looked up while the account files are
// in reach; nullopt (with a warning) when there is none.
std::optional<pal::AccountIds> agent_account(const daemon_support::ModuleHost& host,
                                             core::Logger& logger) {
    std::error_code ec;
    std::optional<pal::AccountIds> ids = pal::find_account(host.user, host.group, ec);
    if (!ids && ec != std::errc::function_not_supported) {
        logger.warning("no user '" + host.user + "' with group '" + host.group + "'" +
                       (ec ? " (" + ec.message() + ")" : std::string()) +
                       "; running on as root, not confined. Create them to separate "
                       "privileges");
    }
    return ids;
}

// Privilege separation, first half, as OSSEC's agentd: confined to its
// home (chroot), so that what parses the network sees nothing else. The
// configuration and keys are read and the log is open by then; the home
// it returns ("/") names the same directories from inside. A process that
// is not root cannot do it and runs on unconfined.
std::optional<core::Home> confine_to_home(const core::Home& home, core::Logger& logger) {
    const std::error_code ec = pal::change_root(home.root());
    if (ec == std::errc::operation_not_permitted ||
        ec == std::errc::function_not_supported) {
        logger.debug("not confined to '" + home.root().string() + "': " + ec.message());
        return home;
    }
    if (ec) {
        logger.critical("cannot confine the process to '" + home.root().string() +
                        "' (chroot): " + ec.message() + "; exiting");
        return std::nullopt;
    }
    logger.debug("confined to '" + home.root().string() + "' (chroot)");
    return core::Home("/");
}

// Privilege separation, second half: once the keys, the queue socket, the
// counter and buffer files and the log are open, agentd gives up root for
// good. Returns false when the switch failed part-way (the caller stops).
bool drop_to_agent_user(const pal::AccountIds& ids, const daemon_support::ModuleHost& host,
                        core::Logger& logger) {
    std::error_code ec;
    const pal::PrivilegeChange change = pal::drop_privileges(ids, ec);
    if (ec) {
        logger.critical("cannot switch to user '" + host.user + "': " + ec.message() +
                        "; exiting");
        return false;
    }
    if (change == pal::PrivilegeChange::kSwitched) {
        logger.info("now running as user '" + host.user + "', group '" + host.group + "'");
    }
    return true;
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

    agentd::AgentdSettings settings{home, loaded.value().config, loaded.value().key,
                                    pal::os_description(), AGENT_PRODUCT_VERSION};
    // Privilege separation, only for the program of its own (in the
    // Windows service the Service Control Manager's account applies).
    std::optional<pal::AccountIds> account;
    if (host.standalone && home_prepared_for(home, host.group)) {
        account = agent_account(host, logger);
    } else if (host.standalone) {
        logger.debug("the home '" + home.root().string() + "' is not group '" + host.group +
                     "'; keeping the current user, not confined");
    }
    if (account) {
        settings.startup_addresses = agentd::resolve_servers(settings.config.client.servers);
        std::optional<core::Home> inside = confine_to_home(home, logger);
        if (!inside) {
            return 1;
        }
        settings.home = *inside;
    }
    // Inside the confinement the pid file is still <home>/var/run/... as
    // seen from outside, where ossec-control looks for it.
    const core::Home service_home = settings.home;

    agentd::AgentdService service(std::move(settings), logger);
    core::Result<bool> opened = service.open();
    if (!opened.ok()) {
        logger.critical(opened.error() + "; exiting");
        return 1;
    }
    if (account && !drop_to_agent_user(*account, host, logger)) {
        return 1;
    }
    host.on_control([&service, &logger](pal::ControlRequest request) {
        if (request == pal::ControlRequest::kStop) {
            logger.info("stop requested; shutting down");
            service.stop();
            return;
        }
        // As OSSEC's agentd, which ignores SIGHUP: the keys and the
        // servers are read at start-up only, and 'ossec-control reload'
        // restarts agentd to apply a change.
        logger.info("reload requested: ossec-agentd reads its configuration and keys at "
                    "start-up only; restart it (ossec-control reload) to apply a change");
    });
    const auto pid_file = service_home.pid_file(kProgram);
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
