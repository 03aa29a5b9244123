#include "visitor/ip_domains.h"

#include <gtest/gtest.h>

#include <string>

namespace parley::visitor {
namespace {

TEST(IpDomainsTest, AnAddressGetsItsDomainsThenARefusal) {
  IpDomains d({.max_domains_per_ip = 2, .window_ms = 1000, .max_ips = 10});
  EXPECT_TRUE(d.Admit("1.2.3.4", "a.com", 0).ok());
  EXPECT_TRUE(d.Admit("1.2.3.4", "b.com", 1).ok());
  EXPECT_TRUE(d.Admit("1.2.3.4", "a.com", 2).ok()) << "a counted domain keeps working";
  Status st = d.Admit("1.2.3.4", "c.com", 3);
  EXPECT_EQ(st.code(), ErrorCode::kIpDomainLimit);
  EXPECT_EQ(st.wire_name(), "ip_domain_limit");
  EXPECT_TRUE(d.Admit("5.6.7.8", "c.com", 3).ok()) << "other addresses are not affected";
  EXPECT_TRUE(d.Admit("1.2.3.4", "c.com", 1000).ok()) << "a new window starts from zero";
}

TEST(IpDomainsTest, ZeroTurnsTheLimitOff) {
  IpDomains d({.max_domains_per_ip = 0});
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(d.Admit("1.2.3.4", std::to_string(i), 0).ok());
  EXPECT_EQ(d.tracked(), 0u);
}

TEST(IpDomainsTest, AFullTableSharesOneOverflowEntry) {
  IpDomains d({.max_domains_per_ip = 1, .window_ms = 1000, .max_ips = 2});
  EXPECT_TRUE(d.Admit("ip1", "a", 0).ok());
  EXPECT_TRUE(d.Admit("ip2", "a", 0).ok());
  EXPECT_TRUE(d.Admit("ip3", "a", 0).ok());  // the overflow entry's one domain
  EXPECT_FALSE(d.Admit("ip4", "b", 0).ok()) << "fresh addresses are limited together";
  EXPECT_EQ(d.tracked(), 2u);
  // Once windows are over, a sweep makes room again.
  EXPECT_TRUE(d.Admit("ip5", "b", 5000).ok());
  EXPECT_EQ(d.tracked(), 1u);
}

}  // namespace
}  // namespace parley::visitor
