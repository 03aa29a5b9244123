// Result: what one parley-bench run measured, and its two renderings: a human summary
// and one JSON object (the shape the benchmark orchestration reads).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "histogram.h"

namespace parley::bench {

struct LatencySummary {
  uint64_t count = 0;
  uint64_t p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;  // microseconds
  static LatencySummary Of(const Histogram& h);
};

// One step of a fanout --step-up run.
struct StepResult {
  double rate = 0;  // messages/s offered
  double duration_s = 0;
  uint64_t sent = 0;
  uint64_t deliveries = 0;
  uint64_t expected_deliveries = 0;
  double deliveries_per_s = 0;
  LatencySummary latency;
  uint64_t drops = 0;
  std::optional<double> server_cpu_s;
  double generator_cpu_s = 0;
  bool sustained = false;  // p99 and delivery ratio within the limits
  // durable: acknowledgements of the messages sent in the window (the step's unit).
  std::optional<uint64_t> acks;
  std::optional<double> acks_per_s;
};

struct Result {
  std::string scenario;
  std::string label;
  // Parameters as (name, JSON literal) pairs, in the order given.
  std::vector<std::pair<std::string, std::string>> params;
  double duration_s = 0;
  uint64_t sent = 0;
  uint64_t deliveries = 0;
  double deliveries_per_s = 0;
  uint64_t expected_deliveries = 0;
  LatencySummary latency;
  uint64_t connect_errors = 0;
  uint64_t drops = 0;
  uint64_t reorders = 0;
  uint64_t closed_by_server = 0;
  uint64_t error_frames = 0;
  uint64_t send_skipped = 0;
  uint64_t connections = 0;  // persistent connections that joined
  std::optional<double> server_cpu_s;
  std::optional<long> server_rss_kb;  // at the end of the measured window
  std::optional<long> server_rss_before_kb;
  double generator_cpu_s = 0;
  long nofile_limit = 0;
  std::vector<StepResult> steps;
  std::optional<double> best_deliveries_per_s;  // step-up: highest sustained step
  std::optional<double> upgrades_per_s;
  std::optional<double> joins_per_s;
  std::optional<double> rss_per_connection_bytes;
  // durable: acknowledged messages (of those sent in the window), and the send-to-chat
  // latency on every member (`latency` is the send-to-ack latency).
  std::optional<uint64_t> acks;
  std::optional<double> acks_per_s;
  std::optional<LatencySummary> delivery_latency;
  // match: matches made in the window (two matched frames each); `latency` is search to
  // matched.
  std::optional<uint64_t> matches;
  std::optional<double> matches_per_s;
  // match --expiry-probes: probes judged right and wrong, and those that could not be
  // judged (see expiry_probe.h); `expiry_detail` has one line per probe.
  std::optional<int> expiry_correct;
  std::optional<int> expiry_wrong;
  std::optional<int> expiry_inconclusive;
  std::string expiry_detail;
};

// CPU microseconds per unit of work: per ack (durable), match (match), delivery, upgrade or
// join, the first the result has.
double PerUnitUs(double cpu_s, uint64_t units);

std::string FormatHuman(const Result& r);
std::string FormatJson(const Result& r);

// Quotes `s` as a JSON string.
std::string JsonString(const std::string& s);
// A JSON number: integral values without a fraction, others with three decimals.
std::string JsonNumber(double v);

}  // namespace parley::bench
