// TableSpec: a Silver or Gold table described once, one line per column (name, type, nullability,
// the struct member it reads), from which its Delta schema and record batches are generated here
// and its PostgreSQL DDL, COPY rows and view in `table_spec_sql.hpp`.
//
// A column is declared by its member and its type; the member's C++ type must fit the type
// (checked at compile time) and decides whether the value can be null:
//
//   col::text<&Employee::nom>("nom")                   std::string (or std::string_view)
//   col::text_or_null<&Employee::sport>("sport")       std::string (or _view), "" is null
//   col::int32 / col::date                             int32_t (days since 1970-01-01 for date)
//   col::int64 / col::timestamp / col::euros           int64_t (µs since the epoch, cents)
//   col::float64 / col::boolean                        double, bool
//   any of them on a std::optional<...> member         nullopt is null
//
// Names are string literals (the spec keeps views of them). A column is then refined by what
// differs between the lake and PostgreSQL:
//   .required()             not null in the Delta schema (lake columns are nullable otherwise)
//   .primary_key()          part of the PostgreSQL primary key (in column order)
//   .published_as("name")   another column name in PostgreSQL
//   .check("sql")           a PostgreSQL CHECK on the column
//   .in_view() / .in_view("alias")  shown by the table's view (under that name)
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "columnar/column.hpp"

namespace sl::lakehouse {

// Lake type → Parquet/Delta: text string, int32 integer, int64 long, float64 double, boolean,
// date date32, timestamp timestamp_us, euros decimal(12,2) of cents.
enum class ColumnType { text, int32, int64, float64, boolean, date, timestamp, euros };

// One value read from a row: null, or its column type's representation (every integer type,
// days, µs and cents as int64_t; text points into the row).
using Cell = std::variant<std::monostate, int64_t, double, bool, std::string_view>;

struct ColumnInfo {
  std::string_view name;  // in the Delta table
  ColumnType type = ColumnType::text;
  bool lake_nullable = true;
  bool may_be_null = false;  // the member is optional, or text whose "" means null
  std::string_view pg_name;  // "" = name
  bool pg_primary_key = false;
  std::string_view pg_check;  // "" = none
  bool pg_in_view = false;
  std::string_view pg_view_name;  // "" = the PostgreSQL name

  std::string_view published_name() const { return pg_name.empty() ? name : pg_name; }
};

// A table without its member access: all that the schema and SQL generators need.
struct TableInfo {
  std::string_view name;  // the Delta table's directory and the PostgreSQL table
  std::string_view view;  // the PostgreSQL view over it, "" = none
  std::vector<ColumnInfo> columns;
};

// How a column reads its rows, generated from its member: one value (for COPY text), or the
// whole column at once (for the Delta tables: no call per value, the refresh writes millions).
template <class Row>
struct ColumnAccess {
  Cell (*get)(const Row&) = nullptr;
  void (*fill)(columnar::Column&, std::span<const Row>) = nullptr;
};

template <class Row>
struct ColumnSpec : ColumnInfo, ColumnAccess<Row> {
  ColumnSpec required() const {
    auto c = *this;
    c.lake_nullable = false;
    return c;
  }
  ColumnSpec primary_key() const {
    auto c = *this;
    c.pg_primary_key = true;
    return c;
  }
  ColumnSpec published_as(std::string_view pg) const {
    auto c = *this;
    c.pg_name = pg;
    return c;
  }
  ColumnSpec check(std::string_view sql) const {
    auto c = *this;
    c.pg_check = sql;
    return c;
  }
  ColumnSpec in_view(std::string_view alias = {}) const {
    auto c = *this;
    c.pg_in_view = true;
    c.pg_view_name = alias;
    return c;
  }
};

template <class Row>
struct TableSpec {
  TableSpec(std::string_view name, std::initializer_list<ColumnSpec<Row>> columns,
            std::string_view view = {})
      : info{name, view, {}} {
    for (const auto& c : columns) {
      info.columns.push_back(c);
      access.push_back(c);
    }
  }

  TableInfo info;
  std::vector<ColumnAccess<Row>> access;  // one per column, in the same order
};

namespace col {
namespace detail {

template <class T>
struct Optional : std::false_type {
  using held = T;
};
template <class T>
struct Optional<std::optional<T>> : std::true_type {
  using held = T;
};

template <class M>
struct MemberOf;
template <class R, class M>
struct MemberOf<M R::*> {
  using row = R;
  using type = M;
};

template <auto member>
using RowOf = typename MemberOf<decltype(member)>::row;
template <auto member>
using TypeOf = typename MemberOf<decltype(member)>::type;

// The C++ type a struct member of each column type holds (optional or not).
template <ColumnType type>
auto value_type() {
  if constexpr (type == ColumnType::text) {
    return std::type_identity<std::string>{};
  } else if constexpr (type == ColumnType::int32 || type == ColumnType::date) {
    return std::type_identity<int32_t>{};
  } else if constexpr (type == ColumnType::float64) {
    return std::type_identity<double>{};
  } else if constexpr (type == ColumnType::boolean) {
    return std::type_identity<bool>{};
  } else {  // int64, timestamp, euros
    return std::type_identity<int64_t>{};
  }
}

// A text member may also be a view (rows whose texts live elsewhere: silver_model.hpp).
template <class T>
constexpr bool is_text = std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>;

template <class T>
Cell cell_of(const T& value) {
  if constexpr (is_text<T>) {
    return std::string_view(value);
  } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, double>) {
    return value;
  } else {
    return static_cast<int64_t>(value);
  }
}

template <auto member, bool empty_is_null>
Cell read(const RowOf<member>& row) {
  const auto& value = row.*member;
  if constexpr (Optional<TypeOf<member>>::value) {
    if (!value) return {};
    return cell_of(*value);
  } else {
    if constexpr (empty_is_null)
      if (value.empty()) return {};
    return cell_of(value);
  }
}

// A present value of a column type appended (the member's own type: no Cell made per value, the
// full refresh fills millions).
template <ColumnType type, class T>
void append_value(columnar::Column& out, const T& value) {
  if constexpr (type == ColumnType::text) {
    out.append_string(std::string_view(value));
  } else if constexpr (type == ColumnType::int32 || type == ColumnType::date) {
    out.append_i32(static_cast<int32_t>(value));
  } else if constexpr (type == ColumnType::float64) {
    out.append_f64(value);
  } else if constexpr (type == ColumnType::boolean) {
    out.append_bool(value);
  } else {  // int64, timestamp, euros
    out.append_i64(static_cast<int64_t>(value));
  }
}

// The same values as `read` gives, appended: null for nullopt (and "" when empty_is_null).
template <ColumnType type, auto member, bool empty_is_null>
void fill(columnar::Column& out, std::span<const RowOf<member>> rows) {
  for (const auto& row : rows) {
    const auto& value = row.*member;
    if constexpr (Optional<TypeOf<member>>::value) {
      if (value)
        append_value<type>(out, *value);
      else
        out.append_null();
    } else if constexpr (empty_is_null) {
      if (value.empty())
        out.append_null();
      else
        append_value<type>(out, value);
    } else {
      append_value<type>(out, value);
    }
  }
}

template <ColumnType type, auto member, bool empty_is_null = false>
ColumnSpec<RowOf<member>> make(std::string_view name) {
  using Member = TypeOf<member>;
  using Held = typename Optional<Member>::held;
  static_assert(std::is_same_v<Held, typename decltype(value_type<type>())::type> ||
                    (type == ColumnType::text && is_text<Held>),
                "the member's type does not hold this column type");
  ColumnSpec<RowOf<member>> c;
  c.name = name;
  c.type = type;
  c.may_be_null = Optional<Member>::value || empty_is_null;
  c.get = &read<member, empty_is_null>;
  c.fill = &fill<type, member, empty_is_null>;
  return c;
}

}  // namespace detail

template <auto member>
auto text(std::string_view name) {
  return detail::make<ColumnType::text, member>(name);
}
template <auto member>
auto text_or_null(std::string_view name) {
  static_assert(detail::is_text<detail::TypeOf<member>>);
  return detail::make<ColumnType::text, member, true>(name);
}
template <auto member>
auto int32(std::string_view name) {
  return detail::make<ColumnType::int32, member>(name);
}
template <auto member>
auto int64(std::string_view name) {
  return detail::make<ColumnType::int64, member>(name);
}
template <auto member>
auto float64(std::string_view name) {
  return detail::make<ColumnType::float64, member>(name);
}
template <auto member>
auto boolean(std::string_view name) {
  return detail::make<ColumnType::boolean, member>(name);
}
template <auto member>
auto date(std::string_view name) {
  return detail::make<ColumnType::date, member>(name);
}
template <auto member>
auto timestamp(std::string_view name) {
  return detail::make<ColumnType::timestamp, member>(name);
}
template <auto member>
auto euros(std::string_view name) {
  return detail::make<ColumnType::euros, member>(name);
}

}  // namespace col

// ---- The Delta side ----

columnar::Field lake_field(const ColumnInfo& column);
std::vector<columnar::Field> lake_schema(const TableInfo& table);
// Rows go column by column in blocks small enough to stay in cache while each column reads them:
// column by column over all rows reads the structs once per column from memory.
constexpr size_t k_rows_per_block = 1024;

// Appends `rows` to `batch` (made for the spec: record_batch, or one taken before).
template <class Row>
void append_rows(const TableSpec<Row>& spec, std::span<const Row> rows,
                 columnar::RecordBatch& batch) {
  for (size_t begin = 0; begin < rows.size(); begin += k_rows_per_block) {
    const auto block = rows.subspan(begin, std::min(k_rows_per_block, rows.size() - begin));
    for (size_t c = 0; c < spec.access.size(); ++c) spec.access[c].fill(batch.columns[c], block);
  }
  batch.num_rows += rows.size();
}

template <class Row>
columnar::RecordBatch record_batch(const TableSpec<Row>& spec, std::span<const Row> rows) {
  columnar::RecordBatch batch;
  batch.schema = lake_schema(spec.info);
  for (const auto& field : batch.schema)
    batch.columns.push_back(columnar::Column::for_field(field));
  append_rows(spec, rows, batch);
  return batch;
}

}  // namespace sl::lakehouse
