// check_file: pages, checksums, row counts and statistics of a whole file (steps in the header).
#include "parquet/file_check.hpp"

#include <cmath>

#include "columnar/cell_text.hpp"
#include "common/byte_cursor.hpp"
#include "parquet/file_reader.hpp"
#include "parquet/value_predicate.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::TypeId;

namespace {

bool is_nan(const Column& c, size_t i) {
  if (c.type.id == TypeId::float32) return std::isnan(c.f32[i]);
  if (c.type.id == TypeId::float64) return std::isnan(c.f64[i]);
  return false;
}

std::string value_text(const Column& c, size_t i) { return columnar::cell_json(c, i).dump(); }

// Step 1: page count of one chunk. A header that does not decode ends the walk: step 2 reports
// it with the page's place.
void count_pages(std::string_view file, const ColumnMetaData& meta, FileCheck& check) {
  int64_t start = meta.data_page_offset;
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 &&
      *meta.dictionary_page_offset < start)
    start = *meta.dictionary_page_offset;
  if (start < 0 || meta.total_compressed_size < 0 ||
      static_cast<uint64_t>(start) + static_cast<uint64_t>(meta.total_compressed_size) >
          file.size())
    return;
  ByteCursor chunk(
      file.substr(static_cast<size_t>(start), static_cast<size_t>(meta.total_compressed_size)));
  while (!chunk.at_end()) {
    auto header = decode_page_header(chunk);
    if (!header) return;
    chunk.string_view(static_cast<size_t>(header->compressed_page_size), "page body");
    if (!chunk.ok()) return;
    ++check.pages;
    if (header->crc) ++check.pages_with_crc;
  }
}

// Step 3: one flat primitive chunk's statistics against the values read.
void check_statistics(const ParquetReader& reader, size_t group, size_t leaf, const Column& values,
                      const std::string& column, FileCheck& check) {
  const Statistics& stats =
      reader.metadata().row_groups[group].columns[leaf].meta_data.statistics;
  auto finding = [&](std::string message) {
    check.findings.push_back({group, column, std::move(message)});
  };
  const size_t nulls = values.null_count();
  if (stats.null_count && *stats.null_count != static_cast<int64_t>(nulls)) {
    finding("statistics give null_count " + std::to_string(*stats.null_count) + ", the chunk holds " +
            std::to_string(nulls) + " nulls");
  }
  const auto [lo, hi] = chunk_bounds(reader, group, leaf);
  for (size_t i = 0; i < values.length; ++i) {
    if (!values.is_valid(i) || is_nan(values, i)) continue;
    if (lo && compare_values(values, i, *lo, 0) < 0) {
      finding("row " + std::to_string(i) + " holds " + value_text(values, i) +
              ", below the statistics' min " + value_text(*lo, 0));
      return;
    }
    if (hi && compare_values(values, i, *hi, 0) > 0) {
      finding("row " + std::to_string(i) + " holds " + value_text(values, i) +
              ", above the statistics' max " + value_text(*hi, 0));
      return;
    }
  }
}

// A read error as a finding: the reader's context ("parquet: '<file>' row group <g> column
// '<leaf>': ") becomes the finding's place, the leaf path as its column.
FileFinding read_finding(const ParquetReader& reader, size_t group, const std::string& field,
                         std::string message) {
  FileFinding finding{group, field, {}};
  const std::string prefix =
      "parquet: '" + reader.name() + "' row group " + std::to_string(group) + " ";
  if (message.starts_with(prefix)) {
    message.erase(0, prefix.size());
    const auto end = message.find("': ");
    if (message.starts_with("column '") && end != std::string::npos) {
      finding.column = message.substr(8, end - 8);
      message.erase(0, end + 3);
    }
  }
  finding.message = std::move(message);
  return finding;
}

}  // namespace

FileCheck check_file(const ParquetReader& reader, const CheckedColumn& on_column) {
  FileCheck check;
  const FileMetaData& md = reader.metadata();
  const FileSchema& schema = reader.file_schema();
  check.rows = md.num_rows;
  check.row_groups = md.row_groups.size();
  int64_t group_rows = 0;
  for (size_t g = 0; g < md.row_groups.size(); ++g) {
    group_rows += md.row_groups[g].num_rows;
    for (const auto& chunk : md.row_groups[g].columns) count_pages(reader.bytes(), chunk.meta_data, check);
    for (size_t f = 0; f < schema.fields.size(); ++f) {
      const std::string& name = schema.fields[f].name;
      auto batch = reader.read_row_group(g, {name});
      if (!batch) {
        check.findings.push_back(read_finding(reader, g, name, batch.error().message));
        continue;
      }
      const AssemblyNode& node = schema.roots[f];
      const bool flat_primitive = schema.fields[f].children.empty() &&
                                  node.leaf_end == node.first_leaf + 1 &&
                                  schema.leaves[node.first_leaf].max_repetition_level == 0;
      if (flat_primitive)
        check_statistics(reader, g, node.first_leaf, batch->columns[0], name, check);
      if (on_column) on_column(g, f, std::move(batch->columns[0]));
    }
  }
  if (group_rows != md.num_rows) {
    check.findings.push_back({std::nullopt, "",
                              "the footer gives " + std::to_string(md.num_rows) +
                                  " rows, its row groups " + std::to_string(group_rows)});
  }
  return check;
}

}  // namespace sl::parquet
