#include "logcollector/position_store.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

namespace logcollector {
namespace {

constexpr std::string_view kHeader =
    "# ossec-logcollector read positions, one file a line:\n"
    "# <device> <file index> <offset> <fingerprint, hex> <location>\n";

bool next_number(std::string_view& line, std::uint64_t& value, int base) {
    const auto space = line.find(' ');
    if (space == std::string_view::npos) {
        return false;
    }
    const auto field = line.substr(0, space);
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(),
                                           value, base);
    line.remove_prefix(space + 1);
    return ec == std::errc() && end == field.data() + field.size();
}

std::string hex(std::uint64_t value) {
    char text[17];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, value, 16);
    return std::string(text, end);
}

}  // namespace

std::error_code PositionStore::load() {
    positions_.clear();
    skipped_lines_ = 0;
    std::ifstream in(file_, std::ios::binary);
    existed_ = static_cast<bool>(in);
    if (!in) {
        std::error_code ec;
        return std::filesystem::exists(file_, ec) ? std::make_error_code(std::errc::io_error)
                                                  : std::error_code{};
    }
    std::string text;
    while (std::getline(in, text)) {
        std::string_view line = text;
        if (line.empty() || line.front() == '#') {
            continue;
        }
        SavedPosition position;
        if (!next_number(line, position.id.device, 10) ||
            !next_number(line, position.id.index, 10) ||
            !next_number(line, position.offset, 10) ||
            !next_number(line, position.fingerprint, 16) || line.empty()) {
            ++skipped_lines_;
            continue;
        }
        positions_[std::string(line)] = position;
    }
    return {};
}

std::error_code PositionStore::save() {
    std::ostringstream out;
    out << kHeader;
    for (const auto& [location, position] : positions_) {
        if (location.find('\n') != std::string::npos) {
            continue;  // cannot be stored on one line; read again from the policy
        }
        out << position.id.device << ' ' << position.id.index << ' ' << position.offset
            << ' ' << hex(position.fingerprint) << ' ' << location << '\n';
    }
    std::error_code ec;
    std::filesystem::create_directories(file_.parent_path(), ec);
    if (ec) {
        return ec;
    }
    return pal::write_file_atomically(file_, out.str());
}

std::optional<SavedPosition> PositionStore::find(const std::string& location) const {
    const auto found = positions_.find(location);
    if (found == positions_.end()) {
        return std::nullopt;
    }
    return found->second;
}

void PositionStore::set(const std::string& location, const SavedPosition& position) {
    positions_[location] = position;
}

}  // namespace logcollector
