// The agent's log, in OSSEC's ossec.log line format:
//   YYYY/MM/DD HH:MM:SS <program>: <LEVEL>: <text>
// Thread safe: every line is written whole, under a lock.
#pragma once

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

namespace core {

enum class LogLevel { kDebug2, kDebug, kInfo, kWarning, kError, kCritical };

class Logger {
public:
    // Lines go to file (created if needed, appended) and, when echo is set,
    // to standard error as well. debug_level 0 hides DEBUG lines, 1 shows
    // DEBUG, 2 shows DEBUG2 too (each -d on the command line adds one).
    Logger(std::string program, const std::filesystem::path& file, bool echo,
           int debug_level);
    // A logger that writes only to standard error (for -t and tools).
    explicit Logger(std::string program);
    ~Logger();

    Logger(const Logger&) = delete;
    Logger& operator=(const Logger&) = delete;

    void log(LogLevel level, std::string_view text);
    void debug2(std::string_view text) { log(LogLevel::kDebug2, text); }
    void debug(std::string_view text) { log(LogLevel::kDebug, text); }
    void info(std::string_view text) { log(LogLevel::kInfo, text); }
    void warning(std::string_view text) { log(LogLevel::kWarning, text); }
    void error(std::string_view text) { log(LogLevel::kError, text); }
    void critical(std::string_view text) { log(LogLevel::kCritical, text); }

    bool enabled(LogLevel level) const;
    // True when the log file could not be opened; lines then go to stderr.
    bool file_failed() const { return file_failed_; }

private:
    std::string program_;
    std::FILE* file_ = nullptr;
    bool echo_ = true;
    bool file_failed_ = false;
    int debug_level_ = 0;
    std::mutex mutex_;
};

// Formats one line without the trailing newline; exposed for tests.
std::string format_log_line(std::string_view program, LogLevel level,
                            std::string_view text, std::time_t when);

}  // namespace core
