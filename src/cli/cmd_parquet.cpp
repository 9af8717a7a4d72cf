// `sportlake parquet schema|meta|cat|convert`: inspect and write Parquet files with our own code.
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <ctime>

#include "cli/commands.hpp"
#include "cli/row_output.hpp"
#include "common/csv_reader.hpp"
#include "common/fs.hpp"
#include "parquet/compression.hpp"
#include "parquet/file_reader.hpp"
#include "parquet/file_writer.hpp"

namespace sl::cli {

namespace {

using parquet::Column;
using parquet::TypeId;

int fail(const std::string& verb, const Error& e) {
  fmt::print(stderr, "sportlake parquet {}: {}\n", verb, e.to_string());
  return 1;
}

}  // namespace

void add_parquet_command(CLI::App& app, Context& ctx) {
  auto* pq =
      app.add_subcommand("parquet", "inspect or write Parquet files (our own reader and writer)");
  pq->require_subcommand(1);
  static std::string file;

  auto* schema = pq->add_subcommand("schema", "print the columns and their types");
  schema->add_option("FILE", file, "Parquet file")->required();
  schema->callback([&ctx] {
    auto reader = parquet::ParquetReader::open(file);
    if (!reader) return void(ctx.exit_code = fail("schema", reader.error()));
    for (const auto& f : (*reader)->schema()) {
      fmt::print("{} {}{}\n", f.name, type_label(f), f.nullable ? "" : " not null");
    }
  });

  auto* meta = pq->add_subcommand(
      "meta", "print row groups, column chunks, codecs, encodings, sizes, statistics");
  meta->add_option("FILE", file, "Parquet file")->required();
  meta->callback([&ctx] {
    auto reader = parquet::ParquetReader::open(file);
    if (!reader) return void(ctx.exit_code = fail("meta", reader.error()));
    const auto& md = (*reader)->metadata();
    fmt::print("file: {}\ncreated_by: {}\nversion: {}\nrows: {}\nrow groups: {}\n", file,
               md.created_by, md.version, md.num_rows, md.row_groups.size());
    for (size_t g = 0; g < md.row_groups.size(); ++g) {
      const auto& rg = md.row_groups[g];
      fmt::print("row group {}: {} rows, {} bytes compressed, {} uncompressed\n", g, rg.num_rows,
                 rg.total_compressed_size, rg.total_byte_size);
      for (const auto& cc : rg.columns) {
        const auto& m = cc.meta_data;
        std::string path;
        for (const auto& p : m.path_in_schema) path += (path.empty() ? "" : ".") + p;
        fmt::print("  {:<24} {:<8} values {:>9}  {:>10} bytes  nulls {}{}\n", path,
                   parquet::codec_name(m.codec), m.num_values, m.total_compressed_size,
                   m.statistics.null_count ? std::to_string(*m.statistics.null_count) : "?",
                   m.dictionary_page_offset ? "  dictionary" : "");
      }
    }
  });

  auto* cat = pq->add_subcommand(
      "cat",
      "print the rows (JSON lines by default); nested values as JSON: structs and maps as "
      "objects (a non-string map key as its JSON text), lists as arrays");
  static bool as_csv = false, as_json = false;
  static std::string columns;
  static long limit = -1;
  cat->add_option("FILE", file, "Parquet file")->required();
  cat->add_flag("--json", as_json, "one JSON object per row (default)");
  cat->add_flag("--csv", as_csv, "CSV with a header");
  cat->add_option("--columns", columns,
                  "comma-separated columns to read (projection): top-level names, or "
                  "`struct.field` for some fields of a top-level struct");
  cat->add_option("--limit", limit, "at most N rows");
  cat->callback([&ctx] {
    auto reader = parquet::ParquetReader::open(file);
    if (!reader) return void(ctx.exit_code = fail("cat", reader.error()));
    auto projection = split_list(columns);
    if (as_csv) {
      auto names = projection;
      if (names.empty()) {
        for (const auto& f : (*reader)->schema()) names.push_back(f.name);
      }
      print_csv_header(names);
    }
    long printed = 0;
    for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) {
      auto batch = (*reader)->read_row_group(g, projection);
      if (!batch) return void(ctx.exit_code = fail("cat", batch.error()));
      size_t room = limit >= 0 ? static_cast<size_t>(limit - printed) : SIZE_MAX;
      printed +=
          static_cast<long>(print_rows(*batch, as_csv ? RowFormat::csv : RowFormat::json, room));
      if (limit >= 0 && printed >= limit) return;
    }
  });
}

}  // namespace sl::cli
