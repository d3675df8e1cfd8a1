// What the tail and collector tests share: a temporary directory with real
// files, a fake clock, a recording sink and a logger writing to a file the
// tests can read.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/logger.hpp"
#include "logcollector/clock.hpp"
#include "logcollector/event_sink.hpp"
#include "support/test_support.hpp"

namespace logcollector {

class TailFixture : public ::testing::Test {
protected:
    TailFixture() : logger_("ossec-logcollector", dir_.path() / "ossec.log", false, 1) {}

    std::filesystem::path file(const std::string& name) const { return dir_.path() / name; }

    static void append(const std::filesystem::path& path, std::string_view text) {
        std::ofstream out(path, std::ios::binary | std::ios::app);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    }

    // Rewrites the file in place: same inode, new content.
    static void overwrite(const std::filesystem::path& path, std::string_view text) {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    }

    std::string event(const std::filesystem::path& path, const std::string& text) const {
        return "1:" + path.string() + ":" + text;
    }

    int log_lines_containing(const std::string& text) const {
        std::ifstream in(dir_.path() / "ossec.log");
        int count = 0;
        for (std::string line; std::getline(in, line);) {
            count += line.find(text) != std::string::npos ? 1 : 0;
        }
        return count;
    }

    testing_support::TempDir dir_;
    FakeClock clock_;
    RecordingSink sink_;
    core::Logger logger_;
};

}  // namespace logcollector
