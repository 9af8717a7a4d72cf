// PostgreSQL columns as the lake types them (DESIGN §3): int2/int4 → integer, int8 → long,
// float4 → float, float8 → double, numeric(p,s) → decimal(p,s) when p ≤ 38 (else string), bool,
// text/varchar → string, date, timestamp/timestamptz → timestamp (µs, UTC; a naive timestamp is
// read as UTC, like Debezium), bytea → binary, everything else (json, jsonb, uuid, arrays...) →
// its text as a string. The one home of this mapping (Bronze's schema, the Debezium decoder's
// types come from the same DESIGN table).
#pragma once

#include <cstdint>
#include <string_view>

#include "columnar/column.hpp"

namespace sl::lakehouse {

columnar::DataType lake_type(uint32_t type_oid, int32_t typmod);

// Appends the PostgreSQL text `text` of a column of type `type_oid` to `column` (built with
// lake_type). Returns false, appending nothing, when the value has no representation in the lake
// type: numeric NaN or ±Infinity or more digits than the decimal holds, ±infinity or BC
// dates and timestamps, an integer out of range. The caller then writes a null and keeps the text.
bool append_lake_value(columnar::Column& column, uint32_t type_oid, std::string_view text);

// The same for a value in PostgreSQL's binary send format (pgoutput's binary mode; the Debezium
// decoder's cdc::DecodeOptions::binary_values) of the fixed-size types bool, int2, int4, int8,
// float4, float8, date, timestamp and timestamptz. False, appending nothing, for another type or
// a size that does not match.
bool append_lake_binary(columnar::Column& column, uint32_t type_oid, std::string_view bytes);

}  // namespace sl::lakehouse
