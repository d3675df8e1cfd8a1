#include "logcollector/event_channel_source.hpp"

#include <array>
#include <fstream>
#include <sstream>

#include "logcollector/file_tail.hpp"
#include "logcollector/format_text.hpp"
#include "pal/file.hpp"

namespace logcollector {
namespace {

constexpr std::size_t kReadBatch = 100;
constexpr std::size_t kMaxBookmark = 64 * 1024;  // a saved bookmark is a short XML text
constexpr std::uint64_t kAuditFailure = 0x10000000000000ULL;
constexpr std::uint64_t kAuditSuccess = 0x20000000000000ULL;

std::string category(const pal::ChannelEvent& event) {
    if (!event.level) {
        return "Unknown";
    }
    switch (*event.level) {
        case 1: return "CRITICAL";
        case 2: return "ERROR";
        case 3: return "WARNING";
        case 4: return "INFORMATION";
        case 5: return "DEBUG";
        case 0:
            if (event.keywords & kAuditFailure) {
                return "AUDIT_FAILURE";
            }
            if (event.keywords & kAuditSuccess) {
                return "AUDIT_SUCCESS";
            }
            return "Unknown";
        default: return "Unknown";
    }
}

// OSSEC's win_format_event_string: CR and LF become spaces, and the tabs
// right after one of them or after a ':' become spaces too.
std::string one_line(const std::string& text) {
    std::string out = text;
    for (std::size_t i = 0; i < out.size();) {
        const char c = out[i];
        if (c != '\n' && c != '\r' && c != ':') {
            ++i;
            continue;
        }
        if (c != ':') {
            out[i] = ' ';
        }
        ++i;
        while (i < out.size() && out[i] == '\t') {
            out[i++] = ' ';
        }
    }
    return out;
}

std::string timestamp(const std::tm& t) {
    static constexpr std::array<const char*, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto two = [](int v) {
        const int x = v < 0 ? 0 : v % 100;
        return std::string{static_cast<char>('0' + x / 10), static_cast<char>('0' + x % 10)};
    };
    const int month = t.tm_mon >= 0 && t.tm_mon < 12 ? t.tm_mon : 0;
    return std::to_string(t.tm_year + 1900) + " " + kMonths[static_cast<std::size_t>(month)] +
           " " + two(t.tm_mday) + " " + two(t.tm_hour) + ":" + two(t.tm_min) + ":" +
           two(t.tm_sec);
}

const std::string& or_else(const std::string& value, const std::string& fallback) {
    return value.empty() ? fallback : value;
}

}  // namespace

std::string format_channel_event(const pal::ChannelEvent& e) {
    static const std::string kNoSource = "no source";
    static const std::string kNoUser = "(no user)";
    static const std::string kNoDomain = "no domain";
    static const std::string kNoComputer = "no computer";
    static const std::string kNoMessage = "(no message)";
    std::string message;
    escape_line(one_line(e.message), message);  // other control bytes, bad UTF-8
    std::string text = timestamp(e.time_created) + " WinEvtLog: " + e.channel + ": " + category(e) + "(" +
           std::to_string(e.event_id) + "): " + or_else(e.provider, kNoSource) + ": " +
           or_else(e.user, kNoUser) + ": " + or_else(e.domain, kNoDomain) + ": " +
           or_else(e.computer, kNoComputer) + ": " + or_else(message, kNoMessage);
    return fit(std::move(text),
               event_text_limit(std::string(kEventChannelLocation), kDefaultMaxLine));
}

std::filesystem::path bookmark_file(const std::filesystem::path& directory,
                                    const std::string& channel) {
    std::string name = channel;
    if (const std::size_t slash = name.rfind('/'); slash != std::string::npos) {
        name[slash] = '_';
    }
    // Anything else that cannot be in a file name becomes '_' as well.
    for (char& c : name) {
        if (c == '/' || c == '\\' || c == ':' || static_cast<unsigned char>(c) < 0x20) {
            c = '_';
        }
    }
    return directory / name;
}

EventChannelSource::EventChannelSource(ChannelSpec spec, Opener opener,
                                       std::filesystem::path bookmarks, EventSink& sink,
                                       core::Logger& logger)
    : spec_(std::move(spec)),
      opener_(std::move(opener)),
      file_(bookmark_file(bookmarks, spec_.channel)),
      sink_(sink),
      logger_(logger) {}

bool EventChannelSource::start() {
    std::string bookmark;
    if (!spec_.only_future_events) {
        std::ifstream in(file_, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        bookmark = text.str();
        if (bookmark.size() > kMaxBookmark) {
            logger_.warning("bookmark file '" + file_.string() +
                            "' is too large; reading channel '" + spec_.channel +
                            "' from new events on");
            bookmark.clear();
        }
        saved_bookmark_ = bookmark;
        accepted_bookmark_ = bookmark;
    }
    std::error_code ec;
    reader_ = opener_(spec_.channel, spec_.query, bookmark, ec);
    if (!reader_) {
        logger_.error("cannot read event channel '" + spec_.channel + "': " + ec.message() +
                      "; its events are not collected");
        return false;
    }
    logger_.info("reading event channel '" + spec_.channel + "' " +
                 (bookmark.empty() ? std::string("from new events on")
                                   : std::string("after its saved bookmark")));
    return true;
}

bool EventChannelSource::step(std::chrono::milliseconds wait) {
    if (!reader_) {
        return false;
    }
    if (next_ == pending_.size()) {
        std::error_code ec;
        pending_ = reader_->read(kReadBatch, wait, ec);
        next_ = 0;
        if (ec && !read_failing_) {
            logger_.warning("cannot read event channel '" + spec_.channel + "': " +
                            ec.message() + "; retrying");
        }
        read_failing_ = static_cast<bool>(ec);
    }
    for (; next_ < pending_.size(); ++next_) {
        const pal::ChannelEvent& event = pending_[next_];
        if (!sink_.offer(core::kLocalFileQueue, kEventChannelLocation,
                         format_channel_event(event))) {
            return true;
        }
        accepted_bookmark_ = event.bookmark;
    }
    const bool more = !pending_.empty() && pending_.size() == kReadBatch;
    save_bookmark();
    return more;
}

bool EventChannelSource::save_bookmark() {
    if (spec_.only_future_events || accepted_bookmark_ == saved_bookmark_ ||
        !sink_.drained()) {
        return true;
    }
    std::error_code ec;
    std::filesystem::create_directories(file_.parent_path(), ec);
    ec = pal::write_file_atomically(file_, accepted_bookmark_, pal::Durability::kOrdered);
    if (ec) {
        logger_.error("cannot save the bookmark of event channel '" + spec_.channel +
                      "' to '" + file_.string() + "': " + ec.message() +
                      "; retrying, events may be sent twice after a restart");
        return false;
    }
    saved_bookmark_ = accepted_bookmark_;
    return true;
}

}  // namespace logcollector
