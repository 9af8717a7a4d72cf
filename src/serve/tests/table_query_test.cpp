// Server-side sorting, searching and paging of a table's rows.
#include <gtest/gtest.h>

#include "serve/table_query.hpp"

namespace sl::serve {
namespace {

using columnar::Column;
using columnar::Field;
using columnar::TypeId;

// name (string), score (int64, row 2 null).
std::shared_ptr<const columnar::RecordBatch> people() {
  columnar::RecordBatch b;
  b.schema = {Field{"name", {TypeId::string}}, Field{"score", {TypeId::int64}}};
  Column name({TypeId::string}), score({TypeId::int64});
  const char* names[] = {"Émile Durand", "alice", "Bob", "CAROLE", "dave"};
  const int64_t scores[] = {5, 3, 0, 3, 9};
  for (int i = 0; i < 5; ++i) {
    name.append_string(names[i]);
    if (i == 2)
      score.append_null();
    else
      score.append_i64(scores[i]);
  }
  b.columns = {name, score};
  b.num_rows = 5;
  return std::make_shared<const columnar::RecordBatch>(std::move(b));
}

std::vector<size_t> rows_of(const TableQueryEngine& engine,
                            const std::shared_ptr<const columnar::RecordBatch>& b, TableQuery q) {
  return engine.run(b, q, {"name"}).rows;
}

TEST(TableQuery, SortsStablyWithNullsLast) {
  TableQueryEngine engine;
  auto b = people();
  EXPECT_EQ(rows_of(engine, b, {.sort = "score"}), (std::vector<size_t>{1, 3, 0, 4, 2}));
  EXPECT_EQ(rows_of(engine, b, {.sort = "score", .descending = true}),
            (std::vector<size_t>{4, 0, 1, 3, 2}));  // ties keep the table's order, null last
  EXPECT_EQ(rows_of(engine, b, {.sort = "name"}), (std::vector<size_t>{2, 3, 1, 4, 0}));
  EXPECT_EQ(rows_of(engine, b, {}), (std::vector<size_t>{0, 1, 2, 3, 4}));
}

TEST(TableQuery, SearchesCaseAndAccentInsensitively) {
  TableQueryEngine engine;
  auto b = people();
  EXPECT_EQ(rows_of(engine, b, {.q = "A"}), (std::vector<size_t>{0, 1, 3, 4}));
  for (const char* q : {"emile", "EMILE", "émile", "Émile", "E\u0301mile", "ÉMILE DURAND"})
    EXPECT_EQ(rows_of(engine, b, {.q = q}), (std::vector<size_t>{0})) << q;
  EXPECT_EQ(rows_of(engine, b, {.q = "carolé"}), (std::vector<size_t>{3}));
  EXPECT_EQ(engine.run(b, {.q = "zzz"}, {"name"}).pages, 1);
}

TEST(TableQuery, FoldsLatin1AndLatinExtendedA) {
  EXPECT_EQ(search_folded("Émile Zoë Ça"), "emile zoe ca");
  EXPECT_EQ(search_folded("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÑ"), "aaaceeeeiioouuuyn");
  EXPECT_EQ(search_folded("Œuvre Lætitia Straße"), "oeuvre laetitia strasse");
  EXPECT_EQ(search_folded("Łódź Ševčík Ærøskøbing ı"), "lodz sevcik aeroskobing i");
  EXPECT_EQ(search_folded("e\u0301"), "e");            // decomposed: the combining mark dropped
  EXPECT_EQ(search_folded("× ÷ € 中"), "× ÷ € 中");  // not letters of those blocks: as written
  EXPECT_EQ(search_folded("\xC3"), "\xC3");          // a truncated sequence: kept, no crash
  // Every pair of bytes (the fuzz target's properties, exhaustively): never longer, no capital.
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b) {
      const char pair[] = {static_cast<char>(a), static_cast<char>(b)};
      const std::string folded = search_folded(std::string_view(pair, 2));
      ASSERT_LE(folded.size(), 2u) << a << " " << b;
      for (char c : folded) ASSERT_FALSE(c >= 'A' && c <= 'Z') << a << " " << b;
    }
}

TEST(TableQuery, PagesAreClamped) {
  TableQueryEngine engine;
  auto b = people();
  const auto page = engine.run(b, {.sort = "name", .page = 2, .page_size = 2}, {});
  EXPECT_EQ(page.rows, (std::vector<size_t>{1, 4}));
  EXPECT_EQ(page.total, 5);
  EXPECT_EQ(page.pages, 3);
  const auto last = engine.run(b, {.sort = "name", .page = 99, .page_size = 2}, {});
  EXPECT_EQ(last.page, 3);
  EXPECT_EQ(last.rows, (std::vector<size_t>{0}));
  EXPECT_EQ(take_rows(*b, last.rows).columns[0].string_at(0), "Émile Durand");
}

TEST(TableQuery, ParametersAreChecked) {
  auto b = people();
  auto q =
      parse_table_query({.sort = "", .dir = "desc", .q = "x", .page = "3"}, *b, "name", Lang::en);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->sort, "name");
  EXPECT_TRUE(q->descending);
  EXPECT_EQ(q->page, 3);
  EXPECT_EQ(q->page_size, 50);
  EXPECT_FALSE(parse_table_query({.sort = "salary"}, *b, "", Lang::en).ok());
  EXPECT_FALSE(parse_table_query({.dir = "up"}, *b, "", Lang::en).ok());
  EXPECT_FALSE(parse_table_query({.page = "0"}, *b, "", Lang::en).ok());
  EXPECT_FALSE(parse_table_query({.page = "1x"}, *b, "", Lang::en).ok());
  EXPECT_FALSE(parse_table_query({.page_size = "501"}, *b, "", Lang::en).ok());
  const auto fr = parse_table_query({.dir = "up"}, *b, "", Lang::fr);
  EXPECT_EQ(fr.error().message, "dir 'up' : ni asc ni desc");
}

TEST(TableQuery, OrdersAreKeptPerBatchVersion) {
  TableQueryEngine engine;
  auto b = people();
  EXPECT_EQ(rows_of(engine, b, {.sort = "score"}), rows_of(engine, b, {.sort = "score"}));
  auto other = people();  // a new version of the table: its own order
  EXPECT_EQ(rows_of(engine, other, {.sort = "score", .descending = true}),
            (std::vector<size_t>{4, 0, 1, 3, 2}));
}

}  // namespace
}  // namespace sl::serve
