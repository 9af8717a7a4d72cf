// Gazetteer: the French communes with a point each (data/geo/france_cities.csv: INSEE code,
// name, department, one postcode, latitude, longitude), and French postal addresses located on
// them. The offline distance provider and the address checks of Silver use it.
//
// Locating "128 Rue du Port, 34000 Frontignan": the postcode is the last 5-digit group, the city
// what follows it (without one, what follows the last comma). The city is looked up by its
// folded name (accents, case, hyphens and apostrophes ignored), preferring the postcode's
// department. How well it matched is part of the answer, because the HR file has defects:
// - exact: the city, with its postcode (or a postcode the file does not list, e.g. Montpellier's
//   34070: the file keeps one postcode per commune, so that is no evidence of a mismatch);
// - postcode_mismatch: the city was found, but the postcode belongs to another commune
//   ("34000 Frontignan": 34000 is Montpellier's);
// - no_postcode: the city was found, the address has no postcode ("Av. de la Mer, Montpellier");
// - postcode_only: no such city, the postcode's commune is used.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"

namespace sl::integrations {

struct Commune {
  std::string insee;
  std::string name;
  std::string department;
  std::string postcode;
  double latitude = 0;
  double longitude = 0;
};

struct AddressParts {
  std::optional<std::string> postcode;
  std::string city;  // as written
};
AddressParts parse_french_address(std::string_view address);

enum class LocationMatch { exact, postcode_mismatch, no_postcode, postcode_only };
std::string_view match_name(LocationMatch match);

struct Location {
  const Commune* commune = nullptr;
  LocationMatch match = LocationMatch::exact;
};

class Gazetteer {
 public:
  // The file's text (header ID,REF_INSEE,NAME,...,ZIP_CODES,LATITUDE,LONGITUDE, columns found by
  // name); `origin` names it in errors. Rows without coordinates are skipped.
  static Result<Gazetteer> parse(std::string_view text, const std::string& origin);
  static Result<Gazetteer> load(const std::filesystem::path& path);

  std::optional<Location> locate(std::string_view address) const;
  // The radius (km) of a disc of the commune's size, estimated from the distance to the nearest
  // other commune's point: the cells of points spaced d apart in a hexagonal tiling have the
  // area (√3/2)·d², the area of a disc of radius d·√(√3/(2π)) ≈ 0.525·d. The file has no areas;
  // for Lattes it gives 2.0 km (its 27.8 km² make 2.97 km: the right order, on the short side). 0
  // when it is the only one.
  double disc_radius_km(const Commune& commune) const;
  size_t size() const { return communes_.size(); }

 private:
  std::vector<Commune> communes_;
  std::unordered_map<std::string, std::vector<size_t>> by_name_;      // folded name → communes
  std::unordered_map<std::string, std::vector<size_t>> by_postcode_;  // postcode → communes
};

// Great-circle distance (haversine, mean Earth radius 6,371.0088 km), in km.
double great_circle_km(double lat1, double lon1, double lat2, double lon2);

}  // namespace sl::integrations
