#include "visitor/ip_domains.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/hash.h"

namespace parley::visitor {

IpDomains::Entry& IpDomains::Find(std::string_view ip, int64_t now_ms) {
  auto it = ips_.find(std::string(ip));
  if (it != ips_.end()) return it->second;
  if (static_cast<int>(ips_.size()) >= options_.max_ips && now_ms - last_sweep_ms_ >= 1000) {
    last_sweep_ms_ = now_ms;
    std::erase_if(ips_, [&](const auto& kv) {
      return now_ms - kv.second.window_start_ms >= options_.window_ms;
    });
  }
  if (static_cast<int>(ips_.size()) >= options_.max_ips) return overflow_;
  Entry& e = ips_[std::string(ip)];
  e.window_start_ms = now_ms;
  return e;
}

Status IpDomains::Admit(std::string_view ip, std::string_view domain, int64_t now_ms) {
  if (options_.max_domains_per_ip <= 0) return Status::Ok();
  const uint64_t h = Fnv1a(domain);
  std::lock_guard lock(mu_);
  Entry& e = Find(ip, now_ms);
  if (now_ms - e.window_start_ms >= options_.window_ms) {
    e.window_start_ms = now_ms;
    e.domains.clear();
  }
  if (std::find(e.domains.begin(), e.domains.end(), h) != e.domains.end()) return Status::Ok();
  if (static_cast<int>(e.domains.size()) >= options_.max_domains_per_ip) {
    const int64_t wait_s = (e.window_start_ms + options_.window_ms - now_ms + 999) / 1000;
    return Status(ErrorCode::kIpDomainLimit,
                  fmt::format("This address has added visitors to {} domains already; a new "
                              "domain is accepted again in {} s (visitors.max_domains_per_ip).",
                              options_.max_domains_per_ip, wait_s));
  }
  e.domains.push_back(h);
  return Status::Ok();
}

size_t IpDomains::tracked() const {
  std::lock_guard lock(mu_);
  return ips_.size();
}

}  // namespace parley::visitor
