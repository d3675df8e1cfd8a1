#include "syscheck/baseline.hpp"

#include <cryptopp/sha.h>

#include <fstream>

#include "core/digest.hpp"
#include "pal/file.hpp"

namespace syscheck {
namespace {

constexpr std::string_view kHeader = "ossec-syscheckd baseline 1";
constexpr std::string_view kIdentityPrefix = "identity ";

}  // namespace

std::string baseline_identity(const core::AgentKey& key) {
    const std::string salted = "ossec-syscheckd baseline\n" + key.key;
    CryptoPP::SHA256 sha256;
    sha256.Update(reinterpret_cast<const CryptoPP::byte*>(salted.data()), salted.size());
    CryptoPP::byte digest[CryptoPP::SHA256::DIGESTSIZE];
    sha256.Final(digest);
    return key.id + " " + key.name + " " + core::to_lower_hex(digest, sizeof digest);
}

Baseline::Baseline(std::filesystem::path file, std::string identity)
    : file_(std::move(file)), identity_(std::move(identity)) {}

BaselineLoad Baseline::load() {
    records_.clear();
    std::ifstream in(file_, std::ios::binary);
    if (!in) {
        return BaselineLoad::kMissing;
    }
    std::string header;
    std::string identity;
    if (!std::getline(in, header) || header != kHeader || !std::getline(in, identity) ||
        identity.rfind(kIdentityPrefix, 0) != 0) {
        return BaselineLoad::kCorrupt;
    }
    if (identity.substr(kIdentityPrefix.size()) != identity_) {
        return BaselineLoad::kOtherIdentity;
    }
    std::map<std::string, FileRecord> records;
    for (std::string line; std::getline(in, line);) {
        auto entry = parse_baseline_line(line);
        if (!entry) {
            return BaselineLoad::kCorrupt;
        }
        records[std::move(entry->raw_path)] = std::move(entry->record);
    }
    records_ = std::move(records);
    return BaselineLoad::kLoaded;
}

std::error_code Baseline::save() const {
    std::error_code ec;
    std::filesystem::create_directories(file_.parent_path(), ec);
    if (ec) {
        return ec;
    }
    std::string content;
    content.reserve(64 + records_.size() * 160);
    content.append(kHeader).append("\n");
    content.append(kIdentityPrefix).append(identity_).append("\n");
    for (const auto& [path, record] : records_) {
        content.append(format_baseline_line(record, path)).append("\n");
    }
    return pal::write_file_atomically(file_, content, pal::Durability::kSynced);
}

const FileRecord* Baseline::find(const std::string& raw_path) const {
    const auto it = records_.find(raw_path);
    return it == records_.end() ? nullptr : &it->second;
}

void Baseline::put(const std::string& raw_path, const FileRecord& record) {
    records_[raw_path] = record;
}

void Baseline::erase(const std::string& raw_path) { records_.erase(raw_path); }

}  // namespace syscheck
