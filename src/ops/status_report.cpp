// StatusReport's JSON and text.
#include "ops/status_report.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "common/civil_time.hpp"
#include "common/json_writer.hpp"

namespace sl::ops {

namespace {

std::optional<int64_t> newest(const StatusReport& r, std::string_view layer) {
  std::optional<int64_t> out;
  for (const auto& t : r.tables)
    if (t.layer == layer && t.error.empty() && t.version >= 0)
      out = std::max(out.value_or(t.committed_at_ms), t.committed_at_ms);
  return out;
}

std::string when(int64_t ms) {
  return format_timestamp_ms(ms * 1000);
}

void time_fields(JsonWriter& w, std::string_view name, std::optional<int64_t> ms) {
  w.key(std::string(name) + "_ms");
  if (ms)
    w.number(*ms);
  else
    w.null();
  w.key(name);
  if (ms)
    w.string(when(*ms));
  else
    w.null();
}

void counts(JsonWriter& w, std::string_view name, const std::vector<Count>& rows,
            const std::vector<std::string_view>& keys) {
  w.key(name).begin_array();
  for (const auto& c : rows) {
    w.begin_object();
    for (size_t i = 0; i < keys.size() && i < c.keys.size(); ++i) w.field(keys[i], c.keys[i]);
    w.field("count", c.count);
    w.end_object();
  }
  w.end_array();
}

std::string size_text(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} kB", bytes / 1024.0);
  if (bytes < 1024LL * 1024 * 1024) return fmt::format("{:.1f} MB", bytes / 1048576.0);
  return fmt::format("{:.1f} GB", bytes / 1073741824.0);
}

}  // namespace

std::optional<int64_t> StatusReport::last_bronze_commit_ms() const {
  return newest(*this, "bronze");
}

std::optional<int64_t> StatusReport::last_refresh_ms() const {
  return newest(*this, "gold");
}

std::optional<int64_t> StatusReport::last_check_ms() const {
  std::optional<int64_t> out;
  for (const auto& t : tables)
    if (t.checked_at_ms) out = std::max(out.value_or(*t.checked_at_ms), *t.checked_at_ms);
  return out;
}

std::string status_json(const StatusReport& r) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  time_fields(w, "generated_at", r.generated_at_ms);
  w.key("database").begin_object();
  if (!r.database_error.empty()) w.field("error", r.database_error);
  w.field("server_version", r.server_version)
      .field("name", r.database)
      .field("mode", r.embedded ? "embedded" : "external")
      .field("wal_lsn", r.wal_lsn);
  w.end_object();
  w.key("slots").begin_array();
  for (const auto& s : r.slots) {
    w.begin_object().field("name", s.name).field("active", s.active);
    w.field("confirmed_lsn", s.confirmed_lsn);
    w.key("lag_bytes");
    s.lag_bytes ? w.number(*s.lag_bytes) : w.null();
    w.key("wal_held_bytes");
    s.wal_held_bytes ? w.number(*s.wal_held_bytes) : w.null();
    w.end_object();
  }
  w.end_array();
  if (r.kafka) {
    w.key("kafka").begin_object();
    if (!r.kafka_error.empty()) w.field("error", r.kafka_error);
    w.key("consumer_lag").begin_array();
    for (const auto& l : r.consumer_lag) {
      w.begin_object().field("group", l.group).field("topic", l.topic).field("partition",
                                                                               l.partition);
      w.field("high_watermark", l.high_watermark);
      w.key("committed_offset");
      l.committed ? w.number(*l.committed) : w.null();
      w.field("lag", l.lag);
      w.key("bronze_offset");
      l.bronze_offset ? w.number(*l.bronze_offset) : w.null();
      w.key("bronze_lag");
      l.bronze_lag ? w.number(*l.bronze_lag) : w.null();
      w.end_object();
    }
    w.end_array().end_object();
  }
  counts(w, "notifications", r.notifications, {"status"});
  counts(w, "distances", r.distances, {"provider", "status"});
  w.key("job_failures").begin_array();
  for (const auto& f : r.job_failures) {
    w.begin_object().field("job", f.job).field("count", f.count).key("newest").begin_array();
    for (const auto& line : f.newest) w.string(line);
    w.end_array().end_object();
  }
  w.end_array();
  w.key("lake").begin_object().field("root", r.lake_root);
  if (!r.lake_error.empty()) w.field("error", r.lake_error);
  const auto bronze = r.last_bronze_commit_ms();
  time_fields(w, "last_bronze_commit", bronze);
  w.key("bronze_freshness_seconds");
  bronze ? w.number(static_cast<double>(r.generated_at_ms - *bronze) / 1000) : w.null();
  time_fields(w, "last_refresh", r.last_refresh_ms());
  time_fields(w, "last_check", r.last_check_ms());
  w.key("tables").begin_array();
  for (const auto& t : r.tables) {
    w.begin_object().field("layer", t.layer).field("name", t.name);
    if (!t.error.empty()) {
      w.field("error", t.error).end_object();
      continue;
    }
    w.field("version", t.version);
    time_fields(w, "committed_at", t.committed_at_ms);
    w.field("files", t.files).field("small_files", t.small_files).field("bytes", t.bytes);
    w.field("check", t.check).field("damaged", t.damaged);
    time_fields(w, "checked_at", t.checked_at_ms);
    w.end_object();
  }
  w.end_array().end_object();
  w.end_object();
  return out;
}

std::string status_text(const StatusReport& r) {
  std::string out;
  if (!r.database_error.empty()) {
    out += "database: unavailable: " + r.database_error + "\n";
  } else {
    out += fmt::format("database: PostgreSQL {} ({}, {}), WAL at {}\n", r.server_version,
                       r.database, r.embedded ? "embedded" : "external", r.wal_lsn);
    out += "\nreplication slots (one per job):\n";
    if (r.slots.empty()) out += "  none yet (each job creates its own on first run)\n";
    for (const auto& s : r.slots)
      out += fmt::format("  {:<26} {:<8} confirmed {:<14} behind {:<10} WAL held {}\n", s.name,
                         s.active ? "running" : "idle", s.confirmed_lsn,
                         s.lag_bytes ? size_text(*s.lag_bytes) : "?",
                         s.wal_held_bytes ? size_text(*s.wal_held_bytes) : "?");
    out += "\nnotifications:";
    if (r.notifications.empty()) out += " none";
    for (const auto& c : r.notifications) out += fmt::format(" {} {}", c.count, c.keys.at(0));
    out += "\ndistances:";
    if (r.distances.empty()) out += " none (sportlake distances)";
    for (const auto& c : r.distances)
      out += fmt::format(" {} {} {}", c.count, c.keys.at(0), c.keys.at(1));
    out += "\n\nfailed rows (skipped, the others went on; job_failures):";
    out += r.job_failures.empty() ? " none\n" : "\n";
    for (const auto& f : r.job_failures) {
      out += fmt::format("  {:<10} {} failing\n", f.job, f.count);
      for (const auto& line : f.newest) out += "    " + line + "\n";
    }
  }
  if (r.kafka) {
    out += "\nKafka consumer lag (messages behind the high watermark):\n";
    if (!r.kafka_error.empty()) out += "  " + r.kafka_error + "\n";
    if (r.kafka_error.empty() && r.consumer_lag.empty())
      out += "  no group committed yet (ingest|notify|distances --source kafka)\n";
    for (const auto& l : r.consumer_lag) {
      auto offset = [](std::optional<int64_t> o) { return o ? std::to_string(*o) : "-"; };
      out += fmt::format("  {:<22} {}:{}  committed {} of {}, lag {}", l.group, l.topic,
                         l.partition, offset(l.committed), l.high_watermark, l.lag);
      if (l.bronze_lag)
        out += fmt::format(" (Bronze txn at {}, lag {})", *l.bronze_offset, *l.bronze_lag);
      out += "\n";
    }
  }
  out += fmt::format("\nlake {}:\n", r.lake_root);
  if (!r.lake_error.empty()) out += "  unavailable: " + r.lake_error + "\n";
  for (std::string_view layer : {"bronze", "silver", "gold"}) {
    bool any = false;
    for (const auto& t : r.tables) {
      if (t.layer != layer) continue;
      any = true;
      if (!t.error.empty()) {
        out += fmt::format("  {:<7} {:<20} error: {}\n", t.layer, t.name, t.error);
        continue;
      }
      out += fmt::format("  {:<7} {:<20} version {:<6} {:>4} files ({} small)  {}\n", t.layer,
                         t.name, t.version, t.files, t.small_files, t.check);
    }
    if (!any && r.lake_error.empty()) out += fmt::format("  {:<7} empty\n", layer);
  }
  const auto bronze = r.last_bronze_commit_ms();
  out += "\nlast Bronze commit: " +
         (bronze ? fmt::format("{} ({:.1f} s ago)", when(*bronze),
                               static_cast<double>(r.generated_at_ms - *bronze) / 1000)
                 : std::string("none")) +
         "\n";
  const auto refresh = r.last_refresh_ms();
  out += "last refresh: " + (refresh ? when(*refresh) : std::string("none")) + "\n";
  const auto check = r.last_check_ms();
  out += "last lake check: " + (check ? when(*check) : std::string("never")) + "\n";
  return out;
}

}  // namespace sl::ops
