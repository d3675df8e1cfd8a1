#include "agentd/keepalive.hpp"

namespace agentd {

std::string build_keepalive(const std::string& os_description, const std::string& product,
                            const std::optional<std::string>& agent_conf_md5,
                            const std::optional<std::string>& merged_md5) {
    std::string text = "#!-" + os_description + " - " + product;
    if (agent_conf_md5) {
        text += " / " + *agent_conf_md5;
    }
    text += "\n" + merged_md5.value_or("x") + " merged.mg\n";
    return text;
}

}  // namespace agentd
