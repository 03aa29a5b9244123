#include "net/timer_wheel.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

namespace parley::net {
namespace {

struct Probe : TimerNode {
  int fired = 0;
  std::function<void()> on_fire;
  void OnTimeout() override {
    ++fired;
    if (on_fire) on_fire();
  }
};

TEST(TimerWheelTest, FiresAfterTheGivenTicksAndNotBefore) {
  TimerWheel wheel(8);
  Probe p;
  wheel.Schedule(p, 3);
  wheel.Tick();
  wheel.Tick();
  EXPECT_EQ(p.fired, 0);
  wheel.Tick();
  EXPECT_EQ(p.fired, 1);
  EXPECT_FALSE(p.scheduled());
  wheel.Tick();
  EXPECT_EQ(p.fired, 1);
}

TEST(TimerWheelTest, TimeoutsLongerThanTheWheelWaitForTheirRound) {
  TimerWheel wheel(4);
  Probe p;
  wheel.Schedule(p, 10);
  for (int i = 0; i < 9; ++i) wheel.Tick();
  EXPECT_EQ(p.fired, 0);
  wheel.Tick();
  EXPECT_EQ(p.fired, 1);
}

TEST(TimerWheelTest, RescheduleAndCancel) {
  TimerWheel wheel(8);
  Probe a, b;
  wheel.Schedule(a, 2);
  wheel.Schedule(b, 2);
  wheel.Tick();
  wheel.Schedule(a, 5);  // activity pushes the deadline out
  b.Cancel();
  wheel.Tick();
  EXPECT_EQ(a.fired, 0);
  EXPECT_EQ(b.fired, 0);
  EXPECT_EQ(wheel.size(), 1u);
}

TEST(TimerWheelTest, CallbackMayDestroyAnotherDueNode) {
  TimerWheel wheel(8);
  auto victim = std::make_unique<Probe>();
  Probe killer;
  wheel.Schedule(*victim, 1);
  wheel.Schedule(killer, 1);  // inserted at the head, so it fires first
  killer.on_fire = [&] { victim.reset(); };
  wheel.Tick();
  EXPECT_EQ(killer.fired, 1);
  EXPECT_EQ(victim, nullptr);
  EXPECT_EQ(wheel.size(), 0u);
}

TEST(TimerWheelTest, DestroyedNodeLeavesTheWheel) {
  TimerWheel wheel(8);
  {
    Probe p;
    wheel.Schedule(p, 1);
    EXPECT_EQ(wheel.size(), 1u);
  }
  EXPECT_EQ(wheel.size(), 0u);
  wheel.Tick();
}

}  // namespace
}  // namespace parley::net
