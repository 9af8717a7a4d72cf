// French activity messages: the scoping note's two examples under our formatting rules, every
// kind of sport, and the number formats at their edges.
#include "rewards/activity_message.hpp"
#include "rewards/sport_label.hpp"

#include <gtest/gtest.h>

namespace sl::rewards {
namespace {

ActivityAnnouncement activity(std::string sport_type, std::string label, double metres,
                              int64_t moving_s, std::string comment = "") {
  return {"Juliette", "Mendes", std::move(sport_type), std::move(label),
          metres,     moving_s, moving_s + 60,         std::move(comment)};
}

TEST(ActivityMessage, TheScopingNoteExamples) {
  // Row 1 of the note: 10,879 m in 4,617 s (the note wrote "10,8 km en 46 min").
  EXPECT_EQ(activity_message(activity("Run", "Course à pied", 10879, 4617)),
            "Bravo Juliette Mendes ! Tu viens de courir 10,9 km en 1 h 17 min ! Quelle énergie ! "
            "🔥🏅");
  auto hike = activity("Hike", "Randonnée", 10108, 17546,
                       "Randonnée de St Guilhem le désert, je vous la conseille c'est top");
  hike.first_name = "Laurence";
  hike.last_name = "Morvan";
  EXPECT_EQ(activity_message(hike),
            "Magnifique Laurence Morvan ! Une randonnée de 10,1 km terminée en 4 h 52 min et un "
            "nouveau spot à découvrir ! 🌄\n« Randonnée de St Guilhem le désert, je vous la "
            "conseille c'est top »");
}

TEST(ActivityMessage, EveryKindOfSport) {
  EXPECT_EQ(activity_message(activity("Walk", "Marche", 3200, 2400)),
            "Bravo Juliette Mendes ! Une marche de 3,2 km en 40 min, chaque pas compte ! 🚶");
  EXPECT_EQ(activity_message(activity("Ride", "Sortie vélo", 42195, 5400)),
            "En selle Juliette Mendes ! Une sortie vélo de 42,2 km en 1 h 30 min ! 🚴");
  EXPECT_EQ(activity_message(activity("Swim", "Natation", 1500, 1800)),
            "Splash ! Juliette Mendes vient de nager 1\u202f500 m en 30 min ! 🏊");
  EXPECT_EQ(activity_message(activity("Tennis", "Tennis", 0, 3600)),
            "Bravo Juliette Mendes ! Une séance de Tennis de 1 h ! Belle énergie ! 🎾");
  EXPECT_EQ(activity_message(activity("Workout", "Équitation", 12000, 3000)),
            "Super Juliette Mendes ! Une belle séance d'Équitation de 12,0 km en 50 min ! 🏇");
  EXPECT_EQ(activity_message(activity("Workout", "Rugby", 0, 5400)),
            "Bravo Juliette Mendes ! Une séance de Rugby de 1 h 30 min ! Belle énergie ! 🏉");
  EXPECT_EQ(activity_message(activity("RockClimbing", "Escalade", 0, 5400)),
            "Bravo Juliette Mendes ! Une séance d'Escalade de 1 h 30 min ! Belle énergie ! 🧗");
  EXPECT_EQ(activity_message(activity("Workout", "", 0, 1200)),
            "Bravo Juliette Mendes ! Une séance de sport de 20 min ! Belle énergie ! 🏅");
  EXPECT_EQ(activity_message(activity("Run", "Course à pied", 0, 1200)),
            "Bravo Juliette Mendes ! 20 min de course à pied ! Quelle énergie ! 🔥🏅");
}

TEST(ActivityMessage, TheSameActivityAlwaysGivesTheSameText) {
  auto a = activity("Run", "Course à pied", 5000, 1500);
  EXPECT_EQ(activity_message(a), activity_message(a));
}

TEST(ActivityMessage, NumberFormats) {
  EXPECT_EQ(format_km(10879), "10,9 km");
  EXPECT_EQ(format_km(10849), "10,8 km");
  EXPECT_EQ(format_km(10000), "10,0 km");
  EXPECT_EQ(format_km(49), "0,0 km");
  EXPECT_EQ(format_km(1234567), "1\u202f234,6 km");
  EXPECT_EQ(format_km(-5), "0,0 km");
  EXPECT_EQ(format_metres(999.4), "999 m");
  EXPECT_EQ(format_duration(0), "1 min");
  EXPECT_EQ(format_duration(89), "1 min");
  EXPECT_EQ(format_duration(90), "2 min");
  EXPECT_EQ(format_duration(3599), "1 h");
  EXPECT_EQ(format_duration(3600 * 25 + 60), "25 h 1 min");
}

}  // namespace
}  // namespace sl::rewards

namespace sl::rewards {
namespace {

TEST(SportLabel, DeclaredSportsAreCleanedAndActivitiesNamed) {
  EXPECT_EQ(normalise_declared_sport(" Runing "), "Course à pied");
  EXPECT_EQ(normalise_declared_sport("Tennis de table"), "Tennis de table");
  EXPECT_EQ(normalise_declared_sport(""), "");
  EXPECT_EQ(activity_sport_label("Run", "Runing"), "Course à pied");
  EXPECT_EQ(activity_sport_label("TableTennis", ""), "Tennis de table");
  EXPECT_EQ(activity_sport_label("Workout", "Rugby"), "Rugby");
  EXPECT_EQ(activity_sport_label("Workout", "Runing"), "Course à pied");
  EXPECT_EQ(activity_sport_label("Workout", ""), "sport");
}

}  // namespace
}  // namespace sl::rewards
