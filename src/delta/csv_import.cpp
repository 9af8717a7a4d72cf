// CSV import: type inference (pass 1) and conversion in batches (pass 2).
#include "delta/csv_import.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>

#include "common/csv_reader.hpp"
#include "common/fs.hpp"
#include "delta/partitions.hpp"

namespace sl::delta {

namespace {

using columnar::Column;
using columnar::TypeId;

// In order of preference: the first that every non-empty cell parses as wins.
constexpr TypeId k_candidates[] = {TypeId::int64, TypeId::float64, TypeId::boolean, TypeId::date32,
                                   TypeId::timestamp_us};

Error ragged(const std::string& origin, const csv::Record& record, size_t header_fields) {
  return make_error(Errc::parse, origin + ":" + std::to_string(record.line) + ": " +
                                     std::to_string(record.fields.size()) +
                                     " fields, the header has " + std::to_string(header_fields));
}

// Appends one CSV cell to a column of its type.
Status append_cell(Column& column, const std::string& cell, std::string_view name) {
  if (cell.empty() && column.type.id == TypeId::string) {
    column.append_string("");
    return {};
  }
  return append_literal_value(column, cell, name);
}

}  // namespace

Result<std::vector<columnar::Field>> infer_csv_fields(std::string_view text,
                                                      const std::string& origin,
                                                      const std::vector<CsvColumnType>& given) {
  csv::CsvReader reader(text, origin);
  csv::Record record;
  SL_ASSIGN_OR_RETURN(bool has_header, reader.next(record));
  if (!has_header) return make_error(Errc::parse, origin + ": empty CSV (no header)");
  std::vector<columnar::Field> fields;
  for (const auto& name : record.fields) fields.push_back({name, {TypeId::string}, true});
  std::vector<bool> fixed(fields.size(), false);
  for (const auto& [given_name, type] : given) {
    const std::string& name = given_name;  // clang 14 cannot capture a structured binding
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&](const columnar::Field& f) { return f.name == name; });
    if (it == fields.end()) {
      return make_error(Errc::invalid_argument,
                        origin + " has no column '" + name + "' (a type was given for it)");
    }
    it->type = type;
    fixed[static_cast<size_t>(it - fields.begin())] = true;
  }
  constexpr size_t k_all = (1u << std::size(k_candidates)) - 1;
  std::vector<size_t> possible(fields.size(), k_all);  // bit k: k_candidates[k] still holds
  std::vector<bool> any_value(fields.size(), false);
  std::vector<Column> scratch;
  for (TypeId id : k_candidates) scratch.emplace_back(columnar::DataType{id});
  while (true) {
    SL_ASSIGN_OR_RETURN(bool more, reader.next(record));
    if (!more) break;
    if (record.fields.size() != fields.size()) return ragged(origin, record, fields.size());
    for (size_t c = 0; c < fields.size(); ++c) {
      const std::string& cell = record.fields[c];
      if (fixed[c] || cell.empty()) continue;
      any_value[c] = true;
      for (size_t k = 0; k < std::size(k_candidates); ++k) {
        if (!(possible[c] & (size_t{1} << k))) continue;
        scratch[k] = Column(scratch[k].type);
        if (!append_literal_value(scratch[k], cell, fields[c].name, BooleanCase::exact).ok())
          possible[c] &= ~(size_t{1} << k);
      }
    }
  }
  for (size_t c = 0; c < fields.size(); ++c) {
    if (fixed[c] || !any_value[c]) continue;
    for (size_t k = 0; k < std::size(k_candidates); ++k) {
      if (possible[c] & (size_t{1} << k)) {
        fields[c].type = {k_candidates[k]};
        break;
      }
    }
  }
  return fields;
}

Result<size_t> read_csv_batches(std::string_view text, const std::string& origin,
                                const std::vector<columnar::Field>& fields, size_t batch_rows,
                                const std::function<Status(columnar::RecordBatch&&)>& consume) {
  csv::CsvReader reader(text, origin);
  csv::Record record;
  SL_TRY(reader.next(record));  // the header
  columnar::RecordBatch batch;
  size_t rows = 0;
  auto flush = [&]() -> Status {
    if (batch.num_rows > 0) SL_TRY(consume(std::move(batch)));
    batch = columnar::RecordBatch{fields, {}, 0};
    for (const auto& f : fields) batch.columns.emplace_back(f.type);
    return {};
  };
  SL_TRY(flush());
  while (true) {
    SL_ASSIGN_OR_RETURN(bool more, reader.next(record));
    if (!more) break;
    if (record.fields.size() != fields.size()) return ragged(origin, record, fields.size());
    for (size_t c = 0; c < fields.size(); ++c) {
      if (auto st = append_cell(batch.columns[c], record.fields[c], fields[c].name); !st) {
        return make_error(Errc::parse,
                          origin + ":" + std::to_string(record.line) + ": " + st.error().message);
      }
    }
    ++batch.num_rows;
    ++rows;
    if (batch.num_rows == batch_rows) SL_TRY(flush());
  }
  SL_TRY(flush());
  return rows;
}

Result<columnar::RecordBatch> read_csv_file(const std::filesystem::path& path) {
  SL_ASSIGN_OR_RETURN(auto bytes, fs::read_file(path));
  const std::string origin = path.filename().string();
  const std::string_view text = csv::strip_bom(bytes);
  SL_ASSIGN_OR_RETURN(auto fields, infer_csv_fields(text, origin));
  columnar::RecordBatch whole{fields, {}, 0};
  for (const auto& f : fields) whole.columns.emplace_back(f.type);
  SL_TRY(read_csv_batches(text, origin, fields, SIZE_MAX, [&](columnar::RecordBatch&& batch) {
    whole = std::move(batch);
    return Status{};
  }));
  return whole;
}

}  // namespace sl::delta
