// logs/active-responses.log as a file: "YYYY/MM/DD HH:MM:SS ossec-execd:
// <line>", appended and flushed per line, beside the lines the stock
// scripts write there themselves. Not thread safe.
#pragma once

#include <cstdio>
#include <filesystem>

#include "execd/collaborators.hpp"

namespace execd {

class FileRunLog final : public RunLog {
public:
    explicit FileRunLog(const std::filesystem::path& path);
    ~FileRunLog() override;
    FileRunLog(const FileRunLog&) = delete;
    FileRunLog& operator=(const FileRunLog&) = delete;

    // False when the file could not be opened; lines are then dropped.
    bool is_open() const { return file_ != nullptr; }
    void record(std::string_view line) override;

private:
    std::FILE* file_ = nullptr;
};

}  // namespace execd
