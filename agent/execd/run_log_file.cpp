#include "execd/run_log_file.hpp"

#include <ctime>

namespace execd {

FileRunLog::FileRunLog(const std::filesystem::path& path)
    : file_(std::fopen(path.string().c_str(), "ab")) {}

FileRunLog::~FileRunLog() {
    if (file_ != nullptr) {
        std::fclose(file_);
    }
}

void FileRunLog::record(std::string_view line) {
    if (file_ == nullptr) {
        return;
    }
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    const std::tm* parts = std::localtime(&now);
    if (parts != nullptr) {
        local = *parts;
    }
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &local);
    std::fprintf(file_, "%s ossec-execd: %.*s\n", stamp, static_cast<int>(line.size()),
                 line.data());
    std::fflush(file_);
}

}  // namespace execd
