// Sport names in French, for people: the declared sport of the HR sport file cleaned of its
// known defects ("Runing" → "Course à pied"), and the label of a Strava activity.
#pragma once

#include <string>
#include <string_view>

namespace sl::rewards {

// The declared sport ("Pratique d'un sport") as it should read: trimmed, the known typos and
// English names mapped to the French label ("Runing", "Running" → "Course à pied"), other labels
// kept as written. "" stays "".
std::string normalise_declared_sport(std::string_view declared);

// The French label of an activity: by Strava's sport_type when it names a sport (Run → "Course
// à pied", Ride → "Vélo", Swim → "Natation", Hike → "Randonnée", Walk → "Marche", Tennis,
// TableTennis → "Tennis de table", RockClimbing → "Escalade"...), else the declared sport
// (a Workout of a rugby player is "Rugby"), else "sport".
std::string activity_sport_label(std::string_view sport_type, std::string_view declared);

}  // namespace sl::rewards
