// A fixed set of threads that run one batch of independent jobs at a time. The thread that calls
// run() works too, so `threads` counts it; the helpers are joined in the destructor.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace distill {

class WorkerPool {
 public:
  explicit WorkerPool(int threads) {
    for (int i = 1; i < threads; i++) helpers_.emplace_back([this] { helperLoop(); });
  }

  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : helpers_) t.join();
  }

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /** Calls job(i) for every i in [0, count) across the threads; returns when all are done. */
  void run(int count, const std::function<void(int)>& job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &job;
      count_ = count;
      next_.store(0);
      busyHelpers_ = static_cast<int>(helpers_.size());
      generation_++;
    }
    wake_.notify_all();
    work(job, count);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return busyHelpers_ == 0; });
    job_ = nullptr;
  }

 private:
  void work(const std::function<void(int)>& job, int count) {
    for (int i = next_.fetch_add(1); i < count; i = next_.fetch_add(1)) job(i);
  }

  void helperLoop() {
    unsigned long seen = 0;
    for (;;) {
      const std::function<void(int)>* job;
      int count;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        job = job_;
        count = count_;
      }
      work(*job, count);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        busyHelpers_--;
      }
      done_.notify_one();
    }
  }

  std::vector<std::thread> helpers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  int count_ = 0;
  std::atomic<int> next_{0};
  int busyHelpers_ = 0;
  unsigned long generation_ = 0;
  bool stopping_ = false;
};

}  // namespace distill
