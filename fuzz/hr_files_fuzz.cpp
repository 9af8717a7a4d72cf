// libFuzzer target: the HR and sport file parsers (encoding decision, delimiter detection, header
// mapping, unbalanced-quote recovery, field limits) on arbitrary bytes. Every row handed on must
// respect the limits of source/field_limits.hpp.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/csv_reader.hpp"
#include "source/field_limits.hpp"
#include "source/hr_files.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

void require_text(std::string_view value, size_t max_chars) {
  require(!sl::source::limits::check_text(value, max_chars));
  require(sl::csv::find_invalid_utf8(value) == std::string_view::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace limits = sl::source::limits;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const int64_t today = 20'240;  // 2025-06-01: the run does not depend on the clock
  (void)sl::source::stream_employees(
      bytes, "fuzz_rh.csv",
      [](const sl::source::EmployeeRow& row, size_t) -> sl::Status {
        require(row.id > 0 && row.id <= limits::k_max_id);
        require_text(row.nom, limits::k_name_chars);
        require_text(row.prenom, limits::k_name_chars);
        require_text(row.business_unit, limits::k_business_unit_chars);
        require_text(row.contrat, limits::k_contract_chars);
        require_text(row.adresse_complete, limits::k_address_chars);
        require(std::isfinite(row.salaire_brut) && row.salaire_brut >= 0 &&
                row.salaire_brut * 100 <= static_cast<double>(limits::k_max_salary_cents));
        require(row.nb_conges_payes >= 0 && row.nb_conges_payes <= limits::k_max_paid_leave_days);
        require(row.date_naissance.valid() && row.date_embauche.valid());
        return {};
      },
      today);
  (void)sl::source::stream_sports(bytes, "fuzz_sport.csv",
                                  [](const sl::source::SportRow& row, size_t) -> sl::Status {
                                    require(row.id > 0 && row.id <= limits::k_max_id);
                                    if (row.pratique_sport)
                                      require_text(*row.pratique_sport, limits::k_sport_chars);
                                    return {};
                                  });
  return 0;
}
