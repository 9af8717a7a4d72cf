// Parsing and validation of the HR and sport files: every kind of bad row.
#include "source/hr_files.hpp"

#include <gtest/gtest.h>

#include "common/civil_time.hpp"

namespace sl::source {
namespace {

constexpr std::string_view k_header =
    "ID salarié,Nom,Prénom,Date de naissance,BU,Date d'embauche,Salaire brut,Type de contrat,"
    "Nombre de jours de CP,Adresse du domicile,Moyen de déplacement\n";
constexpr std::string_view k_good_row =
    "59019,Colin,Audrey,6/7/1990,Marketing,14/12/2020,30940,CDI,29,\"128 Rue du Port, 34000 "
    "Frontignan\","
    "Transports en commun\n";

// A fixed "today" (2025-06-01) keeps the date limits' messages stable.
const int64_t k_today = days_from_civil({2025, 6, 1});

ParsedFile<EmployeeRow> parse(std::string text) {
  auto parsed = parse_employees(text, "data_rh.csv", k_today);
  EXPECT_TRUE(parsed.ok()) << parsed.error().to_string();
  return parsed.ok() ? std::move(*parsed) : ParsedFile<EmployeeRow>{};
}

TEST(HrFiles, ParsesAGoodRow) {
  auto parsed = parse(std::string(k_header) + std::string(k_good_row));
  ASSERT_EQ(parsed.rows.size(), 1u);
  ASSERT_TRUE(parsed.rejects.empty());
  const auto& r = parsed.rows[0];
  EXPECT_EQ(r.id, 59019);
  EXPECT_EQ(r.prenom, "Audrey");
  EXPECT_EQ(r.date_naissance.iso(), "1990-07-06");
  EXPECT_EQ(r.date_embauche.iso(), "2020-12-14");
  EXPECT_DOUBLE_EQ(r.salaire_brut, 30940);
  EXPECT_EQ(r.nb_conges_payes, 29);
  EXPECT_EQ(r.adresse_complete, "128 Rue du Port, 34000 Frontignan");
  EXPECT_EQ(r.moyen_deplacement, "Transports en commun");
  EXPECT_EQ(parsed.lines[0], 2u);
}

struct BadRowCase {
  std::string name;
  std::string row;
  std::string expected;  // the whole `file:line: field: reason`
};

// Test names and failure messages show the case's name, not its bytes.
void PrintTo(const BadRowCase& c, std::ostream* os) {
  *os << c.name;
}

class BadRows : public ::testing::TestWithParam<BadRowCase> {};

TEST_P(BadRows, AreRejectedWithAPreciseReason) {
  const auto& c = GetParam();
  auto parsed = parse(std::string(k_header) + std::string(k_good_row) + c.row + "\n");
  ASSERT_EQ(parsed.rows.size(), 1u) << "the good row is still loaded";
  ASSERT_EQ(parsed.rejects.size(), 1u);
  EXPECT_EQ(parsed.rejects[0].to_string("data_rh.csv"), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    HrFiles, BadRows,
    ::testing::Values(
        BadRowCase{"invalid_date", "1,A,B,31/02/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Date de naissance: '31/02/1990' is not a valid date (d/m/Y)"},
        BadRowCase{"missing_field", "2,A,,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Prénom: missing value"},
        BadRowCase{"non_numeric_salary", "3,A,B,1/2/1990,R&D,1/1/2020,30k€,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Salaire brut: '30k€' is not a number"},
        BadRowCase{
            "unknown_commute_mode", "4,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Téléportation",
            "data_rh.csv:3: Moyen de déplacement: 'Téléportation' is not a known commute mode"},
        BadRowCase{"duplicate_id", "59019,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: ID salarié: duplicate id 59019 (first seen on line 2)"},
        BadRowCase{"wrong_column_count", "5,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,25,x",
                   "data_rh.csv:3: row: has 10 columns, expected 11"},
        BadRowCase{"bad_encoding",
                   "6,A,Andr\xc3\xa9 \xe9,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Prénom: invalid UTF-8 byte sequence (bad encoding)"},
        BadRowCase{"non_integer_id", "7.5,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: ID salarié: '7.5' is not a positive integer"},
        // Field limits (field_limits.hpp).
        BadRowCase{"address_too_long",
                   "8,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,25," + std::string(3000, 'x') +
                       ",Marche/running",
                   "data_rh.csv:3: Adresse du domicile: is 3000 characters long (at most 500)"},
        BadRowCase{"name_too_long",
                   "8,A,\"" + std::string(101, 'e') +
                       "\",1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Prénom: is 101 characters long (at most 100)"},
        BadRowCase{"nan_salary", "9,A,B,1/2/1990,R&D,1/1/2020,NaN,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Salaire brut: 'NaN' is not a finite amount"},
        BadRowCase{"infinite_salary",
                   "9,A,B,1/2/1990,R&D,1/1/2020,-Infinity,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Salaire brut: '-Infinity' is not a finite amount"},
        BadRowCase{"inf_salary", "9,A,B,1/2/1990,R&D,1/1/2020,inf,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Salaire brut: 'inf' is not a finite amount"},
        BadRowCase{"negative_salary", "9,A,B,1/2/1990,R&D,1/1/2020,-30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Salaire brut: '-30000' is negative"},
        BadRowCase{"huge_salary",
                   "9,A,B,1/2/1990,R&D,1/1/2020,\"99 999 999 999\",CDI,25,x,Marche/running",
                   "data_rh.csv:3: Salaire brut: '99 999 999 999' is out of range (0 to 10000000 a "
                   "year)"},
        BadRowCase{"salary_just_over",
                   "9,A,B,1/2/1990,R&D,1/1/2020,\"10000000,01\",CDI,25,x,Marche/running",
                   "data_rh.csv:3: Salaire brut: '10000000,01' is out of range (0 to 10000000 a "
                   "year)"},
        BadRowCase{"exponent_salary", "9,A,B,1/2/1990,R&D,1/1/2020,3e4,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Salaire brut: '3e4' is not a number"},
        BadRowCase{"salary_sub_cents",
                   "9,A,B,1/2/1990,R&D,1/1/2020,30000.555,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Salaire brut: '30000.555' has more than 2 decimals (cents)"},
        BadRowCase{"nul_byte_in_name",
                   std::string("10,A") + '\0' + "Z,B,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Nom: contains a NUL byte (U+0000) at character 2"},
        BadRowCase{"tab_in_address",
                   "10,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,25,1 rue\tX,Marche/running",
                   "data_rh.csv:3: Adresse du domicile: contains a tab (U+0009) at character 6"},
        BadRowCase{"c1_control_in_bu",
                   "10,A,B,1/2/1990,R\xc2\x85"
                   "D,1/1/2020,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: BU: contains a control character (U+0085) at character 2"},
        BadRowCase{"born_before_1900", "11,A,B,31/12/1899,R&D,1/1/2020,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Date de naissance: '31/12/1899' is before 1900-01-01"},
        BadRowCase{"born_too_recently", "11,A,B,2/6/2011,R&D,1/1/2025,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Date de naissance: '2/6/2011' is less than 14 years before "
                   "today (2025-06-01)"},
        BadRowCase{"hired_before_14", "11,A,B,1/2/1990,R&D,31/1/2004,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Date d'embauche: '31/1/2004' is before the employee's 14th "
                   "birthday (2004-02-01)"},
        BadRowCase{"hired_far_ahead", "11,A,B,1/2/1990,R&D,3/6/2026,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: Date d'embauche: '3/6/2026' is more than 366 days after today "
                   "(2025-06-01)"},
        BadRowCase{"too_many_leave_days",
                   "12,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,101,x,Marche/running",
                   "data_rh.csv:3: Nombre de jours de CP: '101' is not a number of days (0 to 100)"},
        BadRowCase{"id_beyond_2_pow_53",
                   "9007199254740992,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running",
                   "data_rh.csv:3: ID salarié: '9007199254740992' is out of range (1 to "
                   "9007199254740991)"},
        BadRowCase{"line_break_in_a_quoted_field",
                   "13,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,25,\"1 rue X\n34000 Y\",Marche/running",
                   "data_rh.csv:3: Adresse du domicile: contains a line break (U+000A) at "
                   "character 8 (the record spans lines 3–4)"}),
    [](const auto& info) { return info.param.name; });

TEST(HrFiles, AcceptsFrenchNumberFormsAndModeVariants) {
  auto parsed =
      parse(std::string(k_header) +
            "8,A,B,01/02/1990,R&D,2020-01-01,\"30 940,50\",CDD,25,x,vélo/trottinette/autres\n");
  ASSERT_EQ(parsed.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(parsed.rows[0].salaire_brut, 30940.5);
  EXPECT_EQ(parsed.rows[0].moyen_deplacement, "Vélo/Trottinette/Autres");
  EXPECT_EQ(parsed.rows[0].date_embauche.iso(), "2020-01-01");
}

TEST(HrFiles, Windows1252FileIsConverted) {
  std::string header =
      "ID salari\xe9,Nom,Pr\xe9nom,Date de naissance,BU,Date d'embauche,Salaire brut,Type de "
      "contrat,"
      "Nombre de jours de CP,Adresse du domicile,Moyen de d\xe9placement\n";
  auto parsed = parse(
      header +
      "9,L\xe9vy,Z\xf6\xe9,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,V\xe9lo/Trottinette/Autres\n");
  ASSERT_EQ(parsed.rows.size(), 1u);
  EXPECT_EQ(parsed.rows[0].nom, "Lévy");
  EXPECT_EQ(parsed.format_note,
            "converted from Windows-1252: 7 bytes cannot be UTF-8 (first on line 1)");
}

// A Windows-1252 file in which a few bytes happen to form valid UTF-8 (here a name damaged by an
// earlier double encoding, "AndrÃ©" = 41 6E 64 72 C3 A9) is still Windows-1252 as a whole: the
// bytes that cannot be UTF-8 outnumber those that can.
TEST(HrFiles, Windows1252FileWithAnAccidentalUtf8SequenceIsConvertedWhole) {
  std::string header =
      "ID salari\xe9,Nom,Pr\xe9nom,Date de naissance,BU,Date d'embauche,Salaire brut,Type de "
      "contrat,Nombre de jours de CP,Adresse du domicile,Moyen de d\xe9placement\n";
  auto parsed = parse(header +
                      "9,L\xe9vy,Zo\xe9,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running\n"
                      "10,Andr\xc3\xa9,Al,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running\n");
  ASSERT_EQ(parsed.rows.size(), 2u);
  ASSERT_TRUE(parsed.rejects.empty()) << parsed.rejects[0].to_string("data_rh.csv");
  EXPECT_EQ(parsed.rows[0].nom, "Lévy");
  EXPECT_EQ(parsed.rows[1].nom, "AndrÃ©");  // as written in Windows-1252; Silver repairs it
  EXPECT_EQ(parsed.format_note,
            "converted from Windows-1252: 5 bytes cannot be UTF-8 (first on line 1), against 1 "
            "sequence that could (first on line 3), read as Windows-1252 too");
}

// A UTF-8 file with one damaged row stays UTF-8: its good rows load, the damaged one is rejected,
// and the summary says why the file was not read as Windows-1252.
TEST(HrFiles, Utf8FileWithADamagedRowSaysWhy) {
  auto parsed = parse(std::string(k_header) + std::string(k_good_row) +
                      "9,L\xe9vy,B,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running\n");
  ASSERT_EQ(parsed.rows.size(), 1u);
  ASSERT_EQ(parsed.rejects.size(), 1u);
  EXPECT_EQ(parsed.rejects[0].to_string("data_rh.csv"),
            "data_rh.csv:3: Nom: invalid UTF-8 byte sequence (bad encoding)");
  EXPECT_EQ(parsed.format_note,
            "read as UTF-8 with 1 invalid byte (first on line 3; their rows are rejected): 3 valid "
            "multi-byte UTF-8 sequences outnumber them");
}

TEST(HrFiles, SemicolonDelimitedFileIsDetected) {
  // The address keeps its comma inside quotes; the salary has a decimal comma.
  std::string text = "ID salarié;Nom;Prénom;Date de naissance;BU;Date d'embauche;Salaire brut;Type de "
         "contrat;Nombre de jours de CP;Adresse du domicile;Moyen de déplacement\r\n"
         "1;Colin;Audrey;6/7/1990;Marketing;14/12/2020;30940,50;CDI;29;\"128 Rue du Port, 34000 "
         "Frontignan\";Marche/running\r\n";
  auto parsed = parse(text);
  ASSERT_EQ(parsed.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(parsed.rows[0].salaire_brut, 30940.5);
  EXPECT_EQ(parsed.rows[0].adresse_complete, "128 Rue du Port, 34000 Frontignan");
  EXPECT_EQ(parsed.format_note, "`;`-delimited (detected from the header)");
}

TEST(HrFiles, SemicolonFileWithOtherColumnsSaysWhatItLooksLike) {
  auto parsed = parse_employees("Matricule;Nom;Prénom\n1;A;B\n", "x.csv", k_today);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("(it looks `;`-delimited: 3 fields split by `;` against 1 "
                                        "by `,`"),
            std::string::npos)
      << parsed.error().message;
}

// Streams an HR file, collecting the ids of the rows handed on.
Result<ParseSummary> stream_ids(const std::string& text, std::vector<int64_t>& ids) {
  return stream_employees(
      text, "data_rh.csv",
      [&](const EmployeeRow& row, size_t) -> Status {
        ids.push_back(row.id);
        return {};
      },
      k_today);
}

// An unbalanced quote makes one record of two lines: the line with the quote is rejected with the
// span, and the next line (a good row) is read again and loaded; every line is counted once.
TEST(HrFiles, UnbalancedQuoteRejectsItsLineAndReadsTheNextAgain) {
  std::string text = std::string(k_header) + std::string(k_good_row) +
                     "10,A,\"B,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running\n"
                     "11,C,D,1/2/1990,R&D,1/1/2020,30000,CDI,25,\"9 rue Y, 34000 Z\",Marche/running\n"
                     "12,E,F,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running\n";
  std::vector<int64_t> ids;
  auto summary = stream_ids(text, ids);
  ASSERT_TRUE(summary.ok()) << summary.error().to_string();
  EXPECT_EQ(ids, (std::vector<int64_t>{59019, 11, 12}));
  EXPECT_EQ(summary->read, 4u);
  ASSERT_EQ(summary->rejects.size(), 1u);
  EXPECT_EQ(summary->rejects[0].to_string("data_rh.csv"),
            "data_rh.csv:3: row: unbalanced quote: lines 3–4 were read as one record of 5 "
            "columns (expected 11); line 3 rejected, reading resumes on line 4");
  EXPECT_TRUE(summary->rejects[0].raw.empty());
  EXPECT_EQ(summary->rejects[0].raw_line,
            "10,A,\"B,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running");
}

TEST(HrFiles, QuoteNeverClosedRejectsItsLineAndReadsTheRest) {
  std::string text = std::string(k_header) + std::string(k_good_row) +
                     "10,A,\"B,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running\n"
                     "12,E,F,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running\n";
  std::vector<int64_t> ids;
  auto summary = stream_ids(text, ids);
  ASSERT_TRUE(summary.ok()) << summary.error().to_string();
  EXPECT_EQ(ids, (std::vector<int64_t>{59019, 12}));
  EXPECT_EQ(summary->read, 3u);
  ASSERT_EQ(summary->rejects.size(), 1u);
  EXPECT_EQ(summary->rejects[0].to_string("data_rh.csv"),
            "data_rh.csv:3: row: unbalanced quote: a quoted field is never closed (the rest of "
            "the file would be one record); line 3 rejected, reading resumes on line 4");
}

TEST(SportFile, SportLabelLimits) {
  auto parsed = parse_sports("ID salarié,Pratique d'un sport\n1," + std::string(101, 'a') +
                                 "\n2,Ten\x01nis\n3,Tennis\n",
                             "data_sport.csv");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->rows.size(), 1u);
  ASSERT_EQ(parsed->rejects.size(), 2u);
  EXPECT_EQ(parsed->rejects[0].to_string("data_sport.csv"),
            "data_sport.csv:2: Pratique d'un sport: is 101 characters long (at most 100)");
  EXPECT_EQ(parsed->rejects[1].to_string("data_sport.csv"),
            "data_sport.csv:3: Pratique d'un sport: contains a control character (U+0001) at "
            "character 4");
}

TEST(FieldLimits, MoneyAcceptsFrenchFormsWithinRange) {
  EXPECT_EQ(limits::parse_money("30940").cents, 3094000);
  EXPECT_EQ(limits::parse_money("30 940,5").cents, 3094050);
  EXPECT_EQ(limits::parse_money("30\xC2\xA0" "940.05").cents, 3094005);
  EXPECT_EQ(limits::parse_money("0").cents, 0);
  EXPECT_EQ(limits::parse_money("-0").cents, 0);
  EXPECT_EQ(limits::parse_money("10000000").cents, 1000000000);
  EXPECT_FALSE(limits::parse_money("NAN").cents);
  EXPECT_FALSE(limits::parse_money("0x10").cents);
  EXPECT_FALSE(limits::parse_money("1,").cents);
  EXPECT_FALSE(limits::parse_money(",5").cents);
  EXPECT_EQ(limits::parse_money("000000000000000000000012").cents, 1200);
}

TEST(FieldLimits, ActivitiesOutsideTheirLimitsAreNamed) {
  Activity a{};
  a.activity_id = 10'000'000'000;
  a.employee_id = 1;
  a.name = "Course";
  a.type = a.sport_type = "Run";
  a.timezone = "(GMT+01:00) Europe/Paris";
  a.distance_m = 10'000;
  a.moving_time_s = a.elapsed_time_s = 3600;
  a.start_utc_us = int64_t{1'700'000'000} * 1'000'000;
  const int64_t now = 1'750'000'000;
  EXPECT_FALSE(limits::check_activity(a, now));
  auto bad = a;
  bad.distance_m = -5;
  auto problem = limits::check_activity(bad, now);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->field, "distance_m");
  EXPECT_EQ(problem->reason, "-5 is not in 0..1000000");
  bad = a;
  bad.calories = std::numeric_limits<double>::quiet_NaN();
  ASSERT_TRUE(limits::check_activity(bad, now));
  EXPECT_EQ(limits::check_activity(bad, now)->field, "calories");
  bad = a;
  bad.elapsed_time_s = 8 * 86'400;
  EXPECT_EQ(limits::check_activity(bad, now)->field, "elapsed_time_s");
  bad = a;
  bad.start_utc_us = (now + 2 * 86'400) * 1'000'000;
  EXPECT_EQ(limits::check_activity(bad, now)->field, "start_date_utc");
  bad = a;
  bad.name = std::string(300, 'x');
  EXPECT_EQ(limits::check_activity(bad, now)->reason, "is 300 characters long (at most 255)");
}

TEST(HrFiles, MissingHeaderColumnIsAFileError) {
  auto parsed = parse_employees("ID salarié,Nom\n1,A\n", "x.csv");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("x.csv:1: header lacks column(s) 'Prénom'"),
            std::string::npos)
      << parsed.error().message;
}

TEST(HrFiles, ColumnsMayComeInAnyOrder) {
  auto parsed = parse(
      "moyen de DEPLACEMENT,id salarie,Nom,Prénom,Date de naissance,BU,Date d’embauche,Salaire "
      "brut,"
      "Type de contrat,Nombre de jours de CP,Adresse du domicile\n"
      "Marche/running,10,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,25,x\n");
  ASSERT_EQ(parsed.rows.size(), 1u);
  EXPECT_EQ(parsed.rows[0].id, 10);
}

TEST(SportFile, EmptySportIsNoSport) {
  auto parsed = parse_sports("ID salarié,Pratique d'un sport\n1,Runing\n2,\n2,Tennis\nx,Judo\n",
                             "data_sport.csv");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->rows.size(), 2u);
  EXPECT_EQ(parsed->rows[0].pratique_sport, "Runing");
  EXPECT_EQ(parsed->rows[1].pratique_sport, std::nullopt);
  ASSERT_EQ(parsed->rejects.size(), 2u);
  EXPECT_EQ(parsed->rejects[0].to_string("data_sport.csv"),
            "data_sport.csv:4: ID salarié: duplicate id 2 (first seen on line 3)");
  EXPECT_EQ(parsed->rejects[1].to_string("data_sport.csv"),
            "data_sport.csv:5: ID salarié: 'x' is not a positive integer");
}

TEST(Values, DatesAndNumbers) {
  EXPECT_FALSE(parse_french_date("29/02/2023"));
  EXPECT_TRUE(parse_french_date("29/02/2024"));
  EXPECT_FALSE(parse_french_date("2024/02/01"));
  EXPECT_FALSE(parse_french_date("1/13/2020"));
  EXPECT_FALSE(parse_decimal("12,3,4"));
  EXPECT_EQ(parse_integer(" 42 "), 42);
  EXPECT_EQ(normalise_label("  Moyen  de Déplacement "), "moyen de deplacement");
}

TEST(SampleData, AllRowsOfTheSeedFilesParse) {
  const char* source_dir = std::getenv("SL_SOURCE_DIR");
  if (source_dir == nullptr) GTEST_SKIP() << "SL_SOURCE_DIR not set";
  std::string dir = std::string(source_dir) + "/data/sample/";
  auto read = [](const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "rb");
    std::string out;
    char buffer[4096];
    size_t n;
    while (f && (n = std::fread(buffer, 1, sizeof buffer, f)) > 0) out.append(buffer, n);
    if (f) std::fclose(f);
    return out;
  };
  auto rh = parse_employees(read(dir + "data_rh.csv"), "data_rh.csv");
  ASSERT_TRUE(rh.ok());
  EXPECT_EQ(rh->rows.size(), 161u);
  EXPECT_TRUE(rh->rejects.empty()) << rh->rejects[0].to_string("data_rh.csv");
  size_t sporty = 0;
  double salaries = 0;
  for (const auto& r : rh->rows) {
    if (r.moyen_deplacement == "Marche/running" ||
        r.moyen_deplacement == "Vélo/Trottinette/Autres") {
      ++sporty;
      salaries += r.salaire_brut;
    }
  }
  EXPECT_EQ(sporty, 68u);  // DESIGN §1: 68 declare a sporty commute
  EXPECT_NEAR(salaries * 0.05, 172482.50, 0.001);
  auto sport = parse_sports(read(dir + "data_sport.csv"), "data_sport.csv");
  ASSERT_TRUE(sport.ok());
  EXPECT_EQ(sport->rows.size(), 161u);
}

}  // namespace
}  // namespace sl::source
