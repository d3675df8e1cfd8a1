// syscheck real time: the time from a change to a monitored file (the
// write returning) to its event being handed to the sink (where the
// program's QueueSink would write it to the local queue), through the OS
// watcher, RealtimeMonitor and the Scanner. Prints p50, p99 and max.
// Never fails on time.
//   syscheck_realtime_bench [CHANGES] [FILES]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/logger.hpp"
#include "core/syscheck_config.hpp"
#include "pal/file_watcher.hpp"
#include "syscheck/baseline.hpp"
#include "syscheck/realtime_monitor.hpp"
#include "syscheck/scanner.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Notes when each message arrives.
class TimingSink final : public syscheck::EventSink {
public:
    bool send(char, std::string_view, std::string_view) override {
        arrivals.push_back(Clock::now());
        return true;
    }
    std::vector<Clock::time_point> arrivals;
};

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const auto at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[at];
}

}  // namespace

int main(int argc, char** argv) {
    const int changes = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int files = argc > 2 ? std::atoi(argv[2]) : 1000;
    const fs::path root = fs::temp_directory_path() /
                          ("syscheck-rt-bench-" + std::to_string(std::rand()));
    for (int i = 0; i < files; ++i) {
        const fs::path dir = root / ("d" + std::to_string(i / 100));
        fs::create_directories(dir);
        std::ofstream(dir / ("f" + std::to_string(i))) << "content " << i << "\n";
    }

    const std::string conf =
        "<ossec_config><syscheck><directories check_all=\"yes\" realtime=\"yes\">" +
        root.string() + "</directories></syscheck></ossec_config>";
    const auto loaded = core::parse_syscheck_config(conf, "bench");
    const core::SyscheckConfig& config = loaded.value().config;
    core::Logger logger("syscheck_realtime_bench");
    syscheck::Baseline baseline(root.string() + ".baseline", "bench");
    TimingSink sink;
    syscheck::WorkerPool pool(2);
    syscheck::Scanner scanner(config, baseline, sink, pool, logger);
    scanner.scan([] { return false; });
    std::error_code ec;
    const auto watcher = pal::create_file_watcher(ec);
    if (!watcher) {
        std::printf("no file watcher here: %s\n", ec.message().c_str());
        return 1;
    }
    syscheck::RealtimeMonitor monitor(config, scanner, *watcher, sink, logger);
    monitor.start();

    std::vector<double> latencies_ms;
    int lost = 0;
    for (int i = 0; i < changes; ++i) {
        const fs::path file = root / ("d" + std::to_string((i % files) / 100)) /
                              ("f" + std::to_string(i % files));
        sink.arrivals.clear();
        {
            std::ofstream out(file, std::ios::app);
            out << "change " << i << "\n";
        }
        const auto changed = Clock::now();
        const auto deadline = changed + std::chrono::seconds(2);
        while (sink.arrivals.empty() && Clock::now() < deadline) {
            monitor.run_once(std::chrono::milliseconds(100), [] { return false; });
        }
        if (sink.arrivals.empty()) {
            ++lost;
            continue;
        }
        latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(sink.arrivals.front() - changed).count());
        // Let the close-after-write event pass before the next change.
        monitor.run_once(std::chrono::milliseconds(0), [] { return false; });
    }
    if (!latencies_ms.empty()) {
        std::printf("real time, change -> queued event: %zu changes over %d files in %zu "
                    "watched directories: p50 %.3f ms, p99 %.3f ms, max %.3f ms, %d not "
                    "seen within 2 s\n",
                    latencies_ms.size(), files, monitor.stats().watched,
                    percentile(latencies_ms, 0.5), percentile(latencies_ms, 0.99),
                    percentile(latencies_ms, 1.0), lost);
    }
    fs::remove_all(root);
    fs::remove(root.string() + ".baseline");
    return 0;
}
