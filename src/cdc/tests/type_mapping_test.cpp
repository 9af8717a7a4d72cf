// Type mapping against the values documented for Debezium's PostgreSQL connector.
#include "cdc/type_mapping.hpp"
#include "cdc/hstore_json.hpp"
#include "cdc/connect_schema.hpp"
#include "cdc/java_hash_map.hpp"

#include <gtest/gtest.h>

namespace sl::cdc {
namespace {

nlohmann::ordered_json value(uint32_t type, int32_t typmod, std::string_view text) {
  auto v = debezium_value(type, typmod, text);
  EXPECT_TRUE(v.ok()) << v.error().to_string();
  return v.ok() ? *v : nlohmann::ordered_json();
}

constexpr int32_t numeric_typmod(int precision, int scale) {
  return ((precision << 16) | scale) + 4;
}

TEST(TypeMapping, DocumentedExamples) {
  EXPECT_EQ(value(oid::k_numeric, numeric_typmod(10, 2), "1.23"), "ew==");  // 123 → 0x7b
  EXPECT_EQ(value(oid::k_numeric, numeric_typmod(10, 2), "1.2"), "eA==");  // rescaled: 120 → 0x78
  EXPECT_EQ(value(oid::k_date, -1, "2016-11-04"), 17109);
  EXPECT_EQ(value(oid::k_timestamp, -1, "2018-06-20 15:13:16.945104"), 1529507596945104LL);
  EXPECT_EQ(value(oid::k_timestamptz, -1, "2016-11-04 11:51:30.123456+00"),
            "2016-11-04T11:51:30.123456Z");
  EXPECT_EQ(value(oid::k_timestamptz, -1, "2016-11-04 13:51:30+02"), "2016-11-04T11:51:30.000000Z");
  EXPECT_EQ(value(oid::k_bool, -1, "t"), true);
  EXPECT_EQ(value(oid::k_int8, -1, "-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(value(oid::k_float8, -1, "1.5"), 1.5);
  EXPECT_EQ(value(oid::k_jsonb, -1, "{\"a\": 1}"), "{\"a\": 1}");
  EXPECT_EQ(value(oid::k_text, -1, "Équitation 🏅"), "Équitation 🏅");
  EXPECT_EQ(value(oid::k_bytea, -1, "\\x00ff10"), "AP8Q");
  auto variable = value(oid::k_numeric, -1, "-1.5");
  EXPECT_EQ(variable["scale"], 1);
  EXPECT_EQ(variable["value"], "8Q==");  // -15 → 0xf1
}

// The hand-written fast paths (timestamps, numbers copied as text) against independent values.
TEST(TypeMapping, FastPathsAgreeWithTheCalendar) {
  // Offsets with minutes and seconds, negative offsets, a day change, before 1970.
  EXPECT_EQ(value(oid::k_timestamptz, -1, "2026-01-01 01:00:00.5+05:30"),
            "2025-12-31T19:30:00.500000Z");
  EXPECT_EQ(value(oid::k_timestamptz, -1, "1969-12-31 20:00:00-04"), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(value(oid::k_timestamptz, -1, "1900-03-01 00:00:00.000001+00:00:15"),
            "1900-02-28T23:59:45.000001Z");
  EXPECT_EQ(value(oid::k_timestamp, -1, "1969-12-31 23:59:59.999999"), -1);
  EXPECT_EQ(value(oid::k_timestamp, -1, "2000-02-29 12:00:00.25"), 951825600250000LL);
  // timestamp(0-3) is io.debezium.time.Timestamp: milliseconds.
  EXPECT_EQ(value(oid::k_timestamp, 3, "2018-06-20 15:13:16.945"), 1529507596945LL);
  EXPECT_EQ(value(oid::k_timestamp, 3, "1969-12-31 23:59:59.999"), -1);
  // Numbers PostgreSQL prints canonically are copied; others go through binary.
  EXPECT_EQ(value(oid::k_int8, -1, "20000000001"), 20000000001LL);
  EXPECT_EQ(value(oid::k_int4, -1, "-7"), -7);
  EXPECT_EQ(value(oid::k_float8, -1, "12.5"), 12.5);
  EXPECT_EQ(value(oid::k_float8, -1, "1e+20"), 1e20);
  EXPECT_EQ(value(oid::k_float4, -1, "-0.000123"), -0.000123);
  std::string out;
  ASSERT_TRUE(append_debezium_value(out, oid::k_float8, -1, "1.2345678901234567e-05").ok());
  EXPECT_EQ(nlohmann::json::parse(out).get<double>(), 1.2345678901234567e-05);
  for (const char* bad :
       {"2016-11-04 11:51:30", "2016-11-04 11:51:30.+00", "2016-11-04T11:51:30+00",
        "2016-11-04 11:51:30+0", "2016-11-04 11:51:30+00 AD", "0000-01-01 00:00:00+00 BC"}) {
    EXPECT_FALSE(debezium_value(oid::k_timestamptz, -1, bad).ok()) << bad;
  }
  EXPECT_EQ(value(oid::k_int8, -1, "012"), 12);  // not canonical: converted, not copied
}

TEST(TypeMapping, EveryDateAndTimestampPostgresPrints) {
  // ±infinity as Debezium's extreme values; timestamptz keeps the words.
  EXPECT_EQ(value(oid::k_date, -1, "infinity"), -2147472692);  // the real Debezium 3.6.1's
  EXPECT_EQ(value(oid::k_date, -1, "-infinity"), -2147472691);
  EXPECT_EQ(value(oid::k_timestamp, -1, "infinity"), 9223372036825200000LL);
  EXPECT_EQ(value(oid::k_timestamp, 3, "-infinity"), -9223372036832400LL);
  EXPECT_EQ(value(oid::k_timestamptz, -1, "-infinity"), "-infinity");
  // BC: year 1 BC is the proleptic year 0, 4713 BC (PostgreSQL's first day) is -4712.
  EXPECT_EQ(value(oid::k_date, -1, "0001-12-31 BC"), -719163);
  EXPECT_EQ(value(oid::k_date, -1, "4713-11-24 BC"), -2440222);
  EXPECT_EQ(value(oid::k_timestamp, -1, "0001-12-31 23:59:59.999999 BC"), -62135596800000001LL);
  EXPECT_EQ(value(oid::k_timestamptz, -1, "0001-06-01 12:00:00+00 BC"),
            "0000-06-01T12:00:00.000000Z");
  EXPECT_EQ(value(oid::k_timestamptz, -1, "0001-01-01 00:30:00+01 BC"),
            "-0001-12-31T23:30:00.000000Z");
  EXPECT_EQ(value(oid::k_timestamptz, -1, "0044-03-15 12:00:00+00:09:21 BC"),
            "-0043-03-15T11:50:39.000000Z");
  // More than four year digits.
  EXPECT_EQ(value(oid::k_date, -1, "5874897-12-31"), 2145042905);
  EXPECT_EQ(value(oid::k_timestamptz, -1, "12345-06-07 08:09:10.5+02"),
            "+12345-06-07T06:09:10.500000Z");
  EXPECT_EQ(value(oid::k_timestamp, -1, "10000-01-01 00:00:00"), 253402300800000000LL);
  // Beyond int64 microseconds: not a value (the encoder writes null and a warning).
  EXPECT_FALSE(debezium_value(oid::k_timestamp, -1, "294276-12-31 23:59:59").ok());
  EXPECT_FALSE(debezium_value(oid::k_date, -1, "0000-01-01 BC").ok());
}

TEST(TypeMapping, NumericWithoutDecimalFormIsUnsupported) {
  for (const char* special : {"NaN", "Infinity", "-Infinity"}) {
    for (int32_t typmod : {-1, numeric_typmod(10, 2)}) {
      auto v = debezium_value(oid::k_numeric, typmod, special);
      ASSERT_FALSE(v.ok()) << special;
      EXPECT_EQ(v.error().code, Errc::unsupported);
    }
  }
}

TEST(TypeMapping, TwosComplement) {
  EXPECT_EQ(big_endian_twos_complement("0"), std::string("\x00", 1));
  EXPECT_EQ(big_endian_twos_complement("127"), "\x7f");
  EXPECT_EQ(big_endian_twos_complement("128"), std::string("\x00\x80", 2));
  EXPECT_EQ(big_endian_twos_complement("-128"), "\x80");
  EXPECT_EQ(big_endian_twos_complement("-129"), "\xff\x7f");
  EXPECT_EQ(base64("hello"), "aGVsbG8=");
}

TEST(TypeMapping, MalformedValuesAreCorruptWithTheValue) {
  auto v = debezium_value(oid::k_int4, -1, "12x");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, Errc::corrupt);
  EXPECT_NE(v.error().message.find("'12x'"), std::string::npos);
  EXPECT_FALSE(debezium_value(oid::k_date, -1, "2016-13-45").ok());
  EXPECT_FALSE(debezium_value(oid::k_bool, -1, "yes").ok());
  // Spellings of infinity PostgreSQL never prints (it sends "Infinity"): not a bare inf in JSON.
  EXPECT_FALSE(debezium_value(oid::k_float8, -1, "-infinity").ok());
  EXPECT_FALSE(debezium_value(oid::k_float4, -1, "nan").ok());
}

}  // namespace
}  // namespace sl::cdc

namespace sl::cdc {
namespace {

nlohmann::ordered_json with(const ValueForms& forms, uint32_t type, int32_t typmod,
                            std::string_view text, uint32_t element = 0) {
  auto v = debezium_value(type, typmod, text, forms, element);
  EXPECT_TRUE(v.ok()) << v.error().to_string();
  return v.ok() ? *v : nlohmann::ordered_json();
}

std::string raw(uint32_t type, int32_t typmod, std::string_view text, const ValueForms& forms = {}) {
  std::string out;
  EXPECT_TRUE(append_debezium_value(out, type, typmod, text, forms));
  return out;
}

// Issue 13, "Debezium's own forms": the values of Debezium's PostgreSQL connector defaults.
TEST(DebeziumForms, TimeIsMicroTimeOrTimeByPrecision) {
  EXPECT_EQ(value(oid::k_time, -1, "10:15:30.123456"), 36930123456LL);  // MicroTime
  EXPECT_EQ(value(oid::k_time, 6, "00:00:00"), 0);
  EXPECT_EQ(value(oid::k_time, -1, "24:00:00"), 86400000000LL);
  EXPECT_EQ(value(oid::k_time, 3, "10:15:30.123"), 36930123);  // io.debezium.time.Time, ms
  ValueForms micro{.time = TimePrecisionMode::adaptive_time_microseconds};
  EXPECT_EQ(with(micro, oid::k_time, 3, "10:15:30.123"), 36930123000LL);
  ValueForms connect{.time = TimePrecisionMode::connect};
  EXPECT_EQ(with(connect, oid::k_time, -1, "10:15:30.123456"), 36930123);
  EXPECT_EQ(with(connect, oid::k_timestamp, -1, "2018-06-20 15:13:16.945104"), 1529507596945LL);
  EXPECT_EQ(with(connect, oid::k_date, -1, "2016-11-04"), 17109);
}

TEST(DebeziumForms, TimetzIsZonedTimeInUtc) {
  EXPECT_EQ(value(oid::k_timetz, -1, "10:15:30+02"), "08:15:30Z");
  EXPECT_EQ(value(oid::k_timetz, -1, "01:00:00.5-03:30"), "04:30:00.5Z");
  EXPECT_EQ(value(oid::k_timetz, -1, "01:00:00.123456+05"), "20:00:00.123456Z");  // day before
  EXPECT_EQ(value(oid::k_timetz, -1, "24:00:00+00"), "24:00:00Z");
}

TEST(DebeziumForms, IntervalIsMicroDurationWithDebeziumsMonth) {
  // MicroDuration.durationMicros: a month is 365.25 / 12 = 30.4375 days.
  EXPECT_EQ(value(oid::k_interval, -1, "1 mon"), 2629800000000LL);
  EXPECT_EQ(value(oid::k_interval, -1, "1 year 2 mons 3 days 04:05:06.789"),
            ((14 * 30.4375 + 3) * 86400 + 4 * 3600 + 5 * 60) * 1000000LL + 6789000);
  EXPECT_EQ(value(oid::k_interval, -1, "-1 days +02:03:00"), -86400000000LL + 7380000000LL);
  EXPECT_EQ(value(oid::k_interval, -1, "-00:00:01.5"), -1500000);
  EXPECT_EQ(value(oid::k_interval, -1, "00:00:00"), 0);
  ValueForms iso{.interval = IntervalMode::string};
  EXPECT_EQ(with(iso, oid::k_interval, -1, "1 year 2 mons 3 days 04:05:06.789"), "P1Y2M3DT4H5M6.789S");
  EXPECT_EQ(with(iso, oid::k_interval, -1, "-1 days -00:00:01.5"), "P0Y0M-1DT0H0M-1.5S");
  EXPECT_EQ(with(iso, oid::k_interval, -1, "00:00:00"), "P0Y0M0DT0H0M0S");
}

TEST(DebeziumForms, WidestIntervalsSaturateAsJavasLongCast) {
  // PostgreSQL's hours go beyond an int, and its widest intervals beyond an int64 of µs: Java's
  // (long) cast saturates, and so do we (fuzz_lake_value found the overflow).
  EXPECT_EQ(value(oid::k_interval, -1, "2562047788:00:00"), 9223372036800000000LL);
  EXPECT_EQ(value(oid::k_interval, -1, "178000000 years"), INT64_MAX);
  EXPECT_EQ(value(oid::k_interval, -1, "-178000000 years"), INT64_MIN);
  ValueForms iso{.interval = IntervalMode::string};
  EXPECT_EQ(with(iso, oid::k_interval, -1, "-2562047788:00:00"), "P0Y0M0DT-2562047788H0M0S");
  // A real beyond a float's range is not PostgreSQL's output either.
  EXPECT_FALSE(debezium_value(oid::k_float4, -1, "88888888888888888888888888888880888888890").ok());
  // Not PostgreSQL's output (a 35-digit hour): refused, never an overflow.
  EXPECT_FALSE(debezium_value(oid::k_interval, -1, "79012345678934567890123456789010:06:00").ok());
}

TEST(DebeziumForms, ArraysAreJsonArraysOfTheirElementsForms) {
  EXPECT_EQ(raw(1007, -1, "{1,NULL,-3}"), "[1,null,-3]");
  EXPECT_EQ(raw(1009, -1, "{a,\"b c\",\"q\\\"d\",NULL,\"NULL\"}"), R"(["a","b c","q\"d",null,"NULL"])");
  EXPECT_EQ(raw(1009, -1, "{}"), "[]");
  EXPECT_EQ(raw(1231, numeric_typmod(10, 2), "{1.23}"), R"(["ew=="])");
  EXPECT_EQ(raw(1182, -1, "{2016-11-04}"), "[17109]");
  EXPECT_EQ(raw(1022, -1, "{1,2.5}"), "[1.0,2.5]");
  EXPECT_EQ(raw(1009, -1, "[0:1]={x,y}"), R"(["x","y"])");
  // A user-defined array (an enum's): the element type comes from the catalog.
  EXPECT_EQ(raw(16999, -1, "{happy,sad}"), "\"{happy,sad}\"");
  EXPECT_EQ(with({}, 16999, -1, "{happy,sad}", 16998), nlohmann::ordered_json({"happy", "sad"}));
  // More than one dimension: one item per sub-array, as the real Debezium 3.6.1 writes them
  // (tests/cdc/test_vs_debezium.py): null for numbers; text items get the sub-array's text where
  // Debezium writes a Java array's identity ("[Ljava.lang.String;@52b70682").
  EXPECT_EQ(raw(1007, -1, "{{1,2},{3,NULL}}"), "[null,null]");
  EXPECT_EQ(raw(1007, -1, "{{{1}}}"), "[null]");
  EXPECT_EQ(raw(1009, -1, R"({{a,b},{c,"d e}"}})"), R"(["{a,b}","{c,\"d e}\"}"])");
  EXPECT_EQ(with({}, 16999, -1, "{{happy},{sad}}", 16998), nlohmann::ordered_json({"{happy}", "{sad}"}));
  std::string out;
  EXPECT_FALSE(append_debezium_value(out, 1007, -1, "{{1,2},3}"));  // not PostgreSQL's output
  EXPECT_FALSE(append_debezium_value(out, 1007, -1, "{1,{2}}"));
  EXPECT_FALSE(append_debezium_value(out, 1007, -1, "{{1,2}"));
}

TEST(DebeziumForms, MoneyIsADecimalAtTheMoneyScale) {
  EXPECT_EQ(value(oid::k_money, -1, "$1,234.56"), base64(big_endian_twos_complement("123456")));
  EXPECT_EQ(value(oid::k_money, -1, "-$0.01"), "/w==");  // -1
  ValueForms text{.decimal = DecimalMode::string};
  EXPECT_EQ(with(text, oid::k_money, -1, "-$1,234.56"), "-1234.56");
  ValueForms dbl{.decimal = DecimalMode::double_};
  EXPECT_EQ(raw(oid::k_money, -1, "$12.00", dbl), "12.0");
}

TEST(DebeziumForms, ZonedTimestampFractionFollowsTheColumnPrecision) {
  EXPECT_EQ(value(oid::k_timestamptz, -1, "2016-11-04 11:51:30.1+00"), "2016-11-04T11:51:30.100000Z");
  EXPECT_EQ(value(oid::k_timestamptz, 3, "2016-11-04 11:51:30.1+00"), "2016-11-04T11:51:30.100Z");
  EXPECT_EQ(value(oid::k_timestamptz, 1, "2016-11-04 11:51:30.1+00"), "2016-11-04T11:51:30.1Z");
  EXPECT_EQ(value(oid::k_timestamptz, 0, "2016-11-04 11:51:30+00"), "2016-11-04T11:51:30Z");
}

TEST(DebeziumForms, FloatsPrintAsJavaDoes) {
  EXPECT_EQ(raw(oid::k_float8, -1, "1"), "1.0");
  EXPECT_EQ(raw(oid::k_float8, -1, "-0"), "-0.0");
  EXPECT_EQ(raw(oid::k_float8, -1, "0"), "0.0");
  EXPECT_EQ(raw(oid::k_float8, -1, "12.5"), "12.5");
  EXPECT_EQ(raw(oid::k_float8, -1, "1234567"), "1234567.0");
  EXPECT_EQ(raw(oid::k_float8, -1, "12345678"), "1.2345678E7");
  EXPECT_EQ(raw(oid::k_float8, -1, "1e+308"), "1.0E308");
  EXPECT_EQ(raw(oid::k_float8, -1, "0.001"), "0.001");
  EXPECT_EQ(raw(oid::k_float8, -1, "0.0001"), "1.0E-4");
  EXPECT_EQ(raw(oid::k_float8, -1, "-1.5e-07"), "-1.5E-7");
  EXPECT_EQ(raw(oid::k_float4, -1, "3.4e+38"), "3.4E38");
  EXPECT_EQ(raw(oid::k_float4, -1, "0.1"), "0.1");
  EXPECT_EQ(raw(oid::k_float4, -1, "100"), "100.0");
}

TEST(DebeziumForms, VariableScaleDecimalWithoutTrailingZeros) {
  auto v = value(oid::k_numeric, -1, "1.500");
  EXPECT_EQ(v["scale"], 1);
  EXPECT_EQ(v["value"], "Dw==");  // 15
  v = value(oid::k_numeric, -1, "100");
  EXPECT_EQ(v["scale"], 0);  // never a negative scale
  EXPECT_EQ(v["value"], "ZA==");
  v = value(oid::k_numeric, -1, "0.000");
  EXPECT_EQ(v["scale"], 0);
  EXPECT_EQ(v["value"], "AA==");
}

TEST(DebeziumForms, DecimalAndBinaryHandlingModes) {
  ValueForms text{.decimal = DecimalMode::string};
  EXPECT_EQ(with(text, oid::k_numeric, numeric_typmod(10, 2), "1.50"), "1.50");
  EXPECT_EQ(with(text, oid::k_numeric, -1, "1.500"), "1.500");
  EXPECT_EQ(with(text, oid::k_numeric, -1, "NaN"), "NAN");
  ValueForms dbl{.decimal = DecimalMode::double_};
  EXPECT_EQ(raw(oid::k_numeric, numeric_typmod(10, 2), "1.50", dbl), "1.5");
  EXPECT_EQ(raw(oid::k_numeric, -1, "3", dbl), "3.0");
  EXPECT_EQ(with(dbl, oid::k_numeric, -1, "NaN"), "NaN");
  ValueForms hex{.binary = BinaryMode::hex};
  EXPECT_EQ(with(hex, oid::k_bytea, -1, "\\x00ff10"), "00ff10");
  ValueForms b64{.binary = BinaryMode::base64};
  EXPECT_EQ(with(b64, oid::k_bytea, -1, "\\x00ff10"), "AP8Q");
}

TEST(DebeziumForms, OptionValuesUseDebeziumsNames) {
  EXPECT_EQ(*parse_decimal_mode("double"), DecimalMode::double_);
  EXPECT_EQ(*parse_time_precision_mode("adaptive_time_microseconds"),
            TimePrecisionMode::adaptive_time_microseconds);
  EXPECT_EQ(*parse_binary_mode("hex"), BinaryMode::hex);
  EXPECT_EQ(*parse_interval_mode("string"), IntervalMode::string);
  EXPECT_FALSE(parse_decimal_mode("exact").ok());
}

}  // namespace
}  // namespace sl::cdc

namespace sl::cdc {
namespace {

TEST(DebeziumForms, BitStringsAreBooleansOrBitSetBytes) {
  // bit(1)/varbit(1): boolean; others io.debezium.data.Bits: java.util.BitSet.toByteArray of
  // the string read with its last character as bit 0 (little-endian bytes, no trailing zeros).
  EXPECT_EQ(raw(oid::k_bit, 1, "1"), "true");
  EXPECT_EQ(raw(oid::k_varbit, 1, "0"), "false");
  EXPECT_EQ(value(oid::k_bit, 8, "10100101"), "pQ==");        // 0xa5
  EXPECT_EQ(value(oid::k_bit, 12, "101000000001"), "AQo=");   // 0xa01 → 01 0a
  EXPECT_EQ(value(oid::k_bit, 12, "000000000000"), "");       // no bit set: no byte
  EXPECT_EQ(value(oid::k_varbit, -1, ""), "");
  EXPECT_EQ(value(oid::k_varbit, -1, std::string(31, '1')), "////fw==");
  EXPECT_FALSE(debezium_value(oid::k_bit, 8, "1012").ok());
}

TEST(DebeziumForms, PointIsDebeziumsGeometryStruct) {
  // x, y, and the WKB: byte order 1 (little-endian), type 1 (point), x, y as little-endian
  // doubles (bytes written out by Python's struct.pack('<dd')).
  EXPECT_EQ(raw(oid::k_point, -1, "(1.5,-2.25)"),
            R"({"x":1.5,"y":-2.25,"wkb":"AQEAAAAAAAAAAAD4PwAAAAAAAALA","srid":null})");
  EXPECT_EQ(value(oid::k_point, -1, "(1e+300,-1.25e-07)")["x"], 1e300);
  EXPECT_EQ(raw(oid::k_point, -1, "(NaN,Infinity)").substr(0, 28), R"({"x":"NaN","y":"Infinity","w)");
  EXPECT_FALSE(debezium_value(oid::k_point, -1, "(1,2").ok());
  EXPECT_FALSE(debezium_value(oid::k_point, -1, "(1;2)").ok());
}

TEST(DebeziumForms, HstoreIsJsonInJavaHashMapOrder) {
  ValueForms forms{.hstore_oid = 16400};
  EXPECT_EQ(with(forms, 16400, -1, R"("a"=>"1", "b c"=>NULL, "q\"x"=>"y\\z")"),
            R"({"a":"1","b c":null,"q\"x":"y\\z"})");
  EXPECT_EQ(with(forms, 16400, -1, ""), "{}");
  // 13 keys: the HashMap has grown to 32 buckets; its order (Python's model of String.hashCode
  // and HashMap's buckets) is not the text's.
  std::string text;
  for (int i = 0; i < 13; ++i) text += (i ? ", " : "") + std::string("\"k") + std::to_string(i) + "\"=>\"v\"";
  std::string expected = "{";
  for (const char* k : {"k0", "k1", "k2", "k3", "k4", "k5", "k11", "k6", "k10", "k7", "k8", "k12", "k9"})
    expected += std::string(expected.size() > 1 ? "," : "") + "\"" + k + "\":\"v\"";
  EXPECT_EQ(with(forms, 16400, -1, text), expected + "}");
  EXPECT_EQ(java_string_hash("hello"), 99162322);        // Java's "hello".hashCode()
  EXPECT_EQ(java_string_hash("é🏅"), 1997234);           // with a surrogate pair
  EXPECT_FALSE(debezium_value(16400, -1, R"("a"=>)", forms).ok());
  EXPECT_FALSE(debezium_value(16400, -1, R"("a"=>"1",)", forms).ok());
  // Without the extension's oid the value is text.
  EXPECT_EQ(value(16400, -1, R"("a"=>"1")"), R"("a"=>"1")");
}

TEST(DebeziumForms, HstoreMapModeIsAConnectMapOfStrings) {
  // hstore.handling.mode=map: the same members in the same (HashMap) order, as the value itself
  // (JsonConverter writes a map with string keys as a JSON object), NULL values null.
  ValueForms forms{.hstore_oid = 16400, .hstore = HstoreMode::map};
  EXPECT_EQ(raw(16400, -1, R"("a"=>"1", "b c"=>NULL, "q\"x"=>"y\\z")", forms),
            R"({"a":"1","b c":null,"q\"x":"y\\z"})");
  EXPECT_EQ(raw(16400, -1, "", forms), "{}");
  EXPECT_FALSE(debezium_value(16400, -1, R"("a"=>)", forms).ok());
  // Its schema: SchemaBuilder.map(STRING, OPTIONAL_STRING), as JsonConverter prints it.
  pg::RelationColumn column{.name = "h", .type_oid = 16400, .type_modifier = -1};
  std::string schema;
  append_column_schema(schema, column, forms);
  EXPECT_EQ(schema, R"({"type":"map","keys":{"type":"string","optional":false},)"
                    R"("values":{"type":"string","optional":true},"optional":true,"field":"h"})");
  schema.clear();
  append_column_schema(schema, column, {.hstore_oid = 16400});
  EXPECT_EQ(schema, R"({"type":"string","optional":true,"name":"io.debezium.data.Json",)"
                    R"("version":1,"field":"h"})");
  EXPECT_EQ(*parse_hstore_mode("map"), HstoreMode::map);
  EXPECT_FALSE(parse_hstore_mode("string").ok());
  // Read back as the json mode's text (jsonb), so both modes give the same Bronze value.
  EXPECT_EQ(pg_type_of("map", "", -1, -1).oid, oid::k_jsonb);
}

}  // namespace
}  // namespace sl::cdc
