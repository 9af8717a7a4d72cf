// Cells of record batches as JSON values or CSV fields, for people and scripts (`parquet cat`,
// `lake scan`, the dashboard's API).
#include "columnar/cell_text.hpp"

#include <fmt/core.h>

#include <cmath>

#include "common/civil_time.hpp"
#include "common/csv_reader.hpp"
#include "common/decimal_text.hpp"

namespace sl::columnar {

std::string type_label(const Field& f) {
  switch (f.type.id) {
    case TypeId::decimal:
      return fmt::format("decimal({},{})", f.type.precision, f.type.scale);
    case TypeId::int64:
      return f.type.is_unsigned ? "uint64" : "int64";
    case TypeId::struct_: {
      std::string out = "struct<";
      for (size_t i = 0; i < f.children.size(); ++i) {
        out += (i ? "," : "") + f.children[i].name + ":" + type_label(f.children[i]);
      }
      return out + ">";
    }
    case TypeId::list:
      return "list<" + type_label(f.children.at(0)) + ">";
    case TypeId::map:
      return "map<" + type_label(f.children.at(0)) + "," + type_label(f.children.at(1)) + ">";
    default:
      return std::string(type_name(f.type.id));
  }
}

namespace {

// A string cell as JSON text can hold it (nlohmann refuses invalid UTF-8 when dumping).
std::string printable(std::string_view s) {
  if (csv::find_invalid_utf8(s) != std::string_view::npos)
    return fmt::format("<invalid utf-8: {} bytes>", s.size());
  return std::string(s);
}

// A non-finite float as text: "nan" (a NaN's sign bit means nothing to readers), "inf", "-inf".
std::string non_finite_text(double v) {
  if (std::isnan(v)) return "nan";
  return v > 0 ? "inf" : "-inf";
}

// A time of day (TIME) in units of 10^-digits s: "08:30:00.250" (digits of the unit kept); a value
// outside one day (a corrupt file) prints as its number.
std::string time_of_day_text(int64_t units, int digits) {
  int64_t per_second = 1;
  for (int k = 0; k < digits; ++k) per_second *= 10;
  if (units < 0 || units > 86'400 * per_second) return std::to_string(units);
  const int64_t seconds = units / per_second;
  return fmt::format("{:02}:{:02}:{:02}.{:0{}}", seconds / 3600, seconds / 60 % 60, seconds % 60,
                     units % per_second, digits);
}

// RFC 9562 text form: 8-4-4-4-12 lowercase hex digits.
std::string uuid_text(std::string_view bytes) {
  std::string out;
  for (size_t k = 0; k < bytes.size(); ++k) {
    if (k == 4 || k == 6 || k == 8 || k == 10) out += '-';
    out += fmt::format("{:02x}", static_cast<unsigned char>(bytes[k]));
  }
  return out;
}

// Parquet INTERVAL (three little-endian unsigned 32-bit counts: months, days, milliseconds) as an
// ISO 8601 duration: "P14M3DT0.004S", "P0M0DT0S".
std::string interval_text(std::string_view bytes) {
  auto u32 = [&](size_t at) {
    uint32_t v = 0;
    for (size_t k = 0; k < 4; ++k) v |= uint32_t{static_cast<unsigned char>(bytes[at + k])} << (8 * k);
    return v;
  };
  const uint32_t millis = u32(8);
  std::string seconds = std::to_string(millis / 1000);
  if (millis % 1000 != 0) {
    seconds += fmt::format(".{:03}", millis % 1000);
    while (seconds.back() == '0') seconds.pop_back();
  }
  return fmt::format("P{}M{}DT{}S", u32(0), u32(4), seconds);
}

// One value as JSON (nlohmann::json, or ordered_json to keep struct fields in schema order).
// `f`, when given, names the fields of structs; without it a struct prints as an array.
template <class Json>
Json value_json(const Field* f, const Column& c, size_t i) {
  if (!c.is_valid(i)) return nullptr;
  auto child = [&](size_t k) -> const Field* {
    return f != nullptr && k < f->children.size() ? &f->children[k] : nullptr;
  };
  switch (c.type.id) {
    case TypeId::boolean:
      return c.bools[i] != 0;
    case TypeId::int32:
      if (c.type.display == Display::time_millis) return time_of_day_text(c.i32[i], 3);
      return c.i32[i];
    case TypeId::int64:
      if (c.type.display == Display::time_micros) return time_of_day_text(c.i64[i], 6);
      if (c.type.display == Display::time_nanos) return time_of_day_text(c.i64[i], 9);
      return c.type.is_unsigned ? Json(static_cast<uint64_t>(c.i64[i])) : Json(c.i64[i]);
    case TypeId::float32:
      return std::isfinite(c.f32[i]) ? Json(c.f32[i]) : Json(non_finite_text(c.f32[i]));
    case TypeId::float64:
      return std::isfinite(c.f64[i]) ? Json(c.f64[i]) : Json(non_finite_text(c.f64[i]));
    case TypeId::string:
      return printable(c.string_at(i));
    case TypeId::binary: {
      if (c.type.display == Display::uuid) return uuid_text(c.string_at(i));
      if (c.type.display == Display::interval) return interval_text(c.string_at(i));
      std::string hex;
      for (unsigned char ch : c.string_at(i)) hex += fmt::format("{:02x}", ch);
      return hex;
    }
    case TypeId::date32:
      return format_date(c.i32[i]);
    case TypeId::timestamp_us:
      return format_timestamp_us(c.i64[i], 'T', c.type.display != Display::local_timestamp);
    case TypeId::decimal:
      return is_wide_decimal(c.type) ? decimal_text(c.i128[i], c.type.scale)
                                     : decimal_text(c.i64[i], c.type.scale);
    case TypeId::struct_: {
      if (f == nullptr || f->children.size() != c.children.size()) {
        Json out = Json::array();
        for (const auto& column : c.children) out.push_back(value_json<Json>(nullptr, column, i));
        return out;
      }
      Json out = Json::object();
      for (size_t k = 0; k < c.children.size(); ++k)
        out[f->children[k].name] = value_json<Json>(child(k), c.children[k], i);
      return out;
    }
    case TypeId::list: {
      Json out = Json::array();
      for (uint32_t k = c.offsets[i]; k < c.offsets[i + 1]; ++k)
        out.push_back(value_json<Json>(child(0), c.children[0], k));
      return out;
    }
    case TypeId::map: {
      // Always an object: a key that is not a string is written as its JSON text (5 → "5").
      Json out = Json::object();
      for (uint32_t k = c.offsets[i]; k < c.offsets[i + 1]; ++k) {
        Json key = value_json<Json>(child(0), c.children[0], k);
        out[key.is_string() ? key.template get<std::string>() : key.dump()] =
            value_json<Json>(child(1), c.children[1], k);
      }
      return out;
    }
  }
  return nullptr;
}

}  // namespace

nlohmann::json cell_json(const Column& c, size_t i) {
  return value_json<nlohmann::json>(nullptr, c, i);
}

namespace {
// A CSV field: the JSON text of the value (strings bare), quoted when needed. For spreadsheets, a
// text cell a spreadsheet would run as a formula gets a leading ' (OWASP "CSV injection"):
// numbers, dates and decimals are typed values, never formulas, and stay as they are ("-12.50").
std::string csv_text(const Field* f, const Column& c, size_t i, CsvCells cells) {
  if (!c.is_valid(i)) return "";
  auto j = value_json<nlohmann::ordered_json>(f, c, i);
  std::string text = j.is_string() ? j.get<std::string>() : j.dump();
  const bool formula = cells == CsvCells::spreadsheet_safe && c.type.id == TypeId::string &&
                       !text.empty() &&
                       std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos;
  if (formula) text.insert(0, 1, '\'');
  if (!formula && text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}
}  // namespace

std::string csv_cell(const Column& c, size_t i) {
  return csv_text(nullptr, c, i, CsvCells::as_is);
}

nlohmann::ordered_json row_json(const RecordBatch& batch, size_t row) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (size_t c = 0; c < batch.columns.size(); ++c)
    out[batch.schema[c].name] =
        value_json<nlohmann::ordered_json>(&batch.schema[c], batch.columns[c], row);
  return out;
}

std::string csv_line(const RecordBatch& batch, size_t row, CsvCells cells) {
  std::string line;
  for (size_t c = 0; c < batch.columns.size(); ++c) {
    if (c) line += ',';
    line += csv_text(&batch.schema[c], batch.columns[c], row, cells);
  }
  return line;
}

std::string rows_json(const RecordBatch& batch) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (size_t r = 0; r < batch.num_rows; ++r) rows.push_back(row_json(batch, r));
  return rows.dump();
}

std::string rows_csv(const RecordBatch& batch, CsvCells cells) {
  std::string out;
  for (size_t c = 0; c < batch.schema.size(); ++c) {
    if (c) out += ',';
    out += batch.schema[c].name;
  }
  out += "\r\n";
  for (size_t r = 0; r < batch.num_rows; ++r) out += csv_line(batch, r, cells) + "\r\n";
  return out;
}

}  // namespace sl::columnar
