// The incremental Silver refresh: from the Bronze versions committed since Silver's watermarks,
// rebuild only what depends on the changed keys (refresh_plan.hpp) and rewrite only the Silver
// files holding them (silver_store.hpp).
//
// Order of work:
// 1. per Bronze source table: its latest snapshot, and its changes since the watermark
//    (bronze_changes.hpp); a rewritten history → a full rebuild, with the reason;
// 2. when a small table changed: Silver's employees' part rebuilt whole from their states, and
//    the employees who entered or left Silver;
// 3. the activities to rebuild (refresh_plan.hpp): their current Bronze state by key, then their
//    Silver rows and findings;
// 4. commits: employees, commutes (when rebuilt), activities (the files holding rebuilt keys,
//    written back without them, plus the new rows), and dq_issues last with the new watermarks.
// A crash between commits leaves the old watermarks: the next refresh rebuilds the same keys
// again from the then-current state, and converges.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "delta/lake.hpp"
#include "integrations/gazetteer.hpp"
#include "lakehouse/silver_store.hpp"
#include "rewards/rules.hpp"

namespace sl::lakehouse {

// A Bronze table Silver reads: its key and the source columns it uses (empty: every one).
struct SilverSource {
  std::string_view table;
  std::vector<std::string> keys;
  std::vector<std::string> columns;
};
const std::vector<SilverSource>& silver_sources();  // rh_employees, sport_activities, ...

struct SilverIncrementOptions {
  const delta::Lake* lake = nullptr;
  const integrations::Gazetteer* gazetteer = nullptr;
  std::string destination;
  int64_t now_us = 0;
  rewards::RewardRules rules;
  int64_t settings = 0;  // fingerprint of the above (the watermark "settings")
};

struct SilverIncrement {
  std::optional<std::string> full_reason;  // set: nothing done, rebuild in full
  bool changed = false;                    // Silver got a new version
  size_t bronze_changes = 0;               // change rows read
  bool employees_rebuilt = false;
  size_t activities_rebuilt = 0;
};

Result<SilverIncrement> refresh_silver_incrementally(const SilverIncrementOptions& options,
                                                     const Watermarks& watermarks);

}  // namespace sl::lakehouse
