// libFuzzer target: the distance providers' readers (src/integrations): Distance Matrix replies,
// Routes computeRouteMatrix replies, proto3 durations, French addresses, and the communes file
// with Gazetteer::locate. The first byte is 5 × (origin count − 1) + parser, parser 0 Distance
// Matrix, 1 Routes, 2 duration, 3 address, 4 communes (origin count 1-30, used by 0 and 1); the
// rest is the text. Beyond "no crash, no read outside the text" (ASan, UBSan), the oracles are:
// - a reply that parses answers every origin: exactly origin_count answers (a Distance Matrix
//   reply whose top-level status is not OK: none), and an ok answer's distance_m, when present,
//   is finite and >= 0;
// - a duration accepted is >= 0 and, printed back as "<n>s", parses to the same seconds;
// - an address's postcode, when found, is exactly 5 ASCII digits taken from the address;
// - the communes file: before the first NUL byte, the CSV; after it (or, without one, the CSV's
//   own lines), texts to locate, one a line. The gazetteer keeps exactly the rows with a point
//   (|latitude| <= 90, |longitude| <= 180) as read here; every commune locate() returns is one of
//   them, read after the Result it came from is gone (ASan: it points into the gazetteer's own
//   storage), the same on a second call, and agrees with the match it reports; each kept
//   commune's name, written as ", NAME", is located.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/csv_reader.hpp"
#include "common/label_fold.hpp"
#include "integrations/gazetteer.hpp"
#include "integrations/google_distance_matrix.hpp"
#include "integrations/google_routes.hpp"

namespace {

using sl::integrations::AddressParts;
using sl::integrations::Commune;
using sl::integrations::DistanceAnswer;
using sl::integrations::Gazetteer;
using sl::integrations::Location;
using sl::integrations::LocationMatch;

enum class Parser { distance_matrix, routes, duration, address, communes };
constexpr size_t k_parsers = 5;
constexpr size_t k_max_origins = 30;
constexpr size_t k_max_locates = 64;       // texts located per input
constexpr size_t k_max_self_locates = 16;  // kept communes located by their own name

void check_answers(const std::vector<DistanceAnswer>& answers, size_t origin_count) {
  if (answers.size() != origin_count) __builtin_trap();
  for (const DistanceAnswer& answer : answers) {
    // `!(x >= 0)` is also true for NaN.
    if (answer.status == DistanceAnswer::Status::ok && answer.distance_m &&
        (!std::isfinite(*answer.distance_m) || !(*answer.distance_m >= 0)))
      __builtin_trap();
  }
}

void fuzz_distance_matrix(std::string_view body, size_t origin_count) {
  auto reply = sl::integrations::parse_distance_matrix_reply(body, origin_count);
  if (!reply.ok()) return;
  check_answers(reply->answers, reply->status == "OK" ? origin_count : 0);
}

void fuzz_routes(std::string_view body, size_t origin_count) {
  auto answers = sl::integrations::parse_route_matrix(body, origin_count);
  if (answers.ok()) check_answers(*answers, origin_count);
}

void fuzz_duration(std::string_view text) {
  const std::optional<int64_t> seconds = sl::integrations::parse_proto_duration(text);
  if (!seconds) return;
  if (*seconds < 0) __builtin_trap();
  if (sl::integrations::parse_proto_duration(std::to_string(*seconds) + "s") != seconds)
    __builtin_trap();
}

bool five_digits(std::string_view text) {
  if (text.size() != 5) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

void fuzz_address(std::string_view address) {
  const AddressParts parts = sl::integrations::parse_french_address(address);
  if (parts.postcode &&
      (!five_digits(*parts.postcode) || address.find(*parts.postcode) == std::string_view::npos))
    __builtin_trap();
}

std::optional<double> coordinate(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The rows of a communes file that Gazetteer::parse accepted which have a point, read again here
// from the header's grammar (columns found by name, rows without coordinates skipped).
std::vector<Commune> rows_with_a_point(std::string_view text) {
  sl::csv::CsvReader reader(sl::csv::strip_bom(text), "fuzz.csv");
  sl::csv::Record record;
  std::vector<Commune> rows;
  auto header = reader.next(record);
  if (!header.ok() || !*header) return rows;
  auto column = [&](std::string_view name) {
    for (size_t i = 0; i < record.fields.size(); ++i)
      if (record.fields[i] == name) return i;
    return record.fields.size();
  };
  const size_t insee = column("REF_INSEE"), name = column("NAME"),
               department = column("DEPARTMENT"), zip = column("ZIP_CODES"),
               latitude = column("LATITUDE"), longitude = column("LONGITUDE");
  for (;;) {
    auto more = reader.next(record);
    if (!more.ok() || !*more) break;
    const auto lat = coordinate(record.fields.at(latitude));
    const auto lon = coordinate(record.fields.at(longitude));
    if (!lat || !lon || !(*lat >= -90 && *lat <= 90) || !(*lon >= -180 && *lon <= 180)) continue;
    rows.push_back(Commune{record.fields.at(insee), record.fields.at(name),
                           record.fields.at(department), record.fields.at(zip), *lat, *lon});
  }
  return rows;
}

bool same_commune(const Commune& a, const Commune& b) {
  return a.insee == b.insee && a.name == b.name && a.department == b.department &&
         a.postcode == b.postcode && a.latitude == b.latitude && a.longitude == b.longitude;
}

// One locate() with its oracles; whether it located the text.
bool check_locate(const Gazetteer& gazetteer, const std::vector<Commune>& rows,
                  std::string_view address) {
  const std::optional<Location> found = gazetteer.locate(address);
  if (!found) return false;
  const Commune* commune = found->commune;
  if (commune == nullptr) __builtin_trap();
  bool kept = false;
  for (const Commune& row : rows) kept = kept || same_commune(*commune, row);
  if (!kept) __builtin_trap();
  const std::optional<Location> again = gazetteer.locate(address);
  if (!again || again->commune != commune || again->match != found->match) __builtin_trap();
  const AddressParts parts = sl::integrations::parse_french_address(address);
  if ((found->match == LocationMatch::no_postcode) != !parts.postcode) __builtin_trap();
  if (found->match == LocationMatch::postcode_only) {
    if (commune->postcode != parts.postcode) __builtin_trap();
  } else if (sl::normalise_place_name(commune->name) != sl::normalise_place_name(parts.city)) {
    __builtin_trap();
  }
  return true;
}

void fuzz_communes(std::string_view input) {
  const size_t nul = input.find('\0');
  const std::string_view csv = input.substr(0, nul);
  const std::string_view texts = nul == std::string_view::npos ? input : input.substr(nul + 1);
  std::optional<Gazetteer> gazetteer;
  {
    auto parsed = Gazetteer::parse(csv, "fuzz.csv");
    if (!parsed.ok()) return;
    gazetteer.emplace(std::move(*parsed));
  }  // the Result is gone: what locate() returns must live in `gazetteer`
  const std::vector<Commune> rows = rows_with_a_point(csv);
  if (gazetteer->size() != rows.size()) __builtin_trap();
  size_t start = 0;
  for (size_t n = 0; n < k_max_locates && start <= texts.size(); ++n) {
    const size_t end = std::min(texts.find('\n', start), texts.size());
    check_locate(*gazetteer, rows, texts.substr(start, end - start));
    start = end + 1;
  }
  for (size_t i = 0; i < rows.size() && i < k_max_self_locates; ++i) {
    const std::string address = ", " + rows[i].name;
    const AddressParts parts = sl::integrations::parse_french_address(address);
    // Only names the address grammar gives back whole (no 5-digit group, comma or edge dots).
    if (parts.postcode ||
        sl::normalise_place_name(parts.city) != sl::normalise_place_name(rows[i].name))
      continue;
    if (!check_locate(*gazetteer, rows, address)) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto parser = static_cast<Parser>(data[0] % k_parsers);
  const size_t origin_count = 1 + data[0] / k_parsers % k_max_origins;
  // A copy of exactly the text's bytes, so that ASan sees any read past its end.
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (parser) {
    case Parser::distance_matrix:
      fuzz_distance_matrix(text, origin_count);
      break;
    case Parser::routes:
      fuzz_routes(text, origin_count);
      break;
    case Parser::duration:
      fuzz_duration(text);
      break;
    case Parser::address:
      fuzz_address(text);
      break;
    case Parser::communes:
      fuzz_communes(text);
      break;
  }
  return 0;
}
