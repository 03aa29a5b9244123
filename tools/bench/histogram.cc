#include "histogram.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>

namespace parley::bench {
namespace {

// Values below kSubBuckets are exact; above, each power of two is split into kHalf
// linear buckets (128 buckets per doubling: under 1% apart, i.e. 2 significant digits).
constexpr int kSubBits = 8;
constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBits;  // 256
constexpr uint64_t kHalf = kSubBuckets / 2;                // 128
constexpr int kMaxExponent = 30;                           // top value ~2^37
constexpr size_t kBucketCount = kSubBuckets + kMaxExponent * kHalf;

}  // namespace

Histogram::Histogram() : counts_(kBucketCount, 0) {}

size_t Histogram::IndexOf(uint64_t value) {
  if (value < kSubBuckets) return static_cast<size_t>(value);
  const int shift = std::bit_width(value) - kSubBits;  // value >> shift is in [128, 256)
  if (shift > kMaxExponent) return kBucketCount - 1;
  return static_cast<size_t>(kSubBuckets + (shift - 1) * kHalf + ((value >> shift) - kHalf));
}

uint64_t Histogram::HighestEquivalent(size_t index) {
  if (index < kSubBuckets) return index;
  const size_t above = index - kSubBuckets;
  const int shift = static_cast<int>(above / kHalf) + 1;
  const uint64_t sub = kHalf + above % kHalf;
  return ((sub + 1) << shift) - 1;
}

void Histogram::RecordN(uint64_t value, uint64_t count) {
  if (count == 0) return;
  if (value == 0) value = 1;
  counts_[IndexOf(value)] += count;
  total_ += count;
  max_ = std::max(max_, value);
  min_ = std::min(min_, value);
}

void Histogram::Merge(const Histogram& other) {
  for (size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  max_ = std::max(max_, other.max_);
  min_ = std::min(min_, other.min_);
}

void Histogram::Reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = 0;
  max_ = 0;
  min_ = UINT64_MAX;
}

uint64_t Histogram::Percentile(double p) const {
  if (total_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  // The relative slack keeps binary rounding (0.999 * 1000 = 999.0000000000001) from
  // moving the rank up by one.
  const double exact = p / 100.0 * static_cast<double>(total_);
  uint64_t rank = static_cast<uint64_t>(std::ceil(exact * (1 - 1e-12)));
  rank = std::clamp<uint64_t>(rank, 1, total_);
  uint64_t seen = 0;
  for (size_t i = 0; i < kBucketCount; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(HighestEquivalent(i), max_);
  }
  return max_;
}

std::string Histogram::ToText() const {
  std::string out = std::to_string(min_) + " " + std::to_string(max_);
  for (size_t i = 0; i < kBucketCount; ++i) {
    if (counts_[i] == 0) continue;
    out += ' ';
    out += std::to_string(i);
    out += ':';
    out += std::to_string(counts_[i]);
  }
  return out;
}

bool Histogram::FromText(std::string_view text, Histogram* out) {
  out->Reset();
  const char* p = text.data();
  const char* end = text.data() + text.size();
  auto skip_spaces = [&] {
    while (p < end && *p == ' ') ++p;
  };
  auto number = [&](uint64_t* v) {
    auto [next, ec] = std::from_chars(p, end, *v);
    if (ec != std::errc()) return false;
    p = next;
    return true;
  };
  uint64_t min = 0, max = 0;
  skip_spaces();
  if (!number(&min)) return false;
  skip_spaces();
  if (!number(&max)) return false;
  while (true) {
    skip_spaces();
    if (p == end) break;
    uint64_t index = 0, count = 0;
    if (!number(&index) || p == end || *p != ':') return false;
    ++p;
    if (!number(&count) || index >= kBucketCount) return false;
    out->counts_[index] += count;
    out->total_ += count;
  }
  out->min_ = min;
  out->max_ = max;
  return true;
}

}  // namespace parley::bench
