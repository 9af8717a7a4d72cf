// The pgoutput decoder on messages built by a test encoder that follows the documented grammar;
// truncated and garbled messages must give clear errors.
#include "pg/pgoutput_decoder.hpp"

#include <gtest/gtest.h>

namespace sl::pg {
namespace {

// Test encoder: big-endian integers, NUL-terminated strings.
struct Msg {
  std::string bytes;
  Msg& tag(char c) {
    bytes.push_back(c);
    return *this;
  }
  Msg& i8(uint8_t v) {
    bytes.push_back(static_cast<char>(v));
    return *this;
  }
  Msg& i16(uint16_t v) { return be(v, 2); }
  Msg& i32(uint32_t v) { return be(v, 4); }
  Msg& i64(uint64_t v) { return be(v, 8); }
  Msg& str(std::string_view s) {
    bytes.append(s);
    bytes.push_back('\0');
    return *this;
  }
  Msg& text(std::string_view s) {
    tag('t');
    i32(static_cast<uint32_t>(s.size()));
    bytes.append(s);
    return *this;
  }
  Msg& be(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) bytes.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    return *this;
  }
};

TEST(PgOutput, BeginAndCommit) {
  auto begin = decode_pgoutput(Msg().tag('B').i64(0x16B374D848ull).i64(123456).i32(777).bytes);
  ASSERT_TRUE(begin.ok()) << begin.error().to_string();
  auto& b = std::get<Begin>(*begin);
  EXPECT_EQ(b.final_lsn.to_string(), "16/B374D848");
  EXPECT_EQ(b.commit_time, 123456);
  EXPECT_EQ(b.xid, 777u);
  auto commit = decode_pgoutput(Msg().tag('C').i8(0).i64(100).i64(120).i64(5).bytes);
  ASSERT_TRUE(commit.ok());
  EXPECT_EQ(std::get<Commit>(*commit).end_lsn.value, 120u);
}

TEST(PgOutput, RelationWithColumns) {
  auto rel = decode_pgoutput(Msg()
                                 .tag('R')
                                 .i32(16384)
                                 .str("public")
                                 .str("strava_activities")
                                 .i8('f')
                                 .i16(2)
                                 .i8(1)
                                 .str("activity_id")
                                 .i32(20)
                                 .i32(0xffffffff)
                                 .i8(0)
                                 .str("name")
                                 .i32(25)
                                 .i32(0xffffffff)
                                 .bytes);
  ASSERT_TRUE(rel.ok()) << rel.error().to_string();
  auto& r = std::get<Relation>(*rel);
  EXPECT_EQ(r.oid, 16384u);
  EXPECT_EQ(r.schema, "public");
  EXPECT_EQ(r.name, "strava_activities");
  EXPECT_EQ(r.replica_identity, 'f');
  ASSERT_EQ(r.columns.size(), 2u);
  EXPECT_TRUE(r.columns[0].is_key);
  EXPECT_EQ(r.columns[1].name, "name");
  EXPECT_EQ(r.columns[1].type_oid, 25u);
  EXPECT_EQ(r.columns[1].type_modifier, -1);
  auto catalog = decode_pgoutput(Msg().tag('R').i32(1).str("").str("t").i8('d').i16(0).bytes);
  EXPECT_EQ(std::get<Relation>(*catalog).schema, "pg_catalog");
}

TEST(PgOutput, InsertUpdateDeleteWithNullAndUnchangedToast) {
  auto ins = decode_pgoutput(
      Msg().tag('I').i32(7).tag('N').i16(3).text("42").tag('n').text("Élodie").bytes);
  ASSERT_TRUE(ins.ok());
  const auto& t = std::get<Insert>(*ins).new_tuple;
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].data, "42");
  EXPECT_EQ(t[1].kind, TupleValue::Kind::null);
  EXPECT_EQ(t[2].data, "Élodie");

  auto upd = decode_pgoutput(Msg()
                                 .tag('U')
                                 .i32(7)
                                 .tag('O')
                                 .i16(2)
                                 .text("1")
                                 .text("old")
                                 .tag('N')
                                 .i16(2)
                                 .text("1")
                                 .tag('u')
                                 .bytes);
  ASSERT_TRUE(upd.ok()) << upd.error().to_string();
  const auto& u = std::get<Update>(*upd);
  EXPECT_EQ(u.old_kind, 'O');
  EXPECT_EQ((*u.old_tuple)[1].data, "old");
  EXPECT_EQ(u.new_tuple[1].kind, TupleValue::Kind::unchanged_toast) << "never defaulted";

  auto plain_update = decode_pgoutput(Msg().tag('U').i32(7).tag('N').i16(1).text("1").bytes);
  ASSERT_TRUE(plain_update.ok());
  EXPECT_FALSE(std::get<Update>(*plain_update).old_tuple.has_value());

  auto del = decode_pgoutput(Msg().tag('D').i32(7).tag('K').i16(2).text("1").tag('n').bytes);
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(std::get<Delete>(*del).old_kind, 'K');
}

TEST(PgOutput, TruncateOriginTypeMessage) {
  auto tr = decode_pgoutput(Msg().tag('T').i32(2).i8(1).i32(10).i32(11).bytes);
  ASSERT_TRUE(tr.ok());
  EXPECT_EQ(std::get<Truncate>(*tr).relation_oids, (std::vector<uint32_t>{10, 11}));
  auto origin = decode_pgoutput(Msg().tag('O').i64(5).str("node_a").bytes);
  EXPECT_EQ(std::get<Origin>(*origin).name, "node_a");
  auto type = decode_pgoutput(Msg().tag('Y').i32(90000).str("public").str("mood").bytes);
  EXPECT_EQ(std::get<TypeInfo>(*type).name, "mood");
  auto message =
      decode_pgoutput(Msg().tag('M').i8(1).i64(9).str("sportlake").i32(2).tag('h').tag('i').bytes);
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(std::get<LogicalMessage>(*message).content, "hi");
}

TEST(PgOutput, TruncatedAndGarbledMessagesAreClearErrors) {
  std::string insert = Msg().tag('I').i32(7).tag('N').i16(2).text("42").text("x").bytes;
  for (size_t cut = 0; cut < insert.size(); ++cut) {
    auto r = decode_pgoutput(insert.substr(0, cut));
    ASSERT_FALSE(r.ok()) << "cut at " << cut;
    EXPECT_EQ(r.error().code, Errc::parse);
  }
  auto truncated_begin = decode_pgoutput(Msg().tag('B').i64(1).i32(2).bytes);
  ASSERT_FALSE(truncated_begin.ok());
  EXPECT_NE(truncated_begin.error().message.find("truncated Begin.commit_time"), std::string::npos)
      << truncated_begin.error().message;
  auto unknown = decode_pgoutput("Z123");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown message type 'Z'"), std::string::npos);
  auto bad_kind = decode_pgoutput(Msg().tag('I').i32(7).tag('N').i16(1).tag('x').bytes);
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_NE(bad_kind.error().message.find("unknown TupleData kind 'x'"), std::string::npos);
  auto trailing = decode_pgoutput(Msg().tag('C').i8(0).i64(1).i64(2).i64(3).i8(9).bytes);
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(trailing.error().message.find("trailing"), std::string::npos);
  auto huge_ncols = decode_pgoutput(Msg().tag('I').i32(7).tag('N').i16(60000).bytes);
  EXPECT_FALSE(huge_ncols.ok());
}

TEST(Lsn, ParseAndFormat) {
  EXPECT_EQ(Lsn::parse("16/B374D848")->value, 0x16B374D848ull);
  EXPECT_EQ(Lsn{0x16B374D848ull}.to_string(), "16/B374D848");
  EXPECT_FALSE(Lsn::parse("16B374D848"));
  EXPECT_FALSE(Lsn::parse("G/1"));
}

}  // namespace
}  // namespace sl::pg
