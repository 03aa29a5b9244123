// Process-wide metrics, rendered as Prometheus text by GET /metrics.
//
// Counters and histograms are lock-free (relaxed atomics) and safe from any thread. Hot
// paths add once per batch, not once per recipient: the hub adds a delivery's recipient
// count in one add. Metrics are registered once (function-local statics in the module that
// owns them) and live for the whole process.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace parley::metrics {

class Counter {
 public:
  void Add(int64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// Cumulative-bucket histogram with fixed upper bounds (Prometheus "le").
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double v);
  const std::vector<double>& bounds() const { return bounds_; }
  // Per-bucket (non-cumulative) counts; the last one is +Inf.
  std::vector<int64_t> counts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<int64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

class Registry {
 public:
  Registry();
  ~Registry();
  Counter& AddCounter(std::string name, std::string help);
  Histogram& AddHistogram(std::string name, std::string help, std::vector<double> bounds);
  // A value read when rendering (connections open, rooms loaded, ...). With `monotonic`
  // it is rendered as a counter (a total kept elsewhere).
  void AddGauge(std::string name, std::string help, std::function<double()> read,
                bool monotonic = false);
  std::string Render() const;

 private:
  struct Entry;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

Registry& Default();

}  // namespace parley::metrics
