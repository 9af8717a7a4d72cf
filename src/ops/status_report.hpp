// StatusReport: what runs and how far it got, as plain facts — the database and each job's
// replication slot (WAL held, lag), each Kafka consumer group's lag, the notification outbox, the distance cache, the jobs'
// skipped rows, the lake's tables (versions, files, small files, last `lake check`), the last
// Bronze commit (freshness) and the last refresh.
//
// The one home of these facts: `sportlake status` prints them (status_text), the dashboard's
// `/operations` page and `/api/status` show them (status_json), `/metrics` exports them as
// gauges. Collecting them needs PostgreSQL and the lake, so it is the composition root's job
// (cli/status_facts.*); this module holds no IO, and the dashboard depends on it without
// depending on `pg`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sl::ops {

// A Delta data file under this size is "small" (what a compaction would merge): a Bronze
// flush writes one file per table per commit, so a steady stream makes many of them.
inline constexpr int64_t k_small_file_bytes = 8 * 1024 * 1024;

struct SlotStatus {
  std::string name;
  bool active = false;
  std::string confirmed_lsn;            // "" when the slot never confirmed anything
  std::optional<int64_t> lag_bytes;     // current WAL position − confirmed flush position
  std::optional<int64_t> wal_held_bytes;  // current WAL position − restart position (kept WAL)
};

struct Count {
  std::vector<std::string> keys;  // e.g. {"sent"} or {"google", "ok"}
  int64_t count = 0;
};

struct JobFailures {
  std::string job;
  int64_t count = 0;
  std::vector<std::string> newest;  // "<item> (employee <id>): <error>", newest first, ≤ 5
};

// A Kafka consumer group's lag on one partition (scale-out mode).
struct ConsumerLag {
  std::string group;
  std::string topic;
  int32_t partition = 0;
  int64_t high_watermark = 0;        // the offset the next record will get
  std::optional<int64_t> committed;  // the group's committed offset (nullopt: none)
  int64_t lag = 0;                   // high watermark − committed (or − the oldest offset)
  // The Bronze ingest's own position (its table's Delta txn, authoritative: the committed offset
  // is a copy written after) and the lag from it; nullopt for the other groups.
  std::optional<int64_t> bronze_offset;
  std::optional<int64_t> bronze_lag;
};

struct LakeTable {
  std::string layer;  // bronze, silver, gold
  std::string name;
  std::string error;  // "" when the snapshot loaded
  int64_t version = -1;
  int64_t committed_at_ms = 0;  // the version's commit time
  int64_t files = 0;
  int64_t small_files = 0;  // files under k_small_file_bytes
  int64_t bytes = 0;
  std::string check;                      // what the last `lake check` found, as a sentence
  std::optional<int64_t> checked_at_ms;   // when it last ran
  bool damaged = false;                   // the last check found damage
};

struct StatusReport {
  int64_t generated_at_ms = 0;

  // The source database; `database_error` set when it could not be read (the rest of the
  // database part is then empty).
  std::string database_error;
  std::string server_version;
  std::string database;
  bool embedded = false;
  std::string wal_lsn;
  std::vector<SlotStatus> slots;
  std::vector<Count> notifications;  // keys {status}
  std::vector<Count> distances;      // keys {provider, status}
  std::vector<JobFailures> job_failures;

  // Kafka (when kafka.bootstrap_servers is set): each consumer group's lag per partition;
  // `kafka_error` set when the brokers could not be read.
  bool kafka = false;
  std::string kafka_error;
  std::vector<ConsumerLag> consumer_lag;

  // The lake; `lake_error` set when its tables could not be listed.
  std::string lake_error;
  std::string lake_root;
  std::vector<LakeTable> tables;

  // Newest commit of a Bronze table, and of a Gold table (the last refresh); last `lake check`.
  std::optional<int64_t> last_bronze_commit_ms() const;
  std::optional<int64_t> last_refresh_ms() const;
  std::optional<int64_t> last_check_ms() const;
};

// The report as JSON (the `/api/status` answer): times as ISO-8601 UTC text and as ms since the
// epoch, freshness in seconds.
std::string status_json(const StatusReport& report);

// The report as `sportlake status` prints it.
std::string status_text(const StatusReport& report);

}  // namespace sl::ops
