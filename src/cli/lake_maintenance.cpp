// The maintenance policy from the settings, the lake's tables, one pass over them.
#include "cli/lake_maintenance.hpp"

#include <algorithm>
#include <filesystem>

#include "delta/s3_storage.hpp"

namespace sl::cli {

Result<delta::MaintenancePolicy> maintenance_policy(const MaintenanceSettings& settings) {
  delta::MaintenancePolicy policy;
  SL_ASSIGN_OR_RETURN(auto target_mb, settings.target_file_mb);
  SL_ASSIGN_OR_RETURN(auto fan_in, settings.fan_in);
  policy.target_file_bytes = static_cast<uint64_t>(target_mb) << 20;
  policy.fan_in = static_cast<size_t>(fan_in);
  policy.write.write_checkpoints = false;  // the pass checkpoints itself, after its compactions
  return policy;
}

Result<std::vector<std::string>> lake_table_locations(const delta::Lake& lake,
                                                      std::initializer_list<delta::Layer> layers) {
  std::vector<std::string> out;
  for (auto layer : layers) {
    if (delta::is_s3_uri(lake.root())) {
      SL_ASSIGN_OR_RETURN(auto names, lake.tables(layer));
      for (const auto& n : names) out.push_back(lake.location(layer, n));
      continue;
    }
    namespace stdfs = std::filesystem;
    const stdfs::path folder = stdfs::path(lake.root()) / std::string(delta::layer_name(layer));
    std::error_code ec;
    std::vector<std::string> found;
    for (stdfs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code exists_ec;
      if (it->is_directory(exists_ec) && stdfs::exists(it->path() / "_delta_log", exists_ec))
        found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

MaintenancePass maintain_tables(
    const delta::Lake& lake, const std::vector<std::string>& locations,
    const delta::MaintenancePolicy& policy, uint64_t budget_bytes,
    const std::function<void(const std::string&, const Result<delta::TableMaintenance>&)>& report) {
  MaintenancePass pass;
  // A budget below one bin would never let a bin through.
  budget_bytes = std::max(budget_bytes, policy.target_file_bytes);
  for (const auto& location : locations) {
    if (policy.stop && policy.stop()) break;
    auto storage = lake.table_at(location);
    auto outcome = delta::maintain_table(*storage, policy, budget_bytes);
    ++pass.tables;
    if (outcome) {
      pass.compactions += outcome->compactions;
      pass.conflicts += outcome->conflicts;
      pass.files_before += outcome->files_before;
      pass.files_after += outcome->files_after;
      pass.bytes_rewritten += outcome->bytes_rewritten;
    } else {
      ++pass.failed;
    }
    report(location, outcome);
  }
  return pass;
}

}  // namespace sl::cli
