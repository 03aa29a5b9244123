#include "guard/connection_gate.h"

#include <gtest/gtest.h>

#include <string>

namespace parley::guard {
namespace {

TEST(ConnectionGate, CapsOpenSocketsPerAddress) {
  ConnectionGate gate({.max_per_ip = 2, .new_per_ip = {}, .exempt_loopback = true});
  EXPECT_TRUE(gate.Admit("198.51.100.1", 0).ok());
  EXPECT_TRUE(gate.Admit("198.51.100.1", 0).ok());
  EXPECT_EQ(gate.Admit("198.51.100.1", 0).code, ErrorCode::kIpConnectionLimit);
  EXPECT_TRUE(gate.Admit("198.51.100.2", 0).ok());
  gate.Release("198.51.100.1");
  EXPECT_EQ(gate.open_from("198.51.100.1"), 1);
  EXPECT_TRUE(gate.Admit("198.51.100.1", 0).ok());
  EXPECT_EQ(gate.refused(), 1);
}

TEST(ConnectionGate, LimitsNewSocketsPerSecond) {
  ConnectionGate gate({.max_per_ip = 0, .new_per_ip = {.per_s = 1, .burst = 2}});
  EXPECT_TRUE(gate.Admit("198.51.100.1", 0).ok());
  EXPECT_TRUE(gate.Admit("198.51.100.1", 0).ok());
  const Admission a = gate.Admit("198.51.100.1", 0);
  EXPECT_EQ(a.code, ErrorCode::kRateLimited);
  EXPECT_EQ(a.retry_after_ms, 1000);
  EXPECT_TRUE(gate.Admit("198.51.100.1", 1000).ok());
}

TEST(ConnectionGate, LoopbackIsExemptUnlessConfigured) {
  ConnectionGate exempt({.max_per_ip = 1, .new_per_ip = {}, .exempt_loopback = true});
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(exempt.Admit("127.0.0.1", 0).ok());
  ConnectionGate strict({.max_per_ip = 1, .new_per_ip = {}, .exempt_loopback = false});
  EXPECT_TRUE(strict.Admit("127.0.0.1", 0).ok());
  EXPECT_FALSE(strict.Admit("127.0.0.1", 0).ok());
}

TEST(ConnectionGate, ClosedAddressesDoNotPileUp) {
  ConnectionGate gate({.max_per_ip = 4, .new_per_ip = {.per_s = 1, .burst = 1}, .max_keys = 64});
  for (int i = 0; i < 5000; ++i) {
    const std::string ip = "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256);
    ASSERT_TRUE(gate.Admit(ip, 0).ok());
    gate.Release(ip);
  }
  EXPECT_GT(gate.overflowed(), 0);
  EXPECT_EQ(gate.open_from("10.0.0.1"), 0);
}

}  // namespace
}  // namespace parley::guard
