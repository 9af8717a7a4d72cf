// An activity insert → NewActivity → its Slack announcement card.
#include "lakehouse/activity_card.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "cdc/pg_text.hpp"
#include "common/civil_time.hpp"
#include "integrations/slack_webhook.hpp"
#include "rewards/activity_message.hpp"
#include "rewards/sport_label.hpp"

namespace sl::lakehouse {

namespace {

double number_or_zero(const std::string& text) {
  if (auto v = cdc::parse_pg_float(text); v && std::isfinite(*v)) return *v;
  return 0;
}

// "09/12/2023 à 09:09" of a local timestamp's text; "" when it does not parse.
std::string french_date(const std::string& local_text) {
  auto us = cdc::parse_pg_timestamp(local_text, false);
  if (!us) return {};
  const std::string iso = format_timestamp_us(*us, ' ', false);  // 2023-12-09 09:09:00.000000
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) + " à " +
         iso.substr(11, 5);
}

}  // namespace

std::optional<NewActivity> new_activity(const cdc::ChangeEvent& e) {
  if (e.op != cdc::Op::create || e.source.table != k_activities_table || !e.after || !e.relation)
    return std::nullopt;
  NewActivity a;
  for (size_t c = 0; c < e.relation->columns.size() && c < e.after->size(); ++c) {
    const auto& value = (*e.after)[c];
    if (value.kind == pg::TupleValue::Kind::text)
      a.values[e.relation->columns[c].name] = value.data;
  }
  a.activity_id = a.get("activity_id");
  if (a.activity_id.empty()) return std::nullopt;
  return a;
}

// The Slack body of an activity, with the employee's name and declared sport.
Result<std::string> activity_payload(pg::Connection& sql, const NewActivity& a) {
  SL_ASSIGN_OR_RETURN(auto who, sql.exec_params("SELECT e.prenom, e.nom, s.pratique_sport "
                                                "FROM rh_employees e LEFT JOIN sport_activities "
                                                "s ON s.id = e.id WHERE e.id = $1",
                                                {a.get("employee_id")}));
  rewards::ActivityAnnouncement announcement;
  std::string declared;
  if (who.rows() == 1) {
    announcement.first_name = std::string(who.value(0, 0));
    announcement.last_name = std::string(who.value(0, 1));
    declared = std::string(who.optional_value(0, 2).value_or(""));
  } else {
    announcement.first_name = "Salarié " + a.get("employee_id");
  }
  announcement.sport_type = a.get("sport_type").empty() ? a.get("type") : a.get("sport_type");
  announcement.sport_label = rewards::activity_sport_label(announcement.sport_type, declared);
  announcement.distance_m = number_or_zero(a.get("distance_m"));
  announcement.moving_time_s = static_cast<int64_t>(number_or_zero(a.get("moving_time_s")));
  announcement.elapsed_time_s = static_cast<int64_t>(number_or_zero(a.get("elapsed_time_s")));
  const auto raw = nlohmann::json::parse(a.get("raw_payload"), nullptr, false);
  if (raw.is_object() && raw.contains("description") && raw["description"].is_string())
    announcement.comment = raw["description"].get<std::string>();

  integrations::SlackCard card;
  card.text = rewards::activity_message(announcement);
  if (!announcement.comment.empty())  // the comment goes to the context line of the card
    card.text = rewards::activity_message({announcement.first_name, announcement.last_name,
                                           announcement.sport_type, announcement.sport_label,
                                           announcement.distance_m, announcement.moving_time_s,
                                           announcement.elapsed_time_s, ""});
  card.header = "Nouvelle activité : " + announcement.sport_label;
  if (announcement.distance_m >= 50)
    card.fields.emplace_back("Distance", rewards::format_km(announcement.distance_m));
  card.fields.emplace_back("Durée", rewards::format_duration(announcement.moving_time_s > 0
                                                                 ? announcement.moving_time_s
                                                                 : announcement.elapsed_time_s));
  if (auto date = french_date(a.get("start_date_local")); !date.empty())
    card.fields.emplace_back("Date", date);
  if (!announcement.comment.empty()) card.context = "💬 « " + announcement.comment + " »";
  return integrations::slack_payload(card);
}

}  // namespace sl::lakehouse
