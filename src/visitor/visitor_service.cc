#include "visitor/visitor_service.h"

#include <unordered_map>

#include "base/hash.h"
#include "base/log.h"
#include "base/metrics.h"
#include "net/timer_wheel.h"

namespace parley::visitor {
namespace {

metrics::Counter& Expired() {
  static auto& c =
      metrics::Default().AddCounter("parley_visitors_expired_total",
                                    "Visitors dropped for not heart-beating within the timeout.");
  return c;
}

// Runs `fn` on the caller's shard (now, when there is none: a test's thread).
template <typename Fn>
void Back(net::Shard* caller, Fn fn) {
  if (caller == nullptr) return fn();
  caller->Dispatch(std::move(fn));
}

}  // namespace

// The domains whose home is one shard. Touched only on that shard's thread.
class VisitorService::PerShard final : public net::TimerNode {
 public:
  using Op = std::function<void(DomainVisitors*, const Status&)>;

  PerShard(VisitorService& svc, net::Shard& shard) : svc_(svc), shard_(shard) {}

  void WithDomain(const std::string& name, Op op) {
    auto it = domains_.find(name);
    if (it != domains_.end()) {
      Slot& slot = it->second;
      slot.idle_ticks = 0;
      if (slot.domain) return op(slot.domain.get(), Status::Ok());
      slot.pending.push_back(std::move(op));
      return;
    }
    if (svc_.live_domains_.load(std::memory_order_relaxed) >= svc_.options_.max_domains) {
      PARLEY_LOG_WARN("domain_limit domain_count={}", svc_.live_domains_.load());
      return op(nullptr, Status(ErrorCode::kDomainLimit,
                                "The server is tracking as many domains as it may."));
    }
    svc_.live_domains_.fetch_add(1, std::memory_order_relaxed);
    domains_[name].pending.push_back(std::move(op));
    const int64_t day_start = DayOf(svc_.clock_.NowMs()) * 86'400'000;
    svc_.store_.Load(name, day_start, [this, name](Result<DomainHistory> h) {
      shard_.Post([this, name, h = std::move(h)]() mutable { OnLoaded(name, std::move(h)); });
    });
  }

  void StartSweeping() { shard_.wheel().Schedule(*this, 1); }

 private:
  struct Slot {
    std::unique_ptr<DomainVisitors> domain;  // null while loading
    std::vector<Op> pending;
    int idle_ticks = 0;  // sweeps in a row without a current visitor
  };

  void OnLoaded(const std::string& name, Result<DomainHistory> h) {
    auto it = domains_.find(name);
    if (it == domains_.end()) return;
    auto pending = std::move(it->second.pending);
    if (!h.ok()) {
      PARLEY_LOG_ERROR("visitor_domain_load_failed error=\"{}\"", h.status().message());
      domains_.erase(it);
      svc_.live_domains_.fetch_sub(1, std::memory_order_relaxed);
      const Status st(ErrorCode::kUnavailable, "Visitor data is unavailable right now; try again.");
      for (auto& op : pending) op(nullptr, st);
      return;
    }
    it->second.domain = std::make_unique<DomainVisitors>(name, svc_.options_.domain, svc_.clock_);
    it->second.domain->Restore(std::move(h.value()));
    for (auto& op : pending) {
      // An op may not remove the slot (only the sweep does), so `it` stays valid.
      op(it->second.domain.get(), Status::Ok());
    }
  }

  void OnTimeout() override {
    for (auto it = domains_.begin(); it != domains_.end();) {
      Slot& slot = it->second;
      if (slot.domain) {
        Expired().Add(slot.domain->Expire());
        if (slot.domain->active() == 0 && ++slot.idle_ticks >= svc_.options_.unload_after_s) {
          it = domains_.erase(it);
          svc_.live_domains_.fetch_sub(1, std::memory_order_relaxed);
          continue;
        }
        if (slot.domain->active() > 0) slot.idle_ticks = 0;
      }
      ++it;
    }
    StartSweeping();
  }

  VisitorService& svc_;
  net::Shard& shard_;
  std::unordered_map<std::string, Slot> domains_;
};

VisitorService::VisitorService(std::vector<net::Shard*> shards, VisitorStore& store,
                               const Clock& clock, VisitorServiceOptions options)
    : shards_(std::move(shards)), store_(store), clock_(clock), options_(std::move(options)) {
  for (net::Shard* s : shards_) per_shard_.push_back(std::make_unique<PerShard>(*this, *s));
}

VisitorService::~VisitorService() = default;

void VisitorService::Start() {
  for (size_t i = 0; i < shards_.size(); ++i) {
    PerShard* ps = per_shard_[i].get();
    shards_[i]->Post([ps] { ps->StartSweeping(); });
  }
}

void VisitorService::OnDomain(const std::string& domain,
                              std::function<void(DomainVisitors*, const Status&)> op) {
  const auto home = static_cast<size_t>(Fnv1a(domain) % shards_.size());
  PerShard* ps = per_shard_[home].get();
  shards_[home]->Dispatch(
      [ps, domain, op = std::move(op)]() mutable { ps->WithDomain(domain, std::move(op)); });
}

void VisitorService::Add(const std::string& domain, std::string visitor_id, std::string data,
                         std::string page, std::string user_agent, ChangeDone done) {
  net::Shard* caller = net::Shard::Current();
  OnDomain(domain, [this, caller, domain, id = std::move(visitor_id), data = std::move(data),
                    page = std::move(page), ua = std::move(user_agent),
                    done = std::move(done)](DomainVisitors* d, const Status& st) mutable {
    if (d == nullptr) return Back(caller, [done, st] { done(st); });
    auto added = d->Add(id, std::move(data), std::move(page), std::move(ua));
    if (!added.ok()) return Back(caller, [done, st = added.status()] { done(st); });
    VisitorChange change{.visitor = added->visitor};
    if (!added->first_today) {
      change.active = d->active();
      change.total_unique = d->total_unique();
      return Back(caller, [done, change = std::move(change)] { done(change); });
    }
    // A first visit today: the store says whether it is a first visit ever, then the home
    // shard counts it and answers.
    net::Shard* home = net::Shard::Current();
    store_.Seen(
        domain, id, clock_.NowMs(),
        [this, home, caller, domain, change = std::move(change),
         done = std::move(done)](Result<bool> first_ever) mutable {
          Back(home, [this, caller, domain, first_ever, change = std::move(change),
                      done = std::move(done)]() mutable {
            OnDomain(domain, [caller, first_ever, change = std::move(change),
                              done = std::move(done)](DomainVisitors* d, const Status& st) mutable {
              if (d != nullptr && first_ever.ok() && *first_ever) d->CountNewVisitor();
              if (d != nullptr) {
                change.active = d->active();
                change.total_unique = d->total_unique();
              }
              Back(caller, [done, change = std::move(change), st] {
                done(st.ok() ? Result<VisitorChange>(change) : Result<VisitorChange>(st));
              });
            });
          });
        });
  });
}

void VisitorService::Remove(const std::string& domain, std::string visitor_id, ChangeDone done) {
  ChangeVisitor(domain, std::move(visitor_id), &DomainVisitors::Remove, std::move(done));
}

void VisitorService::Touch(const std::string& domain, std::string visitor_id, ChangeDone done) {
  ChangeVisitor(domain, std::move(visitor_id), &DomainVisitors::Touch, std::move(done));
}

void VisitorService::ChangeVisitor(const std::string& domain, std::string visitor_id,
                                   bool (DomainVisitors::*change)(const std::string&),
                                   ChangeDone done) {
  net::Shard* caller = net::Shard::Current();
  OnDomain(domain, [caller, change, id = std::move(visitor_id), done = std::move(done)](
                       DomainVisitors* d, const Status& st) mutable {
    Result<VisitorChange> r = Status(ErrorCode::kNotFound, "Visitor not found.");
    if (d == nullptr) {
      r = st;
    } else if ((d->*change)(id)) {
      r = VisitorChange{.active = d->active(), .total_unique = d->total_unique()};
    }
    Back(caller, [done = std::move(done), r = std::move(r)] { done(r); });
  });
}

void VisitorService::Stats(const std::string& domain, StatsDone done) {
  net::Shard* caller = net::Shard::Current();
  OnDomain(domain, [caller, done = std::move(done)](DomainVisitors* d, const Status& st) mutable {
    Result<DomainStats> r = d == nullptr ? Result<DomainStats>(st) : d->Stats();
    Back(caller, [done = std::move(done), r = std::move(r)] { done(r); });
  });
}

}  // namespace parley::visitor
