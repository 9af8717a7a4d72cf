// Change events → typed Bronze rows.
#include "lakehouse/bronze_rows.hpp"

#include "cdc/pg_text.hpp"
#include "columnar/memory_size.hpp"
#include "common/json_writer.hpp"
#include "lakehouse/lake_types.hpp"

namespace sl::lakehouse {

using columnar::DataType;
using columnar::Field;
using columnar::TypeId;

namespace {

const std::vector<Field>& metadata_fields() {
  static const std::vector<Field> fields = {
      {"_op", DataType{TypeId::string}, false},
      {"_lsn", DataType{TypeId::int64}, false},
      {"_commit_lsn", DataType{TypeId::int64}, false},
      {"_tx_id", DataType{TypeId::int64}, true},
      {"_commit_ts", DataType{TypeId::timestamp_us}, false},
      {"_ingest_ts", DataType{TypeId::timestamp_us}, false},
      {"_unconverted", DataType{TypeId::string}, true},
  };
  return fields;
}

}  // namespace

std::vector<Field> bronze_fields(const pg::Relation& relation) {
  std::vector<Field> fields;
  for (const auto& column : relation.columns)
    fields.push_back({column.name, lake_type(column.type_oid, column.type_modifier), true});
  for (const auto& f : metadata_fields()) fields.push_back(f);
  return fields;
}

BronzeRows::BronzeRows(const pg::Relation& relation) : fields_(bronze_fields(relation)) {
  for (const auto& column : relation.columns) type_oids_.push_back(column.type_oid);
  reset_columns();
}

bool BronzeRows::fits(const pg::Relation& relation) const {
  if (relation.columns.size() != type_oids_.size()) return false;
  for (size_t i = 0; i < relation.columns.size(); ++i) {
    const auto& column = relation.columns[i];
    if (column.name != fields_[i].name || column.type_oid != type_oids_[i] ||
        !(lake_type(column.type_oid, column.type_modifier) == fields_[i].type))
      return false;
  }
  return true;
}

void BronzeRows::reset_columns() {
  columns_.clear();
  for (const auto& f : fields_) columns_.push_back(columnar::Column::for_field(f));
  rows_ = 0;
}

void BronzeRows::append(const cdc::ChangeEvent& event, int64_t ingest_ts_us) {
  const bool is_delete = event.op == cdc::Op::delete_;
  const auto& tuple = is_delete ? event.before : event.after;
  const size_t source_columns = type_oids_.size();
  scratch_.clear();  // the _unconverted JSON object's members
  auto note = [&](size_t c, const std::string* text) {
    scratch_ += scratch_.empty() ? '{' : ',';
    append_json_string(scratch_, fields_[c].name);
    scratch_ += ':';
    if (text)
      append_json_string(scratch_, *text);
    else
      scratch_ += "null";
    ++unconverted_;
  };
  for (size_t c = 0; c < source_columns; ++c) {
    auto& column = columns_[c];
    const pg::TupleValue* value = tuple && c < tuple->size() ? &(*tuple)[c] : nullptr;
    if (!value || value->kind == pg::TupleValue::Kind::null) {
      column.append_null();
    } else if (value->kind == pg::TupleValue::Kind::unchanged_toast) {
      column.append_null();
      note(c, nullptr);
    } else if (value->kind == pg::TupleValue::Kind::binary) {
      if (!append_lake_binary(column, type_oids_[c], value->data)) {
        // Not a binary form of the column's type (the decoder sends none such): kept as bytea
        // text.
        column.append_null();
        const std::string hex = cdc::pg_bytea_text(value->data);
        note(c, &hex);
      }
    } else if (!append_lake_value(column, type_oids_[c], value->data)) {
      column.append_null();
      note(c, &value->data);
    }
  }
  const auto& s = event.source;
  const bool snapshot = event.op == cdc::Op::read;
  const char op = static_cast<char>(event.op);
  columns_[source_columns + 0].append_string(std::string_view(&op, 1));
  columns_[source_columns + 1].append_i64(static_cast<int64_t>(s.lsn.value));
  columns_[source_columns + 2].append_i64(
      static_cast<int64_t>(snapshot ? s.lsn.value : s.commit_lsn.value));
  if (snapshot)
    columns_[source_columns + 3].append_null();
  else
    columns_[source_columns + 3].append_i64(s.tx_id);
  columns_[source_columns + 4].append_i64(s.ts_us);
  columns_[source_columns + 5].append_i64(ingest_ts_us);
  if (scratch_.empty()) {
    columns_[source_columns + 6].append_null();
  } else {
    scratch_ += '}';
    columns_[source_columns + 6].append_string(scratch_);
  }
  ++rows_;
}

size_t BronzeRows::memory_bytes() const {
  size_t total = 0;
  for (const auto& c : columns_) total += columnar::memory_bytes(c);
  return total;
}

columnar::RecordBatch BronzeRows::take() {
  columnar::RecordBatch batch;
  batch.schema = fields_;
  batch.columns = std::move(columns_);
  batch.num_rows = rows_;
  reset_columns();
  return batch;
}

}  // namespace sl::lakehouse
