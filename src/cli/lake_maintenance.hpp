// Table maintenance at the composition root: the policy from the settings, the lake's tables,
// and one pass over them (`sportlake lake maintain`, and the service `sportlake up` runs).
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "cli/settings.hpp"
#include "common/result.hpp"
#include "delta/lake.hpp"
#include "delta/table_maintenance.hpp"

namespace sl::cli {

// maintenance.target_file_mb and maintenance.fan_in as a policy (checked settings).
Result<delta::MaintenancePolicy> maintenance_policy(const MaintenanceSettings& settings);

// The tables of `layers` ("<root>/<layer>/<table>"), in that order. A local lake is read folder by
// folder (one level per layer), never file by file.
Result<std::vector<std::string>> lake_table_locations(
    const delta::Lake& lake,
    std::initializer_list<delta::Layer> layers = {delta::Layer::bronze, delta::Layer::silver,
                                                  delta::Layer::gold});

struct MaintenancePass {
  size_t tables = 0;
  size_t failed = 0;
  size_t compactions = 0;
  size_t conflicts = 0;
  size_t files_before = 0;
  size_t files_after = 0;
  uint64_t bytes_rewritten = 0;
};

// One pass over `locations` sharing `budget_bytes` of compaction reads (at least one target-sized
// bin); `report` sees each
// table's outcome (a table that fails is reported and the others go on). Stops between tables
// when `policy.stop` says so.
MaintenancePass maintain_tables(
    const delta::Lake& lake, const std::vector<std::string>& locations,
    const delta::MaintenancePolicy& policy, uint64_t budget_bytes,
    const std::function<void(const std::string&, const Result<delta::TableMaintenance>&)>& report);

}  // namespace sl::cli
