// The durable event buffer between the local queue and the manager: a
// FIFO of records in segment files under queue/buffer/, so events survive
// the manager being away, agentd being killed, and restarts; memory stays
// small because the data lives in the page cache, not the heap.
//
//   <dir>/<20-digit number>.seg   records: 4-byte little-endian length + bytes
//   <dir>/cursor                  "<segment> <offset>": first unconfirmed record
//
// Two cursors: the send cursor moves as events go out; the committed
// cursor moves when the manager has confirmed it is alive after them (see
// Session). After a crash, reading resumes from the committed cursor, so
// an event may be sent twice but never lost. Segments wholly before the
// committed cursor are deleted.
//
// Thread safety: append() and flush() from one writer thread; everything
// else from one reader thread; the two may run concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "core/result.hpp"

namespace agentd {

struct SpoolPosition {
    std::uint64_t segment = 0;
    std::uint64_t offset = 0;
    std::uint64_t ordinal = 0;  // events read since open, up to here

    friend auto operator<=>(const SpoolPosition&, const SpoolPosition&) = default;
};

struct SpoolLimits {
    std::uint64_t max_disk_bytes = 1024ull * 1024 * 1024;
    std::uint64_t segment_bytes = 8 * 1024 * 1024;
};

struct SpoolStats {
    std::uint64_t events_pending = 0;  // appended, not yet committed
    std::uint64_t bytes_on_disk = 0;
    std::uint64_t dropped = 0;  // refused because the disk limit was reached
};

class Spool {
public:
    // Opens (creating it if needed) the spool in dir, recovering from a
    // crash: a record cut short at the end of the last segment is removed.
    static core::Result<std::unique_ptr<Spool>> open(const std::filesystem::path& dir,
                                                     SpoolLimits limits);
    ~Spool();

    // Writer side. Returns false when the event was not written: either
    // the disk limit is reached (ec stays clear; the event is dropped and
    // counted in stats().dropped), or the write failed (ec says why, for
    // example no space left on device; the segment is cut back to its last
    // whole record, nothing is counted, and the caller may offer the same
    // event again later).
    bool append(std::string_view event, std::error_code& ec);
    // As above, with a failed write counted as a drop.
    bool append(std::string_view event);
    // Makes appended records visible to the reader (each record is handed
    // to the OS as it is appended, so it already survives a crash).
    void flush();
    // Also flushes to the disk itself (power loss); called now and then.
    void sync();

    // Reader side: the record at the send cursor, advancing it.
    std::optional<std::string> next();
    SpoolPosition send_position() const { return send_; }
    // Moves the send cursor back to the committed one (resend what was not
    // confirmed, after the link was lost).
    void rewind();
    // Confirms everything before position and frees whole segments.
    void commit(SpoolPosition position);
    // Writes the committed cursor if it moved; the caller decides how
    // often (it bounds what is sent twice after a crash).
    void save_cursor();

    SpoolStats stats() const;
    bool has_unsent() const;

private:
    Spool(std::filesystem::path dir, SpoolLimits limits);
    core::Result<bool> recover();
    bool open_tail(std::uint64_t segment);
    std::filesystem::path segment_path(std::uint64_t segment) const;
    bool open_reader(std::uint64_t segment);

    std::filesystem::path dir_;
    SpoolLimits limits_;

    mutable std::mutex mutex_;
    std::deque<std::uint64_t> segments_;    // on disk, oldest first
    std::uint64_t tail_visible_end_ = 0;    // flushed bytes of the tail segment
    std::uint64_t bytes_on_disk_ = 0;
    std::uint64_t events_appended_ = 0;     // since open, plus recovered
    std::uint64_t events_committed_ = 0;
    std::atomic<std::uint64_t> dropped_{0};

    // Writer state.
    std::FILE* tail_ = nullptr;
    std::uint64_t tail_segment_ = 0;
    std::uint64_t tail_size_ = 0;
    std::uint64_t unflushed_events_ = 0;
    std::string record_;

    // Reader state.
    std::FILE* reader_ = nullptr;
    std::uint64_t reader_segment_ = 0;
    // Where reader_ stands, so that reading on in order needs no fseek
    // (which drops stdio's buffer: one read() per event). UINT64_MAX:
    // unknown, seek first.
    std::uint64_t reader_offset_ = UINT64_MAX;
    SpoolPosition send_;
    SpoolPosition committed_;
    SpoolPosition saved_;
};

}  // namespace agentd
