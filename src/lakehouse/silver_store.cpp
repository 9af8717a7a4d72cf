// Silver's layout, watermarks, file-replacing commits and reads back.
#include "lakehouse/silver_store.hpp"

#include <simdjson.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "columnar/batch_ops.hpp"
#include "delta/partitions.hpp"
#include "delta/scan.hpp"
#include "delta/schema.hpp"
#include "delta/table_features.hpp"
#include "delta/table_writer.hpp"
#include "common/parallel.hpp"
#include "common/uuid.hpp"
#include "delta/transaction.hpp"
#include "lakehouse/bronze_changes.hpp"
#include "lakehouse/bronze_state.hpp"
#include "lakehouse/silver_build.hpp"
#include "lakehouse/silver_writer.hpp"

namespace sl::lakehouse {

std::vector<std::string> silver_partition_columns(std::string_view table) {
  if (table == "activities" || table == "gold_wellbeing_parts" || table == "gold_monthly_parts")
    return {"start_year", "start_month"};
  if (table == "dq_issues") return {"table_name"};
  return {};
}

std::string silver_sort_column(std::string_view table) {
  if (table == "activities") return "activity_id";
  if (table == "dq_issues") return "row_key";
  if (table == "gold_wellbeing_parts") return "employee_id";
  if (table == "gold_monthly_parts") return "sport_type";
  return "";
}

Result<std::optional<delta::Snapshot>> silver_snapshot(const delta::Lake& lake,
                                                       std::string_view table) {
  auto storage = lake.table(delta::Layer::silver, table);
  auto snapshot = delta::load_snapshot(*storage);
  if (!snapshot && snapshot.error().code == Errc::not_found) return std::nullopt;
  if (!snapshot) return snapshot.error().with_context(lake.location(delta::Layer::silver, table));
  return std::optional<delta::Snapshot>(std::move(*snapshot));
}

Result<Watermarks> read_watermarks(const delta::Lake& lake) {
  SL_ASSIGN_OR_RETURN(auto snapshot, silver_snapshot(lake, "dq_issues"));
  Watermarks out;
  if (!snapshot) return out;
  for (const auto& [app, txn] : snapshot->app_transactions)
    if (app.starts_with(k_silver_app)) out[app.substr(k_silver_app.size())] = txn.version;
  return out;
}

namespace {

// Rows sorted by the table's key (stable: equal keys keep their order), so that a file covers a
// narrow key range and its stats let a changed key find the few files holding it.
columnar::RecordBatch sorted(columnar::RecordBatch rows, std::string_view table) {
  const std::string key = silver_sort_column(table);
  const columnar::Column* column = nullptr;
  for (size_t i = 0; i < rows.schema.size(); ++i)
    if (rows.schema[i].name == key) column = &rows.columns[i];
  if (!column || rows.num_rows < 2) return rows;
  // Rows built in key order (an increment's new activities) need no sorted copy.
  if (column->type.id == columnar::TypeId::int64 &&
      std::is_sorted(column->i64.begin(), column->i64.begin() + rows.num_rows))
    return rows;
  std::vector<uint32_t> order(rows.num_rows);
  std::iota(order.begin(), order.end(), 0);
  if (column->type.id == columnar::TypeId::int64)
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return column->i64[a] < column->i64[b]; });
  else if (column->type.id == columnar::TypeId::string)
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return column->string_at(a) < column->string_at(b);
    });
  columnar::take_rows_in_place(rows, order);  // a column at a time: a spill holds no second copy
  return rows;
}


}  // namespace

namespace {

delta::WriteOptions silver_write_options(std::string_view table) {
  delta::WriteOptions write;
  write.table_name = std::string(table);
  write.partition_columns = silver_partition_columns(table);
  write.max_rows_per_file = k_silver_rows_per_file;
  return write;
}

}  // namespace

std::optional<int64_t> file_records(const delta::Add& file) {
  simdjson::dom::parser parser;
  simdjson::dom::element stats;
  int64_t records = 0;
  if (!file.stats || parser.parse(file.stats->data(), file.stats->size()).get(stats) != simdjson::SUCCESS ||
      stats["numRecords"].get(records) != simdjson::SUCCESS)
    return std::nullopt;
  return records;
}

std::optional<int64_t> file_constant(const delta::Add& file, std::string_view column) {
  simdjson::dom::parser parser;
  simdjson::dom::element stats;
  int64_t low = 0, high = 0;
  if (!file.stats || parser.parse(file.stats->data(), file.stats->size()).get(stats) != simdjson::SUCCESS ||
      stats["minValues"][column].get(low) != simdjson::SUCCESS ||
      stats["maxValues"][column].get(high) != simdjson::SUCCESS || low != high)
    return std::nullopt;
  return low;
}

std::vector<delta::Add> files_of_month(const delta::Snapshot& snapshot, int year, int month) {
  const std::string y = std::to_string(year), m = std::to_string(month);
  std::vector<delta::Add> out;
  for (const auto& f : snapshot.files) {
    const auto fy = f.partition_values.find("start_year");
    const auto fm = f.partition_values.find("start_month");
    if (fy != f.partition_values.end() && fm != f.partition_values.end() && fy->second == y &&
        fm->second == m)
      out.push_back(f);
  }
  return out;
}

Result<std::vector<delta::Add>> write_silver_files(const delta::Lake& lake, std::string_view table,
                                                   columnar::RecordBatch rows) {
  if (rows.num_rows == 0) return std::vector<delta::Add>{};
  auto storage = lake.table(delta::Layer::silver, table);
  const auto write = silver_write_options(table);
  auto written = delta::write_data_files(*storage, sorted(std::move(rows), table),
                                         write.partition_columns, write, true);
  if (!written) return written.error().with_context(lake.location(delta::Layer::silver, table));
  return std::move(*written);
}

Status commit_silver(const delta::Lake& lake, std::string_view table,
                     const std::optional<delta::Snapshot>& current,
                     const std::vector<delta::Add>& replaced, columnar::RecordBatch rows,
                     const Watermarks& watermarks, const std::string& operation) {
  SilverFileWriter writer(lake, std::string(table));
  SL_TRY(writer.append(rows));
  rows = {};
  return writer.commit_replacing(current, replaced, watermarks, operation);
}

Status commit_silver_files(const delta::Lake& lake, std::string_view table,
                           const std::optional<delta::Snapshot>& current,
                           std::vector<delta::Add> removed, std::vector<delta::Add> adds,
                           const std::vector<columnar::Field>& fields,
                           const Watermarks& watermarks, const std::string& operation) {
  auto storage = lake.table(delta::Layer::silver, table);
  const auto where = [&] { return lake.location(delta::Layer::silver, table); };
  const auto partitions = silver_partition_columns(table);
  std::vector<delta::StructField> schema;
  for (const auto& f : fields) schema.push_back(delta::from_parquet_field(f));
  auto txn = current ? delta::Transaction::for_snapshot(*storage, *current)
                     : delta::Transaction::for_new_table(*storage);
  // A new table, or one written before this layout or with fewer columns: a new metaData.
  const std::string schema_json = delta::schema_to_json(delta::Schema{schema});
  if (!current || current->metadata.partition_columns != partitions ||
      (!schema.empty() && current->metadata.schema_string != schema_json &&
       current->schema.fields.size() < schema.size())) {
    delta::Metadata m;
    if (current) m = current->metadata;
    if (!current) {
      m.id = random_uuid();
      m.name = std::string(table);
      m.created_time = delta::now_ms({});
      txn.set_protocol(delta::Protocol{});
    }
    if (!schema.empty()) m.schema_string = schema_json;
    m.partition_columns = partitions;
    txn.set_metadata(std::move(m));
  }
  // A layout change replaces every file.
  if (current && current->metadata.partition_columns != partitions) removed = current->files;
  std::vector<delta::Remove> removes;
  const int64_t now = delta::now_ms({});
  for (const auto& f : removed) removes.push_back(delta::remove_of(f, now, /*data_change=*/true));
  const size_t files_added = adds.size(), files_removed = removes.size();
  txn.remove_files(std::move(removes));
  txn.add_files(std::move(adds));
  txn.set_read_whole_table(true);
  for (const auto& [name, version] : watermarks)
    txn.set_app_transaction(std::string(k_silver_app) + name, version);
  txn.set_operation(operation, {{"mode", "Overwrite"}},
                    {{"numAddedFiles", std::to_string(files_added)},
                     {"numRemovedFiles", std::to_string(files_removed)}});
  auto committed = txn.commit();
  if (!committed) return committed.error().with_context(where());
  const int64_t interval = current ? delta::checkpoint_interval(current->metadata) : 10;
  if (auto s = delta::after_commit(*storage, committed->version, interval, {});
      !s && s.error().code != Errc::unsupported)
    return s.error().with_context(where());
  return {};
}

Result<std::vector<delta::Add>> files_holding_keys(
    const delta::Lake& lake, std::string_view table, const delta::Snapshot& snapshot,
    const std::string& key_column, const std::function<bool(const delta::Add&)>& candidate,
    const std::function<bool(const columnar::Column&, size_t row)>& rebuilt,
    const std::function<Status(columnar::RecordBatch)>& keep) {
  std::vector<delta::Add> out;
  auto storage = lake.table(delta::Layer::silver, table);
  for (const auto& f : snapshot.files) {
    if (!candidate(f)) continue;
    SL_ASSIGN_OR_RETURN(auto rows, read_table_files(*storage, snapshot, {f}, {}));
    size_t key_index = rows.schema.size();
    for (size_t i = 0; i < rows.schema.size(); ++i)
      if (rows.schema[i].name == key_column) key_index = i;
    if (key_index == rows.schema.size())
      return make_error(Errc::corrupt, lake.location(delta::Layer::silver, table) +
                                           ": no column " + key_column);
    const auto& key = rows.columns[key_index];
    std::vector<uint32_t> others;
    for (size_t r = 0; r < rows.num_rows; ++r)
      if (!key.is_valid(r) || !rebuilt(key, r)) others.push_back(static_cast<uint32_t>(r));
    if (others.size() == rows.num_rows) continue;  // the stats' range held none of the keys
    out.push_back(f);
    SL_TRY(keep(columnar::take_rows(rows, others)));
  }
  return out;
}

Result<size_t> silver_row_count(const delta::Lake& lake, std::string_view table) {
  SL_ASSIGN_OR_RETURN(auto snapshot, silver_snapshot(lake, table));
  size_t rows = 0;
  if (!snapshot) return rows;
  for (const auto& f : snapshot->files) {
    const auto records = file_records(f);
    if (!records)
      return make_error(Errc::corrupt, lake.location(delta::Layer::silver, table) + ": " + f.path +
                                           " has no numRecords");
    rows += static_cast<size_t>(*records);
  }
  return rows;
}

namespace {

Result<BronzeState> read_silver(const delta::Lake& lake, std::string_view table,
                                std::vector<std::string> columns,
                                std::vector<delta::Predicate> filters = {}) {
  SL_ASSIGN_OR_RETURN(auto snapshot, silver_snapshot(lake, table));
  if (!snapshot) return BronzeState::every_row({});
  auto storage = lake.table(delta::Layer::silver, table);
  SL_ASSIGN_OR_RETURN(auto rows, read_table_files(*storage, *snapshot, snapshot->files,
                                                  std::move(columns), std::move(filters)));
  return BronzeState::every_row(std::move(rows));
}

// The same one live data file at a time (a file the filters' partition values exclude is not
// read), for reads whose result is smaller than the rows: the files are decoded on every core, a
// few ahead of `on_file` (delta::scan), which gets each file's columns in turn.
template <typename OnFile>
Status for_each_silver_file(const delta::Lake& lake, std::string_view table,
                            const std::vector<std::string>& columns,
                            const std::vector<delta::Predicate>& filters, OnFile&& on_file) {
  SL_ASSIGN_OR_RETURN(auto snapshot, silver_snapshot(lake, table));
  if (!snapshot) return {};
  return for_each_silver_file(lake, table, *snapshot, snapshot->files, columns, filters, on_file);
}

}  // namespace

Status for_each_silver_file(const delta::Lake& lake, std::string_view table,
                            const delta::Snapshot& snapshot, std::vector<delta::Add> files,
                            const std::vector<std::string>& columns,
                            const std::vector<delta::Predicate>& filters,
                            const std::function<Status(const columnar::RecordBatch&)>& on_file) {
  if (files.empty()) return {};
  const delta::Snapshot chosen = snapshot_of_files(snapshot, std::move(files));
  auto storage = lake.table(delta::Layer::silver, table);
  delta::ScanOptions scan;
  scan.columns = columns;
  scan.filters = filters;
  scan.threads = hardware_threads();
  Status failed;
  SL_TRY(delta::scan(*storage, chosen, scan, [&](columnar::RecordBatch&& rows) {
    if (rows.num_rows > 0) failed = on_file(rows);
    return failed.ok();
  }));
  if (!failed) return failed.error().with_context(storage->describe(""));
  return {};
}

Result<const columnar::Column*> silver_column(const columnar::RecordBatch& rows,
                                             std::string_view name, columnar::TypeId type) {
  for (size_t i = 0; i < rows.schema.size(); ++i)
    if (rows.schema[i].name == name) {
      if (rows.columns[i].type.id != type) break;
      return &rows.columns[i];
    }
  return make_error(Errc::corrupt, "no column '" + std::string(name) + "' of the expected type");
}

Result<std::unordered_set<int64_t>> silver_employee_ids(const delta::Lake& lake) {
  SL_ASSIGN_OR_RETURN(auto s, read_silver(lake, "employees", {"id"}));
  std::unordered_set<int64_t> ids;
  for (size_t r : s.rows())
    if (auto id = s.integer("id", r)) ids.insert(*id);
  return ids;
}

Result<std::vector<std::pair<int64_t, int64_t>>> silver_activities_of(
    const delta::Lake& lake, const std::set<int64_t>& employees) {
  std::vector<std::pair<int64_t, int64_t>> out;
  if (employees.empty()) return out;
  SL_ASSIGN_OR_RETURN(auto s, read_silver(lake, "activities", {"activity_id", "employee_id"}));
  for (size_t r : s.rows()) {
    auto employee = s.integer("employee_id", r);
    if (employee && employees.contains(*employee))
      out.emplace_back(s.integer("activity_id", r).value_or(0), *employee);
  }
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> silver_activity_findings_of(
    const delta::Lake& lake, const std::set<int64_t>& employees) {
  std::vector<std::pair<std::string, int64_t>> out;
  if (employees.empty()) return out;
  SL_ASSIGN_OR_RETURN(auto s, read_silver(lake, "dq_issues", {"row_key", "employee_id"},
                                          {{"table_name", delta::Predicate::Op::eq, "activities"}}));
  for (size_t r : s.rows()) {
    auto employee = s.integer("employee_id", r);
    if (employee && employees.contains(*employee))
      out.emplace_back(s.text("row_key", r).value_or(""), *employee);
  }
  return out;
}

Status add_silver_activities(const delta::Lake& lake, const delta::Snapshot& snapshot,
                             std::vector<delta::Add> files, YearActivities& into,
                             const std::vector<delta::Predicate>& filters) {
  return for_each_silver_file(
      lake, "activities", snapshot, std::move(files),
      {"activity_id", "employee_id", "sport_type", "distance_m", "moving_time_s", "elapsed_time_s",
       "start_date_local", "commute"},
      filters, [&](const columnar::RecordBatch& a) { return add_activity_columns(a, into, false); });
}

Status add_activity_columns(const columnar::RecordBatch& a, YearActivities& into,
                            bool this_year_only) {
  // Read as columns, their types those of lake_tables' activities spec: no per-cell lookup by
  // name and no string built per row (10M activities a year).
  using columnar::TypeId;
  SL_ASSIGN_OR_RETURN(auto id, silver_column(a, "activity_id", TypeId::int64));
  SL_ASSIGN_OR_RETURN(auto employee, silver_column(a, "employee_id", TypeId::int64));
  SL_ASSIGN_OR_RETURN(auto sport, silver_column(a, "sport_type", TypeId::string));
  SL_ASSIGN_OR_RETURN(auto distance, silver_column(a, "distance_m", TypeId::float64));
  SL_ASSIGN_OR_RETURN(auto moving, silver_column(a, "moving_time_s", TypeId::int32));
  SL_ASSIGN_OR_RETURN(auto elapsed, silver_column(a, "elapsed_time_s", TypeId::int32));
  SL_ASSIGN_OR_RETURN(auto start, silver_column(a, "start_date_local", TypeId::timestamp_us));
  SL_ASSIGN_OR_RETURN(auto commute, silver_column(a, "commute", TypeId::boolean));
  const columnar::Column* year = nullptr;
  if (this_year_only) {
    SL_ASSIGN_OR_RETURN(year, silver_column(a, "start_year", TypeId::int32));
  }
  for (size_t r = 0; r < a.num_rows; ++r) {
    if (year && (!year->is_valid(r) || year->i32[r] != into.year())) continue;
    const int64_t seconds = moving->is_valid(r)    ? moving->i32[r]
                            : elapsed->is_valid(r) ? elapsed->i32[r]
                                                   : 0;
    into.add(id->is_valid(r) ? id->i64[r] : 0, employee->is_valid(r) ? employee->i64[r] : 0,
             start->is_valid(r) ? std::optional<int64_t>(start->i64[r]) : std::nullopt,
             commute->is_valid(r) && commute->bools[r] != 0,
             sport->is_valid(r) ? sport->string_at(r) : std::string_view(),
             distance->is_valid(r) ? distance->f64[r] : 0, seconds);
  }
  return {};
}

Status count_finding_columns(const columnar::RecordBatch& issues, FindingCounts& into) {
  SL_ASSIGN_OR_RETURN(auto severity, silver_column(issues, "severity", columnar::TypeId::string));
  for (size_t r = 0; r < issues.num_rows; ++r)
    if (severity->is_valid(r)) into.add(severity->string_at(r));
  return {};
}

Result<GoldInputs> read_silver_for_gold(const delta::Lake& lake, int year) {
  GoldInputs in(year);
  SL_ASSIGN_OR_RETURN(auto e, read_silver(lake, "employees", {}));
  for (size_t r : e.rows()) {
    Employee x = employee_columns(e, r);
    x.commute_mode = e.text("commute_mode", r).value_or("");
    x.sport_declared = e.text("sport_declared", r).value_or("");
    x.sport = e.text("sport", r).value_or("");
    in.employees.push_back(std::move(x));
  }
  SL_ASSIGN_OR_RETURN(auto c, read_silver(lake, "commutes", {}));
  for (size_t r : c.rows()) {
    Commute x;
    x.employee_id = c.integer("employee_id", r).value_or(0);
    x.adresse_complete = c.text("adresse_complete", r).value_or("");
    x.moyen_deplacement = c.text("moyen_deplacement", r).value_or("");
    x.travel_mode = c.text("travel_mode", r).value_or("");
    x.distance_m = c.number("distance_m", r);
    x.distance_source = c.text("distance_source", r).value_or("");
    x.distance_estimate = c.boolean("distance_estimate", r).value_or(false);
    x.address_match = c.text("address_match", r).value_or("");
    x.commune = c.text("commune", r).value_or("");
    in.commutes.push_back(std::move(x));
  }
  using columnar::TypeId;
  SL_TRY(for_each_silver_file(lake, "dq_issues", {"severity"}, {},
                              [&](const columnar::RecordBatch& i) {
                                return count_finding_columns(i, in.findings);
                              }));
  return in;
}

}  // namespace sl::lakehouse
