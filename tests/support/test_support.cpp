#include "support/test_support.hpp"

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace testing_support {
namespace {

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = s.find_last_not_of(" \t\r");
    return std::string(s.substr(first, last - first + 1));
}

// Splits "key = value   # comment"; values never contain " #".
bool split_assignment(const std::string& line, std::string& key, std::string& value) {
    const auto eq = line.find(" = ");
    if (eq == std::string::npos || line.empty() || line[0] == '#') {
        return false;
    }
    key = trim(std::string_view(line).substr(0, eq));
    std::string rest = line.substr(eq + 3);
    const auto comment = rest.find("   #");
    if (comment != std::string::npos) {
        rest.resize(comment);
    }
    value = trim(rest);
    return true;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument("bad hex digit");
}

}  // namespace

std::filesystem::path data_dir() { return AGENT_TEST_DATA_DIR; }
std::filesystem::path shared_dir() { return AGENT_SHARED_DIR; }

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

void write_file(const std::filesystem::path& path, std::string_view content) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::string from_hex(std::string_view hex) {
    std::string out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<char>(hex_digit(hex[i]) * 16 + hex_digit(hex[i + 1])));
    }
    return out;
}

std::string to_hex(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
    return out;
}

std::vector<Vector> read_vectors(const std::filesystem::path& path) {
    std::istringstream in(read_file(path));
    std::vector<Vector> vectors;
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("--- vector ", 0) == 0) {
            vectors.push_back(Vector{trim(line.substr(11)), {}});
            continue;
        }
        if (!line.empty() && line[0] == '[') {
            vectors.push_back(Vector{});  // a new section ends the vector
            continue;
        }
        std::string key, value;
        if (!vectors.empty() && split_assignment(line, key, value)) {
            vectors.back().fields.emplace(key, value);
        }
    }
    std::erase_if(vectors, [](const Vector& v) { return v.name.empty(); });
    return vectors;
}

std::string vector_value(const std::filesystem::path& path, std::string_view wanted,
                         std::string_view section) {
    std::istringstream in(read_file(path));
    std::string line;
    bool in_section = section.empty();
    while (std::getline(in, line)) {
        if (!in_section) {
            in_section = line.rfind(section, 0) == 0;
            continue;
        }
        std::string key, value;
        if (split_assignment(line, key, value) && key == wanted) {
            return value;
        }
    }
    throw std::runtime_error("no value for " + std::string(wanted));
}

std::string unescape_python_bytes(std::string_view literal) {
    if (literal.size() < 3 || literal[0] != 'b') {
        throw std::invalid_argument("not a bytes literal");
    }
    literal = literal.substr(2, literal.size() - 3);
    std::string out;
    for (std::size_t i = 0; i < literal.size(); ++i) {
        if (literal[i] != '\\' || i + 1 == literal.size()) {
            out.push_back(literal[i]);
            continue;
        }
        const char c = literal[++i];
        switch (c) {
            case 'n': out.push_back('\n'); break;
            case 'r': out.push_back('\r'); break;
            case 't': out.push_back('\t'); break;
            case 'x':
                out.push_back(static_cast<char>(hex_digit(literal[i + 1]) * 16 +
                                                hex_digit(literal[i + 2])));
                i += 2;
                break;
            default: out.push_back(c); break;
        }
    }
    return out;
}

std::vector<Packet> read_packets(const std::filesystem::path& path) {
    std::istringstream in(read_file(path));
    std::vector<Packet> packets;
    std::string line;
    bool in_hex = false;
    while (std::getline(in, line)) {
        if (line.rfind("packet #", 0) == 0) {
            Packet packet;
            packet.number = std::stoi(line.substr(8));
            packet.from_agent = line.find("-> 127.0.0.1:1514") != std::string::npos;
            packets.push_back(packet);
            in_hex = false;
        } else if (packets.empty()) {
            continue;
        } else if (line == "payload hex:") {
            in_hex = true;
        } else if (in_hex && line.rfind("  ", 0) == 0) {
            packets.back().wire += from_hex(trim(line));
        } else if (line.rfind("decoded: ", 0) == 0) {
            in_hex = false;
            Packet& p = packets.back();
            const auto prefix_start = line.find("prefix='") + 8;
            p.prefix = line.substr(prefix_start, line.find('\'', prefix_start) - prefix_start);
            p.global = std::stoul(line.substr(line.find("global=") + 7, 10));
            p.local = std::stoul(line.substr(line.find("local=") + 6, 4));
        } else if (line.rfind("message (", 0) == 0) {
            Packet& p = packets.back();
            p.message_size = std::stoul(line.substr(9));
            p.message_start = unescape_python_bytes(line.substr(line.find("): ") + 3));
        }
    }
    return packets;
}

TempDir::TempDir() {
    static std::atomic<unsigned> counter{0};
    std::random_device random;
    const auto base = std::filesystem::temp_directory_path();
    path_ = base / ("agent-test-" + std::to_string(random()) + "-" +
                    std::to_string(counter++));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

}  // namespace testing_support
