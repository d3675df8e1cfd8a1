// The Windows registry: the keys and values syscheck's <windows_registry>
// and rootcheck's r: checks read, and writing keys (tests create their
// own). Names and string data are UTF-8. Keys are read in the 64-bit view
// (the native one of this 64-bit agent; OSSEC's 32-bit agent saw the
// WOW64 view). On other systems every call fails with
// std::errc::not_supported. Thread safe.
#pragma once

#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

namespace pal {

enum class RegistryRoot { kLocalMachine, kClassesRoot, kCurrentConfig, kUsers, kCurrentUser };

// REG_* type numbers, as Windows defines them.
inline constexpr std::uint32_t kRegNone = 0;
inline constexpr std::uint32_t kRegSz = 1;
inline constexpr std::uint32_t kRegExpandSz = 2;
inline constexpr std::uint32_t kRegBinary = 3;
inline constexpr std::uint32_t kRegDword = 4;
inline constexpr std::uint32_t kRegMultiSz = 7;
inline constexpr std::uint32_t kRegQword = 11;

struct RegistryValue {
    std::string name;  // "" for the key's default value
    std::uint32_t type = kRegNone;
    // REG_SZ, REG_EXPAND_SZ: the UTF-8 text, no terminator. REG_MULTI_SZ:
    // each string in UTF-8 followed by one '\0'. Other types: the bytes.
    std::string data;
};

// Names of the direct subkeys of key (path below root, "" for the root).
std::error_code registry_subkeys(RegistryRoot root, const std::string& key,
                                 std::vector<std::string>& out);

// The values of key, in the registry's enumeration order.
std::error_code registry_values(RegistryRoot root, const std::string& key,
                                std::vector<RegistryValue>& out);

// Creates key (and its parents) when missing and sets one value.
std::error_code registry_set_value(RegistryRoot root, const std::string& key,
                                   const RegistryValue& value);

// Deletes key and everything under it; success when it does not exist.
std::error_code registry_delete_tree(RegistryRoot root, const std::string& key);

}  // namespace pal
