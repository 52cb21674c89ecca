// A fixed set of threads that run one batch of independent jobs at a time. start() returns at once;
// the thread that finishes the batch's last job calls its `done`. The threads are joined in the
// destructor, which first waits for a batch in flight.
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
    for (int i = 0; i < threads; i++) threads_.emplace_back([this] { loop(); });
  }

  ~WorkerPool() {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      idle_.wait(lock, [this] { return busyThreads_ == 0; });
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /** Calls job(i) for every i in [0, count) across the threads, then done() on the last one to finish. */
  void start(int count, std::function<void(int)> job, std::function<void()> done) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = std::move(job);
      done_ = std::move(done);
      count_ = count;
      next_.store(0);
      busyThreads_ = static_cast<int>(threads_.size());
      generation_++;
    }
    wake_.notify_all();
  }

 private:
  void loop() {
    unsigned long seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
      }
      for (int i = next_.fetch_add(1); i < count_; i = next_.fetch_add(1)) job_(i);
      std::function<void()> done;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (--busyThreads_ == 0) done = std::move(done_);
      }
      if (done) {
        done();
        std::lock_guard<std::mutex> lock(mutex_);
        idle_.notify_all();
      }
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::function<void(int)> job_;
  std::function<void()> done_;
  int count_ = 0;
  std::atomic<int> next_{0};
  int busyThreads_ = 0;
  unsigned long generation_ = 0;
  bool stopping_ = false;
};

}  // namespace distill
