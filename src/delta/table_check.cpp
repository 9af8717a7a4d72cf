// check_table and the check record (see the header).
#include "delta/table_check.hpp"

#include <nlohmann/json.hpp>

#include "common/civil_time.hpp"
#include "delta/partitions.hpp"
#include "delta/stats.hpp"
#include "parquet/file_check.hpp"
#include "parquet/file_reader.hpp"

namespace sl::delta {

using nlohmann::json;

std::string TableFinding::to_string() const {
  std::string out = file;
  if (row_group) out += ": row group " + std::to_string(*row_group);
  if (!column.empty()) out += std::string(row_group ? ", " : ": ") + "column '" + column + "'";
  return out + ": " + message;
}

namespace {

// -1, 0, 1 comparing two statistic values of one column (numbers by value, timestamps by instant
// whatever their fraction digits, other strings by bytes); nullopt when they do not compare.
std::optional<int> compare_stat(const json& a, const json& b) {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (a.is_number_integer() && b.is_number_integer())
    return cmp(a.get<int64_t>(), b.get<int64_t>());
  if (a.is_number() && b.is_number()) return cmp(a.get<double>(), b.get<double>());
  if (a.is_string() && b.is_string()) {
    const auto& x = a.get_ref<const std::string&>();
    const auto& y = b.get_ref<const std::string&>();
    if (x.find('T') != std::string::npos && y.find('T') != std::string::npos) {
      auto tx = parse_timestamp(x), ty = parse_timestamp(y);
      if (tx && ty) return cmp(*tx, *ty);
    }
    return cmp(x, y);
  }
  return std::nullopt;
}

// The log's stats of one file against those recomputed from its values (`actual`), column by
// column, nested structs included (`path` names the column).
void compare_stats(const json& logged, const json& actual, const std::string& kind,
                   const std::string& path, std::vector<std::string>& problems) {
  if (logged.is_object() && actual.is_object()) {
    for (const auto& [name, value] : logged.items()) {
      if (!actual.contains(name)) continue;  // not recomputed (e.g. a long string's max)
      compare_stats(value, actual[name], kind, path.empty() ? name : path + "." + name, problems);
    }
    return;
  }
  auto c = compare_stat(logged, actual);
  if (!c) return;
  const bool wrong = kind == "nullCount" ? *c != 0 : kind == "minValues" ? *c > 0 : *c < 0;
  if (!wrong) return;
  problems.push_back("the log's stats give " + kind + " " + logged.dump() + " for column '" +
                     path + "', its values " + actual.dump());
}

void check_file(const Storage& storage, const Add& add, TableCheck& check) {
  auto finding = [&](const std::string& file, std::string message) {
    check.findings.push_back({file, std::nullopt, "", std::move(message)});
  };
  auto path = decode_uri_path(add.path);
  if (!path) return finding(add.path, path.error().message);
  const std::string name = storage.describe(*path);
  auto bytes = storage.read(*path);
  if (!bytes) return finding(name, "cannot be read: " + bytes.error().message);
  if (static_cast<int64_t>(bytes->size()) != add.size) {
    finding(name, "holds " + std::to_string(bytes->size()) + " bytes, the log says " +
                      std::to_string(add.size));
  }
  auto reader = parquet::ParquetReader::open_bytes(std::move(*bytes), name);
  if (!reader) return finding(name, reader.error().message);
  const parquet::ParquetReader& file = **reader;

  columnar::RecordBatch values;
  for (const auto& f : file.schema()) {
    values.schema.push_back(f);
    values.columns.push_back(columnar::Column::for_field(f));
  }
  const auto& groups = file.metadata().row_groups;
  auto result = parquet::check_file(file, [&](size_t g, size_t f, columnar::Column&& column) {
    values.columns[f].append_rows(column, 0, static_cast<size_t>(groups[g].num_rows));
  });
  check.rows += result.rows;
  check.pages += result.pages;
  check.pages_with_crc += result.pages_with_crc;
  const bool values_read = result.findings.empty();
  for (auto& f : result.findings)
    check.findings.push_back({name, f.row_group, std::move(f.column), std::move(f.message)});

  if (!add.stats) return;
  const json logged = json::parse(add.stats->view(), nullptr, false);
  if (!logged.is_object()) return finding(name, "the log's stats are not a JSON object");
  if (logged.contains("numRecords") && logged["numRecords"].is_number_integer() &&
      logged["numRecords"].get<int64_t>() != result.rows) {
    finding(name, "the log's stats give numRecords " + logged["numRecords"].dump() +
                      ", the file holds " + std::to_string(result.rows) + " rows");
  }
  if (!values_read) return;  // the values of a damaged file prove nothing about its stats
  values.num_rows = static_cast<size_t>(result.rows);
  const json actual = json::parse(collect_stats(values, 0, values.num_rows), nullptr, false);
  std::vector<std::string> problems;
  for (const char* kind : {"nullCount", "minValues", "maxValues"}) {
    if (logged.contains(kind) && actual.contains(kind))
      compare_stats(logged[kind], actual[kind], kind, "", problems);
  }
  for (auto& p : problems) finding(name, std::move(p));
}

}  // namespace

TableCheck check_table(const Storage& storage, const Snapshot& snapshot) {
  TableCheck check;
  check.version = snapshot.version;
  check.files = snapshot.files.size();
  for (const auto& add : snapshot.files) check_file(storage, add, check);
  return check;
}

Status save_check_record(Storage& storage, const TableCheck& check, int64_t now_ms) {
  SL_ASSIGN_OR_RETURN(auto previous, load_check_record(storage));
  json j;
  j["checked_at_ms"] = now_ms;
  j["version"] = check.version;
  j["files"] = check.files;
  j["findings"] = check.findings.size();
  j["clean"] = check.clean();
  if (check.clean()) {
    j["last_clean_at_ms"] = now_ms;
    j["last_clean_version"] = check.version;
  } else if (previous && previous->last_clean_at_ms) {
    j["last_clean_at_ms"] = *previous->last_clean_at_ms;
    j["last_clean_version"] = previous->last_clean_version.value_or(-1);
  }
  return storage.put(k_check_record_path, j.dump() + "\n");
}

Result<std::optional<CheckRecord>> load_check_record(const Storage& storage) {
  auto bytes = storage.read(k_check_record_path);
  if (!bytes) {
    if (bytes.error().code == Errc::not_found) return std::optional<CheckRecord>();
    return bytes.error();
  }
  const json j = json::parse(*bytes, nullptr, false);
  if (!j.is_object()) {
    return make_error(Errc::corrupt, storage.describe(k_check_record_path) + " is not a JSON object");
  }
  CheckRecord r;
  r.checked_at_ms = j.value("checked_at_ms", int64_t{0});
  r.version = j.value("version", int64_t{-1});
  r.files = j.value("files", size_t{0});
  r.findings = j.value("findings", size_t{0});
  r.clean = j.value("clean", false);
  if (j.contains("last_clean_at_ms")) r.last_clean_at_ms = j["last_clean_at_ms"].get<int64_t>();
  if (j.contains("last_clean_version"))
    r.last_clean_version = j["last_clean_version"].get<int64_t>();
  return std::optional<CheckRecord>(r);
}

}  // namespace sl::delta
