// What rootcheck reads from the running system beyond files, behind one
// interface so the checks run against a fake in tests. PalSystemView is
// the real one (the platform layer). Errors are std::error_code;
// std::errc::not_supported means the OS has no such view.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "pal/registry.hpp"
#include "pal/system_probe.hpp"

namespace rootcheck {

class SystemView {
public:
    virtual ~SystemView() = default;

    virtual std::error_code processes(std::vector<pal::ProcessEntry>& out) = 0;
    virtual std::error_code sight_process(long pid, pal::ProcessSighting& out) = 0;
    virtual std::error_code thread_ids(std::set<long>& out) = 0;
    virtual long max_pid() = 0;
    virtual long own_pid() = 0;
    virtual std::error_code port_in_use(pal::Transport t, std::uint16_t port, bool& in_use) = 0;
    virtual std::error_code listed_ports(pal::Transport t, std::vector<bool>& out) = 0;
    virtual std::error_code interfaces(std::vector<pal::NetworkInterface>& out) = 0;
    virtual std::error_code registry_values(pal::RegistryRoot root, const std::string& key,
                                            std::vector<pal::RegistryValue>& out) = 0;
};

class PalSystemView final : public SystemView {
public:
    std::error_code processes(std::vector<pal::ProcessEntry>& out) override;
    std::error_code sight_process(long pid, pal::ProcessSighting& out) override;
    std::error_code thread_ids(std::set<long>& out) override;
    long max_pid() override;
    long own_pid() override;
    std::error_code port_in_use(pal::Transport t, std::uint16_t port, bool& in_use) override;
    std::error_code listed_ports(pal::Transport t, std::vector<bool>& out) override;
    std::error_code interfaces(std::vector<pal::NetworkInterface>& out) override;
    std::error_code registry_values(pal::RegistryRoot root, const std::string& key,
                                    std::vector<pal::RegistryValue>& out) override;
};

}  // namespace rootcheck
