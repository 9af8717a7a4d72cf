// Page checksums: the writer puts the CRC-32 of every page's stored bytes in its header, the
// reader verifies it before decoding anything, and a damaged page fails naming the file, row
// group, column and page instead of reading back as a wrong value. (pyarrow checks the same CRCs
// both ways in tests/parquet/test_page_checksums.py.)
#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

#include "common/byte_cursor.hpp"
#include "parquet/file_reader.hpp"
#include "parquet/file_writer.hpp"
#include "parquet/page_checksum.hpp"

namespace sl::parquet {

using columnar::RecordBatch;
using columnar::TypeId;

namespace {

// The page CRC is zlib's crc32 (what other writers put in headers) at every length and
// alignment, through the folding loop and its tails.
TEST(PageChecksum, IsZlibsCrc32AtEveryLengthAndAlignment) {
  std::mt19937 rng(32);
  std::string bytes(70'000, '\0');
  for (auto& b : bytes) b = static_cast<char>(rng());
  for (size_t offset : {0, 1, 3, 8, 17}) {
    for (size_t size : {0, 1, 7, 15, 16, 31, 63, 64, 65, 127, 128, 255, 256, 1000, 4096, 65'537}) {
      const std::string_view page(bytes.data() + offset, size);
      const auto expected = static_cast<uint32_t>(
          crc32_z(0, reinterpret_cast<const Bytef*>(page.data()), page.size()));
      EXPECT_EQ(page_crc(page), expected) << "offset " << offset << " size " << size;
    }
  }
}

RecordBatch activities(size_t rows) {
  RecordBatch b;
  b.schema = {{"activity_id", {TypeId::int64}, false},
              {"elapsed_time_s", {TypeId::int32}, true},
              {"sport_type", {TypeId::string}, true}};
  for (const auto& f : b.schema) b.columns.emplace_back(f.type);
  for (size_t i = 0; i < rows; ++i) {
    b.columns[0].append_i64(static_cast<int64_t>(i));
    b.columns[1].append_i32(16692 + static_cast<int32_t>(i));
    b.columns[2].append_string(i % 3 ? "Run" : "Ride");
  }
  b.num_rows = rows;
  return b;
}

std::string write(const RecordBatch& b, WriterOptions options) {
  auto sink = std::make_unique<MemorySink>();
  MemorySink* memory = sink.get();
  auto writer = ParquetWriter::open(std::move(sink), b.schema, options);
  EXPECT_TRUE(writer.ok());
  EXPECT_TRUE((*writer)->write(b).ok());
  EXPECT_TRUE((*writer)->close().ok());
  return memory->take();
}

struct StoredPage {
  PageHeader header;
  size_t body_offset = 0;  // in the file
  size_t body_size = 0;
};

// Every page of column chunk `column` of row group `group`, walked through its headers.
std::vector<StoredPage> pages_of(const std::string& file, size_t group, size_t column) {
  auto reader = ParquetReader::open_bytes(file, "walk.parquet");
  EXPECT_TRUE(reader.ok());
  const auto& meta = (*reader)->metadata().row_groups[group].columns[column].meta_data;
  const auto start =
      static_cast<size_t>(meta.dictionary_page_offset.value_or(meta.data_page_offset));
  ByteCursor cursor(std::string_view(file).substr(start, meta.total_compressed_size));
  std::vector<StoredPage> pages;
  while (!cursor.at_end()) {
    auto header = decode_page_header(cursor);
    EXPECT_TRUE(header.ok());
    if (!header) break;
    StoredPage page{*header, start + cursor.position(),
                    static_cast<size_t>(header->compressed_page_size)};
    cursor.string_view(page.body_size, "body");
    pages.push_back(page);
  }
  return pages;
}

}  // namespace

TEST(PageChecksum, IsZlibsCrc32) {
  // The CRC-32 check value of the gzip polynomial.
  EXPECT_EQ(page_crc("123456789"), 0xCBF43926u);
  EXPECT_EQ(page_crc(""), 0u);
}

TEST(PageChecksum, EveryPageCarriesTheCrcOfItsStoredBytes) {
  for (Codec codec : {Codec::uncompressed, Codec::snappy, Codec::zstd}) {
    WriterOptions options;
    options.codec = codec;
    options.page_size = 256;  // many pages per chunk
    options.row_group_rows = 300;
    const std::string file = write(activities(1000), options);
    auto reader = ParquetReader::open_bytes(file, "crc.parquet");
    ASSERT_TRUE(reader.ok());
    size_t checked = 0;
    for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) {
      for (size_t c = 0; c < 3; ++c) {
        for (const auto& page : pages_of(file, g, c)) {
          ASSERT_TRUE(page.header.crc.has_value());
          EXPECT_EQ(static_cast<uint32_t>(*page.header.crc),
                    page_crc(std::string_view(file).substr(page.body_offset, page.body_size)));
          ++checked;
        }
      }
    }
    EXPECT_GT(checked, 4u * 3u);
    EXPECT_TRUE((*reader)->read_all().ok());
  }
}

TEST(PageChecksum, AFlippedByteInADataPageIsAnErrorNamingThePage) {
  WriterOptions options;
  options.codec = Codec::uncompressed;
  options.dictionary = false;
  const RecordBatch rows = activities(50);
  std::string file = write(rows, options);
  // A byte in the middle of elapsed_time_s's values (its only page, v1: def levels then values).
  const auto pages = pages_of(file, 0, 1);
  ASSERT_EQ(pages.size(), 1u);
  const size_t target = pages[0].body_offset + pages[0].body_size - 4 * 10 + 2;
  file[target] = static_cast<char>(file[target] ^ 0x5a);

  auto reader = ParquetReader::open_bytes(file, "bronze/part-0.parquet");
  ASSERT_TRUE(reader.ok());
  auto read = (*reader)->read_all();
  ASSERT_FALSE(read.ok()) << "a damaged page was read as values";
  const std::string& message = read.error().message;
  EXPECT_EQ(read.error().code, Errc::corrupt);
  EXPECT_NE(message.find("'bronze/part-0.parquet' row group 0 column 'elapsed_time_s': page 0"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("checksum mismatch"), std::string::npos) << message;
  // The other columns' pages are intact and still read.
  EXPECT_TRUE((*reader)->read_all({"activity_id", "sport_type"}).ok());
}

TEST(PageChecksum, ADamagedDictionaryPageOrCompressedPageFails) {
  for (Codec codec : {Codec::uncompressed, Codec::snappy}) {
    WriterOptions options;
    options.codec = codec;
    std::string file = write(activities(200), options);
    const auto pages = pages_of(file, 0, 2);  // sport_type: dictionary page, then data
    ASSERT_GE(pages.size(), 2u);
    ASSERT_EQ(pages[0].header.type, PageType::dictionary_page);
    for (size_t p = 0; p < 2; ++p) {
      std::string damaged = file;
      const size_t target = pages[p].body_offset + pages[p].body_size / 2;
      damaged[target] = static_cast<char>(damaged[target] ^ 0x01);
      auto reader = ParquetReader::open_bytes(damaged, "d.parquet");
      ASSERT_TRUE(reader.ok());
      auto read = (*reader)->read_all();
      ASSERT_FALSE(read.ok()) << "page " << p;
      EXPECT_NE(read.error().message.find("column 'sport_type': page " + std::to_string(p)),
                std::string::npos)
          << read.error().message;
      EXPECT_NE(read.error().message.find("checksum"), std::string::npos);
    }
  }
}

TEST(PageChecksum, PagesWithoutACrcStillRead) {
  WriterOptions options;
  options.page_checksums = false;
  const std::string file = write(activities(100), options);
  for (const auto& page : pages_of(file, 0, 1)) EXPECT_FALSE(page.header.crc.has_value());
  auto reader = ParquetReader::open_bytes(file, "nocrc.parquet");
  ASSERT_TRUE(reader.ok());
  auto read = (*reader)->read_all();
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->columns[1].i32[99], 16692 + 99);
}

}  // namespace sl::parquet
