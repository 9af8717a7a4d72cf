// Scan planning (partition and stats pruning), file reading and row filtering.
#include "delta/scan.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "columnar/batch_ops.hpp"
#include "delta/partitions.hpp"
#include "delta/projected_read.hpp"
#include "parquet/file_reader.hpp"

namespace sl::delta {

using columnar::append_batch;
using columnar::null_column;
using columnar::take_rows;

namespace {

using columnar::Column;
using columnar::TypeId;
using Op = Predicate::Op;
using parquet::compare_values;

// A predicate bound to the table: its column's type and the literal as a 1-value column.
struct BoundPredicate {
  const Predicate* predicate;
  columnar::Field field;
  Column literal;
  bool is_partition = false;
};

Result<std::vector<BoundPredicate>> bind(const Snapshot& snapshot,
                                         const std::vector<Predicate>& filters) {
  std::vector<BoundPredicate> out;
  for (const auto& p : filters) {
    const StructField* f = snapshot.schema.find(p.column);
    if (!f)
      return make_error(Errc::invalid_argument, "filter on unknown column '" + p.column + "'");
    if (f->type.kind != DataType::Kind::primitive) {
      return make_error(Errc::invalid_argument, "filter on nested column '" + p.column + "'");
    }
    SL_ASSIGN_OR_RETURN(auto field, to_parquet_field(*f));
    BoundPredicate b{&p, field, Column(field.type), snapshot.is_partition_column(p.column)};
    if (p.op != Op::is_null && p.op != Op::is_not_null) {
      SL_TRY(append_literal_value(b.literal, p.value, p.column));
      if (!b.literal.is_valid(0)) {
        return make_error(Errc::invalid_argument,
                          "filter on '" + p.column + "' compares with an empty value");
      }
    }
    out.push_back(std::move(b));
  }
  return out;
}

// Whether a value (possibly null) satisfies the predicate.
bool row_matches(const BoundPredicate& b, const Column& c, size_t row) {
  bool valid = c.is_valid(row);
  if (b.predicate->op == Op::is_null) return !valid;
  if (b.predicate->op == Op::is_not_null) return valid;
  return valid && parquet::comparison_holds(compare_values(c, row, b.literal, 0), b.predicate->op);
}

// Whether a file may hold matching rows, judged from its stats JSON.
bool stats_may_match(const BoundPredicate& b, simdjson::dom::element stats) {
  const auto& name = b.predicate->column;
  // Absent counts stay -1 (unknown): nothing is pruned on them.
  int64_t records = -1;
  if (stats["numRecords"].get(records) != simdjson::SUCCESS) records = -1;
  int64_t nulls = -1;
  if (stats["nullCount"][name].get(nulls) != simdjson::SUCCESS) nulls = -1;
  if (b.predicate->op == Op::is_null) return nulls != 0;
  if (b.predicate->op == Op::is_not_null) return !(records >= 0 && nulls == records);
  if (records >= 0 && nulls == records) return false;  // all null: no comparison holds
  auto bound = [&](const char* section) -> std::optional<Column> {
    simdjson::dom::element e;
    if (stats[section][name].get(e) != simdjson::SUCCESS) return std::nullopt;
    Column c(b.field.type);
    std::string text;
    std::string_view s;
    if (e.get(s) == simdjson::SUCCESS) {
      text = std::string(s);
    } else {
      text = simdjson::minify(e);
    }
    if (!append_literal_value(c, text, name).ok() || !c.is_valid(0)) return std::nullopt;
    if (b.field.type.id == TypeId::timestamp_us && std::string_view(section) == "maxValues") {
      c.i64[0] += 999;  // stats keep milliseconds, truncated down
    }
    if (b.field.type.id == TypeId::float32 || b.field.type.id == TypeId::float64) {
      return std::nullopt;  // float bounds print rounded: do not prune on them
    }
    return c;
  };
  auto lo = bound("minValues");
  auto hi = bound("maxValues");
  const Column& v = b.literal;
  switch (b.predicate->op) {
    case Op::eq:
      return !(lo && compare_values(*lo, 0, v, 0) > 0) && !(hi && compare_values(*hi, 0, v, 0) < 0);
    case Op::lt:
      return !(lo && compare_values(*lo, 0, v, 0) >= 0);
    case Op::le:
      return !(lo && compare_values(*lo, 0, v, 0) > 0);
    case Op::gt:
      return !(hi && compare_values(*hi, 0, v, 0) <= 0);
    case Op::ge:
      return !(hi && compare_values(*hi, 0, v, 0) < 0);
    default:
      return true;
  }
}

}  // namespace

Result<Predicate> parse_predicate(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (auto [suffix, op] :
       {std::pair{" is not null", Op::is_not_null}, std::pair{" is null", Op::is_null}}) {
    if (lower.ends_with(suffix)) {
      return Predicate{
          std::string(trim(text.substr(0, text.size() - std::string_view(suffix).size()))), op, ""};
    }
  }
  static constexpr std::pair<std::string_view, Op> k_ops[] = {
      {"!=", Op::ne}, {">=", Op::ge}, {"<=", Op::le}, {"=", Op::eq}, {">", Op::gt}, {"<", Op::lt}};
  for (auto [symbol, op] : k_ops) {
    auto pos = text.find(symbol);
    if (pos == std::string_view::npos) continue;
    auto value = trim(text.substr(pos + symbol.size()));
    if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    return Predicate{std::string(trim(text.substr(0, pos))), op, std::string(value)};
  }
  return make_error(Errc::invalid_argument,
                    "filter '" + std::string(text) +
                        "': expected COLUMN (=|!=|<|<=|>|>=) VALUE or COLUMN is [not] null");
}

Result<ScanPlan> plan_scan(const Snapshot& snapshot, const ScanOptions& options) {
  SL_ASSIGN_OR_RETURN(auto bound, bind(snapshot, options.filters));
  ScanPlan plan;
  simdjson::dom::parser parser;
  for (const auto& file : snapshot.files) {
    bool keep = true;
    for (const auto& b : bound) {
      if (!b.is_partition) continue;
      Column value(b.field.type);
      auto it = file.partition_values.find(b.predicate->column);
      SL_TRY(append_partition_value(value,
                                    it == file.partition_values.end() ? std::nullopt : it->second,
                                    b.predicate->column));
      if (!row_matches(b, value, 0)) keep = false;
    }
    if (!keep) {
      ++plan.skipped_by_partition;
      continue;
    }
    if (file.stats) {
      simdjson::dom::element stats;
      if (parser.parse(file.stats->data(), file.stats->size()).get(stats) == simdjson::SUCCESS) {
        for (const auto& b : bound) {
          if (!b.is_partition && !stats_may_match(b, stats)) keep = false;
        }
      }
    }
    if (!keep) {
      ++plan.skipped_by_stats;
      continue;
    }
    plan.files.push_back(&file);
  }
  return plan;
}

Result<std::vector<columnar::Field>> scan_schema(const Snapshot& snapshot,
                                                 const ScanOptions& options) {
  std::vector<columnar::Field> out;
  auto add = [&](const StructField& f) -> Status {
    StructField readable = f;
    const bool local = f.type.kind == DataType::Kind::primitive &&
                       f.type.primitive == PrimitiveType::timestamp_ntz;
    if (local) readable.type = DataType::of(PrimitiveType::timestamp);  // same physical values
    SL_ASSIGN_OR_RETURN(auto field, to_parquet_field(readable));
    if (local) field.type.display = columnar::Display::local_timestamp;  // printed without 'Z'
    out.push_back(std::move(field));
    return {};
  };
  if (options.columns.empty()) {
    for (const auto& f : snapshot.schema.fields) SL_TRY(add(f));
    return out;
  }
  for (const auto& name : options.columns) {
    const StructField* f = snapshot.schema.find(name);
    if (!f) return make_error(Errc::invalid_argument, "no column '" + name + "' in the table");
    SL_TRY(add(*f));
  }
  return out;
}

namespace {

// A data file's rows as the scan hands them over: `data` (the file's columns read) shaped to
// `fields` — partition columns from the add's `partitionValues`, fields the file lacks as nulls.
Result<columnar::RecordBatch> shape_rows(const Storage& storage, const Snapshot& snapshot,
                                         const Add& add, const std::string& path,
                                         const std::vector<columnar::Field>& fields,
                                         columnar::RecordBatch data) {
  columnar::RecordBatch out;
  out.num_rows = data.num_rows;
  for (const auto& f : fields) {
    out.schema.push_back(f);
    if (snapshot.is_partition_column(f.name)) {
      // Parsed once per file, then repeated for every row.
      auto it = add.partition_values.find(f.name);
      std::optional<std::string> value =
          it == add.partition_values.end() ? std::nullopt : it->second;
      Column one(f.type);
      SL_TRY(append_partition_value(one, value, f.name));
      Column c = take_rows(one, std::vector<uint32_t>(out.num_rows, 0));
      out.columns.push_back(std::move(c));
      continue;
    }
    auto pos = std::find_if(data.schema.begin(), data.schema.end(),
                            [&](const columnar::Field& d) { return d.name == f.name; });
    if (pos == data.schema.end()) {
      out.columns.push_back(null_column(f, out.num_rows));
      continue;
    }
    Column& c = data.columns[static_cast<size_t>(pos - data.schema.begin())];
    // How a value prints is the table's business (a timestamp_ntz column's files may or may not
    // say isAdjustedToUTC=false): only the values must agree.
    c.type.display = f.type.display;
    if (!(c.type == f.type)) {
      return make_error(Errc::corrupt,
                        "data file " + storage.describe(path) + ": column '" + f.name + "' is " +
                            std::string(columnar::type_name(c.type.id)) + ", the table says " +
                            std::string(columnar::type_name(f.type.id)));
    }
    out.columns.push_back(std::move(c));
  }
  return out;
}

// Reads one data file and hands its rows to `emit` (false: stop): one batch, or one per row
// group when `per_row_group` (a consumer that streams then holds one row group at a time).
Status read_file(const Storage& storage, const Snapshot& snapshot, const Add& add,
                 const std::vector<columnar::Field>& fields, RequestGate* gate,
                 bool per_row_group, const std::function<bool(columnar::RecordBatch&&)>& emit) {
  if (add.deletion_vector) {
    return make_error(Errc::unsupported,
                      "file '" + add.path + "' has a deletion vector (deletionVectors)");
  }
  SL_ASSIGN_OR_RETURN(auto path, decode_uri_path(add.path));
  if (path.find("://") != std::string::npos || path.starts_with("file:") || path.starts_with("/")) {
    return make_error(Errc::unsupported, "absolute data file path '" + add.path + "'");
  }
  std::vector<std::string> projected;
  for (const auto& f : fields)
    if (!snapshot.is_partition_column(f.name)) projected.push_back(f.name);
  auto unreadable = [&](const Error& e) {
    return make_error(e.code == Errc::not_found ? Errc::corrupt : e.code,
                      "data file " + storage.describe(path) + " of version " +
                          std::to_string(snapshot.version) + " cannot be read: " + e.message);
  };
  std::unique_ptr<parquet::ParquetReader> reader;
  if (const std::string local = storage.local_file(path); !local.empty()) {
    // Mapped: only the footer's and the projected chunks' pages are read, nothing is copied.
    if (!std::filesystem::exists(local)) return unreadable(make_error(Errc::not_found, local));
    SL_ASSIGN_OR_RETURN(reader, parquet::ParquetReader::open(local));
  } else {
    auto bytes = read_projected(storage, path,
                                static_cast<uint64_t>(std::max<int64_t>(0, add.size)), projected,
                                nullptr, gate);
    if (!bytes.ok()) return unreadable(bytes.error());
    SL_ASSIGN_OR_RETURN(reader, parquet::ParquetReader::open_bytes(std::move(*bytes),
                                                                   storage.describe(path)));
  }
  std::vector<std::string> wanted;
  for (const auto& f : fields) {
    if (snapshot.is_partition_column(f.name)) continue;
    for (const auto& file_field : reader->schema()) {
      if (file_field.name == f.name) wanted.push_back(f.name);
    }
  }
  if (wanted.empty() || !per_row_group) {
    columnar::RecordBatch data;
    if (!wanted.empty()) {
      SL_ASSIGN_OR_RETURN(data, reader->read_all(wanted));
    } else {
      data.num_rows = static_cast<size_t>(reader->metadata().num_rows);
    }
    SL_ASSIGN_OR_RETURN(auto rows, shape_rows(storage, snapshot, add, path, fields, std::move(data)));
    emit(std::move(rows));
    return {};
  }
  for (size_t g = 0; g < reader->num_row_groups(); ++g) {
    SL_ASSIGN_OR_RETURN(auto data, reader->read_row_group(g, wanted));
    SL_ASSIGN_OR_RETURN(auto rows, shape_rows(storage, snapshot, add, path, fields, std::move(data)));
    if (!emit(std::move(rows))) break;
  }
  return {};
}

// read_file's one batch of a whole file (the scan's parallel readers hold whole files).
Result<columnar::RecordBatch> read_whole_file(const Storage& storage, const Snapshot& snapshot,
                                              const Add& add,
                                              const std::vector<columnar::Field>& fields,
                                              RequestGate* gate) {
  columnar::RecordBatch out;
  SL_TRY(read_file(storage, snapshot, add, fields, gate, false, [&](columnar::RecordBatch&& b) {
    out = std::move(b);
    return true;
  }));
  return out;
}

}  // namespace

Status scan(const Storage& storage, const Snapshot& snapshot, const ScanOptions& options,
            const std::function<bool(columnar::RecordBatch&&)>& on_batch) {
  SL_ASSIGN_OR_RETURN(auto fields, scan_schema(snapshot, options));
  SL_ASSIGN_OR_RETURN(auto plan, plan_scan(snapshot, options));
  SL_ASSIGN_OR_RETURN(auto bound, bind(snapshot, options.filters));
  // Filter columns that are not projected are read too, then dropped.
  std::vector<columnar::Field> read_fields = fields;
  for (const auto& b : bound) {
    bool present = std::any_of(read_fields.begin(), read_fields.end(),
                               [&](const columnar::Field& f) { return f.name == b.field.name; });
    if (!present) read_fields.push_back(b.field);
  }
  // Files are read (fetched and decoded) on up to max(`max_parallel_reads`, threads) threads, at most
  // 2 × that many files ahead of the consumer (memory stays bounded), and handed over in plan
  // order; every request of every file holds a slot of one gate.
  const size_t parallel = static_cast<size_t>(std::max(storage.max_parallel_reads(), 1));
  RequestGate gate(static_cast<int>(parallel));
  const size_t n = plan.files.size();
  // A batch per row group: files one after the other, none read ahead.
  const size_t workers =
      options.batch_per_row_group ? 1 : std::min(std::max(parallel, options.threads), n);
  const size_t window = 2 * std::max<size_t>(workers, 1);
  std::vector<std::optional<Result<columnar::RecordBatch>>> ready(n);
  std::mutex mutex;
  std::condition_variable changed;
  size_t next = 0, consumed = 0;
  bool stop = false;
  auto worker = [&] {
    std::unique_lock lock(mutex);
    while (true) {
      changed.wait(lock, [&] { return stop || next >= n || next < consumed + window; });
      if (stop || next >= n) return;
      const size_t i = next++;
      lock.unlock();
      auto batch = read_whole_file(storage, snapshot, *plan.files[i], read_fields, &gate);
      lock.lock();
      ready[i] = std::move(batch);
      changed.notify_all();
    }
  };
  std::vector<std::thread> pool;
  if (workers > 1)
    for (size_t t = 0; t < workers; ++t) pool.emplace_back(worker);
  struct Joiner {
    std::vector<std::thread>& pool;
    std::mutex& mutex;
    std::condition_variable& changed;
    bool& stop;
    ~Joiner() {
      {
        std::lock_guard lock(mutex);
        stop = true;
      }
      changed.notify_all();
      for (auto& t : pool) t.join();
    }
  } joiner{pool, mutex, changed, stop};
  // Keeps the rows that match every filter and hands the batch over; false: stop.
  bool stopped = false;
  // A partition column's predicates were decided for the whole file by the plan (its rows all
  // carry the file's value): rows are filtered on the data columns' predicates only, so a scan
  // of chosen partitions hands the files' rows over without copying them.
  std::vector<const BoundPredicate*> row_filters;
  for (const auto& b : bound)
    if (!b.is_partition) row_filters.push_back(&b);
  auto deliver = [&](columnar::RecordBatch&& batch) {
    if (!row_filters.empty()) {
      std::vector<const Column*> columns;
      for (const auto* b : row_filters)
        columns.push_back(&batch.columns[static_cast<size_t>(
            std::find_if(batch.schema.begin(), batch.schema.end(),
                         [&](const columnar::Field& f) { return f.name == b->field.name; }) -
            batch.schema.begin())]);
      std::vector<uint32_t> keep;
      for (size_t r = 0; r < batch.num_rows; ++r) {
        bool ok = true;
        for (size_t i = 0; ok && i < row_filters.size(); ++i)
          ok = row_matches(*row_filters[i], *columns[i], r);
        if (ok) keep.push_back(static_cast<uint32_t>(r));
      }
      batch = take_rows(batch, keep);
    }
    batch.schema.resize(fields.size());
    batch.columns.resize(fields.size());
    stopped = !on_batch(std::move(batch));
    return !stopped;
  };
  for (size_t i = 0; i < n && !stopped; ++i) {
    if (pool.empty()) {
      SL_TRY(read_file(storage, snapshot, *plan.files[i], read_fields, &gate,
                       options.batch_per_row_group, deliver));
      continue;
    }
    Result<columnar::RecordBatch> read = columnar::RecordBatch{};
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return ready[i].has_value(); });
      read = std::move(*ready[i]);
      ready[i].reset();
      consumed = i + 1;
      changed.notify_all();
    }
    SL_ASSIGN_OR_RETURN(auto batch, std::move(read));
    deliver(std::move(batch));
  }
  return {};
}

Result<columnar::RecordBatch> scan_all(const Storage& storage, const Snapshot& snapshot,
                                       const ScanOptions& options) {
  columnar::RecordBatch all;
  Status failed;
  SL_TRY(scan(storage, snapshot, options, [&](columnar::RecordBatch&& b) {
    auto s = append_batch(all, b);
    if (!s.ok()) {
      failed = s;
      return false;
    }
    return true;
  }));
  SL_TRY(failed);
  if (all.schema.empty()) {
    SL_ASSIGN_OR_RETURN(all.schema, scan_schema(snapshot, options));
    for (const auto& f : all.schema) all.columns.push_back(Column::for_field(f));
  }
  return all;
}

}  // namespace sl::delta
