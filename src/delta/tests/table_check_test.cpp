// check_table and its record: a sound table is clean; a flipped byte in a data page, a missing
// file, and log stats that contradict the values are findings naming the file (and the row
// group, column and page where one is at fault); the record keeps the last clean check.
#include <gtest/gtest.h>

#include "delta/memory_storage.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_check.hpp"
#include "delta/table_writer.hpp"
#include "parquet/file_reader.hpp"
#include "test_tables.hpp"

namespace sl::delta {
namespace {

using testing::people;

std::string only_file(const Storage& storage) {
  auto snapshot = load_snapshot(storage);
  EXPECT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->files.size(), 1u);
  return snapshot->files.front().path;
}

std::string all_findings(const TableCheck& check) {
  std::string out;
  for (const auto& f : check.findings) out += f.to_string() + "\n";
  return out;
}

TEST(TableCheck, ASoundTableIsCleanAndRecorded) {
  MemoryStorage storage;
  ASSERT_TRUE(write_table(storage, people(0, 300)).ok());
  auto snapshot = load_snapshot(storage);
  ASSERT_TRUE(snapshot.ok());
  const TableCheck check = check_table(storage, *snapshot);
  EXPECT_TRUE(check.clean()) << all_findings(check);
  EXPECT_EQ(check.rows, 300);
  EXPECT_EQ(check.files, 1u);
  EXPECT_GT(check.pages, 0u);
  EXPECT_EQ(check.pages, check.pages_with_crc);

  auto none = load_check_record(storage);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(save_check_record(storage, check, 1'000).ok());
  auto record = load_check_record(storage);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_TRUE((*record)->clean);
  EXPECT_EQ((*record)->last_clean_at_ms, 1'000);
  EXPECT_EQ((*record)->last_clean_version, 0);
}

TEST(TableCheck, AFlippedByteInADataPageIsAFindingNamingThePage) {
  MemoryStorage storage;
  WriteOptions options;
  options.parquet.codec = parquet::Codec::uncompressed;
  options.parquet.dictionary = false;
  ASSERT_TRUE(write_table(storage, people(0, 300), options).ok());
  auto snapshot = load_snapshot(storage);
  ASSERT_TRUE(snapshot.ok());
  ASSERT_TRUE(save_check_record(storage, check_table(storage, *snapshot), 1'000).ok());

  // The last bytes of column `id`'s chunk: values of its last page.
  const std::string path = only_file(storage);
  std::string bytes = *storage.read(path);
  auto reader = parquet::ParquetReader::open_bytes(bytes, path);
  ASSERT_TRUE(reader.ok());
  const auto& meta = (*reader)->metadata().row_groups[0].columns[0].meta_data;
  const auto end = static_cast<size_t>(meta.data_page_offset + meta.total_compressed_size);
  bytes[end - 5] = static_cast<char>(bytes[end - 5] ^ 0x04);
  ASSERT_TRUE(storage.put(path, bytes).ok());

  const TableCheck check = check_table(storage, *snapshot);
  ASSERT_EQ(check.findings.size(), 1u) << all_findings(check);
  const std::string text = check.findings[0].to_string();
  EXPECT_NE(text.find("memory:" + path), std::string::npos) << text;
  EXPECT_NE(text.find("row group 0"), std::string::npos) << text;
  EXPECT_NE(text.find("column 'id'"), std::string::npos) << text;
  EXPECT_NE(text.find("page 0"), std::string::npos) << text;
  EXPECT_NE(text.find("checksum mismatch"), std::string::npos) << text;

  ASSERT_TRUE(save_check_record(storage, check, 2'000).ok());
  auto record = load_check_record(storage);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_FALSE((*record)->clean);
  EXPECT_EQ((*record)->checked_at_ms, 2'000);
  EXPECT_EQ((*record)->findings, 1u);
  EXPECT_EQ((*record)->last_clean_at_ms, 1'000);  // kept from the clean check
}

TEST(TableCheck, LogStatsThatContradictTheValuesAreFindings) {
  MemoryStorage storage;
  ASSERT_TRUE(write_table(storage, people(0, 30)).ok());
  const std::string commit = commit_path(0);
  std::string log = *storage.read(commit);
  for (auto [from, to] : {std::pair<std::string, std::string>{R"(\"numRecords\":30)",
                                                              R"(\"numRecords\":31)"},
                          {R"(\"maxValues\":{\"id\":29)", R"(\"maxValues\":{\"id\":20)"},
                          {R"(\"nullCount\":{\"id\":0,\"name\":6)",
                           R"(\"nullCount\":{\"id\":0,\"name\":5)"}}) {
    auto at = log.find(from);
    ASSERT_NE(at, std::string::npos) << from << " in " << log;
    log.replace(at, from.size(), to);
  }
  ASSERT_TRUE(storage.put(commit, log).ok());
  auto snapshot = load_snapshot(storage);
  ASSERT_TRUE(snapshot.ok());
  const std::string text = all_findings(check_table(storage, *snapshot));
  EXPECT_NE(text.find("numRecords 31, the file holds 30 rows"), std::string::npos) << text;
  EXPECT_NE(text.find("maxValues 20 for column 'id', its values 29"), std::string::npos) << text;
  EXPECT_NE(text.find("nullCount 5 for column 'name', its values 6"), std::string::npos) << text;
}

TEST(TableCheck, AMissingOrTruncatedFileIsAFinding) {
  MemoryStorage storage;
  ASSERT_TRUE(write_table(storage, people(0, 30)).ok());
  auto snapshot = load_snapshot(storage);
  ASSERT_TRUE(snapshot.ok());
  const std::string path = only_file(storage);
  const std::string bytes = *storage.read(path);
  ASSERT_TRUE(storage.put(path, bytes.substr(0, bytes.size() - 10)).ok());
  std::string text = all_findings(check_table(storage, *snapshot));
  EXPECT_NE(text.find("bytes, the log says"), std::string::npos) << text;
  EXPECT_NE(text.find("PAR1"), std::string::npos) << text;
  ASSERT_TRUE(storage.remove(path).ok());
  text = all_findings(check_table(storage, *snapshot));
  EXPECT_NE(text.find("memory:" + path + ": cannot be read"), std::string::npos) << text;
}

}  // namespace
}  // namespace sl::delta
