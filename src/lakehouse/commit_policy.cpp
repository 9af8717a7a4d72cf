// The Bronze ingest's commit decision.
#include "lakehouse/commit_policy.hpp"

namespace sl::lakehouse {

bool should_commit(const CommitPolicy& policy, const CommitState& state) {
  if (!state.at_boundary || state.pending_rows == 0) return false;
  if (state.pending_rows >= policy.commit_rows) return true;
  if (state.oldest_pending_age >= policy.commit_interval) return true;
  // A backlog: an earlier commit makes no row fresher (the next ones are already late), only
  // smaller.
  if (state.behind) return false;
  if (state.since_last_commit < policy.commit_min_interval) return false;
  return state.idle || state.oldest_pending_age >= policy.commit_min_interval;
}

}  // namespace sl::lakehouse
