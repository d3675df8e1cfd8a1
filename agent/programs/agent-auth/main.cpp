// agent-auth: enrolls this agent with the manager's authd (TLS, port
// 1515) and writes the key it returns to etc/client.keys. Flags as
// OSSEC's agent-auth; -D names the agent home (default: the parent of
// this program's bin/).
#include <charconv>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/home.hpp"
#include "core/logger.hpp"
#include "daemon/daemon_options.hpp"
#include "enroll/enrollment_protocol.hpp"
#include "enroll/key_import.hpp"
#include "enroll/password_file.hpp"
#include "enroll/tls_enrollment.hpp"
#include "pal/paths.hpp"
#include "pal/system_info.hpp"

namespace {

constexpr char kProgram[] = "agent-auth";

struct Options {
    enroll::TlsEnrollmentOptions tls;
    std::optional<std::string> agent_name;
    std::optional<std::string> password_argument;
    std::optional<std::filesystem::path> home;
    int debug_level = 0;
    bool show_help = false;
    bool show_version = false;
};

std::string usage() {
    return std::string("usage: ") + kProgram +
           " -m MANAGER [-p PORT] [-A NAME] [-P PASSWORD|FILE] [-v CA] [-x CERT -k KEY]\n"
           "                  [-c CIPHERS] [-D HOME] [-d] [-V] [-h]\n"
           "  -m MANAGER  manager host name or address\n"
           "  -p PORT     authd port (default 1515)\n"
           "  -A NAME     agent name (default: this host's name)\n"
           "  -P ARG      password, or a file whose first line is the password\n"
           "              (default: HOME/etc/authd.pass if it exists, else no password)\n"
           "  -v CA       verify the manager's certificate and name against this CA "
           "file\n"
           "  -x CERT     agent certificate (PEM)    -k KEY  its private key (PEM)\n"
           "  -c CIPHERS  TLS cipher list (default: OSSEC's)\n"
           "  -D HOME     agent home (default: the parent of this program's bin/)\n"
           "  -d          more debug output (repeatable)\n";
}

bool parse_port(const std::string& text, std::uint16_t& port) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value == 0 ||
        value > 65535) {
        return false;
    }
    port = static_cast<std::uint16_t>(value);
    return true;
}

// Stores the value of a flag that takes one; false for an unknown flag.
bool take_value(Options& o, const std::string& flag, const std::string& value) {
    if (flag == "-m") {
        o.tls.manager = value;
    } else if (flag == "-A") {
        o.agent_name = value;
    } else if (flag == "-P") {
        o.password_argument = value;
    } else if (flag == "-v") {
        o.tls.ca_file = value;
    } else if (flag == "-x") {
        o.tls.certificate_file = value;
    } else if (flag == "-k") {
        o.tls.key_file = value;
    } else if (flag == "-c") {
        o.tls.ciphers = value;
    } else if (flag == "-D") {
        o.home = value;
    } else {
        return false;
    }
    return true;
}

std::optional<Options> parse_options(const std::vector<std::string>& args,
                                     std::string& error) {
    Options options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "-d") {
            ++options.debug_level;
        } else if (arg == "-h") {
            options.show_help = true;
        } else if (arg == "-V") {
            options.show_version = true;
        } else if (i + 1 >= args.size()) {
            error = "unknown argument '" + arg + "', or it needs a value";
            return std::nullopt;
        } else if (arg == "-p") {
            if (!parse_port(args[++i], options.tls.port)) {
                error = "invalid port '" + args[i] + "'";
                return std::nullopt;
            }
        } else if (!take_value(options, arg, args[++i])) {
            error = "unknown argument '" + arg + "'";
            return std::nullopt;
        }
    }
    return options;
}

core::Result<std::string> read_password_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return core::Error{"cannot read the password file '" + file.string() + "'"};
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    core::Result<std::string> password = enroll::decode_password_file(bytes.str());
    if (!password.ok()) {
        return core::Error{"'" + file.string() + "': " + password.error()};
    }
    return password;
}

// OSSEC 3.x reads -P as a file name, older releases and Wazuh as the
// password itself: an existing file wins, anything else is the password.
// Without -P, etc/authd.pass is used when it exists.
core::Result<std::optional<std::string>> resolve_password(const Options& options,
                                                          const core::Home& home,
                                                          core::Logger& logger) {
    std::optional<std::filesystem::path> file;
    std::error_code ec;
    if (options.password_argument) {
        if (std::filesystem::is_regular_file(*options.password_argument, ec)) {
            file = *options.password_argument;
        } else {
            logger.info("using the password given with -P");
            return std::optional<std::string>(*options.password_argument);
        }
    } else if (const auto fallback = home.root() / "etc" / "authd.pass";
               std::filesystem::is_regular_file(fallback, ec)) {
        file = fallback;
    }
    if (!file) {
        logger.warning("no password (-P, or '" +
                       (home.root() / "etc/authd.pass").string() +
                       "'): enrolling without one; a manager whose authd runs without -n "
                       "will close the connection");
        return std::optional<std::string>();
    }

    core::Result<std::string> password = read_password_file(*file);
    if (!password.ok()) {
        return core::Error{password.error()};
    }
    logger.info("using the password in '" + file->string() + "'");
    return std::optional<std::string>(std::move(password).value());
}

int report_refusal(const enroll::EnrollmentReply& reply, const std::string& where,
                   core::Logger& logger) {
    for (const std::string& line : reply.errors) {
        logger.error("manager " + where + " replied: " + enroll::printable_text(line));
    }
    switch (reply.status) {
        case enroll::ReplyStatus::kRefused:
            logger.error("the manager refused the enrollment; client.keys is unchanged");
            break;
        case enroll::ReplyStatus::kNoReply:
            logger.error(
                "the manager at " + where +
                " closed the connection without a reply: wrong or missing "
                "password, or authd refused this host; client.keys is unchanged");
            break;
        default:
            logger.error("cannot use the reply of the manager at " + where + ": " +
                         reply.problem + "; client.keys is unchanged");
            break;
    }
    return 1;
}

int install_key(const core::Home& home, const enroll::EnrollmentReply& reply,
                core::Logger& logger) {
    for (const std::string& line : reply.errors) {
        logger.warning("the manager also said: " + enroll::printable_text(line));
    }
    const auto installed = enroll::install_agent_key(home, reply.key);
    if (!installed.ok()) {
        logger.error(installed.error() + "; the key received is lost, enroll again");
        return 1;
    }
    for (const std::string& warning : installed.value().warnings) {
        logger.warning(warning);
    }
    for (const auto& removed : installed.value().removed_counters) {
        logger.info("removed the stale manager counter '" + removed.string() + "'");
    }
    logger.info("valid key received: agent '" + reply.key.name + "', ID " + reply.key.id +
                ", IP " + reply.key.ip + "; written to '" + home.client_keys().string() +
                "'. Restart the agent to use it");
    return 0;
}

int run(const Options& options) {
    const core::Home home = options.home
                                ? core::Home(*options.home)
                                : core::Home::from_executable(pal::executable_path());
    // Echoed to the terminal and kept in the agent's ossec.log.
    core::Logger logger(kProgram, home.log_file(), true, options.debug_level);
    if (options.tls.manager.empty()) {
        logger.error("no manager given: use -m MANAGER");
        return 2;
    }
    if (options.tls.certificate_file.has_value() != options.tls.key_file.has_value()) {
        logger.error("-x and -k go together: give the agent certificate and its key");
        return 2;
    }
    const std::string name = options.agent_name.value_or(pal::host_name());

    const auto password = resolve_password(options, home, logger);
    if (!password.ok()) {
        logger.error(password.error() + "; nothing sent");
        return 1;
    }
    const auto request = enroll::build_enrollment_request(name, password.value());
    if (!request.ok()) {
        logger.error(request.error() + "; nothing sent");
        return 1;
    }
    if (!options.tls.ca_file) {
        logger.warning("the manager's certificate is not verified (give its CA with -v)");
    }

    const std::string where =
        options.tls.manager + ":" + std::to_string(options.tls.port);
    logger.info("requesting a key for agent '" + name + "' from " + where);
    const auto outcome = enroll::exchange_over_tls(options.tls, request.value());
    if (!outcome.ok()) {
        logger.error(outcome.error() + "; client.keys is unchanged");
        return 1;
    }
    logger.debug("connected to " + outcome.value().endpoint + " with " +
                 outcome.value().protocol + ", " + outcome.value().cipher);
    const enroll::EnrollmentReply& reply = outcome.value().reply;
    if (reply.status != enroll::ReplyStatus::kKey) {
        return report_refusal(reply, where, logger);
    }
    return install_key(home, reply, logger);
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
    if (options->show_help) {
        std::printf("%s", usage().c_str());
        return 0;
    }
    if (options->show_version) {
        std::printf("%s", daemon_support::version_text(kProgram).c_str());
        return 0;
    }
    return run(*options);
}
