// When the Bronze ingest commits: the decision as a pure function of what is pending, how long it
// has waited, how long since the last commit, and whether the stream is idle.
//
// At a transaction boundary with rows pending, commit when
// - `commit_rows` rows are pending (a full batch), or
// - the oldest pending row has waited `commit_interval` (the ceiling), or
// - at least `commit_min_interval` (the floor) has passed since the last commit, and either the
//   stream is idle (the source had nothing more within the idle window after a transaction end)
//   or the oldest pending row has itself waited the floor (a steady stream with no gap) — unless
//   the source is behind (it already holds more changes: a backlog being drained), where only a
//   full batch or the ceiling commits.
// So a lone change lands at once, a burst lands as one commit once it ends, a steady stream
// commits about once per floor: commits/s stay at most 1 / floor (plus full batches); a backlog
// (a Kafka topic filled while the consumer was away: every record is a "transaction") lands in
// commits as large as the ceiling allows, each commit's fixed cost paid once per second, not ten
// times.
#pragma once

#include <chrono>
#include <cstddef>

namespace sl::lakehouse {

struct CommitPolicy {
  size_t commit_rows = 100'000;
  std::chrono::milliseconds commit_interval{1000};     // ceiling: the longest a row waits
  std::chrono::milliseconds commit_min_interval{100};  // floor: the shortest time between commits
};

struct CommitState {
  bool at_boundary = true;  // no transaction half-received
  size_t pending_rows = 0;
  std::chrono::milliseconds oldest_pending_age{0};  // how long the oldest pending row waited
  std::chrono::milliseconds since_last_commit{0};   // since the last commit (or the start)
  bool idle = false;  // the source had nothing more within the idle window
  bool behind = false;  // the source already holds more changes (cdc::ChangeSource::behind)
};

bool should_commit(const CommitPolicy& policy, const CommitState& state);

}  // namespace sl::lakehouse
