// Silver and Gold structs → record batches.
#include "lakehouse/lake_tables.hpp"

#include "lakehouse/table_builder.hpp"

namespace sl::lakehouse {

namespace {

std::optional<std::string_view> text_or_null(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string_view>(s);
}

}  // namespace

std::vector<NamedBatch> silver_tables(const Silver& silver) {
  std::vector<NamedBatch> out;
  {
    TableBuilder t(
        {long_field("id", false), string_field("nom"), string_field("prenom"),
         date_field("date_naissance"), date_field("date_embauche"), string_field("business_unit"),
         euros_field("salaire_brut"), string_field("contrat"), int_field("nb_conges_payes"),
         string_field("adresse_complete"), string_field("moyen_deplacement"),
         string_field("commute_mode"), string_field("sport_declared"), string_field("sport")});
    for (const auto& e : silver.employees) {
      t.long_(e.id).text(e.nom).text(e.prenom).date(e.date_naissance).date(e.date_embauche);
      t.text(e.business_unit).euros(e.salaire_brut_cents).text(e.contrat).int_(e.nb_conges_payes);
      t.text(e.adresse_complete).text(e.moyen_deplacement).text(e.commute_mode);
      t.text(text_or_null(e.sport_declared)).text(text_or_null(e.sport)).end_row();
    }
    out.emplace_back("employees", t.take());
  }
  {
    TableBuilder t({long_field("activity_id", false), long_field("employee_id"),
                    string_field("name"), string_field("sport_type"), double_field("distance_m"),
                    int_field("moving_time_s"), int_field("elapsed_time_s"),
                    timestamp_field("start_date_utc"), timestamp_field("start_date_local"),
                    bool_field("commute"), double_field("calories")});
    for (const auto& a : silver.activities) {
      t.long_(a.activity_id).long_(a.employee_id).text(a.name).text(a.sport_type);
      t.double_(a.distance_m).int_(a.moving_time_s).int_(a.elapsed_time_s);
      t.timestamp(a.start_date_utc_us).timestamp(a.start_date_local_us).boolean(a.commute);
      t.double_(a.calories).end_row();
    }
    out.emplace_back("activities", t.take());
  }
  {
    TableBuilder t({long_field("employee_id", false), string_field("adresse_complete"),
                    string_field("moyen_deplacement"), string_field("travel_mode"),
                    double_field("distance_m"), string_field("distance_source"),
                    bool_field("distance_estimate"), string_field("address_match"),
                    string_field("commune")});
    for (const auto& c : silver.commutes) {
      t.long_(c.employee_id).text(c.adresse_complete).text(c.moyen_deplacement);
      t.text(text_or_null(c.travel_mode)).double_(c.distance_m);
      t.text(text_or_null(c.distance_source)).boolean(c.distance_estimate);
      t.text(text_or_null(c.address_match)).text(text_or_null(c.commune)).end_row();
    }
    out.emplace_back("commutes", t.take());
  }
  {
    TableBuilder t({string_field("table_name", false), string_field("row_key"),
                    string_field("rule", false), string_field("severity", false),
                    string_field("reason")});
    for (const auto& i : silver.issues)
      t.text(i.table).text(i.key).text(i.rule).text(i.severity).text(i.reason).end_row();
    out.emplace_back("dq_issues", t.take());
  }
  return out;
}

std::vector<NamedBatch> gold_tables(const Gold& gold) {
  std::vector<NamedBatch> out;
  {
    TableBuilder t({int_field("year", false), long_field("employee_id", false), string_field("nom"),
                    string_field("prenom"), string_field("business_unit"),
                    euros_field("salaire_brut"), string_field("moyen_deplacement"),
                    double_field("distance_km"), string_field("distance_source"),
                    bool_field("distance_estimate"), double_field("threshold_km"),
                    bool_field("eligible"), string_field("reason"), string_field("reason_text"),
                    bool_field("declaration_anomaly"), euros_field("prime_eur")});
    for (const auto& p : gold.prime_sportive) {
      t.int_(p.year).long_(p.employee_id).text(p.nom).text(p.prenom).text(p.business_unit);
      t.euros(p.salaire_brut_cents).text(p.moyen_deplacement).double_(p.distance_km);
      t.text(text_or_null(p.distance_source)).boolean(p.distance_estimate);
      t.double_(p.threshold_km).boolean(p.eligible).text(p.reason).text(p.reason_text);
      t.boolean(p.declaration_anomaly).euros(p.prime_cents).end_row();
    }
    out.emplace_back("prime_sportive", t.take());
  }
  {
    TableBuilder t({int_field("year", false), long_field("employee_id", false), string_field("nom"),
                    string_field("prenom"), string_field("business_unit"), int_field("activities"),
                    timestamp_field("first_activity"), timestamp_field("last_activity"),
                    bool_field("eligible"), int_field("days"), int_field("missing")});
    for (const auto& w : gold.wellbeing) {
      t.int_(w.year).long_(w.employee_id).text(w.nom).text(w.prenom).text(w.business_unit);
      t.int_(w.activities).timestamp(w.first_activity_us).timestamp(w.last_activity_us);
      t.boolean(w.eligible).int_(w.days).int_(w.missing).end_row();
    }
    out.emplace_back("wellbeing", t.take());
  }
  {
    const auto& k = gold.summary;
    TableBuilder t({int_field("year", false), long_field("employees"),
                    long_field("sporty_commuters"), long_field("eligible_bonus"),
                    euros_field("total_bonus_eur"), euros_field("max_bonus_eur"),
                    long_field("declaration_anomalies"), long_field("unknown_distances"),
                    long_field("wellbeing_eligible"), long_field("wellbeing_days"),
                    long_field("activities"), long_field("dq_errors"), long_field("dq_warnings")});
    t.int_(k.year).long_(k.employees).long_(k.sporty_commuters).long_(k.eligible_bonus);
    t.euros(k.total_bonus_cents).euros(k.max_bonus_cents).long_(k.declaration_anomalies);
    t.long_(k.unknown_distances).long_(k.wellbeing_eligible).long_(k.wellbeing_days);
    t.long_(k.activities).long_(k.dq_errors).long_(k.dq_warnings).end_row();
    out.emplace_back("kpi_summary", t.take());
  }
  {
    TableBuilder t({int_field("year", false), string_field("business_unit"),
                    long_field("employees"), long_field("eligible_bonus"),
                    euros_field("total_bonus_eur"), long_field("wellbeing_eligible"),
                    long_field("activities")});
    for (const auto& b : gold.by_bu) {
      t.int_(b.year).text(b.business_unit).long_(b.employees).long_(b.eligible_bonus);
      t.euros(b.total_bonus_cents).long_(b.wellbeing_eligible).long_(b.activities).end_row();
    }
    out.emplace_back("kpi_by_bu", t.take());
  }
  {
    TableBuilder t({int_field("year", false), int_field("month", false), string_field("sport_type"),
                    long_field("activities"), double_field("distance_km"),
                    double_field("moving_hours")});
    for (const auto& m : gold.monthly) {
      t.int_(m.year).int_(m.month).text(m.sport_type).long_(m.activities);
      t.double_(m.distance_km).double_(m.moving_hours).end_row();
    }
    out.emplace_back("activity_monthly", t.take());
  }
  return out;
}

}  // namespace sl::lakehouse
