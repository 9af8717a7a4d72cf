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

// The metadata of one column of `values` (each added by `append`) written as one row group.
template <class T, class Append>
ColumnMetaData one_chunk(TypeId type, const std::vector<T>& values, Append append) {
  RecordBatch b;
  b.schema = {{"x", {type}, true}};
  Column x({type});
  for (const T& v : values) append(x, v);
  b.columns = {std::move(x)};
  b.num_rows = values.size();
  auto writer = ParquetWriter::open(std::make_unique<MemorySink>(), b.schema);
  EXPECT_TRUE((*writer)->write(b).ok());
  EXPECT_TRUE((*writer)->close().ok());
  return (*writer)->metadata().row_groups[0].columns[0].meta_data;
}

ColumnMetaData int64_chunk(const std::vector<int64_t>& values) {
  return one_chunk(TypeId::int64, values, [](Column& c, int64_t v) { c.append_i64(v); });
}

// The dictionary is decided per chunk: PLAIN when more than 90 % of the values are distinct,
// and early when a sample of them barely repeats (column_writer.cpp,
// dictionary_sample_says_unique), whatever their order.
TEST(ParquetWriter, DictionaryGivesUpOnNearUniqueChunksEarly) {
  const size_t n = 100'000;
  std::vector<int64_t> unique(n), sorted_unique(n), cycling(n), random_few(n), ninety_five(n),
      small_unique(10'000);
  uint64_t state = 42;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (size_t i = 0; i < n; ++i) {
    unique[i] = static_cast<int64_t>(i * 7919 % 100'003);  // all distinct, unordered
    sorted_unique[i] = static_cast<int64_t>(i) * 3;
    cycling[i] = static_cast<int64_t>(i % 20'000);  // a counter: 20 % distinct, no repeat early
    random_few[i] = static_cast<int64_t>(next() % 30'000);
    ninety_five[i] = i % 20 == 0 ? 7 : static_cast<int64_t>(i);  // 95 % distinct
  }
  for (size_t i = 0; i < small_unique.size(); ++i) small_unique[i] = static_cast<int64_t>(i);
  auto has_dictionary = [](const ColumnMetaData& m) {
    return m.dictionary_page_offset.has_value();
  };
  EXPECT_FALSE(has_dictionary(int64_chunk(unique)));
  EXPECT_FALSE(has_dictionary(int64_chunk(sorted_unique)));
  EXPECT_FALSE(has_dictionary(int64_chunk(ninety_five)));
  EXPECT_FALSE(has_dictionary(int64_chunk(small_unique))) << "under the sample's size: 90 %";
  const auto cycling_chunk = int64_chunk(cycling);
  EXPECT_TRUE(has_dictionary(cycling_chunk)) << "the sample is not the first values";
  EXPECT_EQ(cycling_chunk.statistics.distinct_count, 20'000);
  EXPECT_TRUE(has_dictionary(int64_chunk(random_few)));
  const auto stats = int64_chunk(unique).statistics;
  int64_t lo = -1, hi = -1;
  std::memcpy(&lo, stats.min_value->data(), 8);
  std::memcpy(&hi, stats.max_value->data(), 8);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 100'002);
}

// Statistics of numbers skip NaNs wherever they are (first, between, last), none if all are.
TEST(ParquetWriter, FloatStatisticsSkipLeadingNans) {
  auto bounds = [](const std::vector<double>& values) {
    return one_chunk(TypeId::float64, values, [](Column& c, double v) { c.append_f64(v); })
        .statistics;
  };
  const double nan = std::nan("");
  const auto stats = bounds({nan, nan, 2.5, nan, -1.0, 7.0, nan});
  double lo = 0, hi = 0;
  ASSERT_TRUE(stats.min_value && stats.max_value);
  std::memcpy(&lo, stats.min_value->data(), 8);
  std::memcpy(&hi, stats.max_value->data(), 8);
  EXPECT_EQ(lo, -1.0);
  EXPECT_EQ(hi, 7.0);
  const auto none = bounds({nan, nan});
  EXPECT_FALSE(none.min_value.has_value());
  EXPECT_FALSE(none.max_value.has_value());
}

// A string chunk's bounds come from its dictionary's entries when it has one: the same bounds as
// over every value (the file written without a dictionary).
TEST(ParquetWriter, StringBoundsFromTheDictionaryEqualThoseOfEveryValue) {
  RecordBatch b;
  b.schema = {{"s", {TypeId::string}, true}};
  Column s({TypeId::string});
  const char* words[] = {"Run", "", "Zwift", "Hike", "Äpfel", "Run ", "Ride"};
  for (size_t i = 0; i < 5'000; ++i) {
    if (i % 11 == 3)
      s.append_null();
    else
      s.append_string(words[(i / 7) % 7]);
  }
  b.columns = {std::move(s)};
  b.num_rows = 5'000;
  auto stats_with = [&b](bool dictionary) {
    WriterOptions options;
    options.dictionary = dictionary;
    auto writer = ParquetWriter::open(std::make_unique<MemorySink>(), b.schema, options);
    EXPECT_TRUE((*writer)->write(b).ok());
    EXPECT_TRUE((*writer)->close().ok());
    const auto& meta = (*writer)->metadata().row_groups[0].columns[0].meta_data;
    EXPECT_EQ(meta.dictionary_page_offset.has_value(), dictionary);
    return meta.statistics;
  };
  const auto with = stats_with(true), without = stats_with(false);
  EXPECT_EQ(with.min_value, std::optional<std::string>(""));
  EXPECT_EQ(with.max_value, std::optional<std::string>("\xC3\x84pfel"));
  EXPECT_EQ(with.min_value, without.min_value);
  EXPECT_EQ(with.max_value, without.max_value);
  EXPECT_EQ(with.null_count, without.null_count);
  EXPECT_EQ(with.null_count, 455);
}

// Writing rows [begin, end) of a batch gives the bytes of writing a batch of just those rows.
TEST(ParquetWriter, ARangeOfABatchIsWrittenAsACopyOfItsRows) {
  auto write = [](const RecordBatch& batch, size_t begin, size_t end, size_t row_group_rows) {
    auto sink = std::make_unique<MemorySink>();
    MemorySink* memory = sink.get();
    WriterOptions options;
    options.row_group_rows = row_group_rows;
    auto writer = ParquetWriter::open(std::move(sink), batch.schema, options);
    EXPECT_TRUE((*writer)->write(batch, begin, end).ok());
    EXPECT_TRUE((*writer)->close().ok());
    return memory->take();
  };
  const RecordBatch all = sample_batch(1'000);
  for (size_t row_group_rows : {size_t{150}, size_t{1'000}}) {
    RecordBatch part{all.schema, {}, 250};
    for (const auto& c : all.columns) {
      part.columns.push_back(Column(c.type));
      part.columns.back().append_rows(c, 100, 350);
    }
    EXPECT_EQ(write(all, 100, 350, row_group_rows), write(part, 0, 250, row_group_rows))
        << row_group_rows;
  }
  auto writer = ParquetWriter::open(std::make_unique<MemorySink>(), all.schema);
  EXPECT_FALSE((*writer)->write(all, 10, 1'001).ok());
}

}  // namespace
}  // namespace sl::parquet
