// The HR and sport CSV files of the seed: header mapping, value parsing and row validation (no IO).
//
// data_rh.csv:    ID salarié,Nom,Prénom,Date de naissance,BU,Date d'embauche,Salaire brut,
//                 Type de contrat,Nombre de jours de CP,Adresse du domicile,Moyen de déplacement
// data_sport.csv: ID salarié,Pratique d'un sport
// Headers are matched by name (case, accents, apostrophe style and spacing ignored), so columns
// may come in any order; dates are d/m/Y (ISO Y-m-d accepted too); numbers accept a decimal comma
// and spaces as thousands separators.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/csv_reader.hpp"
#include "common/label_fold.hpp"
#include "common/result.hpp"
#include "source/field_limits.hpp"

namespace sl::source {

// A civil date; valid() checks the calendar (31/02 is not a date).
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  bool valid() const;
  std::string iso() const;  // "1990-07-06"
};

std::optional<Date> parse_french_date(std::string_view text);
// "30940", "30 940", "30940,50", "30940.50" → 30940.5; nullopt when not a number.
std::optional<double> parse_decimal(std::string_view text);
std::optional<int64_t> parse_integer(std::string_view text);
// Lower case, accents removed, curly apostrophes straightened, spaces collapsed.
using sl::normalise_label;

// The four commute modes of the HR file, as written there.
const std::vector<std::string>& commute_modes();

struct EmployeeRow {
  int64_t id = 0;
  std::string nom, prenom;
  Date date_naissance, date_embauche;
  std::string business_unit;
  double salaire_brut = 0;
  std::string contrat;
  int64_t nb_conges_payes = 0;
  std::string adresse_complete;
  std::string moyen_deplacement;
};

struct SportRow {
  int64_t id = 0;
  std::optional<std::string> pratique_sport;  // empty cell = no declared sport
};

// One rejected row: `file:line: field: reason`.
struct Reject {
  size_t line = 0;
  std::string field;
  std::string reason;
  std::vector<std::string> raw;  // the row as read
  std::string raw_line;          // or, when it could not be split (unbalanced quote), its line
  std::string to_string(std::string_view file) const;
};

template <class Row>
struct ParsedFile {
  std::vector<Row> rows;
  std::vector<size_t> lines;  // line of each row
  std::vector<Reject> rejects;
  std::string format_note;  // how the file was read, e.g. "converted from Windows-1252: ..."
};

struct ParseSummary {
  size_t read = 0;              // data records in the file
  std::vector<Reject> rejects;  // in file order
  // How the file was read when it is not plain UTF-8 with commas: the encoding decided and the
  // evidence for it, the delimiter detected.
  std::string format_note;
};

// Parses a file's bytes and hands each good row to `on_row(row, line)` as soon as it is read (the
// loader streams rows to COPY while parsing). A file-level problem (missing header, undecodable
// encoding) is an error; a bad row is a Reject and the other rows go on; an error returned by
// `on_row` stops the parse. Every field is held to its limits (field_limits.hpp); dates are
// checked against `today_days` (days since 1970-01-01).
//
// The file as a whole: its encoding is decided from all its bytes (UTF-8, Windows-1252, or UTF-8
// with damaged rows, csv::examine_encoding) and the delimiter from the header (`,`, else `;`,
// tab or `|`, whichever names every expected column); both are reported in `format_note`.
Result<ParseSummary> stream_employees(
    std::string_view bytes, std::string_view file_name,
    const std::function<Status(const EmployeeRow&, size_t)>& on_row,
    int64_t today_days = limits::today_utc_days());
Result<ParseSummary> stream_sports(std::string_view bytes, std::string_view file_name,
                                   const std::function<Status(const SportRow&, size_t)>& on_row);
// The same, collected.
Result<ParsedFile<EmployeeRow>> parse_employees(std::string_view bytes, std::string_view file_name,
                                                int64_t today_days = limits::today_utc_days());
Result<ParsedFile<SportRow>> parse_sports(std::string_view bytes, std::string_view file_name);

}  // namespace sl::source
