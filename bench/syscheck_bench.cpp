// syscheck scan speed: generates a tree of small files and times the first
// scan (every file hashed with md5+sha1+sha256 and sent) and a second scan
// against the baseline (nothing sent). Prints figures; never fails on time.
//   syscheck_bench [FILES] [WORKERS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/logger.hpp"
#include "core/syscheck_config.hpp"
#include "syscheck/baseline.hpp"
#include "syscheck/scanner.hpp"

namespace {

namespace fs = std::filesystem;

// Counts messages; no queue, no pacing.
class CountingSink final : public syscheck::EventSink {
public:
    bool send(char, std::string_view, std::string_view) override {
        ++count;
        return true;
    }
    std::uint64_t count = 0;
};

void generate(const fs::path& root, int files) {
    for (int i = 0; i < files; ++i) {
        const fs::path dir = root / ("d" + std::to_string(i / 1000));
        if (i % 1000 == 0) {
            fs::create_directories(dir);
        }
        std::ofstream(dir / ("f" + std::to_string(i))) << "content of file " << i << "\n";
    }
}

// The process's resident and peak resident memory, from /proc where the
// system has it; "not available" elsewhere.
std::string memory_figures() {
    std::ifstream status("/proc/self/status");
    std::string line;
    std::string figures;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0 || line.rfind("VmHWM:", 0) == 0) {
            figures += (figures.empty() ? "" : ", ") + line;
        }
    }
    return figures.empty() ? "not available on this system" : figures;
}

double timed_scan(syscheck::Scanner& scanner, syscheck::ScanStats& stats) {
    const auto start = std::chrono::steady_clock::now();
    stats = scanner.scan([] { return false; });
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int files = argc > 1 ? std::atoi(argv[1]) : 20000;
    const unsigned workers =
        argc > 2 ? static_cast<unsigned>(std::atoi(argv[2]))
                 : std::max(1u, std::thread::hardware_concurrency());
    const fs::path root = fs::temp_directory_path() / ("syscheck-bench-" +
                                                       std::to_string(std::rand()));
    generate(root, files);

    const std::string conf = "<ossec_config><syscheck><directories check_all=\"yes\">" +
                             root.string() + "</directories></syscheck></ossec_config>";
    const auto loaded = core::parse_syscheck_config(conf, "bench");
    core::Logger logger("syscheck_bench");
    syscheck::Baseline baseline(root.string() + ".baseline", "bench");
    CountingSink sink;
    syscheck::WorkerPool pool(workers);
    syscheck::Scanner scanner(loaded.value().config, baseline, sink, pool, logger);

    syscheck::ScanStats stats;
    const double first = timed_scan(scanner, stats);
    std::printf("first scan:  %llu files in %.3f s = %.0f files/s (%u workers, md5+sha1+sha256)\n",
                static_cast<unsigned long long>(stats.files), first, stats.files / first,
                workers);
    std::printf("memory after the first scan (%zu files in the baseline): %s\n",
                baseline.records().size(), memory_figures().c_str());
    const double second = timed_scan(scanner, stats);
    std::printf("second scan: %llu files in %.3f s = %.0f files/s, %llu changed\n",
                static_cast<unsigned long long>(stats.files), second, stats.files / second,
                static_cast<unsigned long long>(stats.changed));
    const auto save_start = std::chrono::steady_clock::now();
    baseline.save();
    std::printf("baseline save: %.3f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - save_start)
                    .count());
    fs::remove_all(root);
    fs::remove(root.string() + ".baseline");
    return 0;
}
