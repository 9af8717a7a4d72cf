#include "common/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace sl {
namespace {

TEST(BoundedQueue, HandsOverEveryItemInOrderThenEnds) {
  BoundedQueue<int> queue(2);
  std::thread producer([&] {
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(queue.push(i));
    queue.close();
  });
  std::vector<int> seen;
  while (auto item = queue.pop()) seen.push_back(*item);
  producer.join();
  ASSERT_EQ(seen.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(seen[i], i);
}

TEST(BoundedQueue, AProducerWaitsWhileFull) {
  BoundedQueue<int> queue(2);
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    for (int i = 0; i < 3; ++i) {
      queue.push(i);
      ++pushed;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(pushed.load(), 2);  // the third waits for room
  EXPECT_EQ(queue.pop(), 0);
  producer.join();
  EXPECT_EQ(pushed.load(), 3);
}

TEST(BoundedQueue, ClosedByTheConsumerReleasesAWaitingProducer) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.push(1));
  bool accepted = true;
  std::thread producer([&] { accepted = queue.push(2); });  // waits: full
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  queue.close();
  producer.join();
  EXPECT_FALSE(accepted);
  EXPECT_EQ(queue.pop(), 1);  // what was queued before the close is still drained
  EXPECT_EQ(queue.pop(), std::nullopt);
}

}  // namespace
}  // namespace sl
