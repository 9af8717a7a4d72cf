// One employee's facts for a year, read from Silver and Gold.
#include "serve/employee_facts.hpp"

#include <algorithm>
#include <cmath>

#include "columnar/cell_text.hpp"
#include "common/civil_time.hpp"
#include "delta/scan.hpp"
#include "delta/snapshot.hpp"
#include "rewards/wellbeing.hpp"
#include "serve/gold_reader.hpp"

namespace sl::serve {

namespace {

constexpr int64_t k_day_us = 86'400'000'000LL;

// The rows of one table whose `column` equals `value` (files skipped by their stats): for a key
// GoldReader::rows_of cannot index (a text column).
Result<columnar::RecordBatch> rows_where(const delta::Lake& lake, delta::Layer layer,
                                         std::string_view table, const std::string& column,
                                         const std::string& value) {
  auto storage = lake.table(layer, table);
  auto snapshot = delta::load_snapshot(*storage);
  if (!snapshot) return snapshot.error().with_context(storage->describe(""));
  delta::ScanOptions scan;
  scan.filters.push_back({column, delta::Predicate::Op::eq, value});
  return delta::scan_all(*storage, *snapshot, scan);
}

// Typed reads of one row by column name; a missing column or a null cell reads as absent.
class RowView {
 public:
  RowView(const columnar::RecordBatch& batch, size_t row) : batch_(batch), row_(row) {}

  const columnar::Column* column(std::string_view name) const {
    for (size_t c = 0; c < batch_.schema.size(); ++c)
      if (batch_.schema[c].name == name)
        return batch_.columns[c].is_valid(row_) ? &batch_.columns[c] : nullptr;
    return nullptr;
  }
  std::string text(std::string_view name) const {
    const auto* c = column(name);
    if (!c) return "";
    if (c->type.id == columnar::TypeId::string) return std::string(c->string_at(row_));
    const auto j = columnar::cell_json(*c, row_);  // decimals, dates as their text
    return j.is_string() ? j.get<std::string>() : j.dump();
  }
  std::optional<int64_t> integer(std::string_view name) const {
    const auto* c = column(name);
    if (!c) return std::nullopt;
    if (c->type.id == columnar::TypeId::int32) return c->i32[row_];
    if (c->type.id == columnar::TypeId::int64 || c->type.id == columnar::TypeId::timestamp_us)
      return c->i64[row_];
    return std::nullopt;
  }
  std::optional<double> number(std::string_view name) const {
    const auto* c = column(name);
    if (!c) return std::nullopt;
    if (c->type.id == columnar::TypeId::float64) return c->f64[row_];
    if (c->type.id == columnar::TypeId::float32) return c->f32[row_];
    if (auto i = integer(name)) return static_cast<double>(*i);
    return std::nullopt;
  }
  bool flag(std::string_view name) const {
    const auto* c = column(name);
    return c && c->type.id == columnar::TypeId::boolean && c->bools[row_] != 0;
  }

 private:
  const columnar::RecordBatch& batch_;
  size_t row_;
};

BonusDecision decision_of(const RowView& r) {
  BonusDecision d;
  d.year = static_cast<int>(r.integer("year").value_or(0));
  d.moyen_deplacement = r.text("moyen_deplacement");
  d.distance_km = r.number("distance_km");
  d.distance_source = r.text("distance_source");
  d.distance_estimate = r.flag("distance_estimate");
  d.threshold_km = r.number("threshold_km");
  d.eligible = r.flag("eligible");
  d.reason = r.text("reason");
  d.reason_text = r.text("reason_text");
  d.declaration_anomaly = r.flag("declaration_anomaly");
  d.salaire_brut_eur = r.text("salaire_brut");
  d.prime_eur = r.text("prime_eur");
  return d;
}

bool same_distance(std::optional<double> a, std::optional<double> b) {
  if (!a || !b) return a.has_value() == b.has_value();
  return std::abs(*a - *b) < 0.0005;  // metres; Gold holds km from the same double
}

// The biggest table: only the columns shown (calories and the UTC time stay on disk).
const std::vector<std::string>& activity_columns() {
  static const std::vector<std::string> columns = {
      "activity_id",  "employee_id",   "name",             "sport_type",
      "distance_m",   "moving_time_s", "start_date_local", "commute"};
  return columns;
}

// 1. Gold of the year and the history (prime_sportive, wellbeing).
Status read_gold(const GoldReader& gold, EmployeeFacts& f) {
  const int64_t id = f.employee_id;
  SL_ASSIGN_OR_RETURN(auto prime,
                      gold.rows_of(delta::Layer::gold, "prime_sportive", "employee_id", id));
  for (size_t r = 0; r < prime.num_rows; ++r) {
    RowView row(prime, r);
    f.history.push_back(decision_of(row));
    if (f.history.back().year != f.year) continue;
    f.decision = f.history.back();
    if (!f.in_silver) {  // the names as the year knew them
      f.nom = row.text("nom");
      f.prenom = row.text("prenom");
      f.business_unit = row.text("business_unit");
    }
  }
  std::sort(f.history.begin(), f.history.end(),
            [](const BonusDecision& a, const BonusDecision& b) { return a.year > b.year; });

  SL_ASSIGN_OR_RETURN(auto well, gold.rows_of(delta::Layer::gold, "wellbeing", "employee_id", id));
  for (size_t r = 0; r < well.num_rows; ++r) {
    RowView row(well, r);
    if (row.integer("year") != f.year) continue;
    f.has_wellbeing = true;
    f.wellbeing_activities = static_cast<int>(row.integer("activities").value_or(0));
    f.wellbeing_missing = static_cast<int>(row.integer("missing").value_or(0));
    f.wellbeing_eligible = row.flag("eligible");
    f.wellbeing_days = static_cast<int>(row.integer("days").value_or(0));
  }
  return {};
}

// 2. Silver: the employee, the commute, the year's activities, the findings.
Status read_silver(const GoldReader& gold, EmployeeFacts& f) {
  const int64_t id = f.employee_id;
  SL_ASSIGN_OR_RETURN(auto employee, gold.rows_of(delta::Layer::silver, "employees", "id", id));
  if (employee.num_rows > 0) {
    RowView row(employee, 0);
    f.in_silver = true;
    f.nom = row.text("nom");
    f.prenom = row.text("prenom");
    f.business_unit = row.text("business_unit");
    f.commute_mode = row.text("commute_mode");
  }
  SL_ASSIGN_OR_RETURN(auto commute,
                      gold.rows_of(delta::Layer::silver, "commutes", "employee_id", id));
  if (commute.num_rows > 0) {
    RowView row(commute, 0);
    f.has_commute = true;
    f.address = row.text("adresse_complete");
    f.declared_mode = row.text("moyen_deplacement");
    f.address_match = row.text("address_match");
    f.commune = row.text("commune");
    f.travel_mode = row.text("travel_mode");
    if (auto metres = row.number("distance_m")) f.current_distance_km = *metres / 1000.0;
    f.current_distance_source = row.text("distance_source");
    f.current_distance_estimate = row.flag("distance_estimate");
  }
  SL_ASSIGN_OR_RETURN(auto activities, gold.rows_of(delta::Layer::silver, "activities",
                                                    "employee_id", id, activity_columns()));
  for (size_t r = 0; r < activities.num_rows; ++r) {
    RowView row(activities, r);
    ActivityLine a;
    a.activity_id = row.integer("activity_id").value_or(0);
    a.start_local_us = row.integer("start_date_local");
    if (!a.start_local_us || civil_from_days(floor_div(*a.start_local_us, k_day_us)).year != f.year)
      continue;
    a.sport_type = row.text("sport_type");
    a.name = row.text("name");
    if (auto metres = row.number("distance_m")) a.distance_km = *metres / 1000.0;
    if (auto moving = row.integer("moving_time_s")) a.moving_time_s = static_cast<int32_t>(*moving);
    a.commute = row.flag("commute");
    a.counted =
        rewards::counts_for_wellbeing({a.activity_id, *a.start_local_us, a.commute}, f.year);
    if (a.counted) ++f.monthly[civil_from_days(floor_div(*a.start_local_us, k_day_us)).month - 1];
    f.activities.push_back(std::move(a));
  }
  std::sort(f.activities.begin(), f.activities.end(),
            [](const ActivityLine& a, const ActivityLine& b) {
              return std::pair(a.start_local_us, a.activity_id) <
                     std::pair(b.start_local_us, b.activity_id);
            });
  auto issues = gold.rows_of(delta::Layer::silver, "dq_issues", "employee_id", id);
  const bool by_key = !issues && issues.error().code == Errc::invalid_argument;
  if (by_key)  // a Silver from before dq_issues.employee_id: the rows keyed by the employee
    issues = rows_where(gold.lake(), delta::Layer::silver, "dq_issues", "row_key",
                        std::to_string(id));
  if (!issues) return issues.error();
  for (size_t r = 0; r < issues->num_rows; ++r) {
    RowView row(*issues, r);
    const std::string table = row.text("table_name");
    if (by_key && table != "employees" && table != "commutes" && table != "sport_profiles")
      continue;
    f.findings.push_back(
        {table, row.text("row_key"), row.text("rule"), row.text("severity"), row.text("reason")});
  }
  return {};
}

}  // namespace

void index_employee_tables(const GoldReader& gold) {
  gold.index(delta::Layer::silver, "activities", "employee_id", activity_columns());
  gold.index(delta::Layer::silver, "employees", "id");
  gold.index(delta::Layer::silver, "commutes", "employee_id");
  gold.index(delta::Layer::silver, "dq_issues", "employee_id");
  gold.index(delta::Layer::gold, "prime_sportive", "employee_id");
  gold.index(delta::Layer::gold, "wellbeing", "employee_id");
}

Result<EmployeeFacts> employee_facts(const GoldReader& gold, int64_t employee_id, int year) {
  EmployeeFacts f;
  f.employee_id = employee_id;
  SL_ASSIGN_OR_RETURN(f.years, gold.years());
  if (f.years.empty())
    return make_error(Errc::not_found, "no refresh yet: run `sportlake refresh`");
  f.year = year == 0 ? f.years.front() : year;
  if (std::find(f.years.begin(), f.years.end(), f.year) == f.years.end())
    return make_error(Errc::not_found, "no Gold for " + std::to_string(f.year) +
                                           ": run `sportlake refresh --year " +
                                           std::to_string(f.year) + "`");
  SL_TRY(read_silver(gold, f));
  SL_TRY(read_gold(gold, f));
  if (!f.in_silver && !f.decision && f.history.empty() && f.findings.empty() &&
      f.activities.empty())
    return make_error(Errc::not_found,
                      "no employee " + std::to_string(employee_id) + " in the lake");
  if (f.decision && f.has_commute)
    f.commute_changed = f.decision->moyen_deplacement != f.declared_mode ||
                        !same_distance(f.decision->distance_km, f.current_distance_km);
  return f;
}

}  // namespace sl::serve
