// "ossec-agent setup": what the Windows installer runs after copying the
// files, with the values of its public properties (unattended installs):
// lays out the home, puts the default ossec.conf in place on a first
// install, sets the manager's address and imports the agent's key.
#pragma once

#include <string>
#include <vector>

#include "core/home.hpp"
#include "core/result.hpp"

namespace agent_setup {

struct SetupOptions {
    std::string manager;  // <server-ip> or <server-hostname>; "" keeps it
    std::string port;     // <port>; "" keeps it
    std::string key;      // base64 key from the manager's manage_agents -e; "" keeps
};

// Parses "-m ADDR -p PORT -k KEY" (an empty value is "not given", as an
// installer passes unset properties). Fails on anything else.
core::Result<SetupOptions> parse_setup_options(const std::vector<std::string>& args);

// Replaces the text of the first <server-ip> or <server-hostname> element
// in the configuration text with address (as <server-ip> when it is an
// IP address, else <server-hostname>), and of <port> with port when not
// empty. Fails when the text has no such element or a value holds
// characters that do not belong in an address or a port.
core::Result<std::string> set_manager(std::string text, const std::string& address,
                                      const std::string& port);

// Does the whole setup; lines for the installer's log go to out. An
// existing etc/ossec.conf and etc/client.keys are kept unless a manager or
// a key is given, so an upgrade keeps the admin's configuration.
core::Result<bool> run_setup(const core::Home& home, const SetupOptions& options,
                             std::vector<std::string>& out);

}  // namespace agent_setup
