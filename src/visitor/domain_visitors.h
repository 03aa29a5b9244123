// DomainVisitors: the visitors of one domain (seed 003's VisitorTracker Durable Object).
//
// A plain class with no I/O and no threads, driven by VisitorService on the domain's home
// shard (or synchronously by a test). It keeps the current visitors (those that added or
// heart-beat within the timeout), the ids seen today (UTC) and the count of distinct
// visitors ever seen. Which visitor is new ever is the store's to say: Add reports a
// visitor first seen today, and the caller reports back with CountNewVisitor when the
// store had never seen it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace parley::visitor {

struct VisitorOptions {
  int64_t timeout_ms = 1'800'000;  // a visitor silent this long is no longer current
  int max_per_domain = 10000;      // current visitors; overflow: visitor_limit, not added
  int top_pages = 10;              // pages listed in the stats
};

struct Visitor {
  std::string id{};
  std::string user_agent{};  // "Unknown" when visitorData has none (as the seed)
  std::string page{};        // may be empty
  std::string data{};        // visitorData as compact JSON; may be empty
  int64_t first_ms = 0;      // when it became current
  int64_t last_ms = 0;       // last add or heartbeat
};

struct PageCount {
  std::string page{};
  int visitors = 0;
  bool operator==(const PageCount&) const = default;
};

struct DomainStats {
  std::string domain{};
  int active = 0;                      // current visitors
  int64_t total_unique = 0;            // distinct visitor ids ever seen
  int64_t unique_today = 0;            // distinct visitor ids seen since 00:00 UTC
  std::vector<PageCount> top_pages{};  // most visited pages among current visitors
  std::vector<Visitor> visitors{};     // current visitors, oldest first
};

// What the store remembers of a domain, loaded before its first use.
struct DomainHistory {
  int64_t total_unique = 0;
  std::vector<std::string> seen_today{};  // ids whose last visit is today (UTC)
};

// The UTC day number of `ms` (days since 1970-01-01).
inline int64_t DayOf(int64_t ms) { return ms >= 0 ? ms / 86'400'000 : (ms + 1) / 86'400'000 - 1; }

class DomainVisitors {
 public:
  DomainVisitors(std::string domain, const VisitorOptions& options, const Clock& clock);

  void Restore(DomainHistory history);

  struct Added {
    bool first_today = false;  // not seen today before: the store must record it
    Visitor visitor{};
  };
  // Adds a visitor, or refreshes it (a heartbeat) when it is current: its data, page and
  // user agent are replaced by the new ones when given. Errors: visitor_limit.
  Result<Added> Add(const std::string& id, std::string data, std::string page,
                    std::string user_agent);
  // Heartbeat. False when the visitor is not current.
  bool Touch(const std::string& id);
  // False when the visitor is not current.
  bool Remove(const std::string& id);
  // The store recorded a visitor it had never seen.
  void CountNewVisitor() { ++total_unique_; }
  // Drops visitors silent for the timeout; returns how many.
  int Expire();

  DomainStats Stats();
  // Current visitors, counted without expiring any (Stats and every change expire first).
  int active() const { return static_cast<int>(current_.size()); }
  int64_t total_unique() const { return total_unique_; }
  const std::string& domain() const { return domain_; }

 private:
  void RollDay();

  const std::string domain_;
  const VisitorOptions options_;
  const Clock& clock_;
  std::unordered_map<std::string, Visitor> current_;
  std::unordered_set<std::string> seen_today_;
  int64_t today_ = 0;
  int64_t total_unique_ = 0;
};

}  // namespace parley::visitor
