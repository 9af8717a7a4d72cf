// The communes file, address parsing and location.
#include "integrations/gazetteer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>

#include "common/csv_reader.hpp"
#include "common/fs.hpp"
#include "common/label_fold.hpp"

namespace sl::integrations {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == ',' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == ',' || s.back() == '\t' || s.back() == '.'))
    s.remove_suffix(1);
  return s;
}

std::optional<double> to_double(std::string_view text) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::string_view match_name(LocationMatch match) {
  switch (match) {
    case LocationMatch::exact:
      return "exact";
    case LocationMatch::postcode_mismatch:
      return "postcode_mismatch";
    case LocationMatch::no_postcode:
      return "no_postcode";
    case LocationMatch::postcode_only:
      return "postcode_only";
  }
  return "";
}

AddressParts parse_french_address(std::string_view address) {
  AddressParts parts;
  // The last group of exactly five digits.
  size_t found = std::string_view::npos;
  for (size_t i = 0; i + 5 <= address.size(); ++i) {
    bool five = true;
    for (size_t k = 0; k < 5; ++k) five &= is_digit(address[i + k]);
    if (!five || (i > 0 && is_digit(address[i - 1])) ||
        (i + 5 < address.size() && is_digit(address[i + 5])))
      continue;
    found = i;
  }
  if (found != std::string_view::npos) {
    parts.postcode = std::string(address.substr(found, 5));
    parts.city = std::string(trim(address.substr(found + 5)));
    return parts;
  }
  const size_t comma = address.rfind(',');
  parts.city =
      std::string(trim(comma == std::string_view::npos ? address : address.substr(comma + 1)));
  return parts;
}

Result<Gazetteer> Gazetteer::parse(std::string_view text, const std::string& origin) {
  csv::CsvReader reader(csv::strip_bom(text), origin);
  csv::Record record;
  SL_ASSIGN_OR_RETURN(bool has_header, reader.next(record));
  if (!has_header) return make_error(Errc::parse, origin + ": empty file");
  auto column = [&](std::string_view name) -> std::optional<size_t> {
    for (size_t i = 0; i < record.fields.size(); ++i)
      if (record.fields[i] == name) return i;
    return std::nullopt;
  };
  const auto c_insee = column("REF_INSEE"), c_name = column("NAME"),
             c_department = column("DEPARTMENT"), c_zip = column("ZIP_CODES"),
             c_lat = column("LATITUDE"), c_lon = column("LONGITUDE");
  if (!c_insee || !c_name || !c_department || !c_zip || !c_lat || !c_lon)
    return make_error(Errc::parse,
                      origin +
                          ": header lacks one of REF_INSEE, NAME, DEPARTMENT, ZIP_CODES, "
                          "LATITUDE, LONGITUDE");
  const size_t width = record.fields.size();
  Gazetteer g;
  for (;;) {
    SL_ASSIGN_OR_RETURN(bool more, reader.next(record));
    if (!more) break;
    if (record.fields.size() != width)
      return make_error(Errc::parse, origin + ":" + std::to_string(record.line) + ": " +
                                         std::to_string(record.fields.size()) +
                                         " fields, the header has " + std::to_string(width));
    auto lat = to_double(record.fields[*c_lat]);
    auto lon = to_double(record.fields[*c_lon]);
    // Written so that NaN ("nan" reads as a number) is no point either.
    if (!lat || !lon || !(std::abs(*lat) <= 90 && std::abs(*lon) <= 180)) continue;
    Commune c{record.fields[*c_insee],
              record.fields[*c_name],
              record.fields[*c_department],
              record.fields[*c_zip],
              *lat,
              *lon};
    const size_t index = g.communes_.size();
    g.by_name_[normalise_place_name(c.name)].push_back(index);
    if (!c.postcode.empty()) g.by_postcode_[c.postcode].push_back(index);
    g.communes_.push_back(std::move(c));
  }
  if (g.communes_.empty()) return make_error(Errc::parse, origin + ": no commune with a point");
  return g;
}

Result<Gazetteer> Gazetteer::load(const std::filesystem::path& path) {
  SL_ASSIGN_OR_RETURN(auto text, fs::read_file(path));
  return parse(text, path.string());
}

double Gazetteer::disc_radius_km(const Commune& commune) const {
  double nearest = std::numeric_limits<double>::infinity();
  for (const auto& other : communes_) {
    if (&other == &commune || other.insee == commune.insee) continue;
    nearest = std::min(nearest, great_circle_km(commune.latitude, commune.longitude, other.latitude,
                                                other.longitude));
  }
  if (!std::isfinite(nearest)) return 0;
  return nearest * std::sqrt(std::sqrt(3.0) / (2 * std::numbers::pi));
}

std::optional<Location> Gazetteer::locate(std::string_view address) const {
  const AddressParts parts = parse_french_address(address);
  const auto named = by_name_.find(normalise_place_name(parts.city));
  const std::vector<size_t>* with_postcode = nullptr;
  if (parts.postcode) {
    auto it = by_postcode_.find(*parts.postcode);
    if (it != by_postcode_.end()) with_postcode = &it->second;
  }
  if (named != by_name_.end()) {
    // Among homonyms: the postcode's commune, else one of its department, else the first.
    const Commune* best = &communes_[named->second.front()];
    bool postcode_is_its_own = false;
    for (size_t i : named->second) {
      const Commune& c = communes_[i];
      if (parts.postcode && c.postcode == *parts.postcode) {
        best = &c;
        postcode_is_its_own = true;
        break;
      }
      if (parts.postcode && c.department == parts.postcode->substr(0, 2)) best = &c;
    }
    LocationMatch match = LocationMatch::exact;
    if (!parts.postcode)
      match = LocationMatch::no_postcode;
    else if (!postcode_is_its_own && with_postcode)
      match = LocationMatch::postcode_mismatch;  // the postcode is another commune's
    return Location{best, match};
  }
  if (with_postcode)
    return Location{&communes_[with_postcode->front()], LocationMatch::postcode_only};
  return std::nullopt;
}

double great_circle_km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double k_radius_km = 6371.0088;
  constexpr double k_radians = M_PI / 180.0;
  const double dlat = (lat2 - lat1) * k_radians;
  const double dlon = (lon2 - lon1) * k_radians;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * k_radians) * std::cos(lat2 * k_radians) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2 * k_radius_km * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace sl::integrations
