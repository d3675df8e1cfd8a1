#include "rootcheck/system_view.hpp"

#include "pal/system_info.hpp"

namespace rootcheck {

std::error_code PalSystemView::processes(std::vector<pal::ProcessEntry>& out) {
    return pal::list_processes(out);
}
std::error_code PalSystemView::sight_process(long pid, pal::ProcessSighting& out) {
    return pal::sight_process(pid, out);
}
std::error_code PalSystemView::thread_ids(std::set<long>& out) {
    return pal::listed_thread_ids(out);
}
long PalSystemView::max_pid() { return pal::max_process_id(); }
long PalSystemView::own_pid() { return pal::process_id(); }
std::error_code PalSystemView::port_in_use(pal::Transport t, std::uint16_t port, bool& in_use) {
    return pal::port_in_use(t, port, in_use);
}
std::error_code PalSystemView::listed_ports(pal::Transport t, std::vector<bool>& out) {
    return pal::listed_ports(t, out);
}
std::error_code PalSystemView::interfaces(std::vector<pal::NetworkInterface>& out) {
    return pal::network_interfaces(out);
}
std::error_code PalSystemView::registry_values(pal::RegistryRoot root, const std::string& key,
                                               std::vector<pal::RegistryValue>& out) {
    return pal::registry_values(root, key, out);
}

}  // namespace rootcheck
