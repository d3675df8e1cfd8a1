// The Windows registry part of syscheck (<windows_registry>,
// <registry_ignore>), as OSSEC 3.x's Windows agent does it: every key
// under each configured entry, subkeys first; a key that has values is
// summed (MD5 and SHA1 of a text listing its values, built exactly as
// OSSEC builds it, so the manager's stored sums stay valid after an
// upgrade) and reported as
//   8:syscheck-registry:0:0:0:0:<md5>:<sha1> <full key name>
// when it is new or its sum changed; a complete scan ends with
// "syscheck-db-completed" on the same location. Keys without values and
// deleted keys are not reported (OSSEC has no message for them).
//
// Unlike OSSEC, the sums are kept on disk (baseline_file) so a restart
// does not resend every key. <registry_ignore> names a key exactly
// (ASCII case ignored) or, with type="sregex", by pattern; an ignored key
// is left out with everything under it. Both kinds apply (OSSEC consults
// the patterns only when no exact name is configured). Not thread safe.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/logger.hpp"
#include "core/syscheck_config.hpp"
#include "pal/registry.hpp"
#include "syscheck/event_sink.hpp"

namespace syscheck {

inline constexpr std::string_view kRegistryLocation = "syscheck-registry";

// The registry as the scanner reads it; PalRegistry is the real one.
class RegistryReader {
public:
    virtual ~RegistryReader() = default;
    virtual std::error_code subkeys(pal::RegistryRoot root, const std::string& key,
                                    std::vector<std::string>& out) = 0;
    virtual std::error_code values(pal::RegistryRoot root, const std::string& key,
                                   std::vector<pal::RegistryValue>& out) = 0;
};

class PalRegistry final : public RegistryReader {
public:
    std::error_code subkeys(pal::RegistryRoot root, const std::string& key,
                            std::vector<std::string>& out) override {
        return pal::registry_subkeys(root, key, out);
    }
    std::error_code values(pal::RegistryRoot root, const std::string& key,
                           std::vector<pal::RegistryValue>& out) override {
        return pal::registry_values(root, key, out);
    }
};

// The text OSSEC hashes for a key's values: "<name>=<data>\n" per value.
std::string registry_values_text(const std::vector<pal::RegistryValue>& values);

struct RegistryScanStats {
    std::size_t keys = 0;     // keys with values summed
    std::size_t reported = 0; // new or changed
    bool complete = false;
};

class RegistryScanner {
public:
    RegistryScanner(const core::SyscheckConfig& config, RegistryReader& registry,
                    EventSink& sink, core::Logger& logger,
                    std::filesystem::path baseline_file);

    // False when nothing is configured (the scan would do nothing).
    bool configured() const { return !entries_.empty(); }

    RegistryScanStats scan(const std::function<bool()>& stop);

private:
    struct Entry {
        pal::RegistryRoot root;
        std::string name;  // as configured
        std::string path;  // below the root
    };

    bool ignored(const std::string& full_name) const;
    bool visit(const Entry& entry, const std::string& path, const std::string& full_name,
               int depth, RegistryScanStats& stats, const std::function<bool()>& stop);
    void load();
    void save();

    const core::SyscheckConfig& config_;
    RegistryReader& registry_;
    EventSink& sink_;
    core::Logger& logger_;
    std::filesystem::path baseline_file_;
    std::vector<Entry> entries_;
    std::map<std::string, std::string> sums_;  // full key name -> "md5:sha1"
    std::set<std::string> open_failures_;
    bool unsupported_logged_ = false;
};

}  // namespace syscheck
