#include "base/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace parley::metrics {

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      counts_(std::make_unique<std::atomic<int64_t>[]>(bounds_.size() + 1)) {
  std::sort(bounds_.begin(), bounds_.end());
}

void Histogram::Observe(double v) {
  const size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  double old = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(old, old + v, std::memory_order_relaxed)) {
  }
}

std::vector<int64_t> Histogram::counts() const {
  std::vector<int64_t> out(bounds_.size() + 1);
  for (size_t i = 0; i < out.size(); ++i) out[i] = counts_[i].load(std::memory_order_relaxed);
  return out;
}

struct Registry::Entry {
  std::string name;
  std::string help;
  std::unique_ptr<Counter> counter;
  std::unique_ptr<Histogram> histogram;
  std::function<double()> gauge;
  bool monotonic = false;
};

Registry::Registry() = default;
Registry::~Registry() = default;

Counter& Registry::AddCounter(std::string name, std::string help) {
  std::lock_guard lock(mu_);
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->counter = std::make_unique<Counter>();
  entries_.push_back(std::move(e));
  return *entries_.back()->counter;
}

Histogram& Registry::AddHistogram(std::string name, std::string help, std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->histogram = std::make_unique<Histogram>(std::move(bounds));
  entries_.push_back(std::move(e));
  return *entries_.back()->histogram;
}

void Registry::AddGauge(std::string name, std::string help, std::function<double()> read,
                        bool monotonic) {
  std::lock_guard lock(mu_);
  auto e = std::make_unique<Entry>();
  e->monotonic = monotonic;
  e->name = std::move(name);
  e->help = std::move(help);
  e->gauge = std::move(read);
  entries_.push_back(std::move(e));
}

std::string Registry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  auto it = std::back_inserter(out);
  for (const auto& e : entries_) {
    fmt::format_to(it, "# HELP {} {}\n", e->name, e->help);
    if (e->counter) {
      fmt::format_to(it, "# TYPE {} counter\n{} {}\n", e->name, e->name, e->counter->value());
    } else if (e->gauge) {
      fmt::format_to(it, "# TYPE {} {}\n{} {}\n", e->name, e->monotonic ? "counter" : "gauge",
                     e->name, e->gauge());
    } else {
      fmt::format_to(it, "# TYPE {} histogram\n", e->name);
      const auto counts = e->histogram->counts();
      const auto& bounds = e->histogram->bounds();
      int64_t cumulative = 0;
      for (size_t i = 0; i < bounds.size(); ++i) {
        cumulative += counts[i];
        fmt::format_to(it, "{}_bucket{{le=\"{}\"}} {}\n", e->name, bounds[i], cumulative);
      }
      cumulative += counts.back();
      fmt::format_to(it, "{}_bucket{{le=\"+Inf\"}} {}\n{}_sum {}\n{}_count {}\n", e->name,
                     cumulative, e->name, e->histogram->sum(), e->name, cumulative);
    }
  }
  return out;
}

Registry& Default() {
  static Registry* registry = new Registry();  // never destroyed: read until exit
  return *registry;
}

}  // namespace parley::metrics
