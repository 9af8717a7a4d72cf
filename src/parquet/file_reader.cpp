// ParquetReader: footer, schema mapping, projection, row groups (leaf chunks → nested columns).
#include "parquet/file_reader.hpp"

#include <cstring>

#include "common/fs.hpp"
#include "parquet/column_chunk_reader.hpp"
#include "parquet/record_assembler.hpp"

namespace sl::parquet {

namespace {

constexpr std::string_view k_magic = "PAR1";
constexpr std::string_view k_encrypted_magic = "PARE";

}  // namespace

Result<std::unique_ptr<ParquetReader>> ParquetReader::open(const std::filesystem::path& path) {
  SL_ASSIGN_OR_RETURN(auto bytes, fs::read_file(path));
  return open_bytes(std::move(bytes), path.string());
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::open_bytes(std::string bytes,
                                                                 std::string name) {
  std::unique_ptr<ParquetReader> reader(new ParquetReader(std::move(bytes), std::move(name)));
  if (auto loaded = reader->load(); !loaded)
    return loaded.error().with_context("parquet: '" + reader->name_ + "'");
  return reader;
}

Status ParquetReader::load() {
  const std::string& b = bytes_;
  if (b.size() < 12)
    return make_error(Errc::corrupt,
                      "file of " + std::to_string(b.size()) + " bytes is too small for Parquet");
  std::string_view tail = std::string_view(b).substr(b.size() - 4);
  if (tail == k_encrypted_magic)
    return make_error(Errc::unsupported, "encrypted Parquet files (PARE footer) are not supported");
  if (std::string_view(b).substr(0, 4) != k_magic || tail != k_magic) {
    return make_error(Errc::corrupt, "missing PAR1 magic bytes at the start or end");
  }
  uint32_t footer_length = 0;
  std::memcpy(&footer_length, b.data() + b.size() - 8, 4);
  if (footer_length == 0 || footer_length > b.size() - 12) {
    return make_error(Errc::corrupt, "footer length " + std::to_string(footer_length) +
                                         " does not fit a file of " + std::to_string(b.size()) +
                                         " bytes");
  }
  SL_ASSIGN_OR_RETURN(metadata_, decode_file_metadata(std::string_view(b).substr(
                                     b.size() - 8 - footer_length, footer_length)));
  SL_ASSIGN_OR_RETURN(file_schema_, map_schema(metadata_.schema));
  const size_t leaves = file_schema_.leaves.size();
  for (size_t g = 0; g < metadata_.row_groups.size(); ++g) {
    const auto& rg = metadata_.row_groups[g];
    if (rg.columns.size() != leaves) {
      return make_error(Errc::corrupt, "row group " + std::to_string(g) + " has " +
                                           std::to_string(rg.columns.size()) +
                                           " column chunks, the schema " + std::to_string(leaves) +
                                           " leaf columns");
    }
    if (rg.num_rows < 0)
      return make_error(Errc::corrupt,
                        "row group " + std::to_string(g) + " has a negative row count");
  }
  return {};
}

Result<std::vector<size_t>> ParquetReader::projection(
    const std::vector<std::string>& columns) const {
  const auto& fields = file_schema_.fields;
  std::vector<size_t> out;
  if (columns.empty()) {
    for (size_t i = 0; i < fields.size(); ++i) out.push_back(i);
    return out;
  }
  for (const auto& name : columns) {
    size_t i = 0;
    while (i < fields.size() && fields[i].name != name) ++i;
    if (i == fields.size())
      return make_error(Errc::not_found, "parquet: '" + name_ + "' has no column '" + name + "'");
    out.push_back(i);
  }
  return out;
}

Result<Column> ParquetReader::read_field(size_t row_group, size_t field) const {
  const RowGroup& rg = metadata_.row_groups[row_group];
  const AssemblyNode& root = file_schema_.roots[field];
  const std::string where = "parquet: '" + name_ + "' row group " + std::to_string(row_group);
  std::vector<LeafData> leaves;
  for (size_t leaf = root.first_leaf; leaf < root.leaf_end; ++leaf) {
    const LeafInfo& info = file_schema_.leaves[leaf];
    auto data = read_column_chunk(bytes_, rg.columns[leaf].meta_data, info, rg.num_rows);
    if (!data) return data.error().with_context(where + " column '" + info.path + "'");
    leaves.push_back(std::move(*data));
  }
  auto column = assemble(file_schema_.fields[field], root, leaves);
  if (!column) return column.error().with_context(where);
  return column;
}

Result<RecordBatch> ParquetReader::read_row_group(size_t index,
                                                  const std::vector<std::string>& columns) const {
  if (index >= metadata_.row_groups.size()) {
    return make_error(Errc::invalid_argument,
                      "parquet: '" + name_ + "' has no row group " + std::to_string(index));
  }
  SL_ASSIGN_OR_RETURN(auto fields, projection(columns));
  RecordBatch batch;
  batch.num_rows = static_cast<size_t>(metadata_.row_groups[index].num_rows);
  for (size_t field : fields) {
    SL_ASSIGN_OR_RETURN(Column column, read_field(index, field));
    batch.schema.push_back(file_schema_.fields[field]);
    batch.columns.push_back(std::move(column));
  }
  return batch;
}

Result<RecordBatch> ParquetReader::read_all(const std::vector<std::string>& columns) const {
  SL_ASSIGN_OR_RETURN(auto fields, projection(columns));
  RecordBatch all;
  for (size_t field : fields) {
    all.schema.push_back(file_schema_.fields[field]);
    all.columns.push_back(Column::for_field(file_schema_.fields[field]));
  }
  for (size_t g = 0; g < metadata_.row_groups.size(); ++g) {
    SL_ASSIGN_OR_RETURN(auto batch, read_row_group(g, columns));
    for (size_t c = 0; c < batch.columns.size(); ++c)
      all.columns[c].append_rows(batch.columns[c], 0, batch.num_rows);
    all.num_rows += batch.num_rows;
  }
  return all;
}

}  // namespace sl::parquet
