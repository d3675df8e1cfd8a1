// POSIX systems have no registry.
#include "pal/registry.hpp"

namespace pal {
namespace {
std::error_code unsupported() { return std::make_error_code(std::errc::not_supported); }
}  // namespace

std::error_code registry_subkeys(RegistryRoot, const std::string&, std::vector<std::string>&) {
    return unsupported();
}
std::error_code registry_values(RegistryRoot, const std::string&,
                                std::vector<RegistryValue>&) {
    return unsupported();
}
std::error_code registry_set_value(RegistryRoot, const std::string&, const RegistryValue&) {
    return unsupported();
}
std::error_code registry_delete_tree(RegistryRoot, const std::string&) {
    return unsupported();
}

}  // namespace pal
