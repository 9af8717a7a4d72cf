// Header mapping, value parsing and validation of the HR and sport files.
#include "source/hr_files.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <functional>
#include <span>
#include <unordered_map>

namespace sl::source {

bool Date::valid() const {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max = days[static_cast<size_t>(month - 1)] + (month == 2 && leap ? 1 : 0);
  return day <= max;
}

std::string Date::iso() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool parse_int_part(std::string_view s, int& out) {
  if (s.empty() || s.size() > 4) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

std::optional<Date> parse_french_date(std::string_view text) {
  text = trim(text);
  Date d;
  size_t a = text.find_first_of("/-");
  if (a == std::string_view::npos) return std::nullopt;
  char sep = text[a];
  size_t b = text.find(sep, a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  std::string_view p1 = text.substr(0, a), p2 = text.substr(a + 1, b - a - 1),
                   p3 = text.substr(b + 1);
  int x = 0, y = 0, z = 0;
  if (!parse_int_part(p1, x) || !parse_int_part(p2, y) || !parse_int_part(p3, z))
    return std::nullopt;
  if (sep == '-' && p1.size() == 4) {
    d = {x, y, z};  // ISO Y-m-d
  } else if (sep == '/' && p3.size() == 4) {
    d = {z, y, x};  // d/m/Y
  } else {
    return std::nullopt;
  }
  if (!d.valid()) return std::nullopt;
  return d;
}

std::optional<double> parse_decimal(std::string_view text) {
  text = trim(text);
  std::string cleaned;
  for (char c : text) {
    if (c == ' ') continue;
    cleaned.push_back(c == ',' ? '.' : c);
  }
  // Non-breaking spaces (U+00A0, U+202F) used as thousands separators in French.
  for (std::string_view nbsp : {"\xC2\xA0", "\xE2\x80\xAF"}) {
    for (size_t p; (p = cleaned.find(nbsp)) != std::string::npos;) cleaned.erase(p, nbsp.size());
  }
  if (cleaned.empty()) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(cleaned.data(), cleaned.data() + cleaned.size(), value);
  if (ec != std::errc() || ptr != cleaned.data() + cleaned.size()) return std::nullopt;
  return value;
}

std::optional<int64_t> parse_integer(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

const std::vector<std::string>& commute_modes() {
  static const std::vector<std::string> modes = {"Transports en commun",
                                                 "véhicule thermique/électrique", "Marche/running",
                                                 "Vélo/Trottinette/Autres"};
  return modes;
}

std::string Reject::to_string(std::string_view file) const {
  return std::string(file) + ":" + std::to_string(line) + ": " + field + ": " + reason;
}

namespace {

constexpr std::string_view k_mixed_note = "invalid UTF-8 in some rows";

// Decodes the bytes to UTF-8 text: as is, converted from Windows-1252, or (damaged UTF-8) kept,
// with the damaged rows rejected one by one later.
Result<std::string> decode(std::string_view bytes, std::string_view file, std::string& note) {
  switch (csv::detect_encoding(bytes)) {
    case csv::Encoding::utf8:
      return std::string(bytes);
    case csv::Encoding::windows1252:
      note = "converted from Windows-1252";
      return csv::windows1252_to_utf8(bytes);
    case csv::Encoding::mixed:
      note = k_mixed_note;
      return std::string(bytes);
  }
  return make_error(Errc::internal, std::string(file) + ": unknown encoding");
}

struct ColumnSpec {
  std::string_view header;  // as in the seed file
  int* index;
};

// Maps the header record onto the expected columns; every expected column must be present.
Status map_header(const csv::Record& header, std::vector<ColumnSpec> specs, std::string_view file) {
  std::unordered_map<std::string, int> positions;
  for (size_t i = 0; i < header.fields.size(); ++i)
    positions.emplace(normalise_label(header.fields[i]), static_cast<int>(i));
  std::string missing;
  for (auto& spec : specs) {
    auto it = positions.find(normalise_label(spec.header));
    if (it == positions.end()) {
      missing += (missing.empty() ? "'" : ", '") + std::string(spec.header) + "'";
    } else {
      *spec.index = it->second;
    }
  }
  if (!missing.empty()) {
    return make_error(Errc::parse, std::string(file) + ":" + std::to_string(header.line) +
                                       ": header lacks column(s) " + missing);
  }
  return {};
}

// Reads every record after the header, checking column count and encoding, calls
// `validate(record, row)` (a Reject or nothing), rejects a repeated id (naming the line of its
// first occurrence), and hands each good row to `on_row(row, line)` as soon as it is read.
template <class Row, class Validate>
Result<ParseSummary> parse_rows(std::string_view bytes, std::string_view file,
                                std::vector<ColumnSpec> specs, Validate validate,
                                const std::function<Status(const Row&, size_t)>& on_row) {
  ParseSummary summary;
  SL_ASSIGN_OR_RETURN(std::string text, decode(bytes, file, summary.encoding_note));
  csv::CsvReader reader(text, std::string(file));
  csv::Record record;
  SL_ASSIGN_OR_RETURN(bool has_header, reader.next(record));
  if (!has_header) return make_error(Errc::parse, std::string(file) + ": empty file (no header)");
  if (csv::find_invalid_utf8(text.substr(0, text.find('\n'))) != std::string_view::npos) {
    return make_error(Errc::parse,
                      std::string(file) + ":1: header is not valid UTF-8 or Windows-1252");
  }
  size_t expected_columns = record.fields.size();
  const std::vector<std::string> header_names = record.fields;
  SL_TRY(map_header(record, specs, file));
  const bool check_each_field = summary.encoding_note == k_mixed_note;
  std::unordered_map<int64_t, size_t> first_line;
  Row row;
  for (;;) {
    auto more = reader.next(record);
    if (!more) {
      // An unterminated quote swallows the rest of the file: reject it as one row and stop.
      summary.rejects.push_back({0, "row", more.error().message, {}});
      break;
    }
    if (!*more) break;
    ++summary.read;
    if (record.fields.size() != expected_columns) {
      summary.rejects.push_back({record.line, "row",
                                 "has " + std::to_string(record.fields.size()) +
                                     " columns, expected " + std::to_string(expected_columns),
                                 record.fields});
      continue;
    }
    bool bad_encoding = false;
    // Field-by-field validation only when the file as a whole is not valid UTF-8.
    for (size_t i = 0; check_each_field && i < record.fields.size(); ++i) {
      if (csv::find_invalid_utf8(record.fields[i]) != std::string_view::npos) {
        summary.rejects.push_back({record.line, header_names[i],
                                   "invalid UTF-8 byte sequence (bad encoding)", record.fields});
        bad_encoding = true;
        break;
      }
    }
    if (bad_encoding) continue;
    row = Row{};
    if (auto reject = validate(record, row)) {
      reject->line = record.line;
      reject->raw = record.fields;
      summary.rejects.push_back(std::move(*reject));
      continue;
    }
    auto [it, inserted] = first_line.emplace(row.id, record.line);
    if (!inserted) {
      summary.rejects.push_back({record.line, header_names[static_cast<size_t>(*specs[0].index)],
                                 "duplicate id " + std::to_string(row.id) +
                                     " (first seen on line " + std::to_string(it->second) + ")",
                                 record.fields});
      continue;
    }
    SL_TRY(on_row(row, record.line));
  }
  return summary;
}

std::optional<Reject> reject(std::string_view field, std::string reason) {
  return Reject{0, std::string(field), std::move(reason), {}};
}

std::string quoted(std::string_view v) {
  return "'" + std::string(v) + "'";
}

template <class Row, class Stream>
Result<ParsedFile<Row>> collect(Stream stream) {
  ParsedFile<Row> parsed;
  SL_ASSIGN_OR_RETURN(auto summary, stream([&](const Row& row, size_t line) -> Status {
                        parsed.rows.push_back(row);
                        parsed.lines.push_back(line);
                        return {};
                      }));
  parsed.rejects = std::move(summary.rejects);
  parsed.encoding_note = std::move(summary.encoding_note);
  return parsed;
}

}  // namespace

Result<ParseSummary> stream_employees(
    std::string_view bytes, std::string_view file,
    const std::function<Status(const EmployeeRow&, size_t)>& on_row) {
  int c_id = -1, c_nom = -1, c_prenom = -1, c_naissance = -1, c_bu = -1, c_embauche = -1,
      c_salaire = -1, c_contrat = -1, c_cp = -1, c_adresse = -1, c_mode = -1;
  std::vector<ColumnSpec> specs = {
      {"ID salarié", &c_id},
      {"Nom", &c_nom},
      {"Prénom", &c_prenom},
      {"Date de naissance", &c_naissance},
      {"BU", &c_bu},
      {"Date d'embauche", &c_embauche},
      {"Salaire brut", &c_salaire},
      {"Type de contrat", &c_contrat},
      {"Nombre de jours de CP", &c_cp},
      {"Adresse du domicile", &c_adresse},
      {"Moyen de déplacement", &c_mode},
  };
  auto validate = [&](const csv::Record& r, EmployeeRow& row) -> std::optional<Reject> {
    auto field = [&](int index) { return trim(r.fields[static_cast<size_t>(index)]); };
    auto id = parse_integer(field(c_id));
    if (field(c_id).empty()) return reject("ID salarié", "missing value");
    if (!id || *id <= 0)
      return reject("ID salarié", quoted(field(c_id)) + " is not a positive integer");
    row.id = *id;
    for (auto [index, name, target] :
         {std::tuple{c_nom, "Nom", &row.nom}, std::tuple{c_prenom, "Prénom", &row.prenom},
          std::tuple{c_bu, "BU", &row.business_unit},
          std::tuple{c_contrat, "Type de contrat", &row.contrat},
          std::tuple{c_adresse, "Adresse du domicile", &row.adresse_complete}}) {
      if (field(index).empty()) return reject(name, "missing value");
      *target = std::string(field(index));
    }
    for (auto [index, name, target] :
         {std::tuple{c_naissance, "Date de naissance", &row.date_naissance},
          std::tuple{c_embauche, "Date d'embauche", &row.date_embauche}}) {
      if (field(index).empty()) return reject(name, "missing value");
      auto date = parse_french_date(field(index));
      if (!date) return reject(name, quoted(field(index)) + " is not a valid date (d/m/Y)");
      *target = *date;
    }
    if (field(c_salaire).empty()) return reject("Salaire brut", "missing value");
    auto salary = parse_decimal(field(c_salaire));
    if (!salary) return reject("Salaire brut", quoted(field(c_salaire)) + " is not a number");
    if (*salary < 0 || *salary > 1e9)
      return reject("Salaire brut", quoted(field(c_salaire)) + " is out of range");
    row.salaire_brut = *salary;
    auto cp = parse_integer(field(c_cp));
    if (field(c_cp).empty()) return reject("Nombre de jours de CP", "missing value");
    if (!cp || *cp < 0 || *cp > 366) {
      return reject("Nombre de jours de CP", quoted(field(c_cp)) + " is not a number of days");
    }
    row.nb_conges_payes = *cp;
    if (field(c_mode).empty()) return reject("Moyen de déplacement", "missing value");
    // Exact spelling first (the common case), then case/accent-insensitive.
    auto known = std::find(commute_modes().begin(), commute_modes().end(), field(c_mode));
    if (known == commute_modes().end()) {
      std::string mode_key = normalise_label(field(c_mode));
      known = std::find_if(commute_modes().begin(), commute_modes().end(),
                           [&](const std::string& m) { return normalise_label(m) == mode_key; });
    }
    if (known == commute_modes().end()) {
      return reject("Moyen de déplacement", quoted(field(c_mode)) + " is not a known commute mode");
    }
    row.moyen_deplacement = *known;
    if (row.date_embauche.year < row.date_naissance.year + 14) {
      return reject("Date d'embauche",
                    quoted(field(c_embauche)) + " is before the employee's 14th birthday year");
    }
    return std::nullopt;
  };
  return parse_rows<EmployeeRow>(bytes, file, specs, validate, on_row);
}

Result<ParsedFile<EmployeeRow>> parse_employees(std::string_view bytes, std::string_view file) {
  return collect<EmployeeRow>([&](auto on_row) { return stream_employees(bytes, file, on_row); });
}

Result<ParseSummary> stream_sports(std::string_view bytes, std::string_view file,
                                   const std::function<Status(const SportRow&, size_t)>& on_row) {
  int c_id = -1, c_sport = -1;
  std::vector<ColumnSpec> specs = {{"ID salarié", &c_id}, {"Pratique d'un sport", &c_sport}};
  auto validate = [&](const csv::Record& r, SportRow& row) -> std::optional<Reject> {
    auto id_text = trim(r.fields[static_cast<size_t>(c_id)]);
    if (id_text.empty()) return reject("ID salarié", "missing value");
    auto id = parse_integer(id_text);
    if (!id || *id <= 0)
      return reject("ID salarié", quoted(id_text) + " is not a positive integer");
    row.id = *id;
    auto sport = trim(r.fields[static_cast<size_t>(c_sport)]);
    if (!sport.empty()) row.pratique_sport = std::string(sport);
    return std::nullopt;
  };
  return parse_rows<SportRow>(bytes, file, specs, validate, on_row);
}

Result<ParsedFile<SportRow>> parse_sports(std::string_view bytes, std::string_view file) {
  return collect<SportRow>([&](auto on_row) { return stream_sports(bytes, file, on_row); });
}

}  // namespace sl::source
