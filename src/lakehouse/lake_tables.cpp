// The Silver and Gold table specs; adding a column to a table is one line here (and its member
// in silver_model.hpp).
#include "lakehouse/lake_tables.hpp"

namespace sl::lakehouse {

namespace {

// Silver's activities, over its rows with texts (Activity) or views (ActivityView).
template <class A>
TableSpec<A> activities_spec() {
  return {"activities",
          {col::int64<&A::activity_id>("activity_id").required(),
           col::int64<&A::employee_id>("employee_id"), col::text<&A::name>("name"),
           col::text<&A::sport_type>("sport_type"), col::float64<&A::distance_m>("distance_m"),
           col::int32<&A::moving_time_s>("moving_time_s"),
           col::int32<&A::elapsed_time_s>("elapsed_time_s"),
           col::timestamp<&A::start_date_utc_us>("start_date_utc"),
           col::timestamp<&A::start_date_local_us>("start_date_local"),
           col::boolean<&A::commute>("commute"), col::float64<&A::calories>("calories"),
           col::int32<&A::start_year>("start_year").required(),
           col::int32<&A::start_month>("start_month").required()}};
}

// Silver's findings, likewise (DqIssue or DqIssueView).
template <class I>
TableSpec<I> dq_issues_spec() {
  return {"dq_issues",
          {col::text<&I::table>("table_name").required(), col::text<&I::key>("row_key"),
           col::text<&I::rule>("rule").required(), col::text<&I::severity>("severity").required(),
           col::text<&I::reason>("reason"), col::int64<&I::employee_id>("employee_id")}};
}

SilverSpecs make_silver_specs() {
  using E = Employee;
  using C = Commute;
  using WP = WellbeingPart;
  using MP = MonthlyPart;
  return {
      .employees = {"employees",
                    {col::int64<&E::id>("id").required(), col::text<&E::nom>("nom"),
                     col::text<&E::prenom>("prenom"),
                     col::date<&E::date_naissance>("date_naissance"),
                     col::date<&E::date_embauche>("date_embauche"),
                     col::text<&E::business_unit>("business_unit"),
                     col::euros<&E::salaire_brut_cents>("salaire_brut"),
                     col::text<&E::contrat>("contrat"),
                     col::int32<&E::nb_conges_payes>("nb_conges_payes"),
                     col::text<&E::adresse_complete>("adresse_complete"),
                     col::text<&E::moyen_deplacement>("moyen_deplacement"),
                     col::text<&E::commute_mode>("commute_mode"),
                     col::text_or_null<&E::sport_declared>("sport_declared"),
                     col::text_or_null<&E::sport>("sport")}},
      .activities = activities_spec<Activity>(),
      .commutes = {"commutes",
                   {col::int64<&C::employee_id>("employee_id").required(),
                    col::text<&C::adresse_complete>("adresse_complete"),
                    col::text<&C::moyen_deplacement>("moyen_deplacement"),
                    col::text_or_null<&C::travel_mode>("travel_mode"),
                    col::float64<&C::distance_m>("distance_m"),
                    col::text_or_null<&C::distance_source>("distance_source"),
                    col::boolean<&C::distance_estimate>("distance_estimate"),
                    col::text_or_null<&C::address_match>("address_match"),
                    col::text_or_null<&C::commune>("commune")}},
      .dq_issues = dq_issues_spec<DqIssue>(),
      .gold_wellbeing_parts = {"gold_wellbeing_parts",
                               {col::int32<&WP::start_year>("start_year").required(),
                                col::int32<&WP::start_month>("start_month").required(),
                                col::int64<&WP::employee_id>("employee_id").required(),
                                col::int32<&WP::activities>("activities").required(),
                                col::timestamp<&WP::first_activity_us>("first_activity").required(),
                                col::timestamp<&WP::last_activity_us>("last_activity").required(),
                                col::int64<&WP::silver_files>("silver_files").required()}},
      .gold_monthly_parts = {"gold_monthly_parts",
                             {col::int32<&MP::start_year>("start_year").required(),
                              col::int32<&MP::start_month>("start_month").required(),
                              col::text<&MP::sport_type>("sport_type").required(),
                              col::int64<&MP::activities>("activities").required(),
                              col::int64<&MP::distance_mm>("distance_mm").required(),
                              col::int64<&MP::moving_s>("moving_s").required(),
                              col::int64<&MP::silver_files>("silver_files").required()}},
      .activity_views = activities_spec<ActivityView>(),
      .dq_issue_views = dq_issues_spec<DqIssueView>(),
  };
}

// The views keep the seed's names and French columns (its Power BI reports use them).
GoldSpecs make_gold_specs() {
  using P = PrimeSportive;
  using W = Wellbeing;
  using K = KpiSummary;
  using B = KpiByBu;
  using M = ActivityMonthly;
  using D = DistanceBin;
  using S = WellbeingShortfall;
  return {
      .prime_sportive =
          {"prime_sportive",
           {col::int32<&P::year>("year").required().primary_key().in_view("annee"),
            col::int64<&P::employee_id>("employee_id")
                .required()
                .primary_key()
                .in_view("id_salarie"),
            col::text<&P::nom>("nom").in_view(), col::text<&P::prenom>("prenom").in_view(),
            col::text<&P::business_unit>("business_unit").in_view("bu"),
            col::euros<&P::salaire_brut_cents>("salaire_brut")
                .published_as("salaire_brut_eur")
                .in_view("salaire_brut"),
            col::text<&P::moyen_deplacement>("moyen_deplacement").in_view(),
            col::float64<&P::distance_km>("distance_km").in_view(),
            col::text_or_null<&P::distance_source>("distance_source").in_view("source_distance"),
            col::boolean<&P::distance_estimate>("distance_estimate"),
            col::float64<&P::threshold_km>("threshold_km").in_view("seuil_km"),
            col::boolean<&P::eligible>("eligible").in_view(), col::text<&P::reason>("reason"),
            col::text<&P::reason_text>("reason_text").in_view("motif"),
            col::boolean<&P::declaration_anomaly>("declaration_anomaly"),
            col::euros<&P::prime_cents>("prime_eur").in_view()},
           "v_prime_sportive"},
      .wellbeing =
          {"wellbeing",
           {col::int32<&W::year>("year").required().primary_key().in_view("annee"),
            col::int64<&W::employee_id>("employee_id")
                .required()
                .primary_key()
                .in_view("id_salarie"),
            col::text<&W::nom>("nom").in_view(), col::text<&W::prenom>("prenom").in_view(),
            col::text<&W::business_unit>("business_unit").in_view("bu"),
            col::int32<&W::activities>("activities").in_view("nb_activites"),
            col::timestamp<&W::first_activity_us>("first_activity").in_view("premiere_activite"),
            col::timestamp<&W::last_activity_us>("last_activity").in_view("derniere_activite"),
            col::boolean<&W::eligible>("eligible").in_view(),
            col::int32<&W::days>("days").in_view("jours_bien_etre"),
            col::int32<&W::missing>("missing").published_as("activities_missing")},
           "v_wellbeing"},
      .kpi_summary = {"kpi_summary",
                      {col::int32<&K::year>("year").required().primary_key(),
                       col::int64<&K::employees>("employees"),
                       col::int64<&K::sporty_commuters>("sporty_commuters"),
                       col::int64<&K::eligible_bonus>("eligible_bonus"),
                       col::euros<&K::total_bonus_cents>("total_bonus_eur"),
                       col::euros<&K::max_bonus_cents>("max_bonus_eur"),
                       col::int64<&K::declaration_anomalies>("declaration_anomalies"),
                       col::int64<&K::unknown_distances>("unknown_distances"),
                       col::int64<&K::wellbeing_eligible>("wellbeing_eligible"),
                       col::int64<&K::wellbeing_days>("wellbeing_days"),
                       col::int64<&K::activities>("activities"),
                       col::int64<&K::dq_errors>("dq_errors"),
                       col::int64<&K::dq_warnings>("dq_warnings")}},
      .kpi_by_bu = {"kpi_by_bu",
                    {col::int32<&B::year>("year").required().primary_key(),
                     col::text<&B::business_unit>("business_unit").primary_key(),
                     col::int64<&B::employees>("employees"),
                     col::int64<&B::eligible_bonus>("eligible_bonus"),
                     col::euros<&B::total_bonus_cents>("total_bonus_eur"),
                     col::int64<&B::wellbeing_eligible>("wellbeing_eligible"),
                     col::int64<&B::activities>("activities")}},
      .activity_monthly = {"activity_monthly",
                           {col::int32<&M::year>("year").required().primary_key(),
                            col::int32<&M::month>("month").required().primary_key().check(
                                "month BETWEEN 1 AND 12"),
                            col::text<&M::sport_type>("sport_type").primary_key(),
                            col::int64<&M::activities>("activities"),
                            col::float64<&M::distance_km>("distance_km"),
                            col::float64<&M::moving_hours>("moving_hours")}},
      .distance_bins = {"distance_bins",
                        {col::int32<&D::year>("year").required().primary_key(),
                         col::text<&D::travel_mode>("travel_mode").primary_key(),
                         col::int32<&D::km>("km").required().primary_key(),
                         col::int64<&D::employees>("employees")}},
      .wellbeing_shortfall = {"wellbeing_shortfall",
                              {col::int32<&S::year>("year").required().primary_key(),
                               col::int32<&S::missing>("missing").required().primary_key(),
                               col::int64<&S::employees>("employees")}},
  };
}

template <class Row>
NamedBatch named_batch(const TableSpec<Row>& spec, std::span<const Row> rows) {
  return {std::string(spec.info.name), record_batch(spec, rows)};
}

}  // namespace

std::vector<const TableInfo*> SilverSpecs::tables() const {
  return {&employees.info,   &activities.info, &commutes.info, &dq_issues.info,
          &gold_wellbeing_parts.info, &gold_monthly_parts.info};
}

std::vector<const TableInfo*> GoldSpecs::tables() const {
  return {&prime_sportive.info,   &wellbeing.info,     &kpi_summary.info,        &kpi_by_bu.info,
          &activity_monthly.info, &distance_bins.info, &wellbeing_shortfall.info};
}

const SilverSpecs& silver_specs() {
  static const SilverSpecs specs = make_silver_specs();
  return specs;
}

const GoldSpecs& gold_specs() {
  static const GoldSpecs specs = make_gold_specs();
  return specs;
}

std::vector<NamedBatch> silver_tables(const Silver& silver) {
  const auto& s = silver_specs();
  std::vector<NamedBatch> out;
  out.push_back(named_batch<Employee>(s.employees, silver.employees));
  out.push_back(named_batch<Activity>(s.activities, silver.activities));
  out.push_back(named_batch<Commute>(s.commutes, silver.commutes));
  out.push_back(named_batch<DqIssue>(s.dq_issues, silver.issues));
  return out;
}

std::vector<NamedBatch> gold_tables(const Gold& gold) {
  const auto& g = gold_specs();
  std::vector<NamedBatch> out;
  out.push_back(named_batch<PrimeSportive>(g.prime_sportive, gold.prime_sportive));
  out.push_back(named_batch<Wellbeing>(g.wellbeing, gold.wellbeing));
  out.push_back(named_batch<KpiSummary>(g.kpi_summary, {&gold.summary, 1}));
  out.push_back(named_batch<KpiByBu>(g.kpi_by_bu, gold.by_bu));
  out.push_back(named_batch<ActivityMonthly>(g.activity_monthly, gold.monthly));
  out.push_back(named_batch<DistanceBin>(g.distance_bins, gold.distance_bins));
  out.push_back(named_batch<WellbeingShortfall>(g.wellbeing_shortfall, gold.wellbeing_shortfall));
  return out;
}

}  // namespace sl::lakehouse
