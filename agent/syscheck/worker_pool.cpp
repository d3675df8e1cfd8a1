#include "syscheck/worker_pool.hpp"

#include <algorithm>

namespace syscheck {

WorkerPool::WorkerPool(std::size_t threads) {
    threads = std::max<std::size_t>(threads, 1);
    for (std::size_t i = 0; i < threads; ++i) {
        threads_.emplace_back([this] { work(); });
    }
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) {
        thread.join();
    }
}

void WorkerPool::run(std::size_t count, const std::function<void(std::size_t)>& task) {
    if (count == 0) {
        return;
    }
    std::unique_lock lock(mutex_);
    task_ = &task;
    count_ = count;
    next_ = 0;
    finished_ = 0;
    wake_.notify_all();
    done_.wait(lock, [this] { return finished_ == count_; });
    task_ = nullptr;
}

void WorkerPool::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || (task_ && next_ < count_); });
        if (stopping_) {
            return;
        }
        const std::size_t index = next_++;
        const auto* task = task_;
        lock.unlock();
        (*task)(index);
        lock.lock();
        if (++finished_ == count_) {
            done_.notify_one();
        }
    }
}

}  // namespace syscheck
