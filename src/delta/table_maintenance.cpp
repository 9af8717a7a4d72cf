// The maintenance pass: tiered compaction plan, then compaction, checkpoint, log cleanup, vacuum.
#include "delta/table_maintenance.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "delta/checkpoint_writer.hpp"
#include "delta/log_cleanup.hpp"
#include "delta/maintenance.hpp"
#include "delta/table_features.hpp"

namespace sl::delta {

namespace {

constexpr int k_max_tier = 12;

// Tier of a file smaller than the target: 0 for (target/f, target), k for
// (target/f^(k+1), target/f^k]; nullopt when the file is big enough already.
std::optional<int> tier_of(uint64_t size, uint64_t target, uint64_t fan_in) {
  if (size >= target) return std::nullopt;
  int tier = 0;
  uint64_t bound = target / fan_in;
  while (tier < k_max_tier && bound > 0 && size <= bound) {
    ++tier;
    bound /= fan_in;
  }
  return tier;
}

}  // namespace

std::string TableMaintenance::summary() const {
  std::string out = fmt::format("version {}: {} files", version, files_after);
  if (compactions > 0) {
    out += fmt::format(", {} compaction{} ({} files → {}, {:.1f} MB rewritten)", compactions,
                       compactions == 1 ? "" : "s", files_compacted, files_written,
                       static_cast<double>(bytes_rewritten) / (1 << 20));
  }
  if (conflicts > 0) out += fmt::format(", {} conflict{} (retried next pass)", conflicts,
                                        conflicts == 1 ? "" : "s");
  if (bins_deferred > 0) out += fmt::format(", {} bins left for the next pass", bins_deferred);
  if (checkpoint) out += fmt::format(", checkpoint at {}", *checkpoint);
  if (log_files_deleted > 0) out += fmt::format(", {} expired log files deleted", log_files_deleted);
  if (files_vacuumed) out += fmt::format(", {} files vacuumed", *files_vacuumed);
  return out;
}

std::vector<std::vector<Add>> plan_compaction(const std::vector<Add>& files,
                                              const MaintenancePolicy& policy) {
  const uint64_t target = std::max<uint64_t>(policy.target_file_bytes, 1);
  const uint64_t fan_in = std::max<size_t>(policy.fan_in, 2);
  // (tier, partition) → files; the deepest tier (smallest files) first.
  std::map<std::pair<int, PartitionValues>, std::vector<Add>, std::greater<>> tiers;
  for (const auto& f : files) {
    if (f.deletion_vector) continue;
    if (auto tier = tier_of(static_cast<uint64_t>(std::max<int64_t>(f.size, 0)), target, fan_in))
      tiers[{*tier, f.partition_values}].push_back(f);
  }
  std::vector<std::vector<Add>> bins;
  for (auto& [key, members] : tiers) {
    if (members.size() < fan_in) continue;
    // Oldest first: a compacted file holds a stretch of the table's history.
    std::stable_sort(members.begin(), members.end(), [](const Add& a, const Add& b) {
      return a.modification_time < b.modification_time;
    });
    std::vector<Add> bin;
    uint64_t bin_bytes = 0;
    auto close_bin = [&] {
      if (bin.size() >= 2) bins.push_back(std::move(bin));
      bin.clear();
      bin_bytes = 0;
    };
    for (auto& f : members) {
      const auto size = static_cast<uint64_t>(std::max<int64_t>(f.size, 0));
      if (!bin.empty() && bin_bytes + size > target) close_bin();
      bin_bytes += size;
      bin.push_back(std::move(f));
    }
    close_bin();
  }
  return bins;
}

Result<TableMaintenance> maintain_table(Storage& storage, const MaintenancePolicy& policy,
                                        uint64_t& budget_bytes) {
  SL_ASSIGN_OR_RETURN(auto snapshot, load_snapshot(storage));
  TableMaintenance report;
  report.version = snapshot.version;
  report.files_before = report.files_after = snapshot.files.size();
  const int64_t now = now_ms(policy.write.transaction.now_ms);
  auto stopped = [&] { return policy.stop && policy.stop(); };

  if (policy.compact && check_write_supported(snapshot.protocol, snapshot.metadata).ok()) {
    auto bins = plan_compaction(snapshot.files, policy);
    size_t next = 0;
    for (; next < bins.size() && !stopped(); ++next) {
      uint64_t bytes = 0;
      for (const auto& f : bins[next]) bytes += static_cast<uint64_t>(f.size);
      if (bytes > budget_bytes) break;
      // Every bin is committed on the pass's snapshot: the winners in between are checked
      // (transaction.hpp), so appends and our own earlier bins never conflict.
      auto compacted = compact_files(storage, snapshot, {bins[next]}, policy.write,
                                     policy.row_group_bytes);
      if (!compacted.ok()) {
        if (compacted.error().code != Errc::conflict) return compacted.error();
        ++report.conflicts;
        ++next;
        break;  // the table changed under us: plan again on the next pass
      }
      budget_bytes -= bytes;
      ++report.compactions;
      report.files_compacted += compacted->files_removed;
      report.files_written += compacted->files_added;
      report.bytes_rewritten += compacted->bytes_read;
      report.version = std::max(report.version, compacted->version);
    }
    report.bins_deferred = bins.size() - next;
  }

  if (report.compactions > 0 || report.conflicts > 0) {
    SL_ASSIGN_OR_RETURN(snapshot, load_snapshot(storage));
  }
  report.version = snapshot.version;
  report.files_after = snapshot.files.size();

  if (policy.checkpoint && snapshot.version > 0) {
    const int64_t every = policy.checkpoint_every > 0 ? policy.checkpoint_every
                                                      : checkpoint_interval(snapshot.metadata);
    const int64_t last = snapshot.segment.checkpoint_version.value_or(0);
    if (every > 0 && snapshot.version - last >= every) {
      SL_TRY(write_checkpoint(storage, snapshot, now));
      report.checkpoint = snapshot.version;
    }
  }
  if (policy.cleanup && !stopped()) {
    SL_ASSIGN_OR_RETURN(report.log_files_deleted, cleanup_expired_logs(storage, snapshot, now));
    VacuumOptions vacuum_options;
    vacuum_options.now_ms = policy.write.transaction.now_ms;
    SL_ASSIGN_OR_RETURN(auto vacuumed, vacuum(storage, vacuum_options));
    report.files_vacuumed = vacuumed.deleted.size();
  }
  return report;
}

}  // namespace sl::delta
