// PostgreSQL's text output of values (what pgoutput and the snapshot cursor send), parsed by hand:
// the CDC hot path converts every column of every change, and strptime/timegm were a fifth of
// the stream's CPU time. Shared by the Debezium encoder and the lake's typed columns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sl::cdc {

// "2026-11-25 05:41:41[.123456]" (timestamp) or with a zone "[+|-]HH[:MM[:SS]]" (timestamptz),
// DateStyle ISO, years 0001-9999 → UTC microseconds since the epoch; nullopt otherwise (BC
// dates, 5-digit years, infinity).
std::optional<int64_t> parse_pg_timestamp(std::string_view text, bool with_zone);

// Every date and timestamp PostgreSQL prints with DateStyle ISO, beyond what the two parsers
// above take: years of more than four digits ("10000-01-01"), BC ("0044-03-15 BC", year 44 BC
// is the proleptic year -43) and "infinity"/"-infinity". Not on the hot path: the encoder tries
// the fast parsers first. nullopt when the text is none of these or does not fit in int64.
struct PgInstant {
  enum class Kind : char { finite, plus_infinity, minus_infinity };
  Kind kind = Kind::finite;
  int64_t value = 0;  // days (dates) or UTC microseconds (timestamps) since 1970-01-01
};
std::optional<PgInstant> parse_pg_date_any(std::string_view text);
std::optional<PgInstant> parse_pg_timestamp_any(std::string_view text, bool with_zone);

// numeric text "-12.340" → ("-12340", 3): the unscaled digits with their sign, and the scale.
// nullopt for NaN, infinities and anything that is not a plain decimal.
std::optional<std::pair<std::string, int>> split_pg_numeric(std::string_view text);

// bytea in hex output ("\x0a1b") → its bytes; nullopt when not valid hex output.
std::optional<std::string> parse_pg_bytea(std::string_view text);
// The reverse: bytes → PostgreSQL's hex output of a bytea ("\x0a1b").
std::string pg_bytea_text(std::string_view bytes);

// Integers as PostgreSQL prints them; nullopt when the text is not exactly one in range.
std::optional<int64_t> parse_pg_integer(std::string_view text);
// float4/float8 text, NaN and ±Infinity included.
std::optional<double> parse_pg_float(std::string_view text);

// bit / varbit text ("0101") → the bits as java.util.BitSet.toByteArray gives them (Debezium's
// io.debezium.data.Bits): the last character is bit 0, bytes little-endian, no trailing zero
// byte ("" when no bit is set); nullopt when a character is not 0 or 1.
std::optional<std::string> parse_pg_bits(std::string_view text);

// point text "(x,y)" (float8 output each, NaN and ±Infinity included) → x, y.
std::optional<std::pair<double, double>> parse_pg_point(std::string_view text);

// hstore output ("\"a\"=>\"1\", \"b\"=>NULL", keys and values quoted with \" and \\ escaped; bare
// words also read) → its pairs in text order, a NULL value as nullopt.
using HstorePairs = std::vector<std::pair<std::string, std::optional<std::string>>>;
std::optional<HstorePairs> parse_pg_hstore(std::string_view text);

}  // namespace sl::cdc
