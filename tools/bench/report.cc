#include "report.h"

#include <fmt/format.h>

namespace parley::bench {
namespace {

std::string Num(double v) { return JsonNumber(v); }

std::string LatencyJson(const LatencySummary& l) {
  return fmt::format(R"({{"p50":{},"p90":{},"p99":{},"p999":{},"max":{},"count":{}}})", l.p50,
                     l.p90, l.p99, l.p999, l.max, l.count);
}

template <typename T>
std::string Opt(const std::optional<T>& v) {
  if (!v) return "null";
  return Num(static_cast<double>(*v));
}

// The unit cost when there is something to divide by.
std::optional<double> PerUnit(const std::optional<double>& cpu_s, uint64_t units) {
  if (!cpu_s || units == 0) return std::nullopt;
  return PerUnitUs(*cpu_s, units);
}

uint64_t CostUnits(const Result& r) {
  if (r.acks) return *r.acks;
  if (r.matches) return *r.matches;
  if (r.deliveries > 0) return r.deliveries;
  if (r.upgrades_per_s) return static_cast<uint64_t>(*r.upgrades_per_s * r.duration_s);
  if (r.joins_per_s) return static_cast<uint64_t>(*r.joins_per_s * r.duration_s);
  return 0;
}

const char* CostUnit(const Result& r) {
  if (r.acks) return "ack";
  if (r.matches) return "match";
  if (r.deliveries > 0) return "delivery";
  if (r.upgrades_per_s) return "upgrade";
  if (r.joins_per_s) return "join";
  return "none";
}

}  // namespace

LatencySummary LatencySummary::Of(const Histogram& h) {
  LatencySummary s;
  s.count = h.count();
  s.p50 = h.Percentile(50);
  s.p90 = h.Percentile(90);
  s.p99 = h.Percentile(99);
  s.p999 = h.Percentile(99.9);
  s.max = h.max();
  return s;
}

double PerUnitUs(double cpu_s, uint64_t units) {
  return units == 0 ? 0 : cpu_s * 1e6 / static_cast<double>(units);
}

std::string JsonNumber(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v)) && v < 1e15 && v > -1e15) {
    return fmt::format("{}", static_cast<int64_t>(v));
  }
  return fmt::format("{:.3f}", v);
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string FormatJson(const Result& r) {
  const uint64_t units = CostUnits(r);
  std::string params = "{";
  for (size_t i = 0; i < r.params.size(); ++i) {
    if (i > 0) params += ",";
    params += JsonString(r.params[i].first) + ":" + r.params[i].second;
  }
  params += "}";
  std::string steps = "[";
  for (size_t i = 0; i < r.steps.size(); ++i) {
    const StepResult& s = r.steps[i];
    if (i > 0) steps += ",";
    steps += fmt::format(
        R"({{"rate":{},"duration_s":{},"sent":{},"deliveries":{},"expected_deliveries":{},)"
        R"("deliveries_per_s":{},"latency_us":{},"drops":{},"server_cpu_s":{},)"
        R"("server_cpu_us_per_delivery":{},"generator_cpu_s":{},)"
        R"("generator_cpu_us_per_delivery":{},"sustained":{})",
        Num(s.rate), Num(s.duration_s), s.sent, s.deliveries, s.expected_deliveries,
        Num(s.deliveries_per_s), LatencyJson(s.latency), s.drops, Opt(s.server_cpu_s),
        Opt(PerUnit(s.server_cpu_s, s.deliveries)), Num(s.generator_cpu_s),
        Num(PerUnitUs(s.generator_cpu_s, s.deliveries)), s.sustained ? "true" : "false");
    if (s.acks) {
      steps += fmt::format(R"(,"acks":{},"acks_per_s":{},"server_cpu_us_per_ack":{})", *s.acks,
                           Opt(s.acks_per_s), Opt(PerUnit(s.server_cpu_s, *s.acks)));
    }
    steps += "}";
  }
  steps += "]";
  std::string out = "{";
  out += fmt::format(R"("scenario":{},"label":{},"params":{},"duration_s":{},)",
                     JsonString(r.scenario), JsonString(r.label), params, Num(r.duration_s));
  out +=
      fmt::format(R"("sent":{},"deliveries":{},"deliveries_per_s":{},"expected_deliveries":{},)"
                  R"("latency_us":{},"connect_errors":{},"drops":{},"reorders":{},)"
                  R"("closed_by_server":{},"error_frames":{},"send_skipped":{},"connections":{},)",
                  r.sent, r.deliveries, Num(r.deliveries_per_s), r.expected_deliveries,
                  LatencyJson(r.latency), r.connect_errors, r.drops, r.reorders, r.closed_by_server,
                  r.error_frames, r.send_skipped, r.connections);
  out += fmt::format(
      R"("server_cpu_s":{},"server_cpu_us_per_delivery":{},"server_rss_kb":{},)"
      R"("server_rss_before_kb":{},"generator_cpu_s":{},"generator_cpu_us_per_delivery":{},)"
      R"("cpu_unit":{},"nofile_limit":{},"steps":{},"best_deliveries_per_s":{},)"
      R"("upgrades_per_s":{},"joins_per_s":{},"rss_per_connection_bytes":{}}})",
      Opt(r.server_cpu_s), Opt(PerUnit(r.server_cpu_s, units)), Opt(r.server_rss_kb),
      Opt(r.server_rss_before_kb), Num(r.generator_cpu_s),
      units == 0 ? "null" : Num(PerUnitUs(r.generator_cpu_s, units)), JsonString(CostUnit(r)),
      r.nofile_limit, steps, Opt(r.best_deliveries_per_s), Opt(r.upgrades_per_s),
      Opt(r.joins_per_s), Opt(r.rss_per_connection_bytes));
  // The parley-only figures, present only in the scenarios that measure them.
  out.pop_back();
  if (r.acks) {
    out +=
        fmt::format(R"(,"acks":{},"acks_per_s":{},"delivery_latency_us":{})", *r.acks,
                    Opt(r.acks_per_s), LatencyJson(r.delivery_latency.value_or(LatencySummary{})));
  }
  if (r.matches) {
    out += fmt::format(R"(,"matches":{},"matches_per_s":{})", *r.matches, Opt(r.matches_per_s));
  }
  if (r.expiry_correct) {
    out += fmt::format(R"(,"expiry_probes":{{"correct":{},"wrong":{},"inconclusive":{}}})",
                       *r.expiry_correct, r.expiry_wrong.value_or(0),
                       r.expiry_inconclusive.value_or(0));
  }
  return out + "}";
}

std::string FormatHuman(const Result& r) {
  std::string out = fmt::format("parley-bench {} [{}]  window {:.1f} s  RLIMIT_NOFILE {}\n",
                                r.scenario, r.label, r.duration_s, r.nofile_limit);
  for (const StepResult& s : r.steps) {
    out += fmt::format(
        "  step rate {:>9.0f}/s  deliveries {:>10.0f}/s ({:.1f}% of expected)  p50 {} p99 {} "
        "max {} us  drops {}  {}\n",
        s.rate, s.deliveries_per_s,
        s.expected_deliveries ? 100.0 * s.deliveries / s.expected_deliveries : 0.0, s.latency.p50,
        s.latency.p99, s.latency.max, s.drops, s.sustained ? "ok" : "NOT sustained");
  }
  if (r.best_deliveries_per_s) {
    out += fmt::format("  highest sustained: {:.0f} deliveries/s\n", *r.best_deliveries_per_s);
  }
  out += fmt::format("  connections {}  connect errors {}  closed by server {}  error frames {}\n",
                     r.connections, r.connect_errors, r.closed_by_server, r.error_frames);
  if (r.sent > 0 || r.deliveries > 0) {
    out += fmt::format(
        "  sent {}  deliveries {} ({:.0f}/s, expected {})  drops {}  reorders {}  skipped {}\n",
        r.sent, r.deliveries, r.deliveries_per_s, r.expected_deliveries, r.drops, r.reorders,
        r.send_skipped);
  }
  if (r.acks) {
    out += fmt::format("  acks {} ({:.0f}/s of messages sent in the window)\n", *r.acks,
                       r.acks_per_s.value_or(0));
  }
  if (r.matches) {
    out += fmt::format("  matches {} ({:.0f}/s)\n", *r.matches, r.matches_per_s.value_or(0));
  }
  out += r.expiry_detail;
  if (r.upgrades_per_s) out += fmt::format("  upgrades {:.0f}/s\n", *r.upgrades_per_s);
  if (r.joins_per_s) out += fmt::format("  joins {:.0f}/s\n", *r.joins_per_s);
  const char* unit = CostUnit(r);
  if (r.latency.count > 0) {
    out += fmt::format("  {}latency us: p50 {}  p90 {}  p99 {}  p99.9 {}  max {}  (n={})\n",
                       r.acks      ? "ack "
                       : r.matches ? "match "
                                   : "",
                       r.latency.p50, r.latency.p90, r.latency.p99, r.latency.p999, r.latency.max,
                       r.latency.count);
  }
  if (r.delivery_latency && r.delivery_latency->count > 0) {
    const LatencySummary& d = *r.delivery_latency;
    out += fmt::format("  delivery latency us: p50 {}  p90 {}  p99 {}  p99.9 {}  max {}  (n={})\n",
                       d.p50, d.p90, d.p99, d.p999, d.max, d.count);
  }
  const uint64_t units = CostUnits(r);
  if (r.server_cpu_s) {
    out += fmt::format("  server: cpu {:.2f} s", *r.server_cpu_s);
    if (units) out += fmt::format(" ({:.2f} us/{})", PerUnitUs(*r.server_cpu_s, units), unit);
    if (r.server_rss_kb) out += fmt::format("  rss {} kB", *r.server_rss_kb);
    out += "\n";
  }
  out += fmt::format("  generator: cpu {:.2f} s", r.generator_cpu_s);
  if (units) out += fmt::format(" ({:.2f} us/{})", PerUnitUs(r.generator_cpu_s, units), unit);
  out += "\n";
  if (r.rss_per_connection_bytes) {
    out += fmt::format("  server rss before {} kB, after {} kB: {:.0f} bytes/connection\n",
                       r.server_rss_before_kb.value_or(0), r.server_rss_kb.value_or(0),
                       *r.rss_per_connection_bytes);
  }
  return out;
}

}  // namespace parley::bench
