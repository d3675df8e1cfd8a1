// The keep-alive (notify) message the agent sends every notify_time:
//   #!-<os description> - <product>[ / <md5 of agent.conf>]\n<md5|x> merged.mg\n
// The manager stores the first line (agent_control shows it) and pushes
// merged.mg again when the checksum differs from its own. Stock agents add
// a line of random characters; the random field of the envelope already
// makes every message differ, so it is left out (the manager accepts both).
#pragma once

#include <optional>
#include <string>

namespace agentd {

std::string build_keepalive(const std::string& os_description, const std::string& product,
                            const std::optional<std::string>& agent_conf_md5,
                            const std::optional<std::string>& merged_md5);

}  // namespace agentd
