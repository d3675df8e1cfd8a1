#include "logcollector/file_tail.hpp"

#include <algorithm>
#include <cstring>

namespace logcollector {
namespace {

// Bytes kept at each end of the fingerprint: the file's first bytes and
// the bytes just before the read position.
constexpr std::size_t kWindow = 256;
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::uint64_t kFnvBasis = 0xcbf29ce484222325ULL;

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash) {
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

bool read_exact(pal::ReadableFile& file, std::uint64_t offset, std::size_t size,
                std::string& out) {
    out.resize(size);
    if (file.seek(offset)) {
        return false;
    }
    std::size_t done = 0;
    while (done < size) {
        std::error_code ec;
        const std::size_t n = file.read(out.data() + done, size - done, ec);
        if (ec || n == 0) {
            return false;
        }
        done += n;
    }
    return true;
}

}  // namespace

std::size_t event_text_limit(const std::string& location, std::size_t max_line) {
    const std::size_t header = 3 + location.size();
    const std::size_t room = header < kMaxEventSize ? kMaxEventSize - header : 0;
    return std::min(max_line, room);
}

FileTail::FileTail(std::string location, char queue, const TailOptions& options,
                   EventSink& sink, const Clock& clock, core::Logger& logger,
                   std::unique_ptr<EventAssembler> assembler)
    : location_(std::move(location)),
      queue_(queue),
      options_(options),
      sink_(sink),
      clock_(clock),
      logger_(logger),
      framer_(event_text_limit(location_, options.max_line)),
      buffer_capacity_(kReadChunk + framer_.max_text()),
      assembler_(std::move(assembler)) {
    buffer_ = std::make_unique<char[]>(buffer_capacity_);
}

FileTail::~FileTail() = default;

void FileTail::start(const std::optional<SavedPosition>& saved, StartPolicy policy) {
    open(policy, saved);
}

bool FileTail::open(StartPolicy policy, const std::optional<SavedPosition>& saved) {
    std::error_code ec;
    auto file = pal::open_readable(location_, ec);
    pal::FileInfo info;
    if (file) {
        ec = file->info(info);
    }
    if (!file || ec) {
        report_open_failure("cannot open log file", ec);
        return false;
    }
    if (!info.is_regular) {
        report_open_failure("cannot read log file",
                            std::make_error_code(info.is_directory
                                                     ? std::errc::is_a_directory
                                                     : std::errc::invalid_argument));
        return false;
    }

    file_ = std::move(file);
    id_ = info.id;
    known_size_ = info.size;
    used_ = 0;
    partial_size_ = 0;
    framer_.reset();
    if (assembler_) {
        assembler_->reset();
    }

    std::uint64_t start = policy == StartPolicy::kFromEnd ? info.size : 0;
    std::string how = policy == StartPolicy::kFromEnd ? "from its end" : "from its start";
    if (saved) {
        if (saved_position_holds(*saved, info)) {
            start = saved->offset;
            how = "at byte " + std::to_string(start) + ", where it was left";
        } else {
            start = 0;
            how = "from its start: it was rotated or rewritten while the agent was stopped";
        }
    }
    load_windows(start, head_, tail_);
    offset_ = start;
    file_->seek(start);

    if (failing_) {
        logger_.info("log file '" + location_ + "' can be opened now");
        failing_ = false;
    }
    logger_.info("reading log file '" + location_ + "' " + how);
    return true;
}

bool FileTail::saved_position_holds(const SavedPosition& saved, const pal::FileInfo& info) {
    if (saved.id != info.id || saved.offset > info.size) {
        return false;
    }
    std::string head;
    std::string tail;
    return load_windows(saved.offset, head, tail) &&
           fnv1a(tail, fnv1a(head, kFnvBasis)) == saved.fingerprint;
}

void FileTail::report_open_failure(const std::string& what, std::error_code ec) {
    const TimePoint now = clock_.now();
    // The same failure again is reported once per retry_log_interval; a
    // different one (the deleted file came back as a directory) at once.
    if (failing_ && ec.default_error_condition() == last_failure_ &&
        now < next_failure_log_) {
        return;
    }
    last_failure_ = ec.default_error_condition();
    logger_.warning(what + " '" + location_ + "': " + ec.message() +
                    "; retrying, and reading it from its start once it can be opened");
    failing_ = true;
    next_failure_log_ = now + options_.retry_log_interval;
}

bool FileTail::step() {
    if (!file_ && !open(StartPolicy::kFromStart, std::nullopt)) {
        return false;
    }
    check_file_at_path();
    if (!file_) {
        return false;
    }

    const ReadResult result = read_new_bytes();
    if (result == ReadResult::kEndOfFile && used_ > 0 && !framer_.dropping() &&
        clock_.now() - partial_since_ >= options_.partial_line_timeout) {
        return !flush_partial_line();
    }
    if (result == ReadResult::kEndOfFile && used_ == 0 && !flush_held(true)) {
        return true;
    }
    if (result == ReadResult::kEndOfFile && used_ == 0) {
        release_if_deleted();
    }
    return result != ReadResult::kEndOfFile;
}

void FileTail::release_if_deleted() {
    pal::FileInfo info;
    if (file_->info(info) || !info.delete_pending || !flush_held(false)) {
        return;
    }
    // Holding a deleted file open keeps its disk space in use, and on
    // Windows keeps its name from being created again.
    file_.reset();
    logger_.info("log file '" + location_ +
                 "' was deleted and read to its end; waiting for it to appear again");
    // That line says it all: the next open's "no such file" is not logged.
    failing_ = true;
    last_failure_ = std::make_error_condition(std::errc::no_such_file_or_directory);
    next_failure_log_ = clock_.now() + options_.retry_log_interval;
}

FileTail::ReadResult FileTail::read_new_bytes() {
    if (used_ > 0 && !frame_buffer()) {
        return ReadResult::kBlocked;
    }
    std::size_t budget = options_.max_bytes_per_step;
    while (budget > 0) {
        std::error_code ec;
        const std::size_t room = std::min(buffer_capacity_ - used_, budget);
        const std::size_t n = file_->read(buffer_.get() + used_, room, ec);
        if (ec) {
            if (!read_failing_) {
                logger_.warning("cannot read log file '" + location_ + "': " + ec.message() +
                                "; retrying");
                read_failing_ = true;
            }
            return ReadResult::kEndOfFile;
        }
        read_failing_ = false;
        if (n == 0) {
            return ReadResult::kEndOfFile;
        }
        used_ += n;
        budget -= n;
        if (!frame_buffer()) {
            return ReadResult::kBlocked;
        }
    }
    return ReadResult::kMore;
}

bool FileTail::frame_buffer() {
    bool refused = false;
    auto emit = [this, &refused](std::string_view text) {
        refused = !deliver(text);
        return !refused;
    };
    consume(framer_.frame(std::string_view(buffer_.get(), used_), emit));
    note_pending();
    return !refused;
}

bool FileTail::flush_partial_line() {
    auto emit = [this](std::string_view text) { return deliver(text); };
    if (!framer_.flush_partial(std::string_view(buffer_.get(), used_), emit)) {
        return false;
    }
    consume(used_);
    note_pending();
    return true;
}

void FileTail::note_pending() {
    if (used_ != partial_size_) {
        partial_size_ = used_;
        partial_since_ = clock_.now();
    }
}

void FileTail::consume(std::size_t count) {
    const std::string_view done(buffer_.get(), count);
    if (head_.size() < kWindow) {
        head_.append(done.substr(0, kWindow - head_.size()));
    }
    if (count >= kWindow) {
        tail_.assign(done.substr(count - kWindow));
    } else {
        tail_.append(done);
        if (tail_.size() > kWindow) {
            tail_.erase(0, tail_.size() - kWindow);
        }
    }
    offset_ += count;
    used_ -= count;
    std::memmove(buffer_.get(), buffer_.get() + count, used_);
}

void FileTail::check_file_at_path() {
    pal::FileInfo at_path;
    if (pal::stat_path(location_, at_path)) {
        return;  // deleted or renamed away: the open file is still read to its end
    }
    if (at_path.id != id_) {
        switch_to_new_file();
        return;
    }
    if (at_path.size == known_size_) {
        return;
    }
    known_size_ = at_path.size;
    const std::uint64_t read_end = offset_ + used_;
    if (at_path.size < read_end || !matches_windows(offset_, head_, tail_)) {
        restart_from_beginning("ossec: File size reduced (inode remained): '" +
                               location_ + "'.");
        return;
    }
    file_->seek(read_end);
}

void FileTail::restart_from_beginning(std::string_view notice) {
    send_notice(std::string(notice));
    logger_.info("log file '" + location_ +
                 "' was truncated or rewritten; reading it again from its start");
    file_->seek(0);
    offset_ = 0;
    used_ = 0;
    partial_size_ = 0;
    head_.clear();
    tail_.clear();
    framer_.reset();
    if (assembler_) {
        assembler_->reset();
    }
}

void FileTail::switch_to_new_file() {
    // Lines written to the old file before the rotation come first.
    ReadResult result = ReadResult::kMore;
    while (result == ReadResult::kMore) {
        result = read_new_bytes();
    }
    if (result == ReadResult::kBlocked) {
        return;  // the sink is full; switch on a later step
    }
    if (used_ > 0 && !framer_.dropping() && !flush_partial_line()) {
        return;
    }
    if (!flush_held(false)) {
        return;
    }

    send_notice("ossec: File rotated (inode changed): '" + location_ + "'.");
    logger_.info("log file '" + location_ +
                 "' was rotated; the old file was read to its end, reading the new one "
                 "from its start");
    file_.reset();
    open(StartPolicy::kFromStart, std::nullopt);
}

bool FileTail::matches_windows(std::uint64_t offset, const std::string& head,
                               const std::string& tail) {
    std::string now_head;
    std::string now_tail;
    return load_windows(offset, now_head, now_tail) && now_head == head && now_tail == tail;
}

bool FileTail::load_windows(std::uint64_t offset, std::string& head, std::string& tail) {
    const auto size = static_cast<std::size_t>(std::min<std::uint64_t>(offset, kWindow));
    return read_exact(*file_, 0, size, head) &&
           read_exact(*file_, offset - size, size, tail);
}

std::uint64_t FileTail::fingerprint() const {
    return fnv1a(tail_, fnv1a(head_, kFnvBasis));
}

std::optional<SavedPosition> FileTail::position() const {
    if (!file_) {
        return std::nullopt;
    }
    if (assembler_ && assembler_->held_lines() > 0) {
        return SavedPosition{id_, held_start_.offset,
                             fnv1a(held_start_.tail, fnv1a(held_start_.head, kFnvBasis))};
    }
    return SavedPosition{id_, offset_, fingerprint()};
}

bool FileTail::SinkOut::emit(char queue, std::string_view text) {
    if (!tail.sink_.offer(queue, tail.location_, text)) {
        return false;
    }
    ++emitted;
    return true;
}

bool FileTail::deliver(std::string_view text) {
    if (!assembler_) {
        return sink_.offer(queue_, location_, text);
    }
    const std::size_t held_before = assembler_->held_lines();
    const std::size_t emitted_before = out_.emitted;
    if (!assembler_->take(text, out_)) {
        return false;
    }
    last_line_at_ = clock_.now();
    const bool started_here = assembler_->held_lines() == 1 &&
                              (held_before == 0 || out_.emitted != emitted_before);
    if (started_here) {
        mark_group_start(framer_.line_start());
    }
    return true;
}

void FileTail::mark_group_start(std::size_t line_start) {
    const std::string_view before(buffer_.get(), line_start);
    held_start_.offset = offset_ + line_start;
    held_start_.head = head_;
    if (held_start_.head.size() < kWindow) {
        held_start_.head.append(before.substr(0, kWindow - held_start_.head.size()));
    }
    if (before.size() >= kWindow) {
        held_start_.tail.assign(before.substr(before.size() - kWindow));
    } else {
        held_start_.tail = tail_;
        held_start_.tail.append(before);
        if (held_start_.tail.size() > kWindow) {
            held_start_.tail.erase(0, held_start_.tail.size() - kWindow);
        }
    }
}

bool FileTail::flush_held(bool timed) {
    if (!assembler_ || assembler_->held_lines() == 0) {
        return true;
    }
    if (timed) {
        const auto timeout = assembler_->hold_timeout();
        if (!timeout || clock_.now() - last_line_at_ < *timeout) {
            return true;
        }
    }
    return assembler_->flush(out_);
}

void FileTail::send_notice(const std::string& text) {
    // Best effort, as in OSSEC: a notice the sink refuses is not retried.
    sink_.offer(core::kLocalFileQueue, kNoticeLocation, text);
}

}  // namespace logcollector
