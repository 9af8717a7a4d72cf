// Header mapping, value parsing and validation of the HR and sport files.
#include "source/hr_files.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <functional>
#include <span>
#include <unordered_map>

#include <fmt/core.h>

#include "common/civil_time.hpp"
#include "source/field_limits.hpp"

namespace sl::source {

bool Date::valid() const {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
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

// 1-based line of a byte offset.
size_t line_of(std::string_view bytes, size_t offset) {
  return 1 + static_cast<size_t>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
}

std::string plural(size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

struct Decoded {
  std::string text;
  std::string note;                // the decision and its evidence, for the summary
  bool damaged_utf8 = false;       // check every field, reject the damaged rows
};

// Decodes the bytes to UTF-8 text, deciding the encoding for the whole file from the evidence of
// all its bytes (csv::examine_encoding), and says why.
Decoded decode(std::string_view bytes) {
  const csv::EncodingEvidence e = csv::examine_encoding(bytes);
  Decoded out;
  switch (e.encoding) {
    case csv::Encoding::utf8:
      out.text = std::string(bytes);
      break;
    case csv::Encoding::windows1252:
      out.text = csv::windows1252_to_utf8(bytes);
      out.note = "converted from Windows-1252: " + plural(e.invalid_sequences, "byte") +
                 " cannot be UTF-8 (first on line " + std::to_string(line_of(bytes, e.first_invalid)) +
                 ")";
      if (e.utf8_sequences > 0) {
        out.note += ", against " + plural(e.utf8_sequences, "sequence") +
                    " that could (first on line " + std::to_string(line_of(bytes, e.first_utf8)) +
                    "), read as Windows-1252 too";
      }
      break;
    case csv::Encoding::mixed:
      out.text = std::string(bytes);
      out.damaged_utf8 = true;
      out.note = "read as UTF-8 with " + plural(e.invalid_sequences, "invalid byte") +
                 " (first on line " + std::to_string(line_of(bytes, e.first_invalid)) +
                 "; their rows are rejected): ";
      if (e.cp1252_undefined > 0) {
        out.note += "not Windows-1252, which does not define byte " +
                    fmt::format("0x{:02X}", static_cast<uint8_t>(bytes[e.first_cp1252_undefined])) +
                    " (line " + std::to_string(line_of(bytes, e.first_cp1252_undefined)) + ")";
      } else {
        out.note += plural(e.utf8_sequences, "valid multi-byte UTF-8 sequence") +
                    " outnumber them";
      }
      break;
  }
  return out;
}

struct ColumnSpec {
  std::string_view header;  // as in the seed file
  int* index;
};

// Maps the header record onto the expected columns; returns the missing ones ("'Nom', 'BU'").
std::string map_header(const csv::Record& header, std::vector<ColumnSpec>& specs) {
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
  return missing;
}

// Delimiters tried, in order: the seed's comma, then what spreadsheets write in locales where
// the comma is the decimal separator (French Excel writes `;`), tab and pipe.
constexpr std::array<char, 4> k_delimiters = {',', ';', '\t', '|'};

std::string delimiter_name(char d) {
  return d == '\t' ? "tab" : "`" + std::string(1, d) + "`";
}

// Finds the delimiter whose split of the header names every expected column, and maps it. A file
// where none does is a file-level error; when another delimiter splits the header into more
// fields than the comma, the message says what the file looks like.
Result<char> detect_delimiter_and_map(std::string_view text, std::string_view file,
                                      std::vector<ColumnSpec>& specs) {
  std::string comma_missing;
  size_t comma_fields = 0, best_fields = 0;
  char best = ',';
  for (char d : k_delimiters) {
    csv::CsvReader reader(text, std::string(file), d);
    csv::Record header;
    auto more = reader.next(header);
    if (!more && d == ',') return more.error();  // an unterminated quote in the header
    if (!more || !*more) continue;
    std::string missing = map_header(header, specs);
    if (missing.empty()) return d;
    if (d == ',') {
      comma_missing = std::move(missing);
      comma_fields = header.fields.size();
    } else if (header.fields.size() > best_fields) {
      best_fields = header.fields.size();
      best = d;
    }
  }
  std::string message = std::string(file) + ":1: header lacks column(s) " + comma_missing;
  if (best_fields > comma_fields) {
    message += " (it looks " + delimiter_name(best) + "-delimited: " +
               std::to_string(best_fields) + " fields split by " + delimiter_name(best) +
               " against " + std::to_string(comma_fields) + " by `,`, but the columns " +
               "still do not match)";
  }
  return make_error(Errc::parse, message);
}

// A cell as shown in a message: quoted, control characters as \xNN, at most 60 characters.
std::string quoted(std::string_view v) {
  std::string out = "'";
  size_t chars = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    auto b = static_cast<uint8_t>(v[i]);
    if ((b & 0xc0) != 0x80 && ++chars > 60) {
      out += "…";
      break;
    }
    if (b < 0x20 || b == 0x7f) {
      out += fmt::format("\\x{:02X}", b);
    } else {
      out.push_back(v[i]);
    }
  }
  return out + "'";
}

// Reads every record after the header, checking column count and encoding, calls
// `validate(record, row)` (a Reject or nothing), rejects a repeated id (naming the line of its
// first occurrence), and hands each good row to `on_row(row, line)` as soon as it is read.
// An unbalanced quote that merges lines into one record rejects the line where the record starts
// (the reason names every line it spans); the lines it swallowed are read again as records.
template <class Row, class Validate>
Result<ParseSummary> parse_rows(std::string_view bytes, std::string_view file,
                                std::vector<ColumnSpec> specs, Validate validate,
                                const std::function<Status(const Row&, size_t)>& on_row) {
  ParseSummary summary;
  Decoded decoded = decode(bytes);
  const std::string& text = decoded.text;
  summary.format_note = decoded.note;
  if (csv::strip_bom(text).find_first_not_of("\r\n") == std::string_view::npos)
    return make_error(Errc::parse, std::string(file) + ": empty file (no header)");
  const std::string_view first_line = csv::strip_bom(text).substr(0, csv::strip_bom(text).find('\n'));
  if (csv::find_invalid_utf8(first_line) != std::string_view::npos) {
    return make_error(Errc::parse, std::string(file) + ":1: header is not valid UTF-8 (" +
                                       decoded.note + ")");
  }
  SL_ASSIGN_OR_RETURN(char delimiter, detect_delimiter_and_map(text, file, specs));
  if (delimiter != ',') {
    summary.format_note += std::string(summary.format_note.empty() ? "" : "; ") +
                           delimiter_name(delimiter) + "-delimited (detected from the header)";
  }
  csv::CsvReader reader(text, std::string(file), delimiter);
  csv::Record record;
  SL_TRY(reader.next(record));  // the header, mapped above
  const size_t expected_columns = record.fields.size();
  const std::vector<std::string> header_names = record.fields;
  const std::string expected = std::to_string(expected_columns);
  std::unordered_map<int64_t, size_t> first_line_of_id;
  Row row;
  for (;;) {
    auto more = reader.next(record);
    if (!more) {
      ++summary.read;
      const std::string line = std::to_string(record.line);
      summary.rejects.push_back(
          {record.line, "row",
           "unbalanced quote: a quoted field is never closed (the rest of the file would be one "
           "record); line " + line + " rejected, reading resumes on line " +
               std::to_string(record.line + 1),
           {},
           std::string(reader.last_record_first_line())});
      reader.restart_after_first_line();
      continue;
    }
    if (!*more) break;
    ++summary.read;
    const std::string span = std::to_string(record.line) + "–" + std::to_string(record.end_line);
    if (record.fields.size() != expected_columns) {
      if (record.end_line > record.line) {
        summary.rejects.push_back(
            {record.line, "row",
             "unbalanced quote: lines " + span + " were read as one record of " +
                 std::to_string(record.fields.size()) + " columns (expected " + expected +
                 "); line " + std::to_string(record.line) + " rejected, reading resumes on line " +
                 std::to_string(record.line + 1),
             {},
           std::string(reader.last_record_first_line())});
        reader.restart_after_first_line();
        continue;
      }
      summary.rejects.push_back({record.line, "row",
                                 "has " + std::to_string(record.fields.size()) +
                                     " columns, expected " + expected,
                                 record.fields});
      continue;
    }
    auto add_reject = [&](Reject reject) {
      reject.line = record.line;
      reject.raw = record.fields;
      if (record.end_line > record.line) reject.reason += " (the record spans lines " + span + ")";
      summary.rejects.push_back(std::move(reject));
    };
    bool bad_encoding = false;
    // Field-by-field validation only when the file as a whole is not valid UTF-8.
    for (size_t i = 0; decoded.damaged_utf8 && i < record.fields.size(); ++i) {
      if (csv::find_invalid_utf8(record.fields[i]) != std::string_view::npos) {
        add_reject({0, header_names[i], "invalid UTF-8 byte sequence (bad encoding)", {}});
        bad_encoding = true;
        break;
      }
    }
    if (bad_encoding) continue;
    row = Row{};
    if (auto reject = validate(record, row)) {
      add_reject(std::move(*reject));
      continue;
    }
    auto [it, inserted] = first_line_of_id.emplace(row.id, record.line);
    if (!inserted) {
      add_reject({0, header_names[static_cast<size_t>(*specs[0].index)],
                  "duplicate id " + std::to_string(row.id) + " (first seen on line " +
                      std::to_string(it->second) + ")",
                  {}});
      continue;
    }
    SL_TRY(on_row(row, record.line));
  }
  return summary;
}

std::optional<Reject> reject(std::string_view field, std::string reason) {
  return Reject{0, std::string(field), std::move(reason), {}};
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
  parsed.format_note = std::move(summary.format_note);
  return parsed;
}

// The employee id: a positive integer up to limits::k_max_id.
std::optional<Reject> check_id(std::string_view text, int64_t& id) {
  if (text.empty()) return reject("ID salarié", "missing value");
  auto parsed = parse_integer(text);
  if (!parsed || *parsed <= 0)
    return reject("ID salarié", quoted(text) + " is not a positive integer");
  if (*parsed > limits::k_max_id) {
    return reject("ID salarié", quoted(text) + " is out of range (1 to " +
                                    std::to_string(limits::k_max_id) + ")");
  }
  id = *parsed;
  return std::nullopt;
}

}  // namespace

Result<ParseSummary> stream_employees(
    std::string_view bytes, std::string_view file,
    const std::function<Status(const EmployeeRow&, size_t)>& on_row, int64_t today_days) {
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
    if (auto problem = check_id(field(c_id), row.id)) return problem;
    for (auto [index, name, target, max_chars] :
         {std::tuple{c_nom, "Nom", &row.nom, limits::k_name_chars},
          std::tuple{c_prenom, "Prénom", &row.prenom, limits::k_name_chars},
          std::tuple{c_bu, "BU", &row.business_unit, limits::k_business_unit_chars},
          std::tuple{c_contrat, "Type de contrat", &row.contrat, limits::k_contract_chars},
          std::tuple{c_adresse, "Adresse du domicile", &row.adresse_complete,
                     limits::k_address_chars}}) {
      if (field(index).empty()) return reject(name, "missing value");
      if (auto reason = limits::check_text(field(index), max_chars)) return reject(name, *reason);
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
    const int64_t birth = days_from_civil({row.date_naissance.year, row.date_naissance.month,
                                           row.date_naissance.day});
    const int64_t hire = days_from_civil({row.date_embauche.year, row.date_embauche.month,
                                          row.date_embauche.day});
    if (auto reason = limits::check_birth_date(birth, today_days))
      return reject("Date de naissance", quoted(field(c_naissance)) + " " + *reason);
    if (auto reason = limits::check_hire_date(hire, birth, today_days))
      return reject("Date d'embauche", quoted(field(c_embauche)) + " " + *reason);
    if (field(c_salaire).empty()) return reject("Salaire brut", "missing value");
    auto salary = limits::parse_money(field(c_salaire));
    if (!salary.cents) return reject("Salaire brut", salary.reason);
    row.salaire_brut = static_cast<double>(*salary.cents) / 100.0;
    auto cp = parse_integer(field(c_cp));
    if (field(c_cp).empty()) return reject("Nombre de jours de CP", "missing value");
    if (!cp || *cp < 0 || *cp > limits::k_max_paid_leave_days) {
      return reject("Nombre de jours de CP",
                    quoted(field(c_cp)) + " is not a number of days (0 to " +
                        std::to_string(limits::k_max_paid_leave_days) + ")");
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
    return std::nullopt;
  };
  return parse_rows<EmployeeRow>(bytes, file, specs, validate, on_row);
}

Result<ParsedFile<EmployeeRow>> parse_employees(std::string_view bytes, std::string_view file,
                                                int64_t today_days) {
  return collect<EmployeeRow>(
      [&](auto on_row) { return stream_employees(bytes, file, on_row, today_days); });
}

Result<ParseSummary> stream_sports(std::string_view bytes, std::string_view file,
                                   const std::function<Status(const SportRow&, size_t)>& on_row) {
  int c_id = -1, c_sport = -1;
  std::vector<ColumnSpec> specs = {{"ID salarié", &c_id}, {"Pratique d'un sport", &c_sport}};
  auto validate = [&](const csv::Record& r, SportRow& row) -> std::optional<Reject> {
    if (auto problem = check_id(trim(r.fields[static_cast<size_t>(c_id)]), row.id)) return problem;
    auto sport = trim(r.fields[static_cast<size_t>(c_sport)]);
    if (auto reason = limits::check_text(sport, limits::k_sport_chars))
      return reject("Pratique d'un sport", *reason);
    if (!sport.empty()) row.pratique_sport = std::string(sport);
    return std::nullopt;
  };
  return parse_rows<SportRow>(bytes, file, specs, validate, on_row);
}

Result<ParsedFile<SportRow>> parse_sports(std::string_view bytes, std::string_view file) {
  return collect<SportRow>([&](auto on_row) { return stream_sports(bytes, file, on_row); });
}

}  // namespace sl::source
