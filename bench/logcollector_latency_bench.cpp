// Latency from a write() to a followed log file to the event reaching the
// queue (the sink), with the program's loop: the directory watch wakes the
// collector, the poll interval is the fallback. A writer thread appends
// lines carrying their write time; the sink notes when each arrives.
// Prints p50/p90/p99/max; never fails on time.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/logger.hpp"
#include "logcollector/change_waiter.hpp"
#include "logcollector/clock.hpp"
#include "logcollector/log_collector.hpp"
#include "pal/file_watcher.hpp"

namespace {

using namespace logcollector;
using Clock = std::chrono::steady_clock;

std::int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               Clock::now().time_since_epoch())
        .count();
}

// Notes each line's latency: the line is its write time in microseconds.
class TimingSink final : public EventSink {
public:
    bool offer(char, std::string_view, std::string_view text) override {
        const auto written = std::stoll(std::string(text));
        std::lock_guard lock(mutex);
        latencies_us.push_back(now_us() - written);
        return true;
    }
    bool drained() const override { return true; }
    std::size_t count() {
        std::lock_guard lock(mutex);
        return latencies_us.size();
    }

    std::mutex mutex;
    std::vector<std::int64_t> latencies_us;
};

void print_percentiles(const char* what, std::vector<std::int64_t> values) {
    if (values.empty()) {
        std::printf("%s: no lines arrived\n", what);
        return;
    }
    std::sort(values.begin(), values.end());
    auto at = [&](double p) {
        return values[std::min(values.size() - 1, static_cast<std::size_t>(p * values.size()))];
    };
    std::printf("%-28s %5zu lines  p50 %8.3f ms  p90 %8.3f ms  p99 %8.3f ms  max %8.3f ms\n",
                what, values.size(), at(0.50) / 1e3, at(0.90) / 1e3, at(0.99) / 1e3,
                values.back() / 1e3);
}

void run(const char* what, pal::FileWatcher* watcher, const std::filesystem::path& dir,
         core::Logger& logger, int lines) {
    const auto log = dir / (std::string(watcher ? "watched" : "polled") + ".log");
    std::ofstream(log, std::ios::trunc).flush();

    SteadyClock clock;
    TimingSink sink;
    PositionStore store(dir / "positions");
    LogCollector collector({TailSpec{log.string(), '1', true}}, store, {}, sink, clock,
                           logger);
    collector.start();
    ChangeWaiter waiter(watcher, {}, logger);
    std::atomic<bool> stop{false};
    std::thread loop([&] {
        bool more = false;
        while (!stop) {
            waiter.watch(collector.watch_directories());
            if (waiter.wait(more)) {
                collector.rescan_soon();
            }
            more = collector.step();
        }
    });

    std::ofstream out(log, std::ios::binary | std::ios::app);
    for (int i = 0; i < lines; ++i) {
        out << now_us() << '\n';
        out.flush();  // one write() per line
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (sink.count() < static_cast<std::size_t>(lines) && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    stop = true;
    waiter.wake();
    loop.join();
    print_percentiles(what, sink.latencies_us);
}

}  // namespace

int main(int argc, char** argv) {
    const int lines = argc > 1 ? std::atoi(argv[1]) : 1000;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("lc-latency-" + std::to_string(now_us()));
    std::filesystem::create_directories(dir);
    core::Logger logger("logcollector_latency_bench", dir / "ossec.log", false, 0);

    std::error_code ec;
    const auto watcher = pal::create_file_watcher(ec);
    if (!watcher) {
        std::printf("no file watcher on this OS: %s\n", ec.message().c_str());
    } else {
        run("directory watch (1 s poll):", watcher.get(), dir, logger, lines);
    }
    run("polling only (100 ms):", nullptr, dir, logger, lines / 4);
    std::filesystem::remove_all(dir);
    return 0;
}
