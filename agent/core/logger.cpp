#include "core/logger.hpp"

#include <ctime>

namespace core {
namespace {

std::string_view level_name(LogLevel level) {
    switch (level) {
        case LogLevel::kDebug2:
        case LogLevel::kDebug:
            return "DEBUG";
        case LogLevel::kInfo:
            return "INFO";
        case LogLevel::kWarning:
            return "WARNING";
        case LogLevel::kError:
            return "ERROR";
        case LogLevel::kCritical:
            return "CRITICAL";
    }
    return "INFO";
}

}  // namespace

std::string format_log_line(std::string_view program, LogLevel level,
                            std::string_view text, std::time_t when) {
    std::tm parts{};
    // localtime_r is not in the C++ standard; std::localtime is not
    // thread safe but is only called under the logger's lock.
    if (const std::tm* local = std::localtime(&when)) {
        parts = *local;
    }
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &parts);

    std::string line;
    line.reserve(text.size() + program.size() + 40);
    line.append(stamp).append(" ").append(program).append(": ");
    line.append(level_name(level)).append(": ").append(text);
    return line;
}

Logger::Logger(std::string program, const std::filesystem::path& file, bool echo,
               int debug_level)
    : program_(std::move(program)), echo_(echo), debug_level_(debug_level) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    // Binary, so lines end in "\n" on every OS, as OSSEC's Windows agent
    // writes them too. Known shortcoming: the narrow path means an install
    // directory outside the system code page cannot hold the log on
    // Windows; the default one is plain ASCII.
    file_ = std::fopen(file.string().c_str(), "ab");
    if (file_ == nullptr) {
        file_failed_ = true;
        echo_ = true;
    }
}

Logger::Logger(std::string program) : program_(std::move(program)) {}

Logger::~Logger() {
    if (file_ != nullptr) {
        std::fclose(file_);
    }
}

bool Logger::enabled(LogLevel level) const {
    if (level == LogLevel::kDebug) {
        return debug_level_ >= 1;
    }
    if (level == LogLevel::kDebug2) {
        return debug_level_ >= 2;
    }
    return true;
}

void Logger::log(LogLevel level, std::string_view text) {
    if (!enabled(level)) {
        return;
    }
    std::lock_guard lock(mutex_);
    const std::string line = format_log_line(program_, level, text, std::time(nullptr));
    if (file_ != nullptr) {
        std::fprintf(file_, "%s\n", line.c_str());
        std::fflush(file_);
    }
    if (echo_) {
        std::fprintf(stderr, "%s\n", line.c_str());
    }
}

}  // namespace core
