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

TEST(CsvReader, EndLineOfAMultiLineRecord) {
  auto records = read_all("a,b\n1,\"x\ny\nz\"\n2,3\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].end_line, 1u);
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[1].end_line, 4u);
  EXPECT_EQ(records[2].line, 5u);
  EXPECT_EQ(records[2].end_line, 5u);
}

TEST(CsvReader, RestartAfterFirstLineRereadsTheSwallowedLines) {
  CsvReader reader("a,b\n1,\"open\n2,3\n4,\"x\"\n", "x.csv");
  Record record;
  ASSERT_TRUE(*reader.next(record));
  ASSERT_TRUE(*reader.next(record));  // 1,"open\n2,3\n4," then x"
  EXPECT_EQ(record.line, 2u);
  EXPECT_EQ(record.end_line, 4u);
  EXPECT_EQ(reader.last_record_first_line(), "1,\"open");
  reader.restart_after_first_line();
  ASSERT_TRUE(*reader.next(record));
  EXPECT_EQ(record.line, 3u);
  EXPECT_EQ(record.fields, (std::vector<std::string>{"2", "3"}));
  ASSERT_TRUE(*reader.next(record));
  EXPECT_EQ(record.line, 4u);
  EXPECT_EQ(record.fields, (std::vector<std::string>{"4", "x"}));
  EXPECT_FALSE(*reader.next(record));
}

TEST(CsvReader, RestartAfterAnUnterminatedQuote) {
  CsvReader reader("a,b\r\n1,\"open\r\n2,3\r\n", "x.csv");
  Record record;
  ASSERT_TRUE(*reader.next(record));
  ASSERT_FALSE(reader.next(record).ok());
  EXPECT_EQ(reader.last_record_first_line(), "1,\"open");
  reader.restart_after_first_line();
  ASSERT_TRUE(*reader.next(record));
  EXPECT_EQ(record.line, 3u);
  EXPECT_EQ(record.fields, (std::vector<std::string>{"2", "3"}));
  EXPECT_FALSE(*reader.next(record));
}

TEST(Encoding, EvidenceDecidesWindows1252DespiteAnAccidentalUtf8Sequence) {
  // Three bytes that cannot be UTF-8 (é = E9) against one that can (Ã© = C3 A9).
  auto e = examine_encoding("Pr\xe9nom,L\xe9vy\nAndr\xc3\xa9,Zo\xe9");
  EXPECT_EQ(e.encoding, Encoding::windows1252);
  EXPECT_EQ(e.invalid_sequences, 3u);
  EXPECT_EQ(e.utf8_sequences, 1u);
  EXPECT_EQ(e.first_invalid, 2u);
  EXPECT_EQ(e.first_utf8, 16u);
  // A byte undefined in Windows-1252 rules it out, whatever the counts.
  auto damaged = examine_encoding("\xe9\xe9\xe9\x81");
  EXPECT_EQ(damaged.encoding, Encoding::mixed);
  EXPECT_EQ(damaged.first_cp1252_undefined, 3u);
  // As many valid sequences as invalid bytes: UTF-8 with a damaged part.
  EXPECT_EQ(examine_encoding("\xc3\xa9\xe9").encoding, Encoding::mixed);
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
