// A fixed set of threads that runs batches: run(count, task) calls task(i)
// for every i in [0, count) spread over the threads and returns when all
// are done. Bounded by construction: never more than `threads` tasks run
// at once. One run() at a time (callers are not synchronised); task must
// not throw.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace syscheck {

class WorkerPool {
public:
    explicit WorkerPool(std::size_t threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void run(std::size_t count, const std::function<void(std::size_t)>& task);
    std::size_t size() const { return threads_.size(); }

private:
    void work();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    const std::function<void(std::size_t)>* task_ = nullptr;
    std::size_t count_ = 0;
    std::size_t next_ = 0;
    std::size_t finished_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace syscheck
