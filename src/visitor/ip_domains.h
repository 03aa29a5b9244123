// IpDomains: how many distinct domains each IP address has added visitors to within a
// window, so one address cannot spray visitors over thousands of domains (each new domain
// costs a DomainVisitors actor, a slot of visitors.max_domains and store rows). A visitor
// add from an address that already reached visitors.max_domains_per_ip other domains in
// the current window is refused with ip_domain_limit; domains it already counts keep
// working (heartbeats never fail on this).
//
// Windows are fixed per address: the first add starts one of visitors.ip_window_s; once
// it is over the address starts from zero.
//
// Memory: at most max_ips addresses, each with at most max_domains_per_ip 64-bit domain
// hashes. Overflow rule: when the table is full, addresses whose window is over are
// dropped (at most once a second); if it is still full, every new address shares one
// overflow entry, so a flood of fresh addresses is limited together and memory does not
// grow.
//
// Thread-safe (one mutex; the work under it is a hash lookup and a short scan).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace parley::visitor {

struct IpDomainsOptions {
  int max_domains_per_ip = 100;  // 0: no limit
  int64_t window_ms = 3'600'000;
  int max_ips = 100000;
};

class IpDomains {
 public:
  explicit IpDomains(IpDomainsOptions options) : options_(options) {}

  // Counts `domain` for `ip` at `now_ms`: ok when it is already counted or the address has
  // room, else ip_domain_limit (nothing counted).
  Status Admit(std::string_view ip, std::string_view domain, int64_t now_ms);

  size_t tracked() const;

 private:
  struct Entry {
    int64_t window_start_ms = 0;
    std::vector<uint64_t> domains;  // hashes, at most max_domains_per_ip
  };
  Entry& Find(std::string_view ip, int64_t now_ms);

  const IpDomainsOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> ips_;  // guarded by mu_
  Entry overflow_;                              // guarded by mu_
  int64_t last_sweep_ms_ = 0;                   // guarded by mu_
};

}  // namespace parley::visitor
