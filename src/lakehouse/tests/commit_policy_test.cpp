// should_commit: full batch, ceiling, floor, idleness, transaction boundaries.
#include "lakehouse/commit_policy.hpp"

#include <gtest/gtest.h>

namespace sl::lakehouse {
namespace {

using std::chrono::milliseconds;

constexpr CommitPolicy k_policy{.commit_rows = 1000,
                                .commit_interval = milliseconds(1000),
                                .commit_min_interval = milliseconds(100)};

CommitState state(size_t pending, int oldest_ms, int since_commit_ms, bool idle) {
  return {.at_boundary = true,
          .pending_rows = pending,
          .oldest_pending_age = milliseconds(oldest_ms),
          .since_last_commit = milliseconds(since_commit_ms),
          .idle = idle};
}

TEST(CommitPolicy, NothingPendingNeverCommits) {
  EXPECT_FALSE(should_commit(k_policy, state(0, 0, 5000, true)));
}

TEST(CommitPolicy, OnlyAtATransactionBoundary) {
  auto s = state(5000, 5000, 5000, true);
  s.at_boundary = false;
  EXPECT_FALSE(should_commit(k_policy, s));
}

TEST(CommitPolicy, IdleStreamCommitsAtOnceAfterTheFloor) {
  // A lone change after a quiet period: committed as soon as the stream is idle.
  EXPECT_TRUE(should_commit(k_policy, state(1, 3, 10'000, true)));
  // The same change right after a commit waits for the floor...
  EXPECT_FALSE(should_commit(k_policy, state(1, 3, 40, true)));
  // ...and goes once the floor has passed.
  EXPECT_TRUE(should_commit(k_policy, state(1, 63, 100, true)));
}

TEST(CommitPolicy, BusyStreamWaitsForIdlenessOrTheFloor) {
  // More is coming and the rows are fresh: wait, the next transaction joins the batch.
  EXPECT_FALSE(should_commit(k_policy, state(10, 5, 10'000, false)));
  // A steady stream without gaps: the rows that waited the floor go.
  EXPECT_TRUE(should_commit(k_policy, state(100, 100, 150, false)));
  EXPECT_FALSE(should_commit(k_policy, state(100, 99, 150, false)));
}

TEST(CommitPolicy, FullBatchAndCeilingIgnoreTheFloor) {
  EXPECT_TRUE(should_commit(k_policy, state(1000, 1, 1, false)));
  EXPECT_FALSE(should_commit(k_policy, state(999, 1, 1, false)));
  // The ceiling holds even when the floor is set above it.
  CommitPolicy slow = k_policy;
  slow.commit_min_interval = milliseconds(5000);
  EXPECT_TRUE(should_commit(slow, state(1, 1000, 1000, false)));
  EXPECT_FALSE(should_commit(slow, state(1, 999, 1000, true)));
}

TEST(CommitPolicy, FloorAtTheCeilingBoundsCommitsToOnePerCeiling) {
  // The floor counts from the last commit: after a quiet period a lone row still goes at once,
  // but within a busy second nothing goes before the ceiling.
  CommitPolicy fixed = k_policy;
  fixed.commit_min_interval = fixed.commit_interval;
  EXPECT_TRUE(should_commit(fixed, state(1, 10, 10'000, true)));
  EXPECT_FALSE(should_commit(fixed, state(500, 600, 999, true)));
  EXPECT_TRUE(should_commit(fixed, state(500, 1000, 1000, false)));
}

TEST(CommitPolicy, BacklogCommitsOnlyAFullBatchOrAtTheCeiling) {
  // A source draining a backlog: the rows that waited the floor wait on for a larger commit...
  auto s = state(500, 600, 600, false);
  s.behind = true;
  EXPECT_FALSE(should_commit(k_policy, s));
  // ...until the batch is full or the oldest row waited the ceiling.
  s.pending_rows = 1000;
  EXPECT_TRUE(should_commit(k_policy, s));
  s = state(500, 1000, 1000, false);
  s.behind = true;
  EXPECT_TRUE(should_commit(k_policy, s));
  // Caught up again: the floor applies as before.
  s = state(500, 600, 600, false);
  EXPECT_TRUE(should_commit(k_policy, s));
}

}  // namespace
}  // namespace sl::lakehouse
