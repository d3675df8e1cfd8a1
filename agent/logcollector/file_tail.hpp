// Follows one log file and sends each complete line as an event
// "<queue>:<location>:<line>". It survives what happens to log files:
//
// - rotation by rename, or a symlink pointed elsewhere: the old file is read
//   to its end, then the file now at the path is read from its start;
// - truncation in place (copytruncate), also when the file grew past the
//   old offset before the next look: the bytes before the offset no longer
//   match the fingerprint, so it is read again from its start;
// - deletion: the open file is read to its end; a file that appears later
//   at the path is read from its start;
// - a file that does not exist, or cannot be opened, is retried every step,
//   with one log line when it starts failing and one when it is back.
//
// Each step() reads what is new, bounded per call so that one busy file
// does not starve the others. When the sink refuses an event the file stops
// where it is and continues from that line on a later step.
//
// Not thread safe; the collector drives every tail from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "core/logger.hpp"
#include "logcollector/clock.hpp"
#include "logcollector/event_assembler.hpp"
#include "logcollector/event_sink.hpp"
#include "logcollector/line_framer.hpp"
#include "logcollector/position_store.hpp"
#include "pal/file.hpp"

namespace logcollector {

// The manager drops messages over about 6 KB; OSSEC reads at most
// OS_MAXSTR - OS_LOG_HEADER = 5888 bytes of a line.
inline constexpr std::size_t kDefaultMaxLine = 5888;
// Largest "<queue>:<location>:<text>" sent (the protocol notes' limit).
inline constexpr std::size_t kMaxEventSize = 6016;
// Location of the collector's own notices, as OSSEC names it.
inline constexpr std::string_view kNoticeLocation = "ossec-logcollector";

// The longest event text for a file at location: max_line, or less when
// the event header would not leave room for it.
std::size_t event_text_limit(const std::string& location, std::size_t max_line);

struct TailOptions {
    std::size_t max_line = kDefaultMaxLine;
    // A last line without its newline is sent, marked, after this long.
    std::chrono::milliseconds partial_line_timeout{5000};
    std::size_t max_bytes_per_step = 1 << 20;
    std::chrono::seconds retry_log_interval{3600};  // repeat of "cannot open"
};

// Where to start in a file that has no usable saved position.
enum class StartPolicy { kFromEnd, kFromStart };

class FileTail {
public:
    // location is both the path read and the event location; queue is the
    // event queue character. sink, clock and logger must outlive the tail.
    // With an assembler, lines go through it (its format's events) instead
    // of each being sent on queue.
    FileTail(std::string location, char queue, const TailOptions& options,
             EventSink& sink, const Clock& clock, core::Logger& logger,
             std::unique_ptr<EventAssembler> assembler = nullptr);
    ~FileTail();

    FileTail(const FileTail&) = delete;
    FileTail& operator=(const FileTail&) = delete;

    // Opens the file for the first time: at saved when it still names this
    // file with the same bytes before it, else as policy says. A file that
    // appears later is always read from its start.
    void start(const std::optional<SavedPosition>& saved, StartPolicy policy);

    // Reads and sends what is new, and handles rotation and truncation.
    // Returns true when it stopped early (more bytes, or a refusing sink),
    // so the caller knows to step again soon.
    bool step();

    // The position to save: every byte before it has been sent. Empty when
    // no file is open.
    std::optional<SavedPosition> position() const;

    const std::string& location() const { return location_; }
    bool is_open() const { return file_ != nullptr; }

private:
    enum class ReadResult { kEndOfFile, kMore, kBlocked };

    bool open(StartPolicy policy, const std::optional<SavedPosition>& saved);
    bool saved_position_holds(const SavedPosition& saved, const pal::FileInfo& info);
    void report_open_failure(const std::string& what, std::error_code ec);
    ReadResult read_new_bytes();
    bool frame_buffer();
    bool flush_partial_line();
    void note_pending();
    void consume(std::size_t count);
    void check_file_at_path();
    void release_if_deleted();
    void restart_from_beginning(std::string_view notice);
    void switch_to_new_file();
    bool matches_windows(std::uint64_t offset, const std::string& head,
                         const std::string& tail);
    bool load_windows(std::uint64_t offset, std::string& head, std::string& tail);
    std::uint64_t fingerprint() const;
    void send_notice(const std::string& text);
    bool deliver(std::string_view text);
    void mark_group_start(std::size_t line_start);
    bool flush_held(bool timed);

    // Hands the assembler's events to the sink, counting them.
    struct SinkOut final : EventOut {
        explicit SinkOut(FileTail& tail) : tail(tail) {}
        bool emit(char queue, std::string_view text) override;
        FileTail& tail;
        std::size_t emitted = 0;
    };
    // Where the assembler's held lines start, and the fingerprint windows
    // there: the position to save while lines are held.
    struct HeldStart {
        std::uint64_t offset = 0;
        std::string head;
        std::string tail;
    };

    std::string location_;
    char queue_;
    TailOptions options_;
    EventSink& sink_;
    const Clock& clock_;
    core::Logger& logger_;
    LineFramer framer_;

    std::unique_ptr<pal::ReadableFile> file_;
    pal::FileId id_;
    std::uint64_t offset_ = 0;       // bytes sent or dropped
    std::uint64_t known_size_ = 0;   // file size at the last look
    std::unique_ptr<char[]> buffer_;  // read, not yet framed
    std::size_t buffer_capacity_ = 0;
    std::size_t used_ = 0;
    std::string head_;               // the file's first bytes, up to offset_
    std::string tail_;               // the bytes just before offset_
    std::unique_ptr<EventAssembler> assembler_;
    SinkOut out_{*this};
    HeldStart held_start_;
    TimePoint last_line_at_{};
    TimePoint partial_since_{};
    std::size_t partial_size_ = 0;

    bool failing_ = false;           // open failures are being reported
    bool read_failing_ = false;
    TimePoint next_failure_log_{};
    std::error_condition last_failure_;  // the failure last reported
};

}  // namespace logcollector
