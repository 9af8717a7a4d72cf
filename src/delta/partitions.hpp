// Partition values: the string form Delta stores in `partitionValues`, the Hive-style directory
// names data files go under, and the URI encoding of `add.path`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/schema.hpp"

namespace sl::delta {

// The partition value of row `row` of `column`: numbers as decimal text, booleans "true"/"false",
// dates "2025-01-31", timestamps "2025-01-31 08:30:00.123456"; nullopt for null.
Result<std::optional<std::string>> partition_value_of(const columnar::Column& column, size_t row,
                                                      std::string_view column_name);

// Rows grouped by partition without their values as text (partition_value_of, once a group):
// whether rows `a` and `b` of a partition column hold the same value (two nulls do), and row
// `row`'s value as raw bytes appended to `key` (a null apart from every value, a text
// length-prefixed: equal keys of the same columns are equal values). A column of a type that
// cannot partition compares equal (partition_value_of refuses it).
bool same_partition_value(const columnar::Column& column, size_t a, size_t b);
void append_partition_key(const columnar::Column& column, size_t row, std::string& key);

// Appends the typed value of a partition string to `column` (null for nullopt or "").
Status append_partition_value(columnar::Column& column, const std::optional<std::string>& value,
                              std::string_view column_name);

// The same parsing for a filter's literal ("id >= 10") or a CSV cell: errors name the column, not
// a partition column. Booleans: true/false in any case (a filter, a column declared boolean), or
// exactly as Delta writes them (CSV type inference, which keeps "TRUE" a string).
enum class BooleanCase { exact, any };
Status append_literal_value(columnar::Column& column, const std::string& text,
                            std::string_view column_name, BooleanCase booleans = BooleanCase::any);

// "day=2025-01-31": characters outside [A-Za-z0-9._-] escaped as %XX; null →
// __HIVE_DEFAULT_PARTITION__.
std::string partition_directory(std::string_view column, const std::optional<std::string>& value);

// add.path ⇄ storage path: a relative URI, percent-encoded ('%' → "%25", space → "%20"...).
std::string encode_uri_path(std::string_view path);
Result<std::string> decode_uri_path(std::string_view uri);

}  // namespace sl::delta
