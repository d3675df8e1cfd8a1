#include "agentd/spool.hpp"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "pal/file.hpp"

namespace agentd {
namespace {

constexpr std::size_t kLengthSize = 4;
// A record longer than this is corruption, not an event.
constexpr std::uint32_t kMaxRecord = 1 << 20;

void put_length(char* out, std::uint32_t n) {
    for (int i = 0; i < 4; ++i) {
        out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    }
}

std::uint32_t get_length(const unsigned char* in) {
    return static_cast<std::uint32_t>(in[0]) | static_cast<std::uint32_t>(in[1]) << 8 |
           static_cast<std::uint32_t>(in[2]) << 16 | static_cast<std::uint32_t>(in[3]) << 24;
}

bool parse_segment_name(const std::filesystem::path& path, std::uint64_t& number) {
    const std::string name = path.filename().string();
    if (name.size() != 24 || name.substr(20) != ".seg") {
        return false;
    }
    number = 0;
    for (char c : name.substr(0, 20)) {
        if (c < '0' || c > '9') {
            return false;
        }
        number = number * 10 + static_cast<unsigned>(c - '0');
    }
    return true;
}

// Counts whole records in a segment from offset on; returns where the last
// whole record ends (a crash can leave a partial one after it).
std::uint64_t scan_records(const std::filesystem::path& path, std::uint64_t offset,
                           std::uint64_t& records) {
    std::error_code ec;
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    std::ifstream in(path, std::ios::binary);
    std::uint64_t end = offset;
    unsigned char header[kLengthSize];
    while (!ec && end + kLengthSize <= size) {
        in.seekg(static_cast<std::streamoff>(end));
        if (!in.read(reinterpret_cast<char*>(header), kLengthSize)) {
            break;
        }
        const std::uint32_t length = get_length(header);
        if (length > kMaxRecord || end + kLengthSize + length > size) {
            break;
        }
        end += kLengthSize + length;
        ++records;
    }
    return end;
}

}  // namespace

Spool::Spool(std::filesystem::path dir, SpoolLimits limits)
    : dir_(std::move(dir)), limits_(limits) {}

Spool::~Spool() {
    flush();
    save_cursor();
    if (tail_ != nullptr) {
        std::fclose(tail_);
    }
    if (reader_ != nullptr) {
        std::fclose(reader_);
    }
}

core::Result<std::unique_ptr<Spool>> Spool::open(const std::filesystem::path& dir,
                                                 SpoolLimits limits) {
    std::unique_ptr<Spool> spool(new Spool(dir, limits));
    core::Result<bool> recovered = spool->recover();
    if (!recovered.ok()) {
        return core::Error{recovered.error()};
    }
    return spool;
}

std::filesystem::path Spool::segment_path(std::uint64_t segment) const {
    char name[32];
    std::snprintf(name, sizeof name, "%020" PRIu64 ".seg", segment);
    return dir_ / name;
}

core::Result<bool> Spool::recover() {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) {
        return core::Error{"cannot create the event buffer directory '" + dir_.string() +
                           "': " + ec.message()};
    }
    std::vector<std::uint64_t> found;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
        std::uint64_t number = 0;
        if (parse_segment_name(entry.path(), number)) {
            found.push_back(number);
        }
    }
    std::sort(found.begin(), found.end());

    std::ifstream cursor_in(dir_ / "cursor");
    SpoolPosition cursor;
    if (!(cursor_in >> cursor.segment >> cursor.offset) || found.empty() ||
        cursor.segment < found.front()) {
        cursor = SpoolPosition{found.empty() ? 1 : found.front(), 0};
    }
    // Segments before the cursor were confirmed before the crash.
    for (std::uint64_t number : found) {
        if (number < cursor.segment) {
            std::filesystem::remove(segment_path(number), ec);
        } else {
            segments_.push_back(number);
        }
    }

    std::uint64_t pending = 0;
    for (std::uint64_t number : segments_) {
        const auto path = segment_path(number);
        const std::uint64_t from = number == cursor.segment ? cursor.offset : 0;
        const std::uint64_t end = scan_records(path, from, pending);
        if (end < std::filesystem::file_size(path, ec)) {
            // A record cut short by a crash: only the last segment can have
            // one; anything after it cannot be read back.
            std::filesystem::resize_file(path, end, ec);
        }
        bytes_on_disk_ += end;
    }
    events_appended_ = pending;
    send_ = committed_ = saved_ = cursor;

    const std::uint64_t tail = segments_.empty() ? cursor.segment : segments_.back();
    if (!open_tail(tail)) {
        return core::Error{"cannot open the event buffer file '" + segment_path(tail).string() +
                           "': " + std::strerror(errno)};
    }
    return true;
}

bool Spool::open_tail(std::uint64_t segment) {
    if (tail_ != nullptr) {
        std::fclose(tail_);
    }
    const auto path = segment_path(segment);
    tail_ = std::fopen(path.string().c_str(), "ab");
    if (tail_ == nullptr) {
        return false;
    }
    std::setvbuf(tail_, nullptr, _IONBF, 0);
    std::error_code ec;
    tail_size_ = std::filesystem::file_size(path, ec);
    std::lock_guard lock(mutex_);
    tail_segment_ = segment;
    if (segments_.empty() || segments_.back() != segment) {
        segments_.push_back(segment);
    }
    tail_visible_end_ = tail_size_;
    return true;
}

bool Spool::append(std::string_view event) {
    std::error_code ec;
    if (append(event, ec)) {
        return true;
    }
    if (ec) {
        ++dropped_;
    }
    return false;
}

bool Spool::append(std::string_view event, std::error_code& ec) {
    ec.clear();
    const std::uint64_t record = kLengthSize + event.size();
    {
        std::lock_guard lock(mutex_);
        if (bytes_on_disk_ + record > limits_.max_disk_bytes || event.size() > kMaxRecord) {
            ++dropped_;
            return false;
        }
        bytes_on_disk_ += record;
    }
    // tail_ is null only after a failed roll to the next segment: retry it.
    if (tail_ == nullptr || (tail_size_ > 0 && tail_size_ + record > limits_.segment_bytes)) {
        flush();
        if (!open_tail(tail_segment_ + 1)) {
            ec = std::error_code(errno, std::generic_category());
            if (!ec) {
                ec = std::make_error_code(std::errc::io_error);
            }
            std::lock_guard lock(mutex_);
            bytes_on_disk_ -= record;
            return false;
        }
    }
    // One write per record, unbuffered: an event taken from the local
    // queue is in the OS's hands at once and survives a kill -9.
    record_.resize(kLengthSize);
    put_length(record_.data(), static_cast<std::uint32_t>(event.size()));
    record_.append(event);
    errno = 0;
    if (std::fwrite(record_.data(), 1, record_.size(), tail_) != record_.size()) {
        ec = std::error_code(errno, std::generic_category());
        if (!ec) {
            ec = std::make_error_code(std::errc::io_error);
        }
        // A short write (the disk filled up in the middle of the record)
        // leaves part of a record behind; cut it off, or the next record
        // would be written after it and the reader would see garbage.
        std::clearerr(tail_);
        std::error_code cut;
        std::filesystem::resize_file(segment_path(tail_segment_), tail_size_, cut);
        std::lock_guard lock(mutex_);
        bytes_on_disk_ -= record;
        return false;
    }
    tail_size_ += record;
    ++unflushed_events_;
    return true;
}

void Spool::flush() {
    if (tail_ == nullptr) {
        return;
    }
    std::fflush(tail_);
    std::lock_guard lock(mutex_);
    tail_visible_end_ = tail_size_;
    events_appended_ += unflushed_events_;
    unflushed_events_ = 0;
}

void Spool::sync() {
    flush();
    // fflush handed the data to the OS; flushing the OS cache to disk is
    // left to it (the kernel writes dirty pages within seconds). Known
    // shortcoming: a power loss can take the last seconds of events.
}

bool Spool::open_reader(std::uint64_t segment) {
    if (reader_ != nullptr) {
        std::fclose(reader_);
        reader_ = nullptr;
    }
    reader_ = std::fopen(segment_path(segment).string().c_str(), "rb");
    reader_segment_ = segment;
    reader_offset_ = UINT64_MAX;
    return reader_ != nullptr;
}

std::optional<std::string> Spool::next() {
    for (;;) {
        std::uint64_t visible_end = 0;
        std::optional<std::uint64_t> following;
        {
            std::lock_guard lock(mutex_);
            if (send_.segment == tail_segment_) {
                visible_end = tail_visible_end_;
            } else {
                visible_end = UINT64_MAX;  // a finished segment: read to its end
                const auto it = std::upper_bound(segments_.begin(), segments_.end(),
                                                 send_.segment);
                if (it != segments_.end()) {
                    following = *it;
                }
            }
        }
        if (send_.offset + kLengthSize <= visible_end) {
            if (reader_ == nullptr || reader_segment_ != send_.segment) {
                if (!open_reader(send_.segment)) {
                    return std::nullopt;
                }
            }
            if (reader_offset_ != send_.offset) {
                std::fseek(reader_, static_cast<long>(send_.offset), SEEK_SET);
            }
            reader_offset_ = UINT64_MAX;
            unsigned char header[kLengthSize];
            if (std::fread(header, 1, kLengthSize, reader_) == kLengthSize) {
                const std::uint32_t length = get_length(header);
                if (length <= kMaxRecord) {
                    std::string event(length, '\0');
                    if (std::fread(event.data(), 1, length, reader_) == length) {
                        send_.offset += kLengthSize + length;
                        reader_offset_ = send_.offset;
                        ++send_.ordinal;
                        return event;
                    }
                }
            }
            std::clearerr(reader_);
        }
        if (!following) {
            return std::nullopt;  // nothing more yet
        }
        send_ = SpoolPosition{*following, 0, send_.ordinal};
    }
}

void Spool::rewind() { send_ = committed_; }

void Spool::commit(SpoolPosition position) {
    if (position <= committed_) {
        return;
    }
    if (reader_ != nullptr && reader_segment_ < position.segment) {
        std::fclose(reader_);  // Windows cannot delete an open file
        reader_ = nullptr;
    }
    std::uint64_t freed = 0;
    {
        std::lock_guard lock(mutex_);
        while (!segments_.empty() && segments_.front() < position.segment &&
               segments_.front() != tail_segment_) {
            const auto path = segment_path(segments_.front());
            std::error_code ec;
            freed += std::filesystem::file_size(path, ec);
            std::filesystem::remove(path, ec);
            segments_.pop_front();
        }
        bytes_on_disk_ -= std::min(bytes_on_disk_, freed);
        events_committed_ = position.ordinal;
    }
    committed_ = position;
}

void Spool::save_cursor() {
    if (saved_.segment == committed_.segment && saved_.offset == committed_.offset) {
        return;
    }
    saved_ = committed_;
    pal::write_file_atomically(dir_ / "cursor",
                               std::to_string(committed_.segment) + " " +
                                   std::to_string(committed_.offset) + "\n",
                               pal::Durability::kOrdered);
}

SpoolStats Spool::stats() const {
    std::lock_guard lock(mutex_);
    return SpoolStats{events_appended_ - std::min(events_appended_, events_committed_),
                      bytes_on_disk_, dropped_.load()};
}

bool Spool::has_unsent() const {
    std::lock_guard lock(mutex_);
    return send_.segment != tail_segment_ || send_.offset < tail_visible_end_;
}

}  // namespace agentd
