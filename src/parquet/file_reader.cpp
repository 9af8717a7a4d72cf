// ParquetReader: footer, schema mapping, projection, row groups (leaf chunks → nested columns).
#include "parquet/file_reader.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "common/fs.hpp"
#include "common/parallel.hpp"
#include "parquet/column_chunk_reader.hpp"
#include "parquet/record_assembler.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::Field;
using columnar::RecordBatch;
using columnar::TypeId;

namespace {

constexpr std::string_view k_magic = "PAR1";
constexpr std::string_view k_encrypted_magic = "PARE";

}  // namespace

Result<std::unique_ptr<ParquetReader>> ParquetReader::open(const std::filesystem::path& path) {
  // The file is mapped, not copied: reading a large file into memory (a copy, zeroed pages and
  // their faults) took a sixth of a full scan. Inputs that cannot be mapped (pipes, empty
  // files) are read whole.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    void* map = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map != MAP_FAILED) {
      std::unique_ptr<ParquetReader> reader(new ParquetReader(std::string(), path.string()));
      reader->mapping_ = map;
      reader->mapping_size_ = static_cast<size_t>(st.st_size);
      reader->bytes_ = std::string_view(static_cast<const char*>(map), reader->mapping_size_);
      if (auto loaded = reader->load(); !loaded)
        return loaded.error().with_context("parquet: '" + reader->name_ + "'");
      return reader;
    }
  } else if (fd >= 0) {
    ::close(fd);
  }
  SL_ASSIGN_OR_RETURN(auto bytes, fs::read_file(path));
  return open_bytes(std::move(bytes), path.string());
}

ParquetReader::~ParquetReader() {
  if (mapping_ != nullptr) ::munmap(mapping_, mapping_size_);
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::open_bytes(std::string bytes,
                                                                 std::string name) {
  std::unique_ptr<ParquetReader> reader(new ParquetReader(std::move(bytes), std::move(name)));
  if (auto loaded = reader->load(); !loaded)
    return loaded.error().with_context("parquet: '" + reader->name_ + "'");
  return reader;
}

Status ParquetReader::load() {
  std::string_view b = bytes_;
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

Result<std::vector<ParquetReader::Selection>> ParquetReader::projection(
    const std::vector<std::string>& columns) const {
  const auto& fields = file_schema_.fields;
  std::vector<Selection> out;
  if (columns.empty()) {
    for (size_t i = 0; i < fields.size(); ++i) out.push_back({i, {}});
    return out;
  }
  for (const auto& name : columns) {
    auto dot = name.find('.');
    std::string top = name.substr(0, dot);
    size_t i = 0;
    while (i < fields.size() && fields[i].name != top) ++i;
    if (i == fields.size())
      return make_error(Errc::not_found, "parquet: '" + name_ + "' has no column '" + top + "'");
    // Two top-level columns of one name (pyarrow writes them): a name cannot tell them apart,
    // and reading the first in place of the second would be silently wrong.
    if (std::any_of(fields.begin() + static_cast<std::ptrdiff_t>(i) + 1, fields.end(),
                    [&](const Field& f) { return f.name == top; })) {
      return make_error(Errc::unsupported, "parquet: '" + name_ + "' has several columns named '" +
                                               top + "': it cannot be read by name");
    }
    auto same =
        std::find_if(out.begin(), out.end(), [&](const Selection& s) { return s.field == i; });
    if (dot == std::string::npos) {
      if (same == out.end()) out.push_back({i, {}});
      continue;
    }
    std::string child = name.substr(dot + 1);
    const Field& field = fields[i];
    bool known = field.type.id == TypeId::struct_ &&
                 std::any_of(field.children.begin(), field.children.end(),
                             [&](const Field& c) { return c.name == child; });
    if (!known) {
      return make_error(Errc::not_found, "parquet: '" + name_ + "' has no column '" + name + "'");
    }
    if (same == out.end()) {
      out.push_back({i, {child}});
    } else if (!same->children.empty()) {
      same->children.push_back(child);
    }
  }
  return out;
}

bool ParquetReader::is_selected(const Selection& selection, std::string_view child) {
  const auto& wanted = selection.children;
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), child) != wanted.end();
}

Field ParquetReader::selected_field(const Selection& selection) const {
  Field field = file_schema_.fields[selection.field];
  if (selection.children.empty()) return field;
  std::vector<Field> kept;
  for (auto& child : field.children) {
    if (is_selected(selection, child.name)) kept.push_back(std::move(child));
  }
  field.children = std::move(kept);
  return field;
}

Result<Column> ParquetReader::read_field(size_t row_group, const Selection& selection,
                                         Field& field_out) const {
  const RowGroup& rg = metadata_.row_groups[row_group];
  const Field& field = file_schema_.fields[selection.field];
  const AssemblyNode& root = file_schema_.roots[selection.field];
  const std::string where = "parquet: '" + name_ + "' row group " + std::to_string(row_group);
  // A struct read in part: the same node without the unselected children (its slots come from
  // any leaf below it, so from the first kept one).
  field_out = selected_field(selection);
  AssemblyNode node = root;
  if (!selection.children.empty()) {
    node.children.clear();
    for (size_t c = 0; c < field.children.size(); ++c) {
      if (is_selected(selection, field.children[c].name)) node.children.push_back(root.children[c]);
    }
    node.first_leaf = node.children.front().first_leaf;
  }
  std::vector<LeafData> leaves(root.leaf_end - node.first_leaf);
  auto read_leaves = [&](size_t first, size_t end) -> Status {
    for (size_t leaf = first; leaf < end; ++leaf) {
      const LeafInfo& info = file_schema_.leaves[leaf];
      auto data = read_column_chunk(bytes_, rg.columns[leaf].meta_data, info, rg.num_rows);
      if (!data) return data.error().with_context(where + " column '" + info.path + "'");
      leaves[leaf - node.first_leaf] = std::move(*data);
    }
    return {};
  };
  if (selection.children.empty()) {
    SL_TRY(read_leaves(root.first_leaf, root.leaf_end));
  } else {
    for (const auto& child : node.children) SL_TRY(read_leaves(child.first_leaf, child.leaf_end));
  }
  auto column = assemble(field_out, node, leaves);
  if (!column) return column.error().with_context(where);
  return column;
}

void ParquetReader::set_threads(size_t threads) {
  threads_ = threads == 0 ? hardware_threads() : threads;
}

Result<RecordBatch> ParquetReader::read_row_group(size_t index,
                                                  const std::vector<std::string>& columns) const {
  SL_ASSIGN_OR_RETURN(auto batches, read_row_groups({index}, columns));
  return std::move(batches.front());
}

Result<std::vector<RecordBatch>> ParquetReader::read_row_groups(
    const std::vector<size_t>& groups, const std::vector<std::string>& columns) const {
  for (size_t index : groups) {
    if (index >= metadata_.row_groups.size()) {
      return make_error(Errc::invalid_argument,
                        "parquet: '" + name_ + "' has no row group " + std::to_string(index));
    }
  }
  SL_ASSIGN_OR_RETURN(auto selections, projection(columns));
  // One item per (group, projected column): item k is column k % n of groups[k / n].
  const size_t n = selections.size(), items = groups.size() * n;
  std::vector<Field> fields(items);
  std::vector<std::optional<Result<Column>>> read(items);
  // Largest first (uncompressed bytes of the field's leaves): a thread left with the last, small
  // columns idles least.
  std::vector<size_t> order(items);
  for (size_t k = 0; k < items; ++k) order[k] = k;
  if (threads_ > 1 && items > 1) {
    std::vector<int64_t> size(items, 0);
    for (size_t k = 0; k < items; ++k) {
      const RowGroup& rg = metadata_.row_groups[groups[k / n]];
      const AssemblyNode& root = file_schema_.roots[selections[k % n].field];
      for (size_t leaf = root.first_leaf; leaf < root.leaf_end; ++leaf)
        size[k] += rg.columns[leaf].meta_data.total_uncompressed_size;
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return size[a] > size[b]; });
  }
  parallel_for(items, threads_, [&](size_t j) {
    const size_t k = order[j];
    read[k].emplace(read_field(groups[k / n], selections[k % n], fields[k]));
  });
  std::vector<RecordBatch> batches(groups.size());
  for (size_t k = 0; k < items; ++k) {
    if (!*read[k]) return read[k]->error();
    RecordBatch& batch = batches[k / n];
    batch.num_rows = static_cast<size_t>(metadata_.row_groups[groups[k / n]].num_rows);
    batch.schema.push_back(std::move(fields[k]));
    batch.columns.push_back(std::move(**read[k]));
  }
  return batches;
}

Result<RecordBatch> ParquetReader::read_all(const std::vector<std::string>& columns) const {
  // One row group (most files: a row group holds ~1M rows): its batch is the file's, uncopied.
  if (metadata_.row_groups.size() == 1) return read_row_group(0, columns);
  SL_ASSIGN_OR_RETURN(auto selections, projection(columns));
  RecordBatch all;
  for (const auto& selection : selections) {
    all.schema.push_back(selected_field(selection));
    all.columns.push_back(Column::for_field(all.schema.back()));
  }
  for (size_t g = 0; g < metadata_.row_groups.size(); ++g) {
    // Group by group (not read_row_groups): one group's batch in memory besides the result.
    SL_ASSIGN_OR_RETURN(auto batch, read_row_group(g, columns));
    for (size_t c = 0; c < batch.columns.size(); ++c)
      all.columns[c].append_rows(batch.columns[c], 0, batch.num_rows);
    all.num_rows += batch.num_rows;
  }
  return all;
}

}  // namespace sl::parquet
