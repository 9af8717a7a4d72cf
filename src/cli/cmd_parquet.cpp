// `sportlake parquet schema|meta|cat|convert`: inspect and write Parquet files with our own code.
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "cli/commands.hpp"
#include "cli/row_output.hpp"
#include "columnar/batch_ops.hpp"
#include "common/csv_reader.hpp"
#include "common/fs.hpp"
#include "delta/csv_import.hpp"
#include "delta/partitions.hpp"
#include "delta/scan.hpp"
#include "parquet/compression.hpp"
#include "parquet/file_reader.hpp"
#include "parquet/file_writer.hpp"
#include "parquet/value_predicate.hpp"

namespace sl::cli {

namespace {

using columnar::Column;
using columnar::TypeId;

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
                              [&](const columnar::Field& f) { return f.name == parsed.column; });
    if (field == fields.end()) {
      return make_error(Errc::invalid_argument, "--where '" + text + "': '" + reader.name() +
                                                    "' has no column '" + parsed.column + "'");
    }
    if (!field->children.empty()) {
      return make_error(Errc::invalid_argument, "--where '" + text + "': '" + parsed.column +
                                                    "' is not a primitive column");
    }
    parquet::ValuePredicate p{parsed.column, parsed.op, Column(field->type)};
    if (p.op != parquet::CompareOp::is_null && p.op != parquet::CompareOp::is_not_null) {
      if (auto st = delta::append_literal_value(p.literal, parsed.value, parsed.column); !st) {
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
columnar::RecordBatch filter_rows(columnar::RecordBatch batch,
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
  batch = columnar::take_rows(batch, keep);
  for (size_t c = batch.schema.size(); c-- > 0;) {
    if (std::find(filter_only.begin(), filter_only.end(), batch.schema[c].name) !=
        filter_only.end()) {
      batch.schema.erase(batch.schema.begin() + static_cast<long>(c));
      batch.columns.erase(batch.columns.begin() + static_cast<long>(c));
    }
  }
  return batch;
}

// --- convert: CSV → Parquet ---------------------------------------------------------------
//
// --schema 'name:type,...' fixes some column types, delta/csv_import.hpp infers the others (the
// same rules as `lake import`) and converts the rows in batches of --row-group-rows rows, written
// as they fill; on a failure the partial output is removed.

// "decimal(12,2)", "long"... → a type.
Result<columnar::DataType> parse_type_name(std::string_view name) {
  static constexpr std::pair<std::string_view, TypeId> k_names[] = {
      {"boolean", TypeId::boolean}, {"bool", TypeId::boolean},          {"int", TypeId::int32},
      {"integer", TypeId::int32},   {"int32", TypeId::int32},           {"long", TypeId::int64},
      {"bigint", TypeId::int64},    {"int64", TypeId::int64},           {"float", TypeId::float32},
      {"double", TypeId::float64},  {"string", TypeId::string},         {"binary", TypeId::binary},
      {"date", TypeId::date32},     {"timestamp", TypeId::timestamp_us}};
  for (auto [text, id] : k_names) {
    if (name == text) return columnar::DataType{id};
  }
  int precision = 0, scale = 0, used = 0;
  std::string text(name);
  if (std::sscanf(text.c_str(), "decimal(%d,%d)%n", &precision, &scale, &used) == 2 &&
      static_cast<size_t>(used) == text.size() && precision >= 1 &&
      precision <= columnar::k_max_decimal_precision && scale >= 0 && scale <= precision) {
    return columnar::DataType{TypeId::decimal, precision, scale};
  }
  return make_error(Errc::invalid_argument,
                    "--schema: unknown type '" + text +
                        "' (boolean, int, long, float, double, string, binary, date, timestamp, "
                        "decimal(p,s) with p <= 38)");
}

// 'id:long, amount:decimal(12,2)' → name → type (commas inside parentheses belong to the type).
Result<std::vector<delta::CsvColumnType>> parse_schema_option(std::string_view text) {
  std::vector<delta::CsvColumnType> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] == '(') ++depth;
    if (i < text.size() && text[i] == ')') --depth;
    if (i < text.size() && (text[i] != ',' || depth > 0)) continue;
    std::string item;
    for (char ch : text.substr(start, i - start)) {
      if (ch != ' ') item += ch;
    }
    start = i + 1;
    if (item.empty()) continue;
    auto colon = item.find(':');
    if (colon == std::string::npos || colon == 0) {
      return make_error(Errc::invalid_argument, "--schema: '" + item + "' is not NAME:TYPE");
    }
    SL_ASSIGN_OR_RETURN(auto type, parse_type_name(item.substr(colon + 1)));
    out.emplace_back(item.substr(0, colon), type);
  }
  return out;
}

Result<size_t> convert_csv(const std::string& in, const std::string& out,
                           std::string_view schema_option, const parquet::WriterOptions& options) {
  SL_ASSIGN_OR_RETURN(auto bytes, fs::read_file(in));
  const std::string origin = std::filesystem::path(in).filename().string();
  std::string_view text = csv::strip_bom(bytes);
  SL_ASSIGN_OR_RETURN(auto given, parse_schema_option(schema_option));
  SL_ASSIGN_OR_RETURN(auto fields, delta::infer_csv_fields(text, origin, given));
  SL_ASSIGN_OR_RETURN(auto writer, parquet::ParquetWriter::open(out, fields, options));
  auto rows =
      delta::read_csv_batches(text, origin, fields, options.row_group_rows,
                              [&](columnar::RecordBatch&& batch) { return writer->write(batch); });
  Status closed = rows ? writer->close() : Status{};
  if (!rows || !closed) {
    writer.reset();
    std::error_code ignored;
    std::filesystem::remove(out, ignored);  // no partial file is left behind
    return rows ? closed.error() : rows.error();
  }
  return rows;
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

  auto* convert = pq->add_subcommand(
      "convert",
      "write a CSV file (header line) as Parquet with our writer; column types from "
      "--schema, the others inferred (long, double, boolean, date, timestamp, string)");
  static std::string out_file, schema_option, codec_name = "snappy";
  static size_t row_group_rows = parquet::WriterOptions{}.row_group_rows;
  convert->add_option("IN", file, "CSV file")->required();
  convert->add_option("OUT", out_file, "Parquet file to create (must not exist)")->required();
  convert->add_option("--schema", schema_option,
                      "types of some columns: 'id:long,amount:decimal(12,2),day:date' (boolean, "
                      "int, long, float, double, string, binary, date, timestamp, decimal(p,s))");
  convert->add_option("--codec", codec_name, "snappy (default), zstd, gzip, lz4_raw, brotli, none");
  convert->add_option("--row-group-rows", row_group_rows, "rows per row group")
      ->check(CLI::PositiveNumber);
  convert->callback([&ctx] {
    auto codec = parquet::parse_codec(codec_name);
    if (!codec) return void(ctx.exit_code = fail("convert", codec.error()));
    parquet::WriterOptions options;
    options.codec = *codec;
    options.row_group_rows = row_group_rows;
    auto rows = convert_csv(file, out_file, schema_option, options);
    if (!rows) return void(ctx.exit_code = fail("convert", rows.error()));
    fmt::print("{}: {} rows\n", out_file, *rows);
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
  static size_t threads = 1;
  cat->add_option("--threads", threads,
                  "decode a row group's columns on N threads (0: one per core; default 1)");
  static std::vector<std::string> wheres;
  cat->add_option("--where", wheres,
                  "keep the rows where COLUMN (=|!=|<|<=|>|>=) VALUE, or COLUMN is [not] null "
                  "(repeatable, all must hold); row groups whose statistics rule out a match are "
                  "not read (counted on stderr)");
  cat->callback([&ctx] {
    auto reader = parquet::ParquetReader::open(file);
    if (!reader) return void(ctx.exit_code = fail("cat", reader.error()));
    (*reader)->set_threads(threads);
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
