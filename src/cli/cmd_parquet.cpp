// `sportlake parquet schema|meta|cat|convert`: inspect and write Parquet files with our own code.
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <ctime>

#include "cli/commands.hpp"
#include "common/csv_reader.hpp"
#include "common/fs.hpp"
#include "parquet/compression.hpp"
#include "parquet/file_reader.hpp"
#include "parquet/file_writer.hpp"

namespace sl::cli {

namespace {

using parquet::Column;
using parquet::TypeId;

std::string type_label(const parquet::DataType& t) {
  if (t.id == TypeId::decimal) return fmt::format("decimal({},{})", t.precision, t.scale);
  return std::string(parquet::type_name(t.id));
}

std::string format_date(int32_t days) {
  std::time_t t = static_cast<std::time_t>(days) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
  return buffer;
}

std::string format_timestamp(int64_t us) {
  int64_t seconds = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
  int64_t micros = us - seconds * 1000000;
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:06d}Z", buffer, micros);
}

std::string format_decimal(int64_t unscaled, int scale) {
  bool negative = unscaled < 0;
  // Magnitude in unsigned arithmetic, so INT64_MIN works too.
  uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(unscaled) : static_cast<uint64_t>(unscaled);
  std::string digits = std::to_string(magnitude);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale))
      digits.insert(0, static_cast<size_t>(scale) - digits.size() + 1, '0');
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return (negative ? "-" : "") + digits;
}

// One cell as JSON: numbers as numbers, dates/timestamps/decimals as strings, binary as hex.
nlohmann::json cell_json(const Column& c, size_t i) {
  if (!c.is_valid(i)) return nullptr;
  switch (c.type.id) {
    case TypeId::boolean:
      return c.bools[i] != 0;
    case TypeId::int32:
      return c.i32[i];
    case TypeId::int64:
      return c.i64[i];
    case TypeId::float32:
      return std::isfinite(c.f32[i]) ? nlohmann::json(c.f32[i])
                                     : nlohmann::json(fmt::format("{}", c.f32[i]));
    case TypeId::float64:
      return std::isfinite(c.f64[i]) ? nlohmann::json(c.f64[i])
                                     : nlohmann::json(fmt::format("{}", c.f64[i]));
    case TypeId::string: {
      auto s = c.string_at(i);
      if (csv::find_invalid_utf8(s) != std::string_view::npos)
        return fmt::format("<invalid utf-8: {} bytes>", s.size());
      return std::string(s);
    }
    case TypeId::binary: {
      std::string hex;
      for (unsigned char ch : c.string_at(i)) hex += fmt::format("{:02x}", ch);
      return hex;
    }
    case TypeId::date32:
      return format_date(c.i32[i]);
    case TypeId::timestamp_us:
      return format_timestamp(c.i64[i]);
    case TypeId::decimal:
      return format_decimal(c.i64[i], c.type.scale);
  }
  return nullptr;
}

std::string csv_cell(const Column& c, size_t i) {
  if (!c.is_valid(i)) return "";
  auto j = cell_json(c, i);
  std::string text = j.is_string() ? j.get<std::string>() : j.dump();
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    size_t comma = text.find(',', start);
    out.push_back(
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

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
      fmt::print("{} {}{}\n", f.name, type_label(f.type), f.nullable ? "" : " not null");
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

  auto* cat = pq->add_subcommand("cat", "print the rows (JSON lines by default)");
  static bool as_csv = false, as_json = false;
  static std::string columns;
  static long limit = -1;
  cat->add_option("FILE", file, "Parquet file")->required();
  cat->add_flag("--json", as_json, "one JSON object per row (default)");
  cat->add_flag("--csv", as_csv, "CSV with a header");
  cat->add_option("--columns", columns, "comma-separated columns to read (projection)");
  cat->add_option("--limit", limit, "at most N rows");
  cat->callback([&ctx] {
    auto reader = parquet::ParquetReader::open(file);
    if (!reader) return void(ctx.exit_code = fail("cat", reader.error()));
    auto projection = split_list(columns);
    if (as_csv) {
      std::string header;
      auto names = projection;
      if (names.empty()) {
        for (const auto& f : (*reader)->schema()) names.push_back(f.name);
      }
      for (size_t i = 0; i < names.size(); ++i) header += (i ? "," : "") + names[i];
      fmt::print("{}\n", header);
    }
    long printed = 0;
    for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) {
      auto batch = (*reader)->read_row_group(g, projection);
      if (!batch) return void(ctx.exit_code = fail("cat", batch.error()));
      for (size_t r = 0; r < batch->num_rows; ++r) {
        if (limit >= 0 && printed >= limit) return;
        if (as_csv) {
          std::string line;
          for (size_t c = 0; c < batch->columns.size(); ++c)
            line += (c ? "," : "") + csv_cell(batch->columns[c], r);
          fmt::print("{}\n", line);
        } else {
          nlohmann::ordered_json row;
          for (size_t c = 0; c < batch->columns.size(); ++c)
            row[batch->schema[c].name] = cell_json(batch->columns[c], r);
          fmt::print("{}\n", row.dump());
        }
        ++printed;
      }
    }
  });
}

}  // namespace sl::cli
