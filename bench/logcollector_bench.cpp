// Lines per second the log collector reads and frames from a real file,
// for 120-byte and 1 KB lines: once into a sink that only counts (the
// collector's own cost), once through the real local queue to a receiver
// thread (what agentd would see). Prints figures; never fails on time.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "core/logger.hpp"
#include "logcollector/clock.hpp"
#include "logcollector/file_tail.hpp"
#include "logcollector/log_collector.hpp"
#include "logcollector/queue_sink.hpp"
#include "pal/local_queue.hpp"

namespace {

using namespace logcollector;

class CountingSink final : public EventSink {
public:
    bool offer(char, std::string_view, std::string_view text) override {
        ++count;
        bytes += text.size();
        return true;
    }
    bool drained() const override { return true; }
    std::size_t count = 0;
    std::size_t bytes = 0;
};

std::filesystem::path make_file(const std::filesystem::path& dir, std::size_t line_size,
                                std::size_t lines) {
    const auto path = dir / ("bench-" + std::to_string(line_size) + ".log");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    std::mt19937 random(1);
    std::string line(line_size - 1, ' ');
    for (std::size_t i = 0; i < lines; ++i) {
        for (char& c : line) {
            c = static_cast<char>('a' + random() % 26);
        }
        out << line << '\n';
    }
    return path;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void bench_counting(const std::filesystem::path& file, std::size_t line_size,
                    core::Logger& logger) {
    SteadyClock clock;
    CountingSink sink;
    FileTail tail(file.string(), '1', TailOptions{}, sink, clock, logger);
    const auto start = std::chrono::steady_clock::now();
    tail.start(std::nullopt, StartPolicy::kFromStart);
    while (tail.step()) {
    }
    const double elapsed = seconds_since(start);
    std::printf("%5zu-byte lines, counting sink: %9zu lines in %.3f s = %10.0f lines/s "
                "(%.0f MB/s)\n",
                line_size, sink.count, elapsed, sink.count / elapsed,
                sink.bytes / elapsed / 1e6);
}

void bench_queue(const std::filesystem::path& dir, const std::filesystem::path& file,
                 std::size_t line_size, std::size_t lines, core::Logger& logger) {
    const auto queue_path = dir / "queue";
    std::error_code ec;
    auto receiver = pal::bind_queue(queue_path, ec);
    if (!receiver) {
        std::printf("cannot bind a queue: %s\n", ec.message().c_str());
        return;
    }
    std::atomic<std::size_t> received{0};
    std::thread reader([&] {
        std::error_code rec;
        while (received < lines) {
            if (receiver->receive(std::chrono::milliseconds(2000), rec)) {
                ++received;
            } else {
                break;
            }
        }
    });

    SteadyClock clock;
    QueueSink sink([&](std::error_code& e) { return pal::connect_queue(queue_path, e); },
                   queue_path.string(), 10000, std::chrono::milliseconds(100), clock, logger);
    FileTail tail(file.string(), '1', TailOptions{}, sink, clock, logger);
    const auto start = std::chrono::steady_clock::now();
    tail.start(std::nullopt, StartPolicy::kFromStart);
    while (tail.step() || !sink.drained()) {
        sink.flush();
    }
    reader.join();
    const double elapsed = seconds_since(start);
    std::printf("%5zu-byte lines, local queue:   %9zu lines in %.3f s = %10.0f lines/s\n",
                line_size, received.load(), elapsed, received / elapsed);
}

// "VmRSS" or "VmHWM" of this process in kB, from /proc/self/status; -1
// where there is none (not Linux).
long status_kb(const std::string& field) {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(field + ":", 0) == 0) {
            return std::stol(line.substr(field.size() + 1));
        }
    }
    return -1;
}

// Resident memory of a collector following 100 files, each with a few
// lines read, positions saved.
void bench_rss(const std::filesystem::path& dir, core::Logger& logger) {
    constexpr int kFiles = 100;
    const auto logs = dir / "rss";
    std::filesystem::create_directories(logs);
    std::vector<TailSpec> specs;
    for (int i = 0; i < kFiles; ++i) {
        const auto path = logs / ("app" + std::to_string(i) + ".log");
        std::ofstream(path) << "";
        specs.push_back(TailSpec{path.string(), '1', true});
    }
    const long before = status_kb("VmRSS");
    {
        SteadyClock clock;
        CountingSink sink;
        PositionStore store(logs / "positions");
        LogCollector collector(std::move(specs), store, {}, sink, clock, logger);
        collector.start();
        for (int i = 0; i < kFiles; ++i) {
            std::ofstream(logs / ("app" + std::to_string(i) + ".log"), std::ios::app)
                << std::string(119, 'x') << "\n" << std::string(1023, 'y') << "\n";
        }
        while (collector.step()) {
        }
        collector.step();
        collector.save_positions();
        const long after = status_kb("VmRSS");
        if (before < 0 || after < 0) {
            std::printf("RSS: /proc/self/status is not available here\n");
            return;
        }
        std::printf("RSS with %zu files followed (%zu lines read): %ld kB "
                    "(%ld kB before the collector, %ld kB for it; peak %ld kB)\n",
                    collector.file_count(), sink.count, after, before, after - before,
                    status_kb("VmHWM"));
    }
}

}  // namespace

int main() {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("logcollector-bench-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    core::Logger logger("logcollector-bench", dir / "ossec.log", false, 0);
    bench_rss(dir, logger);  // first, before the big runs grow the heap
    for (const auto& [line_size, lines] : {std::pair<std::size_t, std::size_t>{120, 1000000},
                                           std::pair<std::size_t, std::size_t>{1024, 200000}}) {
        const auto file = make_file(dir, line_size, lines);
        bench_counting(file, line_size, logger);
        bench_queue(dir, file, line_size, lines, logger);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
