// Parsing and validation of the HR and sport files: every kind of bad row.
#include "source/hr_files.hpp"

#include <gtest/gtest.h>

namespace sl::source {
namespace {

constexpr std::string_view k_header =
    "ID salarié,Nom,Prénom,Date de naissance,BU,Date d'embauche,Salaire brut,Type de contrat,"
    "Nombre de jours de CP,Adresse du domicile,Moyen de déplacement\n";
constexpr std::string_view k_good_row =
    "59019,Colin,Audrey,6/7/1990,Marketing,14/12/2020,30940,CDI,29,\"128 Rue du Port, 34000 "
    "Frontignan\","
    "Transports en commun\n";

ParsedFile<EmployeeRow> parse(std::string text) {
  auto parsed = parse_employees(text, "data_rh.csv");
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
                   "data_rh.csv:3: ID salarié: '7.5' is not a positive integer"}),
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
  EXPECT_EQ(parsed.encoding_note, "converted from Windows-1252");
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
