// Helpers shared by the tests: locating test data, hex, reading the
// vector files, temporary directories.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace testing_support {

// tests/data inside the repository.
std::filesystem::path data_dir();
// ../shared beside the repository (OSSEC's own files); may not exist.
std::filesystem::path shared_dir();

std::string read_file(const std::filesystem::path& path);
std::string from_hex(std::string_view hex);
std::string to_hex(std::string_view bytes);

// One "--- vector NAME" block of ossec-crypto-vectors.txt: its key = value
// lines (values with trailing "# comments" removed).
struct Vector {
    std::string name;
    std::map<std::string, std::string> fields;
};
std::vector<Vector> read_vectors(const std::filesystem::path& path);
// The value of "key = value" anywhere in the file (first occurrence), or
// the first one after the line that starts with section (e.g. "[H]").
std::string vector_value(const std::filesystem::path& path, std::string_view key,
                         std::string_view section = {});

// A packet of ossec-sample-packets.txt.
struct Packet {
    int number = 0;
    bool from_agent = false;
    std::string wire;             // the UDP payload
    std::string prefix;           // decoded prefix, "" or "!001!"
    unsigned long global = 0;
    unsigned long local = 0;
    std::size_t message_size = 0;
    std::string message_start;    // the message, or its first bytes when truncated
};
std::vector<Packet> read_packets(const std::filesystem::path& path);

// Decodes a Python bytes literal such as b'ab\n' or b"it's".
std::string unescape_python_bytes(std::string_view literal);

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

void write_file(const std::filesystem::path& path, std::string_view content);

}  // namespace testing_support
