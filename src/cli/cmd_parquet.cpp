// `sportlake parquet schema|meta|cat|convert`: inspect and write Parquet files with our own code.
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "cli/commands.hpp"
#include "cli/row_output.hpp"
#include "common/csv_reader.hpp"
#include "common/fs.hpp"
#include "delta/batch_ops.hpp"
#include "delta/partitions.hpp"
#include "delta/scan.hpp"
#include "parquet/compression.hpp"
#include "parquet/file_reader.hpp"
#include "parquet/file_writer.hpp"
#include "parquet/value_predicate.hpp"

namespace sl::cli {

namespace {

using parquet::Column;
using parquet::TypeId;

int fail(const std::string& verb, const Error& e) {
  fmt::print(stderr, "sportlake parquet {}: {}\n", verb, e.to_string());
  return 1;
}

// `--where` texts → predicates on the file's top-level primitive columns. The text syntax and
// literals are the ones of `lake scan --where` (Delta's partition-value syntax), parsed by the
// Delta module so both commands accept the same filters.
Result<std::vector<parquet::ValuePredicate>> bind_filters(const parquet::ParquetReader& reader,
                                                          const std::vector<std::string>& texts) {
  std::vector<parquet::ValuePredicate> out;
  for (const auto& text : texts) {
    SL_ASSIGN_OR_RETURN(auto parsed, delta::parse_predicate(text));
    const auto& fields = reader.schema();
    auto field = std::find_if(fields.begin(), fields.end(),
                              [&](const parquet::Field& f) { return f.name == parsed.column; });
    if (field == fields.end()) {
      return make_error(Errc::invalid_argument, "--where '" + text + "': '" + reader.name() +
                                                    "' has no column '" + parsed.column + "'");
    }
    if (!field->children.empty()) {
      return make_error(Errc::invalid_argument, "--where '" + text + "': '" + parsed.column +
                                                    "' is not a primitive column");
    }
    parquet::ValuePredicate p{parsed.column, parquet::CompareOp::eq, Column(field->type)};
    using Op = delta::Predicate::Op;
    using Cmp = parquet::CompareOp;
    static constexpr std::pair<Op, Cmp> k_ops[] = {
        {Op::eq, Cmp::eq},           {Op::ne, Cmp::ne},
        {Op::lt, Cmp::lt},           {Op::le, Cmp::le},
        {Op::gt, Cmp::gt},           {Op::ge, Cmp::ge},
        {Op::is_null, Cmp::is_null}, {Op::is_not_null, Cmp::is_not_null}};
    for (auto [from, to] : k_ops) {
      if (parsed.op == from) p.op = to;
    }
    if (p.op != parquet::CompareOp::is_null && p.op != parquet::CompareOp::is_not_null) {
      if (auto st = delta::append_partition_value(p.literal, parsed.value, parsed.column); !st) {
        return make_error(Errc::invalid_argument, "--where '" + text + "': " + st.error().message);
      }
      if (!p.literal.is_valid(0)) {
        return make_error(Errc::invalid_argument, "--where '" + text + "': empty value");
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

// Keeps the rows matching every predicate, then drops the columns read only for filtering.
parquet::RecordBatch filter_rows(parquet::RecordBatch batch,
                                 const std::vector<parquet::ValuePredicate>& filters,
                                 const std::vector<std::string>& filter_only) {
  std::vector<uint32_t> keep;
  for (size_t r = 0; r < batch.num_rows; ++r) {
    bool ok = true;
    for (const auto& f : filters) {
      size_t c = 0;
      while (batch.schema[c].name != f.column) ++c;  // bind_filters made sure it is read
      ok = ok && parquet::row_matches(f, batch.columns[c], r);
    }
    if (ok) keep.push_back(static_cast<uint32_t>(r));
  }
  batch = delta::take_rows(batch, keep);
  for (size_t c = batch.schema.size(); c-- > 0;) {
    if (std::find(filter_only.begin(), filter_only.end(), batch.schema[c].name) !=
        filter_only.end()) {
      batch.schema.erase(batch.schema.begin() + static_cast<long>(c));
      batch.columns.erase(batch.columns.begin() + static_cast<long>(c));
    }
  }
  return batch;
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
  static std::vector<std::string> wheres;
  cat->add_option("--where", wheres,
                  "keep the rows where COLUMN (=|!=|<|<=|>|>=) VALUE, or COLUMN is [not] null "
                  "(repeatable, all must hold); row groups whose statistics rule out a match are "
                  "not read (counted on stderr)");
  cat->callback([&ctx] {
    auto reader = parquet::ParquetReader::open(file);
    if (!reader) return void(ctx.exit_code = fail("cat", reader.error()));
    auto filters = bind_filters(**reader, wheres);
    if (!filters) return void(ctx.exit_code = fail("cat", filters.error()));
    auto projection = split_list(columns);
    auto names = projection;
    if (names.empty()) {
      for (const auto& f : (*reader)->schema()) names.push_back(f.name);
    }
    // Filter columns not printed are read too, then dropped.
    std::vector<std::string> filter_only;
    if (!projection.empty()) {
      for (const auto& f : *filters) {
        if (std::find(projection.begin(), projection.end(), f.column) == projection.end() &&
            std::find(filter_only.begin(), filter_only.end(), f.column) == filter_only.end())
          filter_only.push_back(f.column);
      }
      projection.insert(projection.end(), filter_only.begin(), filter_only.end());
    }
    if (as_csv) print_csv_header(names);
    long printed = 0;
    size_t skipped = 0, groups = (*reader)->num_row_groups();
    for (size_t g = 0; g < groups && !(limit >= 0 && printed >= limit); ++g) {
      auto may_match = parquet::row_group_may_match(**reader, g, *filters);
      if (!may_match) return void(ctx.exit_code = fail("cat", may_match.error()));
      if (!*may_match) {
        ++skipped;
        continue;
      }
      auto batch = (*reader)->read_row_group(g, projection);
      if (!batch) return void(ctx.exit_code = fail("cat", batch.error()));
      if (!filters->empty()) *batch = filter_rows(std::move(*batch), *filters, filter_only);
      size_t room = limit >= 0 ? static_cast<size_t>(limit - printed) : SIZE_MAX;
      printed +=
          static_cast<long>(print_rows(*batch, as_csv ? RowFormat::csv : RowFormat::json, room));
    }
    if (!filters->empty()) {
      fmt::print(stderr, "sportlake parquet cat: {} of {} row groups skipped by statistics\n",
                 skipped, groups);
    }
  });
}

}  // namespace sl::cli
