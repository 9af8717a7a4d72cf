// Golden Debezium events (fixtures/debezium/<op>[_schema].json, written from Debezium's documented
// PostgreSQL format with values computed independently by Python's datetime and base64): our
// encoder writes them (connector version and processing time aside) in both schema modes, our
// decoder reads them back into the same change, and re-encoding the decoded change gives them
// again.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cdc/debezium_decoder.hpp"
#include "cdc/debezium_json.hpp"
#include "cdc/type_mapping.hpp"

namespace sl::cdc {
namespace {

using json = nlohmann::ordered_json;

json load(const std::string& name) {
  const char* root = std::getenv("SL_SOURCE_DIR");
  std::string path = std::string(root ? root : ".") + "/src/cdc/tests/fixtures/debezium/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

pg::Relation activities() {
  pg::Relation r;
  r.oid = 16500;
  r.schema = "public";
  r.name = "activities";
  r.replica_identity = 'f';
  // {is_key, name, type oid, typmod, not_null}
  r.columns = {{true, "activity_id", 20, -1, true},
               {false, "employee_id", 23, -1, true},
               {false, "name", 25, -1, false},
               {false, "distance_m", 1700, ((10 << 16) | 1) + 4, false},
               {false, "start_date_utc", 1184, -1, false},
               {false, "start_date_local", 1114, -1, false},
               {false, "day", 1082, -1, false},
               {false, "commute", 16, -1, true},
               {false, "raw_payload", 3802, -1, false}};
  return r;
}

pg::TupleValue text(std::string s) {
  return {pg::TupleValue::Kind::text, std::move(s)};
}

pg::Tuple row_a() {
  return {text("20000000001"),
          text("59019"),
          text("Course à pied 🏃"),
          text("10800.5"),
          text("2026-07-01 08:15:00+02"),
          text("2026-07-01 08:15:00.25"),
          text("2026-07-01"),
          text("t"),
          text(R"({"id": 20000000001, "sport_type": "Run"})")};
}

pg::Tuple row_b() {
  pg::Tuple t = row_a();
  t[2] = {pg::TupleValue::Kind::null, {}};
  t[3] = text("10900.0");
  t[7] = text("f");
  return t;
}

constexpr int64_t k_source_us = 1700000000123456;
constexpr int64_t k_now_us = 1700000000201000;

ChangeEvent event_for(char op, const pg::Relation& rel) {
  ChangeEvent e;
  e.op = static_cast<Op>(op);
  e.relation = &rel;
  e.source.db = "rh_sport";
  e.source.schema = "public";
  e.source.table = "activities";
  e.source.ts_us = k_source_us;
  switch (op) {
    case 'c':
      e.after = row_a();
      e.source = {e.source.db, "public",          "activities",     k_source_us,
                  771,         pg::Lsn{22910824}, pg::Lsn{22910712}};
      break;
    case 'u':
      e.before = row_a();
      e.after = row_b();
      e.source = {e.source.db, "public",          "activities",     k_source_us,
                  772,         pg::Lsn{22910950}, pg::Lsn{22911000}};
      break;
    case 'd':
      e.before = row_b();
      e.source = {e.source.db, "public",          "activities",     k_source_us,
                  773,         pg::Lsn{22911950}, pg::Lsn{22912000}};
      break;
    case 'r':
      e.after = row_a();
      e.source = {e.source.db, "public", "activities", k_source_us, 0, pg::Lsn{22910600}, {}};
      e.source.snapshot = "first";
      break;
    case 't':
      e.source = {e.source.db, "public",          "activities",     k_source_us,
                  774,         pg::Lsn{22912950}, pg::Lsn{22913000}};
      break;
  }
  // The fixtures' sequence[0] (the previous commit's end) and the commit LSN are one value here.
  e.source.last_commit_end = e.source.commit_lsn;
  return e;
}

// Drops what legitimately differs from a real Debezium: its version string and its clock.
json normalised(json value) {
  json* payload = value.contains("payload") ? &value["payload"] : &value;
  if (payload->is_object()) {
    payload->erase("ts_ms");
    payload->erase("ts_us");
    payload->erase("ts_ns");
    if (payload->contains("source")) (*payload)["source"].erase("version");
  }
  return value;
}

json parsed(const std::optional<std::string>& text) {
  return text ? json::parse(*text) : json();
}

// A tuple as comparable text: kind letter and value per column.
std::vector<std::string> texts(const pg::Tuple& tuple) {
  std::vector<std::string> out;
  for (const auto& v : tuple) out.push_back(static_cast<char>(v.kind) + v.data);
  return out;
}

class Fixture : public ::testing::TestWithParam<std::tuple<char, bool>> {};

TEST_P(Fixture, EncoderWritesIt) {
  auto [op, schemas] = GetParam();
  json golden = load(std::string(1, op) + (schemas ? "_schema" : "") + ".json");
  pg::Relation rel = activities();
  auto encoded = encode_debezium(
      event_for(op, rel), {.topic_prefix = "rh_sport", .now_us = k_now_us, .schemas = schemas});
  ASSERT_TRUE(encoded.ok()) << encoded.error().to_string();
  EXPECT_EQ(encoded->topic, golden["topic"]);
  EXPECT_EQ(parsed(encoded->key), golden["key"]);
  EXPECT_EQ(normalised(parsed(encoded->value)), normalised(golden["value"]));
}

TEST_P(Fixture, DecoderReadsItAndReencodesIt) {
  auto [op, schemas] = GetParam();
  json golden = load(std::string(1, op) + (schemas ? "_schema" : "") + ".json");
  std::optional<std::string> key;
  if (!golden["key"].is_null()) key = golden["key"].dump();
  std::string value = golden["value"].dump();
  auto decoded = decode_debezium(key, value);
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  const ChangeEvent& e = decoded->event;
  EXPECT_EQ(static_cast<char>(e.op), op);
  EXPECT_EQ(decoded->had_schema, schemas);
  EXPECT_EQ(decoded->connector_version, "2.7.3.Final");
  EXPECT_EQ(decoded->server_name, "rh_sport");
  EXPECT_EQ(decoded->processed_us, k_now_us);
  EXPECT_EQ(e.source.db, "rh_sport");
  EXPECT_EQ(e.source.table, "activities");
  EXPECT_EQ(e.source.ts_us, k_source_us);
  ChangeEvent expected = event_for(op, *decoded->relation);
  EXPECT_EQ(e.source.lsn, expected.source.lsn);
  EXPECT_EQ(e.source.commit_lsn, expected.source.commit_lsn);
  EXPECT_EQ(e.source.tx_id, expected.source.tx_id);
  EXPECT_EQ(e.source.snapshot, expected.source.snapshot);
  EXPECT_EQ(e.before.has_value(), expected.before.has_value());
  EXPECT_EQ(e.after.has_value(), expected.after.has_value());
  if (schemas && e.after) {
    // With a schema, values come back as PostgreSQL text (timestamptz normalised to UTC).
    const pg::Tuple& after = *e.after;
    EXPECT_EQ(after[0].data, "20000000001");
    EXPECT_EQ(after[3].data, op == 'u' ? "10900.0" : "10800.5");
    EXPECT_EQ(after[4].data, "2026-07-01 06:15:00+00");
    EXPECT_EQ(after[5].data, "2026-07-01 08:15:00.25");
    EXPECT_EQ(after[6].data, "2026-07-01");
    EXPECT_EQ(after[7].data, op == 'u' ? "f" : "t");
    EXPECT_EQ(decoded->relation->columns[3].type_oid, 1700u);
    EXPECT_EQ(decoded->relation->columns[3].type_modifier, ((10 << 16) | 1) + 4);
    EXPECT_TRUE(decoded->relation->columns[0].is_key);
    EXPECT_TRUE(decoded->relation->columns[1].not_null);
  }
  if (e.before && op == 'u') {
    EXPECT_EQ((*e.before)[2].data, "Course à pied 🏃");
  }
  // Re-encoding what was decoded gives the fixture back (types inferred without a schema
  // produce the same JSON values).
  auto again = encode_debezium(
      e,
      {.topic_prefix = decoded->server_name, .now_us = decoded->processed_us, .schemas = schemas});
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(normalised(parsed(again->value)), normalised(golden["value"]));
  EXPECT_EQ(parsed(again->key), golden["key"]);
}

INSTANTIATE_TEST_SUITE_P(EveryOpBothModes, Fixture,
                         ::testing::Combine(::testing::Values('c', 'u', 'd', 'r', 't'),
                                            ::testing::Bool()));

TEST(DebeziumDecoder, TombstonesAndOlderFormats) {
  auto tombstone = decode_debezium(std::string_view(R"({"id":1})"), std::nullopt);
  ASSERT_TRUE(tombstone.ok());
  EXPECT_TRUE(tombstone->tombstone);
  EXPECT_EQ(tombstone->key, R"({"id":1})");
  // Debezium 1.9 (no ts_us, no transaction first) with a boolean-era snapshot flag.
  auto old = decode_debezium(
      std::string_view(R"({"id":25})"),
      std::string_view(
          R"({"before":null,"after":{"id":25,"name":"wonogiri"},"source":{"version":"1.9.5.Final",)"
          R"("connector":"postgresql","name":"mypg","ts_ms":1662002810219,"snapshot":true,"db":"postgres",)"
          R"("sequence":"[\"152053064\",\"152053064\"]","schema":"public","table":"t","txId":36325,)"
          R"("lsn":152053064,"xmin":null},"op":"c","ts_ms":1662002810621,"transaction":null})"));
  ASSERT_TRUE(old.ok()) << old.error().to_string();
  EXPECT_EQ(old->event.source.ts_us, 1662002810219000);
  EXPECT_EQ(old->event.source.snapshot, "true");
  EXPECT_EQ(old->event.source.commit_lsn, pg::Lsn{152053064});
  EXPECT_TRUE(old->relation->columns[0].is_key);
  EXPECT_EQ((*old->event.after)[1].data, "wonogiri");
}

TEST(DebeziumDecoder, MalformedEventsAreClearErrors) {
  const char* bad[] = {
      "{",
      "[]",
      R"({"op":"x","source":{}})",
      R"({"op":"c","after":{"a":1}})",
      R"({"op":"c","source":{"db":"d","schema":"s","table":"t"}})",
      R"({"op":"c","after":5,"source":{"db":"d","schema":"s","table":"t"}})",
      R"({"schema":{"type":"struct","fields":[{"type":"struct","field":"after","fields":[)"
      R"({"type":"int32","name":"io.debezium.time.Date","field":"d"}]}]},)"
      R"("payload":{"op":"c","after":{"d":"x"},"source":{"db":"d","schema":"s","table":"t"}}})",
      R"({"op":"c","after":{"a":1},"source":{"db":"d","schema":"s","table":"t","sequence":"[1]"}})",
      // Times whose nanoseconds (ts_ns, written by the encoder) overflow int64 (fuzz finding).
      R"({"before":{},"source":{"db":"","ts_us":17000000001234520,"schema":"","table":""},"op":"d"})",
      R"({"op":"d","before":{},"source":{"db":"","ts_ms":-9300000000000000,"schema":"","table":""}})",
      R"({"op":"d","before":{},"ts_us":-9300000000000000,"source":{"db":"","schema":"","table":""}})",
  };
  for (const char* value : bad) {
    auto r = decode_debezium(std::nullopt, std::string_view(value));
    ASSERT_FALSE(r.ok()) << value;
    EXPECT_EQ(r.error().code, Errc::parse) << value;
    EXPECT_NE(r.error().message.find("Debezium event"), std::string::npos);
  }
  auto message = decode_debezium(
      std::nullopt, std::string_view(R"({"op":"m","source":{"db":"d","schema":"","table":""}})"));
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.error().code, Errc::unsupported);
}

// A stream decoder keeps each schema text's row fields and each relation: records decode as a
// one-shot decode does, consecutive events of a table share one relation, a changed schema (a
// column added) is read anew, and a bad record between good ones is an error of its own.
TEST(DebeziumDecoder, AStreamKeepsSchemasAndRelationsAndIsolatesBadRecords) {
  pg::Relation rel = activities();
  DebeziumDecoder stream;
  std::shared_ptr<const pg::Relation> first;
  for (bool schemas : {true, false}) {
    for (char op : {'c', 'u', 'd', 'c'}) {
      SCOPED_TRACE(std::string(1, op) + (schemas ? " with schema" : ""));
      auto encoded = encode_debezium(event_for(op, rel), {.now_us = k_now_us, .schemas = schemas});
      ASSERT_TRUE(encoded.ok());
      auto one = decode_debezium(encoded->key, encoded->value);
      auto kept = stream.decode(encoded->key, encoded->value);
      ASSERT_TRUE(one.ok() && kept.ok());
      EXPECT_EQ(kept->event.after.has_value(), one->event.after.has_value());
      if (one->event.after) {
        EXPECT_EQ(texts(*kept->event.after), texts(*one->event.after));
      }
      if (one->event.before) {
        EXPECT_EQ(texts(*kept->event.before), texts(*one->event.before));
      }
      EXPECT_EQ(kept->key, one->key);
      EXPECT_EQ(kept->relation->columns.size(), one->relation->columns.size());
      for (size_t i = 0; i < one->relation->columns.size(); ++i) {
        EXPECT_EQ(kept->relation->columns[i].type_oid, one->relation->columns[i].type_oid);
        EXPECT_EQ(kept->relation->columns[i].is_key, one->relation->columns[i].is_key);
      }
      EXPECT_EQ(kept->event.relation, kept->relation.get());
      if (schemas && op != 'd') {  // a delete's before-image gives the same columns
        if (!first) first = kept->relation;
        EXPECT_EQ(kept->relation.get(), first.get()) << "one relation for the table";
      }
      // Trailing bytes after the record, and a record cut short, are errors; the stream goes on.
      for (const std::string& bad : {*encoded->value + "x", *encoded->value + "}",
                                     encoded->value->substr(0, encoded->value->size() / 2),
                                     encoded->value->substr(0, encoded->value->size() - 1)}) {
        auto r = stream.decode(encoded->key, bad);
        ASSERT_FALSE(r.ok()) << bad.substr(bad.size() - 20);
        EXPECT_EQ(r.error().code, Errc::parse);
      }
    }
  }
  // A column added: the new schema text is read, the new column decoded.
  pg::Relation wider = activities();
  wider.columns.push_back({false, "calories", oid::k_int4, -1, false});
  ChangeEvent e = event_for('c', wider);
  e.after->push_back(text("650"));
  auto encoded = encode_debezium(e, {.now_us = k_now_us, .schemas = true});
  ASSERT_TRUE(encoded.ok());
  auto decoded = stream.decode(encoded->key, encoded->value);
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  ASSERT_EQ(decoded->relation->columns.size(), wider.columns.size());
  EXPECT_EQ(decoded->relation->columns.back().type_oid, oid::k_int4);
  EXPECT_EQ(decoded->event.after->back().data, "650");
  EXPECT_NE(decoded->relation.get(), first.get());
  // A malformed schema with a payload that reads: an error, not a stale layout.
  std::string broken = *encoded->value;
  broken.replace(broken.find("\"calories\""), 10, "\"calories\":");
  EXPECT_FALSE(stream.decode(encoded->key, broken).ok());
}

// Two versions of a table's schema of the same length, differing only in the last column's type
// (int32 → int64), and another table's schema in between: each record is read with its own
// schema, whichever one the stream kept last.
TEST(DebeziumDecoder, SchemasOfTheSameLengthDifferingDeepInsideAreToldApart) {
  auto with_last = [](uint32_t type_oid, const std::string& table) {
    pg::Relation r = activities();
    r.name = table;
    r.columns.push_back({false, "calories", type_oid, -1, false});
    return r;
  };
  const pg::Relation narrow = with_last(oid::k_int4, "activities");
  const pg::Relation wide = with_last(oid::k_int8, "activities");
  const pg::Relation other = with_last(oid::k_int4, "activities_other");
  auto encode = [](const pg::Relation& r) {
    ChangeEvent e = event_for('c', r);
    e.after->push_back(text("650"));
    return encode_debezium(e, {.now_us = k_now_us, .schemas = true});
  };
  auto a = encode(narrow), b = encode(wide), c = encode(other);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  const auto schema_of = [](const std::string& value) {
    return value.substr(0, value.find("\"payload\""));
  };
  const std::string schema_a = schema_of(*a->value), schema_b = schema_of(*b->value);
  ASSERT_EQ(schema_a.size(), schema_b.size());
  // The first and last differing bytes are hundreds of bytes from either end (in "before" and in
  // "after"): a check of the ends would take one for the other.
  const size_t first = std::mismatch(schema_a.begin(), schema_a.end(), schema_b.begin()).first -
                       schema_a.begin();
  const size_t from_end =
      std::mismatch(schema_a.rbegin(), schema_a.rend(), schema_b.rbegin()).first -
      schema_a.rbegin();
  EXPECT_GT(first, 512u);
  EXPECT_GT(from_end, 512u);

  DebeziumDecoder stream;
  const std::vector<std::pair<const Result<EncodedEvent>*, uint32_t>> records = {
      {&a, oid::k_int4}, {&a, oid::k_int4}, {&b, oid::k_int8}, {&a, oid::k_int4},
      {&c, oid::k_int4}, {&b, oid::k_int8}, {&c, oid::k_int4}, {&b, oid::k_int8}};
  for (size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE("record " + std::to_string(i));
    const auto& [record, last_type] = records[i];
    auto decoded = stream.decode((*record)->key, (*record)->value);
    ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
    ASSERT_EQ(decoded->relation->columns.size(), narrow.columns.size());
    EXPECT_EQ(decoded->relation->columns.back().type_oid, last_type);
    EXPECT_EQ(decoded->relation->name, record == &c ? other.name : wide.name);
    EXPECT_EQ(decoded->event.after->back().data, "650");
  }
}

// Schemaless records as a Kafka consumer reads them: every column text, one relation for rows
// of the same columns whatever their values suggest.
TEST(DebeziumDecoder, SchemalessColumnsAsText) {
  DebeziumDecoder stream({.schemaless_as_text = true});
  const std::string source = R"("source":{"db":"d","schema":"s","table":"t"})";
  auto a = stream.decode(std::string_view(R"({"id":1})"),
                         R"({"op":"c","after":{"id":1,"x":12},)" + source + "}");
  auto b = stream.decode(std::string_view(R"({"id":2})"),
                         R"({"op":"c","after":{"id":2,"x":12.5},)" + source + "}");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->relation.get(), b->relation.get());
  EXPECT_EQ(a->relation->columns[1].type_oid, oid::k_text);
  EXPECT_TRUE(a->relation->columns[0].is_key);
  EXPECT_EQ((*b->event.after)[1].data, "12.5");
  auto typed = decode_debezium(std::string_view(R"({"id":2})"),
                               R"({"op":"c","after":{"id":2,"x":12.5},)" + source + "}");
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(typed->relation->columns[1].type_oid, oid::k_float8);
}

// Our own records of every date and timestamp PostgreSQL prints (±infinity, BC, 5-digit years)
// decode to PostgreSQL's text again, so both sources feed consumers the same values.
TEST(Decoder, EdgeDatesAndTimestampsOfOurRecordsDecodeToPostgresText) {
  pg::Relation rel;
  rel.oid = 1;
  rel.schema = "public";
  rel.name = "edge";
  rel.columns = {{true, "id", oid::k_int4, -1},
                 {false, "d", oid::k_date, -1},
                 {false, "ts", oid::k_timestamp, -1},
                 {false, "ms", oid::k_timestamp, 3},
                 {false, "tz", oid::k_timestamptz, -1}};
  const std::vector<std::vector<std::string>> rows = {
      {"infinity", "infinity", "infinity", "infinity"},
      {"-infinity", "-infinity", "-infinity", "-infinity"},
      // As PostgreSQL prints them (what the slot ingest keeps in _unconverted).
      {"0044-03-15 BC", "0044-03-15 12:00:00.5 BC", "0044-03-15 12:00:00.5 BC",
       "0044-03-15 12:00:00.5+00 BC"},
      {"10000-01-01", "10000-01-01 00:00:00", "10000-01-01 00:00:00", "10000-01-01 00:00:00+00"}};
  for (const auto& row : rows) {
    ChangeEvent e;
    e.op = Op::create;
    e.relation = &rel;
    e.after = pg::Tuple{{pg::TupleValue::Kind::text, "1"}};
    for (const auto& text : row) e.after->push_back({pg::TupleValue::Kind::text, text});
    auto encoded = encode_debezium(e, {.schemas = true});
    ASSERT_TRUE(encoded.ok()) << encoded.error().to_string();
    auto decoded = decode_debezium(encoded->key, encoded->value);
    ASSERT_TRUE(decoded.ok()) << decoded.error().to_string() << " " << *encoded->value;
    for (size_t i = 0; i < row.size(); ++i)
      EXPECT_EQ((*decoded->event.after)[i + 1].data, row[i]) << rel.columns[i + 1].name;
  }
}

// binary_values: fixed-size types in PostgreSQL's binary send format (big-endian; dates and
// timestamps from 2000-01-01), everything the lake cannot hold or that has no such form as text,
// exactly as without the option.
TEST(DebeziumDecoder, BinaryValuesOfFixedSizeTypesAndTextForTheRest) {
  pg::Relation rel;
  rel.oid = 1;
  rel.schema = "public";
  rel.name = "typed";
  rel.columns = {{true, "id", oid::k_int8, -1},      {false, "i2", oid::k_int2, -1},
                 {false, "i4", oid::k_int4, -1},     {false, "f4", oid::k_float4, -1},
                 {false, "f8", oid::k_float8, -1},   {false, "b", oid::k_bool, -1},
                 {false, "d", oid::k_date, -1},      {false, "ts", oid::k_timestamp, -1},
                 {false, "tz", oid::k_timestamptz, -1}, {false, "n", oid::k_numeric, -1},
                 {false, "t", oid::k_text, -1}};
  auto decode = [&](const std::vector<std::string>& row, bool binary) {
    ChangeEvent e;
    e.op = Op::create;
    e.relation = &rel;
    e.after.emplace();
    for (const auto& v : row) e.after->push_back({pg::TupleValue::Kind::text, v});
    auto encoded = encode_debezium(e, {.schemas = true});
    EXPECT_TRUE(encoded.ok()) << encoded.error().to_string();
    auto decoded = DebeziumDecoder({.binary_values = binary}).decode(encoded->key, encoded->value);
    EXPECT_TRUE(decoded.ok()) << decoded.error().to_string();
    return *decoded->event.after;
  };
  // A value as its kind's letter and its bytes (TupleValue has no ==).
  auto form = [](const pg::TupleValue& v) { return static_cast<char>(v.kind) + v.data; };
  auto bytes = [](std::initializer_list<int> b) {
    std::string out = "b";
    for (int c : b) out += static_cast<char>(c);
    return out;
  };
  const auto typed = decode({"-2", "-3", "59019", "1.5", "-0.25", "t", "2000-01-02",
                             "2000-01-01 00:00:01", "1999-12-31 23:59:59.999999+00", "3.14", "x"},
                            true);
  ASSERT_EQ(typed.size(), 11u);
  EXPECT_EQ(form(typed[0]), bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}));
  EXPECT_EQ(form(typed[1]), bytes({0xff, 0xfd}));
  EXPECT_EQ(form(typed[2]), bytes({0, 0, 0xe6, 0x8b}));
  EXPECT_EQ(form(typed[3]), bytes({0x3f, 0xc0, 0, 0}));                    // 1.5f
  EXPECT_EQ(form(typed[4]), bytes({0xbf, 0xd0, 0, 0, 0, 0, 0, 0}));        // -0.25
  EXPECT_EQ(form(typed[5]), bytes({1}));
  EXPECT_EQ(form(typed[6]), bytes({0, 0, 0, 1}));                          // day 1 after 2000-01-01
  EXPECT_EQ(form(typed[7]), bytes({0, 0, 0, 0, 0, 0x0f, 0x42, 0x40}));     // 1,000,000 µs
  EXPECT_EQ(form(typed[8]), bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));  // -1 µs
  EXPECT_EQ(form(typed[9]), std::string("t3.14"));
  EXPECT_EQ(form(typed[10]), std::string("tx"));
  // Infinities, BC and five-digit years, NaN: the same text as without the option.
  for (const auto& row : std::vector<std::vector<std::string>>{
           {"1", "1", "1", "NaN", "Infinity", "f", "infinity", "-infinity", "infinity", "NaN", ""},
           {"1", "1", "1", "1", "1", "f", "0044-03-15 BC", "0044-03-15 12:00:00.5 BC",
            "10000-01-01 00:00:00+00", "1", ""}}) {
    const auto with = decode(row, true), without = decode(row, false);
    for (size_t i = 6; i < 9; ++i) EXPECT_EQ(form(with[i]), form(without[i])) << rel.columns[i].name;
    EXPECT_EQ(with[3].kind, row[3] == "NaN" ? pg::TupleValue::Kind::text : pg::TupleValue::Kind::binary);
    EXPECT_EQ(with[4].kind, row[4] == "Infinity" ? pg::TupleValue::Kind::text : pg::TupleValue::Kind::binary);
  }
}

// sportlake before the comparison with the real connector wrote date `infinity` as 2146033979
// (+5877611-06-21); Debezium 3.6.1 writes -2147472692. Both decode to `infinity` (with schemas:
// without one a day number is just an int64).
TEST(Decoder, BothDateInfinityValuesDecodeToInfinity) {
  pg::Relation rel;
  rel.oid = 3;
  rel.schema = "public";
  rel.name = "days";
  rel.columns = {{true, "id", oid::k_int4, -1}, {false, "d", oid::k_date, -1}};
  ChangeEvent e;
  e.op = Op::create;
  e.relation = &rel;
  e.after = pg::Tuple{{pg::TupleValue::Kind::text, "1"}, {pg::TupleValue::Kind::text, "infinity"}};
  {
    auto encoded = encode_debezium(e, {.schemas = true});
    ASSERT_TRUE(encoded.ok()) << encoded.error().to_string();
    std::string value = *encoded->value;
    const auto at = value.find("\"d\":-2147472692");
    ASSERT_NE(at, std::string::npos) << value;
    for (const char* days : {"-2147472692", "2146033979"}) {
      std::string v = value;
      v.replace(at + 4, std::string_view("-2147472692").size(), days);
      auto decoded = decode_debezium(encoded->key, v);
      ASSERT_TRUE(decoded.ok()) << decoded.error().to_string() << " " << v;
      EXPECT_EQ((*decoded->event.after)[1].data, "infinity") << days;
    }
  }
}

TEST(Decoder, TimeTimetzAndIntervalFormsDecodeToPostgresText) {
  pg::Relation rel;
  rel.oid = 2;
  rel.schema = "public";
  rel.name = "times";
  rel.columns = {{true, "id", oid::k_int4, -1},
                 {false, "t", oid::k_time, -1},
                 {false, "t3", oid::k_time, 3},
                 {false, "tz", oid::k_timetz, -1},
                 {false, "iv", oid::k_interval, -1}};
  ChangeEvent e;
  e.op = Op::create;
  e.relation = &rel;
  e.after = pg::Tuple{{pg::TupleValue::Kind::text, "1"},
                      {pg::TupleValue::Kind::text, "10:15:30.123456"},
                      {pg::TupleValue::Kind::text, "10:15:30.123"},
                      {pg::TupleValue::Kind::text, "10:15:30.5+02"},
                      {pg::TupleValue::Kind::text, "-1 days +02:03:00.25"}};
  auto encoded = encode_debezium(e, {.schemas = true});
  ASSERT_TRUE(encoded.ok()) << encoded.error().to_string();
  auto decoded = decode_debezium(encoded->key, encoded->value);
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string() << " " << *encoded->value;
  const auto& after = *decoded->event.after;
  EXPECT_EQ(after[1].data, "10:15:30.123456");
  EXPECT_EQ(after[2].data, "10:15:30.123");  // PostgreSQL's text: no trailing zeros
  EXPECT_EQ(after[3].data, "08:15:30.5+00");
  EXPECT_EQ(after[4].data, "-21:56:59.750000");  // MicroDuration keeps no days or months
  // And they encode again to the same values.
  ChangeEvent again = e;
  again.after = after;
  auto reencoded = encode_debezium(again, {.schemas = true});
  ASSERT_TRUE(reencoded.ok());
  EXPECT_EQ(nlohmann::json::parse(*reencoded->value)["payload"]["after"],
            nlohmann::json::parse(*encoded->value)["payload"]["after"]);
}

// tests/bus/test_debezium_in.py found these read differently from the slot's text: arrays as JSON
// text, an unchanged TOASTed bytea as the placeholder's bytes, a whole-second time with ".000000".
TEST(Decoder, ArraysToastedByteaAndWholeSecondsDecodeToPostgresText) {
  pg::Relation rel;
  rel.oid = 4;
  rel.schema = "public";
  rel.name = "arrays";
  // 1007, 1009: int4[], text[] (builtin_array_element knows them).
  rel.columns = {{true, "id", oid::k_int4, -1},      {false, "ints", 1007, -1},
                 {false, "texts", 1009, -1}, {false, "blob", oid::k_bytea, -1},
                 {false, "t", oid::k_time, -1},       {false, "empty", 1007, -1}};
  ChangeEvent e;
  e.op = Op::update;
  e.relation = &rel;
  using Kind = pg::TupleValue::Kind;
  e.after = pg::Tuple{{Kind::text, "1"},
                      {Kind::text, "{1,NULL,-3}"},
                      {Kind::text, R"({a,"b c",NULL,"","null","q\"x","{}"})"},
                      {Kind::unchanged_toast, {}},
                      {Kind::text, "24:00:00"},
                      {Kind::text, "{}"}};
  for (bool schemas : {true, false}) {
    auto encoded = encode_debezium(e, {.schemas = schemas});
    ASSERT_TRUE(encoded.ok()) << encoded.error().to_string();
    auto decoded = decode_debezium(encoded->key, encoded->value);
    ASSERT_TRUE(decoded.ok()) << decoded.error().to_string() << " " << *encoded->value;
    const auto& after = *decoded->event.after;
    EXPECT_EQ(after[1].data, "{1,NULL,-3}");
    EXPECT_EQ(after[2].data, R"({a,"b c",NULL,"","null","q\"x","{}"})");
    EXPECT_EQ(after[3].kind, Kind::unchanged_toast) << *encoded->value;
    if (schemas) {
      EXPECT_EQ(after[4].data, "24:00:00");
    }
    EXPECT_EQ(after[5].data, "{}");
  }
}

// hstore in both hstore.handling.modes (a JSON string, a Connect map) decodes to the same text,
// so Bronze holds the same value whichever mode the connector ran with; an unchanged TOASTed
// hstore (the placeholder, or the placeholder mapped to itself) stays unchanged.
TEST(Decoder, HstoreJsonAndMapModesDecodeToTheSameText) {
  constexpr uint32_t k_hstore = 16400;
  pg::Relation rel;
  rel.oid = 5;
  rel.schema = "public";
  rel.name = "tags";
  rel.columns = {{true, "id", oid::k_int4, -1}, {false, "h", k_hstore, -1},
                 {false, "big", k_hstore, -1}};
  ChangeEvent e;
  e.op = Op::update;
  e.relation = &rel;
  using Kind = pg::TupleValue::Kind;
  e.after = pg::Tuple{{Kind::text, "1"},
                      {Kind::text, R"("a"=>"1", "b c"=>NULL, "q\"x"=>"y")"},
                      {Kind::unchanged_toast, {}}};
  for (HstoreMode mode : {HstoreMode::json, HstoreMode::map}) {
    for (bool schemas : {true, false}) {
      auto encoded = encode_debezium(
          e, {.schemas = schemas, .forms = {.hstore_oid = k_hstore, .hstore = mode}});
      ASSERT_TRUE(encoded.ok()) << encoded.error().to_string();
      // Debezium's placeholder map, as such or (json mode) as its JSON text.
      const std::string placeholder =
          mode == HstoreMode::map
              ? R"("big":{"__debezium_unavailable_value":"__debezium_unavailable_value"})"
              : R"("big":"{\"__debezium_unavailable_value\":\"__debezium_unavailable_value\"}")";
      EXPECT_NE(encoded->value->find(placeholder), std::string::npos) << *encoded->value;
      auto decoded = decode_debezium(encoded->key, encoded->value);
      ASSERT_TRUE(decoded.ok()) << decoded.error().to_string() << " " << *encoded->value;
      const auto& after = *decoded->event.after;
      EXPECT_EQ(after[1].data, R"({"a":"1","b c":null,"q\"x":"y"})") << *encoded->value;
      EXPECT_EQ(after[2].kind, Kind::unchanged_toast) << *encoded->value;
      if (schemas) {
        EXPECT_EQ(decoded->relation->columns[1].type_oid, oid::k_jsonb);
      }
    }
  }
}

}  // namespace
}  // namespace sl::cdc
