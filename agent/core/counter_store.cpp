#include "core/counter_store.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "pal/file.hpp"

namespace core {
namespace {

bool read_counter_file(const std::filesystem::path& file, Counters& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return false;
    }
    char text[64] = {};
    in.read(text, sizeof text - 1);
    return parse_counter_text(std::string_view(text, static_cast<std::size_t>(in.gcount())),
                              out);
}

bool take_number(std::string_view& text, std::uint32_t& value) {
    std::uint64_t v = 0;
    std::size_t i = 0;
    while (i < text.size() && i < 10 && text[i] >= '0' && text[i] <= '9') {
        v = v * 10 + static_cast<unsigned>(text[i] - '0');
        ++i;
    }
    if (i == 0 || v > 0xffffffffu) {
        return false;
    }
    value = static_cast<std::uint32_t>(v);
    text.remove_prefix(i);
    return true;
}

}  // namespace

bool parse_counter_text(std::string_view text, Counters& out) {
    Counters c;
    if (!take_number(text, c.global) || text.empty() || text.front() != ':') {
        return false;
    }
    text.remove_prefix(1);
    if (!take_number(text, c.local)) {
        return false;
    }
    out = c;
    return true;
}

std::string format_counter_text(Counters c) {
    return std::to_string(c.global) + ":" + std::to_string(c.local) + ":";
}

SenderCounter::SenderCounter(std::filesystem::path file, std::uint32_t floor_global,
                             std::error_code& ec)
    : file_(std::move(file)) {
    Counters saved;
    std::uint32_t start = floor_global;
    if (read_counter_file(file_, saved) && saved.global < 0xffffffffu) {
        start = std::max(start, saved.global + 1);
    }
    ec = reserve(start);
}

Counters SenderCounter::next(std::error_code& ec) {
    const Counters following = next_counters(current_);
    if (following.global != current_.global) {
        ec = reserve(following.global);
    }
    current_ = following;
    return current_;
}

std::error_code SenderCounter::advance_to(std::uint32_t global) {
    if (global <= current_.global) {
        return {};
    }
    return reserve(global);
}

std::error_code SenderCounter::reserve(std::uint32_t global) {
    current_ = Counters{global, 0};
    std::error_code ec;
    std::filesystem::create_directories(file_.parent_path(), ec);
    return pal::write_file_atomically(file_, format_counter_text(current_));
}

ReceiveCounter::ReceiveCounter(std::filesystem::path file) : file_(std::move(file)) {
    read_counter_file(file_, last_);
}

bool ReceiveCounter::accept(Counters c, std::error_code& ec) {
    if (!is_newer(c, last_)) {
        return false;
    }
    last_ = c;
    ec = pal::write_file_atomically(file_, format_counter_text(c), pal::Durability::kOrdered);
    return true;
}

}  // namespace core
