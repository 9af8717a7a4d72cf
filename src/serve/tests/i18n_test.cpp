// The dashboard's languages: which one a request gets, and numbers, money and dates per language.
#include <gtest/gtest.h>

#include "serve/i18n.hpp"

namespace sl::serve {
namespace {

TEST(I18n, FrenchByDefaultEnglishOnRequest) {
  EXPECT_EQ(choose_lang("", ""), Lang::fr);
  EXPECT_EQ(choose_lang("en", ""), Lang::en);
  EXPECT_EQ(choose_lang("EN", "fr"), Lang::en);  // the parameter wins
  EXPECT_EQ(choose_lang("fr", "en-US"), Lang::fr);
  EXPECT_EQ(choose_lang("de", "en"), Lang::en);  // an unknown parameter is ignored
  EXPECT_EQ(choose_lang("", "de"), Lang::fr);
}

TEST(I18n, AcceptLanguageQValues) {
  EXPECT_EQ(choose_lang("", "en-GB,en;q=0.9"), Lang::en);
  EXPECT_EQ(choose_lang("", "de-DE, en;q=0.5, fr;q=0.8"), Lang::fr);
  EXPECT_EQ(choose_lang("", "de-DE, fr;q=0.5, en;q=0.8"), Lang::en);
  EXPECT_EQ(choose_lang("", "en;q=0, fr;q=0.1"), Lang::fr);
  EXPECT_EQ(choose_lang("", "en;q=0"), Lang::fr);            // excluded
  EXPECT_EQ(choose_lang("", "en;q=2, fr;q=abc"), Lang::fr);  // malformed: ignored
  EXPECT_EQ(choose_lang("", "EN-us ; q=0.7"), Lang::en);
  EXPECT_EQ(choose_lang("", "fr-CA, en"), Lang::fr);  // equal q: the first
  EXPECT_EQ(choose_lang("", ",,;;=,"), Lang::fr);
}

TEST(I18n, NumbersPerLanguage) {
  EXPECT_EQ(format_int(Lang::fr, 1234567), "1\u202f234\u202f567");
  EXPECT_EQ(format_int(Lang::en, 1234567), "1,234,567");
  EXPECT_EQ(format_int(Lang::en, -1000), "-1,000");
  EXPECT_EQ(format_int(Lang::en, 999), "999");
  EXPECT_EQ(format_decimal(Lang::fr, 1234.56, 1), "1\u202f234,6");
  EXPECT_EQ(format_decimal(Lang::en, 1234.56, 1), "1,234.6");
  EXPECT_EQ(format_decimal(Lang::en, -0.04, 1), "0.0");
  EXPECT_EQ(format_percent(Lang::fr, 0.125), "12,5\u202f%");
  EXPECT_EQ(format_percent(Lang::en, 0.125), "12.5%");
}

TEST(I18n, MoneyPerLanguage) {
  EXPECT_EQ(format_money_cents(Lang::fr, 17248250), "172\u202f482,50\u00a0€");
  EXPECT_EQ(format_money_cents(Lang::en, 17248250), "€172,482.50");
  EXPECT_EQ(format_money_cents(Lang::en, -5), "-€0.05");
  int64_t cents = 0;
  ASSERT_TRUE(parse_decimal_cents("172482.50", cents));
  EXPECT_EQ(cents, 17248250);
  ASSERT_TRUE(parse_decimal_cents("-3.5", cents));
  EXPECT_EQ(cents, -350);
  ASSERT_TRUE(parse_decimal_cents("12", cents));
  EXPECT_EQ(cents, 1200);
  EXPECT_FALSE(parse_decimal_cents("1.234", cents));
  EXPECT_FALSE(parse_decimal_cents("abc", cents));
  EXPECT_FALSE(parse_decimal_cents("", cents));
}

TEST(I18n, DatesAndTexts) {
  EXPECT_EQ(format_date(Lang::fr, 2025, 3, 7), "7 mars 2025");
  EXPECT_EQ(format_date(Lang::en, 2025, 3, 7), "7 March 2025");
  EXPECT_EQ(month_name(Lang::fr, 2, true), "févr.");
  EXPECT_EQ(month_name(Lang::en, 12, true), "Dec");
  EXPECT_EQ(tr(Lang::fr, "common.overview"), "Vue d'ensemble");
  EXPECT_EQ(tr(Lang::en, "common.overview"), "Overview");
  EXPECT_EQ(tr(Lang::en, "no.such.key"), "no.such.key");
}

TEST(I18n, BytesDurationsDateTimesAndFilledTexts) {
  EXPECT_EQ(format_bytes(Lang::fr, 512), "512\u00a0o");
  EXPECT_EQ(format_bytes(Lang::en, 512), "512\u00a0B");
  EXPECT_EQ(format_bytes(Lang::fr, 1536), "1,5\u00a0Kio");
  EXPECT_EQ(format_bytes(Lang::en, 1536), "1.5\u00a0KiB");
  EXPECT_EQ(format_bytes(Lang::en, 3LL * 1024 * 1024 * 1024 / 2), "1.5\u00a0GiB");
  EXPECT_EQ(format_bytes(Lang::fr, 5000LL * 1024 * 1024 * 1024 * 1024), "5\u202f000,0\u00a0Tio");
  EXPECT_EQ(format_duration(Lang::fr, 12.34), "12,3\u00a0s");
  EXPECT_EQ(format_duration(Lang::en, 12.34), "12.3\u00a0s");
  EXPECT_EQ(format_duration(Lang::en, 185), "3\u00a0min 05\u00a0s");
  EXPECT_EQ(format_duration(Lang::fr, 7500), "2\u00a0h 05\u00a0min");
  EXPECT_EQ(format_duration(Lang::fr, 3 * 86400 + 4 * 3600), "3\u00a0j 4\u00a0h");
  EXPECT_EQ(format_duration(Lang::en, 3 * 86400 + 4 * 3600), "3\u00a0d 4\u00a0h");
  EXPECT_EQ(format_duration(Lang::en, -2), "-2.0\u00a0s");
  // 2025-03-07T08:00:05.5Z
  EXPECT_EQ(format_datetime_us(Lang::fr, 1741334405500000), "7 mars 2025 08:00:05 UTC");
  EXPECT_EQ(format_datetime_us(Lang::en, 1741334405500000), "7 March 2025 08:00:05 UTC");
  EXPECT_EQ(trf(Lang::en, "error.no_year", 2031), "no Gold for 2031");
  EXPECT_EQ(trf(Lang::fr, "ops.ago", format_duration(Lang::fr, 1.5)), "il y a 1,5\u00a0s");
}

TEST(I18n, ReasonsByTheirCode) {
  const std::string_view gold = "non éligible : mode de déplacement non sportif";
  EXPECT_EQ(reason_label(Lang::fr, "not_sporty", gold), gold);  // Gold's own French text
  EXPECT_EQ(reason_label(Lang::en, "not_sporty", gold), "not eligible: commute mode not sporty");
  EXPECT_EQ(reason_label(Lang::en, "a_new_code", gold), gold);  // unknown: shown as Gold wrote it
}

}  // namespace
}  // namespace sl::serve

namespace sl::serve {
namespace {

TEST(I18n, PluralFormsPerLanguage) {
  // French: 0 and 1 are singular; English: 1 only.
  EXPECT_EQ(trn(Lang::fr, "employee.wb_missing", 1, "1", "20"),
            "non éligible : il manque 1 activité pour atteindre 20");
  EXPECT_EQ(trn(Lang::fr, "employee.wb_missing", 3, "3", "20"),
            "non éligible : il manque 3 activités pour atteindre 20");
  EXPECT_EQ(trn(Lang::en, "employee.wb_missing", 1, "1", "20"),
            "not eligible: 1 activity short of 20");
  EXPECT_EQ(trn(Lang::en, "employee.wb_missing", 3, "3", "20"),
            "not eligible: 3 activities short of 20");
  EXPECT_EQ(trn(Lang::fr, "employee.chart_desc", 0, "0", 2025),
            "0 activité comptée pour les jours bien-être en 2025");
  EXPECT_EQ(trn(Lang::en, "employee.chart_desc", 0, "0", 2025),
            "0 activities counted towards the well-being days in 2025");
  EXPECT_EQ(trn(Lang::fr, "overview.short_by", 2, "2"), "2 manquantes");
  // No text of the table keeps a "(s)" or "(ies)" plural.
  for (const char* key : {"employee.wb_missing", "employee.chart_desc", "overview.short_by"})
    for (int n : {0, 1, 2})
      for (Lang lang : {Lang::fr, Lang::en}) {
        const std::string text(tr(lang, plural_key(lang, key, n)));
        EXPECT_EQ(text.find("(s)"), std::string::npos) << text;
        EXPECT_EQ(text.find("(ies)"), std::string::npos) << text;
        EXPECT_NE(text, plural_key(lang, key, n)) << "missing translation";
      }
}

TEST(I18n, SportTypesReadAsSportsInEachLanguage) {
  EXPECT_EQ(sport_type_label(Lang::fr, "Run"), "Course à pied");
  EXPECT_EQ(sport_type_label(Lang::fr, "TableTennis"), "Tennis de table");
  EXPECT_EQ(sport_type_label(Lang::fr, "Workout"), "Entraînement");
  EXPECT_EQ(sport_type_label(Lang::en, "RockClimbing"), "Rock climbing");
  EXPECT_EQ(sport_type_label(Lang::en, "Swim"), "Swim");
  // A type no table names keeps its words, in either language.
  EXPECT_EQ(sport_type_label(Lang::fr, "StandUpPaddling"), "Stand up paddling");
  EXPECT_EQ(sport_type_label(Lang::en, ""), "");
}

}  // namespace
}  // namespace sl::serve
