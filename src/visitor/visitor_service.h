// VisitorService: visitor analytics per domain (seed 003's VisitorTracker), as actors across
// shards. Each domain has a home shard (FNV-1a of its id mod shards); every operation on a
// domain is posted there and runs in order on that thread, so a DomainVisitors is only
// ever touched by one thread. A domain is loaded from the VisitorStore on first use
// (operations queue meanwhile; the shard never blocks on disk) and unloaded once it has
// had no current visitor for unload_after_s.
//
// Each shard sweeps its domains once a second, so a visitor that stops heart-beating is
// gone within a second of the timeout even when nobody asks.
//
// Thread: every method is called on a shard thread; `done` runs on that same shard.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "net/shard.h"
#include "visitor/domain_visitors.h"
#include "visitor/visitor_store.h"

namespace parley::visitor {

struct VisitorServiceOptions {
  VisitorOptions domain;
  int max_domains = 10000;  // domains in memory; overflow: domain_limit for a new domain
  int unload_after_s = 60;  // a domain without current visitors is unloaded after this
};

// The answer to an add/remove/heartbeat: the visitor (add) and the domain's counts.
struct VisitorChange {
  Visitor visitor{};  // add only
  int active = 0;
  int64_t total_unique = 0;
};

class VisitorService {
 public:
  using ChangeDone = std::function<void(Result<VisitorChange>)>;
  using StatsDone = std::function<void(Result<DomainStats>)>;

  VisitorService(std::vector<net::Shard*> shards, VisitorStore& store, const Clock& clock,
                 VisitorServiceOptions options);
  ~VisitorService();

  // Installs the per-shard sweepers. Call once the shards run.
  void Start();

  // Adds the visitor, or refreshes it when current (a heartbeat). Errors: domain_limit,
  // visitor_limit, unavailable (the store failed).
  void Add(const std::string& domain, std::string visitor_id, std::string data, std::string page,
           std::string user_agent, ChangeDone done);
  // Errors: not_found (not a current visitor), domain_limit, unavailable.
  void Remove(const std::string& domain, std::string visitor_id, ChangeDone done);
  // A heartbeat that changes nothing else. Errors as Remove.
  void Touch(const std::string& domain, std::string visitor_id, ChangeDone done);
  // Errors: domain_limit, unavailable.
  void Stats(const std::string& domain, StatsDone done);

  int64_t live_domains() const { return live_domains_.load(std::memory_order_relaxed); }

 private:
  class PerShard;
  // Runs `op` on `domain`'s home shard once it is loaded; nullptr with `status` when it
  // cannot be (limit, store failure).
  void OnDomain(const std::string& domain, std::function<void(DomainVisitors*, const Status&)> op);
  // Remove and Touch: applies `change` to one known visitor; not_found when it is not there.
  void ChangeVisitor(const std::string& domain, std::string visitor_id,
                     bool (DomainVisitors::*change)(const std::string&), ChangeDone done);

  std::vector<net::Shard*> shards_;
  VisitorStore& store_;
  const Clock& clock_;
  const VisitorServiceOptions options_;
  std::vector<std::unique_ptr<PerShard>> per_shard_;
  std::atomic<int64_t> live_domains_{0};
};

}  // namespace parley::visitor
