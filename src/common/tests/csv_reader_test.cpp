#include "common/csv_reader.hpp"

#include <gtest/gtest.h>

namespace sl::csv {
namespace {

std::vector<Record> read_all(std::string_view text) {
  CsvReader reader(text, "t.csv");
  std::vector<Record> out;
  Record record;
  for (;;) {
    auto more = reader.next(record);
    EXPECT_TRUE(more.ok()) << more.error().to_string();
    if (!more.ok() || !*more) break;
    out.push_back(record);
  }
  return out;
}

TEST(CsvReader, QuotedFieldsWithCommasQuotesAndNewlines) {
  auto records = read_all(
      "id,adresse\r\n1,\"128 Rue du Port, 34000 Frontignan\"\r\n2,\"dit \"\"Le Grand\"\"\"\n"
      "3,\"ligne 1\nligne 2\"\n\n4,\n");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[1].fields[1], "128 Rue du Port, 34000 Frontignan");
  EXPECT_EQ(records[2].fields[1], "dit \"Le Grand\"");
  EXPECT_EQ(records[3].fields[1], "ligne 1\nligne 2");
  EXPECT_EQ(records[3].line, 4u);
  EXPECT_EQ(records[4].line, 7u);  // the blank line 6 is skipped
  ASSERT_EQ(records[4].fields.size(), 2u);
  EXPECT_EQ(records[4].fields[1], "");
}

TEST(CsvReader, LastRecordWithoutNewlineAndBom) {
  auto records = read_all(
      "\xEF\xBB\xBF"
      "a,b\n1,2");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields[0], "a");
  EXPECT_EQ(records[1].fields[1], "2");
}

TEST(CsvReader, UnterminatedQuoteNamesTheLine) {
  CsvReader reader("a,b\n1,\"open\n2,3\n", "x.csv");
  Record record;
  ASSERT_TRUE(*reader.next(record));
  auto second = reader.next(record);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message, "x.csv:2: unterminated quoted field");
}

TEST(Encoding, DetectsUtf8Windows1252AndMixed) {
  EXPECT_EQ(detect_encoding("Prénom,Déplacement"), Encoding::utf8);
  EXPECT_EQ(detect_encoding("Pr\xe9nom,D\xe9placement \x80"), Encoding::windows1252);
  EXPECT_EQ(detect_encoding("Prénom,Pr\xe9nom"), Encoding::mixed);
  EXPECT_EQ(windows1252_to_utf8("Pr\xe9nom \x80"), "Prénom €");
  EXPECT_EQ(find_invalid_utf8("ok \xc3"), 3u);
  EXPECT_EQ(find_invalid_utf8("\xed\xa0\x80"), 0u);  // surrogate
  EXPECT_EQ(find_invalid_utf8("Équitation"), std::string_view::npos);
}

}  // namespace
}  // namespace sl::csv
