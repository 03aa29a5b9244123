#include "upload/worker.h"

#include <gtest/gtest.h>

#include <future>
#include <vector>

namespace parley::upload {
namespace {

TEST(WorkerTest, RunsJobsInOrderOffTheCallingThread) {
  std::vector<int> order;
  std::promise<std::thread::id> ran_on;
  {
    Worker w(8);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(w.Submit([&order, i] { order.push_back(i); }));
    ASSERT_TRUE(w.Submit([&ran_on] { ran_on.set_value(std::this_thread::get_id()); }));
  }  // the destructor runs what is queued, then joins
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
}

TEST(WorkerTest, RefusesPastItsQueueLimit) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  Worker w(2);
  ASSERT_TRUE(w.Submit([&started, gate] {
    started.set_value();
    gate.wait();
  }));
  started.get_future().wait();  // the worker is busy; the queue is empty
  EXPECT_TRUE(w.Submit([] {}));
  EXPECT_TRUE(w.Submit([] {}));
  EXPECT_FALSE(w.Submit([] {})) << "two jobs already waiting";
  release.set_value();
}

}  // namespace
}  // namespace parley::upload
