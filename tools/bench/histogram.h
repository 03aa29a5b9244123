// Histogram: a log-linear latency histogram in the style of HdrHistogram, with two
// significant decimal digits (every bucket is under 1% wide) from 1 to 2^37 units.
//
// parley-bench records microseconds. One histogram per thread (no locks); Merge() adds
// another's counts, so per-thread histograms combine into one at the end of a run.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::bench {

class Histogram {
 public:
  Histogram();

  // Records one value; values below 1 count as 1, values above the range as the top.
  void Record(uint64_t value) { RecordN(value, 1); }
  void RecordN(uint64_t value, uint64_t count);
  // Adds every count of `other` to this one.
  void Merge(const Histogram& other);
  void Reset();

  uint64_t count() const { return total_; }
  uint64_t max() const { return max_; }
  uint64_t min() const { return total_ == 0 ? 0 : min_; }

  // The value at percentile `p` (0..100): the highest value equivalent to the bucket that
  // holds the ceil(p% * count)-th smallest value, never above max(). 0 when empty.
  uint64_t Percentile(double p) const;

  // A compact text form ("index:count ..." of the non-empty buckets plus min and max) to
  // carry a histogram between processes; FromText(ToText()) equals the original.
  std::string ToText() const;
  static bool FromText(std::string_view text, Histogram* out);

  // Bucket arithmetic, public for tests.
  static size_t IndexOf(uint64_t value);
  static uint64_t HighestEquivalent(size_t index);

 private:
  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
  uint64_t max_ = 0;
  uint64_t min_ = UINT64_MAX;
};

}  // namespace parley::bench
