// Structural checks of written files (values are checked by pyarrow and DuckDB in
// tests/parquet/test_writer_interop.py).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "parquet/file_writer.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::RecordBatch;
using columnar::TypeId;
namespace {

RecordBatch sample_batch(size_t rows) {
  RecordBatch b;
  b.schema = {{"id", {TypeId::int64}, false}, {"sport", {TypeId::string}, true}};
  Column id({TypeId::int64}), sport({TypeId::string});
  for (size_t i = 0; i < rows; ++i) {
    id.append_i64(static_cast<int64_t>(i));
    if (i % 7 == 0) {
      sport.append_null();
    } else {
      sport.append_string(i % 2 ? "Run" : "Hike");
    }
  }
  b.columns = {std::move(id), std::move(sport)};
  b.num_rows = rows;
  return b;
}

// Several threads encode the columns of a large row group: the bytes are exactly those of one.
TEST(ParquetWriter, ThreadsDoNotChangeTheBytes) {
  auto write = [](size_t threads, size_t row_group_rows) {
    auto sink = std::make_unique<MemorySink>();
    MemorySink* memory = sink.get();
    WriterOptions options;
    options.threads = threads;
    options.row_group_rows = row_group_rows;
    auto writer = ParquetWriter::open(std::move(sink), sample_batch(0).schema, options);
    EXPECT_TRUE(writer.ok());
    EXPECT_TRUE((*writer)->write(sample_batch(300'000)).ok());
    EXPECT_TRUE((*writer)->close().ok());
    return memory->take();
  };
  for (size_t rows : {size_t{1} << 20, size_t{100'000}}) {  // one row group, then three
    const std::string one = write(1, rows);
    EXPECT_EQ(write(2, rows), one) << rows;
    EXPECT_EQ(write(3, rows), one) << rows;
  }
}

TEST(ParquetWriter, FileHasMagicAndFooterLength) {
  auto sink = std::make_unique<MemorySink>();
  MemorySink* memory = sink.get();
  auto writer = ParquetWriter::open(std::move(sink), sample_batch(0).schema);
  ASSERT_TRUE(writer.ok()) << writer.error().to_string();
  ASSERT_TRUE((*writer)->write(sample_batch(1000)).ok());
  ASSERT_TRUE((*writer)->close().ok());
  const std::string& data = memory->data();
  ASSERT_GT(data.size(), 12u);
  EXPECT_EQ(data.substr(0, 4), "PAR1");
  EXPECT_EQ(data.substr(data.size() - 4), "PAR1");
  uint32_t footer = 0;
  std::memcpy(&footer, data.data() + data.size() - 8, 4);
  EXPECT_GT(footer, 0u);
  EXPECT_LT(footer, data.size() - 12);
  const auto& md = (*writer)->metadata();
  EXPECT_EQ(md.num_rows, 1000);
  ASSERT_EQ(md.row_groups.size(), 1u);
  const auto& sport = md.row_groups[0].columns[1].meta_data;
  EXPECT_EQ(sport.statistics.null_count, 143);
  EXPECT_EQ(sport.statistics.min_value, "Hike");
  EXPECT_EQ(sport.statistics.max_value, "Run");
  EXPECT_FALSE(sport.statistics.min.has_value()) << "no deprecated signed stats for strings";
  EXPECT_TRUE(sport.dictionary_page_offset.has_value());
  // Chunks are back to back: each starts where the previous ended.
  const auto& id = md.row_groups[0].columns[0].meta_data;
  EXPECT_EQ(id.data_page_offset, 4);
  EXPECT_EQ(*sport.dictionary_page_offset, 4 + id.total_compressed_size);
}

TEST(ParquetWriter, RowGroupsSplitAcrossBatches) {
  WriterOptions options;
  options.row_group_rows = 300;
  auto sink = std::make_unique<MemorySink>();
  auto writer = ParquetWriter::open(std::move(sink), sample_batch(0).schema, options);
  ASSERT_TRUE(writer.ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE((*writer)->write(sample_batch(200)).ok());
  ASSERT_TRUE((*writer)->close().ok());
  const auto& md = (*writer)->metadata();
  ASSERT_EQ(md.row_groups.size(), 4u);
  EXPECT_EQ(md.row_groups[0].num_rows, 300);
  EXPECT_EQ(md.row_groups[3].num_rows, 100);
}

TEST(ParquetWriter, RejectsMismatchedBatchesAndNullsInRequiredColumns) {
  auto writer = ParquetWriter::open(std::make_unique<MemorySink>(), sample_batch(0).schema);
  ASSERT_TRUE(writer.ok());
  RecordBatch bad = sample_batch(3);
  bad.columns[0].append_null();
  bad.columns[1].append_string("x");
  bad.num_rows = 4;
  auto status = (*writer)->write(bad);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("required column 'id' has nulls"), std::string::npos);
  RecordBatch wrong = sample_batch(3);
  wrong.columns.pop_back();
  EXPECT_FALSE((*writer)->write(wrong).ok());
}

TEST(ParquetWriter, FloatStatisticsIgnoreNanAndSignZeros) {
  RecordBatch b;
  b.schema = {{"x", {TypeId::float64}, true}};
  Column x({TypeId::float64});
  for (double v : {0.0, std::nan(""), 3.5, -0.0}) x.append_f64(v);
  b.columns = {std::move(x)};
  b.num_rows = 4;
  auto writer = ParquetWriter::open(std::make_unique<MemorySink>(), b.schema);
  ASSERT_TRUE((*writer)->write(b).ok());
  ASSERT_TRUE((*writer)->close().ok());
  const auto& stats = (*writer)->metadata().row_groups[0].columns[0].meta_data.statistics;
  double lo = 1, hi = 0;
  std::memcpy(&lo, stats.min_value->data(), 8);
  std::memcpy(&hi, stats.max_value->data(), 8);
  EXPECT_EQ(lo, 0.0);
  EXPECT_TRUE(std::signbit(lo)) << "a zero min is written as -0.0";
  EXPECT_EQ(hi, 3.5);
}

}  // namespace
}  // namespace sl::parquet
