#include "visitor/domain_visitors.h"

#include <algorithm>

namespace parley::visitor {

DomainVisitors::DomainVisitors(std::string domain, const VisitorOptions& options,
                               const Clock& clock)
    : domain_(std::move(domain)), options_(options), clock_(clock), today_(DayOf(clock.NowMs())) {}

void DomainVisitors::Restore(DomainHistory history) {
  total_unique_ = history.total_unique;
  for (auto& id : history.seen_today) seen_today_.insert(std::move(id));
}

void DomainVisitors::RollDay() {
  const int64_t day = DayOf(clock_.NowMs());
  if (day == today_) return;
  today_ = day;
  // A current visitor counts for the new day at its next add (heartbeat), which is then a
  // first visit today and refreshes its day in the store.
  seen_today_.clear();
}

Result<DomainVisitors::Added> DomainVisitors::Add(const std::string& id, std::string data,
                                                  std::string page, std::string user_agent) {
  RollDay();
  Expire();
  const int64_t now = clock_.NowMs();
  auto it = current_.find(id);
  if (it == current_.end()) {
    if (static_cast<int>(current_.size()) >= options_.max_per_domain) {
      return Status(ErrorCode::kVisitorLimit,
                    "This domain has reached its limit of current visitors.");
    }
    it = current_.emplace(id, Visitor{.id = id, .user_agent = "Unknown", .first_ms = now}).first;
  }
  Visitor& v = it->second;
  v.last_ms = now;
  if (!data.empty()) v.data = std::move(data);
  if (!page.empty()) v.page = std::move(page);
  if (!user_agent.empty()) v.user_agent = std::move(user_agent);
  const bool first_today = seen_today_.insert(id).second;
  return Added{.first_today = first_today, .visitor = v};
}

bool DomainVisitors::Touch(const std::string& id) {
  Expire();
  auto it = current_.find(id);
  if (it == current_.end()) return false;
  it->second.last_ms = clock_.NowMs();
  return true;
}

bool DomainVisitors::Remove(const std::string& id) {
  Expire();
  return current_.erase(id) > 0;
}

int DomainVisitors::Expire() {
  const int64_t cutoff = clock_.NowMs() - options_.timeout_ms;
  return static_cast<int>(
      std::erase_if(current_, [cutoff](const auto& kv) { return kv.second.last_ms <= cutoff; }));
}

DomainStats DomainVisitors::Stats() {
  RollDay();
  Expire();
  DomainStats s;
  s.domain = domain_;
  s.active = active();
  s.total_unique = total_unique_;
  s.unique_today = static_cast<int64_t>(seen_today_.size());
  std::unordered_map<std::string, int> pages;
  s.visitors.reserve(current_.size());
  for (const auto& [id, v] : current_) {
    s.visitors.push_back(v);
    if (!v.page.empty()) ++pages[v.page];
  }
  std::sort(s.visitors.begin(), s.visitors.end(), [](const Visitor& a, const Visitor& b) {
    return a.first_ms != b.first_ms ? a.first_ms < b.first_ms : a.id < b.id;
  });
  for (auto& [page, n] : pages) s.top_pages.push_back(PageCount{page, n});
  std::sort(s.top_pages.begin(), s.top_pages.end(), [](const PageCount& a, const PageCount& b) {
    return a.visitors != b.visitors ? a.visitors > b.visitors : a.page < b.page;
  });
  if (static_cast<int>(s.top_pages.size()) > options_.top_pages) {
    s.top_pages.resize(static_cast<size_t>(std::max(0, options_.top_pages)));
  }
  return s;
}

}  // namespace parley::visitor
