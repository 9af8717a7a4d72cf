// Translations and per-language formats.
#include "serve/i18n.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "common/civil_time.hpp"
#include "rewards/sport_label.hpp"

namespace sl::serve {

namespace {

struct Text {
  std::string_view key, fr, en;
};

// One line per key: add yours (keys are dotted by page: `common.`, `overview.`, `error.`).
constexpr Text k_texts[] = {
    {"common.app", "sportlake", "sportlake"},
    {"common.skip", "Aller au contenu", "Skip to content"},
    {"common.nav", "Navigation principale", "Main navigation"},
    {"common.overview", "Vue d'ensemble", "Overview"},
    {"common.operations", "Exploitation", "Operations"},
    {"common.other_lang", "English", "Français"},
    {"common.other_lang_label", "Read this page in English", "Lire cette page en français"},
    {"common.footer", "sportlake — données lues dans les tables Delta Gold.",
     "sportlake — figures read from the Gold Delta tables."},
    {"common.footer_plain", "sportlake", "sportlake"},
    {"employee.footer", "sportlake — faits lus dans les tables Delta Silver et Gold.",
     "sportlake — facts read from the Silver and Gold Delta tables."},
    {"ops.footer",
     "sportlake — état lu dans PostgreSQL (slots, file des notifications, distances, échecs) et "
     "dans les journaux Delta du lac (versions, fichiers, vérifications).",
     "sportlake — state read from PostgreSQL (slots, notification outbox, distances, failures) "
     "and from the lake's Delta logs (versions, files, checks)."},
    {"common.yes", "oui", "yes"},
    {"common.no", "non", "no"},
    {"common.show", "Afficher", "Show"},
    {"common.search", "Rechercher", "Search"},
    {"common.page", "Page {} sur {}", "Page {} of {}"},
    {"common.previous", "Précédente", "Previous"},
    {"common.next", "Suivante", "Next"},
    {"common.rows", "{} lignes", "{} rows"},
    {"common.no_rows", "Aucune ligne.", "No rows."},
    {"common.sort_by", "Trier par {}", "Sort by {}"},
    {"common.pagination", "Pagination", "Pagination"},
    {"common.error", "Erreur", "Error"},
    {"overview.title", "Avantages sportifs {}", "Sport benefits {}"},
    {"overview.year", "Année", "Year"},
    {"overview.vs", "{} par rapport à {}", "{} vs {}"},
    {"overview.no_previous", "pas d'année {} pour comparer", "no {} to compare with"},
    {"overview.kpis", "Indicateurs", "Key figures"},
    {"overview.employees", "Salariés", "Employees"},
    {"overview.sporty_commuters", "Trajets sportifs", "Sporty commuters"},
    {"overview.eligible_bonus", "Primes accordées", "Bonuses granted"},
    {"overview.total_bonus", "Coût des primes", "Bonus cost"},
    {"overview.wellbeing_eligible", "Éligibles bien-être", "Well-being eligible"},
    {"overview.wellbeing_days", "Jours bien-être", "Well-being days"},
    {"overview.activities", "Activités", "Activities"},
    {"overview.anomalies", "Anomalies de déclaration", "Declaration anomalies"},
    {"overview.unknown_distances", "Distances inconnues", "Unknown distances"},
    {"overview.charts", "Graphiques", "Charts"},
    {"overview.chart_monthly", "Activités par mois et par sport", "Activities per month by sport"},
    {"overview.chart_monthly_prev", "total {} (pointillés)", "{} total (dashed)"},
    {"overview.chart_bu", "Coût des primes et effectif par business unit",
     "Bonus cost and headcount by business unit"},
    {"overview.chart_bu_cost", "Coût des primes", "Bonus cost"},
    {"overview.chart_bu_headcount", "Effectif", "Headcount"},
    {"overview.chart_distance", "Distance domicile-travail des trajets sportifs",
     "Commute distance of sporty commuters"},
    {"overview.chart_distance_axis", "km (tranches de 1 km)", "km (1 km bins)"},
    {"overview.threshold_walk", "15 km : seuil marche/course", "15 km: walking/running limit"},
    {"overview.threshold_bike", "25 km : seuil vélo", "25 km: cycling limit"},
    {"overview.chart_wellbeing", "Bien-être : salariés à 1–5 activités du seuil",
     "Well-being: employees 1–5 activities short"},
    {"overview.short_by.one", "{} manquante", "{} short"},
    {"overview.short_by.other", "{} manquantes", "{} short"},
    {"overview.by_bu", "Par business unit", "By business unit"},
    {"overview.withheld", "secret statistique", "withheld"},
    {"overview.withheld_why",
     "Montant non diffusé : il compte moins de 3 personnes, ou permettrait d'en retrouver un qui "
     "en compte moins de 3 (secret statistique). Le rôle hr le voit.",
     "Amount withheld: it counts fewer than 3 people, or would give back one that does "
     "(statistical secrecy). The hr role sees it."},
    {"overview.bu", "BU", "BU"},
    {"overview.cost", "Coût", "Cost"},
    {"overview.people", "Salariés par personne", "Employees"},
    {"overview.hr_only",
     "Les lignes par salarié (primes, jours bien-être) sont réservées au rôle hr.",
     "Per-employee rows (bonuses, well-being days) are for the hr role."},
    {"overview.employee", "Salarié", "Employee"},
    {"overview.mode", "Mode", "Mode"},
    {"overview.distance", "Distance (km)", "Distance (km)"},
    {"overview.estimated", "estimée", "estimated"},
    {"overview.threshold", "Seuil (km)", "Limit (km)"},
    {"overview.eligible", "Prime", "Bonus"},
    {"overview.reason", "Motif", "Reason"},
    {"overview.bonus", "Prime (€)", "Bonus (€)"},
    {"overview.wb_days", "Jours", "Days"},
    {"overview.missing", "Manquantes", "Short"},
    {"overview.table_employees", "Salariés", "Employees"},
    {"overview.search_label", "Nom, prénom, BU ou mode", "Name, first name, BU or mode"},
    {"overview.exports", "Exports CSV", "CSV exports"},
    {"overview.csv_bonus", "primes", "bonuses"},
    {"overview.csv_wellbeing", "bien-être", "well-being"},
    {"overview.csv_quality", "qualité", "quality"},
    {"overview.csv_bu", "par BU", "by BU"},
    {"overview.no_data", "pas de données", "no data"},
    {"ops.title", "Exploitation", "Operations"},
    {"ops.links", "Formats", "Formats"},
    {"ops.as_of", "État au {}. La page se recharge toutes les 10 s.",
     "As of {}. The page reloads every 10 s."},
    {"ops.stop_refresh", "Arrêter le rechargement automatique", "Stop reloading automatically"},
    {"ops.refresh_stopped", "État au {}. Rechargement automatique arrêté.",
     "As of {}. Automatic reloading stopped."},
    {"ops.start_refresh", "Recharger toutes les 10 s", "Reload every 10 s"},
    {"ops.freshness", "Fraîcheur", "Freshness"},
    {"ops.never", "jamais", "never"},
    {"ops.ago", "il y a {}", "{} ago"},
    {"ops.last_bronze", "Dernier commit Bronze", "Last Bronze commit"},
    {"ops.last_refresh", "Dernier rafraîchissement", "Last refresh"},
    {"ops.last_check", "Dernière vérification (lake check)", "Last check (lake check)"},
    {"ops.failing_rows", "Lignes en échec", "Failing rows"},
    {"ops.database", "Base de données", "Database"},
    {"ops.db_unavailable", "Indisponible : {}", "Unavailable: {}"},
    {"ops.db_line", "PostgreSQL {} ({}, {}), WAL à {}", "PostgreSQL {} ({}, {}), WAL at {}"},
    {"ops.embedded", "intégrée", "embedded"},
    {"ops.external", "externe", "external"},
    {"ops.slots", "Slots de réplication", "Replication slots"},
    {"ops.slot", "Slot", "Slot"},
    {"ops.state", "État", "State"},
    {"ops.confirmed", "Confirmé", "Confirmed"},
    {"ops.lag", "Retard", "Lag"},
    {"ops.wal_held", "WAL retenu", "WAL held"},
    {"ops.no_slot", "aucun (chaque job crée le sien)", "none (each job creates its own)"},
    {"ops.active", "actif", "active"},
    {"ops.stopped", "arrêté", "stopped"},
    {"ops.kafka_lag", "Retard des groupes de consommateurs Kafka",
     "Kafka consumer group lag"},
    {"ops.kafka_unavailable", "Brokers injoignables : {}", "Brokers unreachable: {}"},
    {"ops.no_group", "aucun groupe n'a encore validé d'offset",
     "no group has committed an offset yet"},
    {"ops.group", "Groupe", "Group"},
    {"ops.partition", "Topic:partition", "Topic:partition"},
    {"ops.high_watermark", "Fin du topic", "High watermark"},
    {"ops.committed", "Offset validé", "Committed offset"},
    {"ops.bronze_lag", "Retard selon Bronze (txn)", "Lag by Bronze (txn)"},
    {"ops.notifications", "Notifications", "Notifications"},
    {"ops.status", "Statut", "Status"},
    {"ops.count", "Nombre", "Count"},
    {"ops.distances", "Distances", "Distances"},
    {"ops.provider", "Fournisseur", "Provider"},
    {"ops.job_failures", "Lignes en échec (job_failures)", "Failing rows (job_failures)"},
    {"ops.job", "Job", "Job"},
    {"ops.newest", "Les plus récentes", "Newest"},
    {"ops.none", "aucune", "none"},
    {"ops.lake", "Lac {}", "Lake {}"},
    {"ops.lake_unreadable", "Illisible : {}", "Unreadable: {}"},
    {"ops.layer", "Couche", "Layer"},
    {"ops.table", "Table", "Table"},
    {"ops.version", "Version", "Version"},
    {"ops.last_commit", "Dernier commit", "Last commit"},
    {"ops.files", "Fichiers", "Files"},
    {"ops.small_files", "Petits fichiers", "Small files"},
    {"ops.size", "Taille", "Size"},
    {"ops.check", "Vérification", "Check"},
    {"employee.subtitle", "Salarié n° {} · {}", "Employee no. {} · {}"},
    {"employee.overview_of", "Vue d'ensemble {}", "Overview {}"},
    {"employee.years", "Années", "Years"},
    {"employee.links", "Années et export", "Years and export"},
    {"employee.not_in_silver",
     "Ce salarié n'est plus dans Silver (supprimé de la source, ou écarté par une erreur de "
     "qualité des données).",
     "This employee is no longer in Silver (deleted from the source, or set aside by a "
     "data-quality error)."},
    {"employee.bonus_title", "Prime sportive", "Sport bonus"},
    {"employee.declared_mode", "Mode déclaré", "Declared mode"},
    {"employee.address_written", "Adresse (telle qu'écrite)", "Address (as written)"},
    {"employee.address_located", "Adresse (telle que localisée)", "Address (as located)"},
    {"employee.commune", "commune retenue : {}", "commune retained: {}"},
    {"employee.match.exact", "localisée : code postal et commune concordent",
     "located: postcode and commune agree"},
    {"employee.match.postcode_mismatch",
     "localisée par la commune : le code postal ne lui correspond pas",
     "located by the commune: the postcode does not match it"},
    {"employee.match.no_postcode", "localisée par la commune : adresse sans code postal",
     "located by the commune: no postcode in the address"},
    {"employee.match.postcode_only", "localisée par le code postal : commune introuvable",
     "located by the postcode: commune not found"},
    {"employee.match.not_found", "non localisée", "not located"},
    {"employee.match.unchecked", "non vérifiée (pas de gazetteer)", "not checked (no gazetteer)"},
    {"employee.distance", "Distance domicile-travail", "Commute distance"},
    {"employee.distance_source", "Source de la distance", "Distance source"},
    {"employee.source.google_distance_matrix", "Google Distance Matrix (trajet calculé)",
     "Google Distance Matrix (routed)"},
    {"employee.source.google_routes", "Google Routes (trajet calculé)", "Google Routes (routed)"},
    {"employee.source.offline",
     "estimation hors ligne : vol d'oiseau entre les communes localisées ou, dans la commune du "
     "lieu de travail, distance moyenne à l'intérieur de la commune ; × facteur de détour",
     "offline estimate: the straight line between the located communes or, within the "
     "workplace's commune, the mean distance inside the commune; × a detour factor"},
    {"employee.source.none", "aucune", "none"},
    {"employee.source.estimate", "{} (estimation)", "{} (estimate)"},
    {"employee.not_computed", "non calculée (mode non sportif)", "not computed (not a sporty mode)"},
    {"employee.unknown", "inconnue", "unknown"},
    {"employee.threshold", "Seuil applicable", "Applicable limit"},
    {"employee.no_threshold", "aucun (mode non sportif : jamais éligible)",
     "none (not a sporty mode: never eligible)"},
    {"employee.decision", "Décision", "Decision"},
    {"employee.salary", "Salaire brut annuel", "Gross annual salary"},
    {"employee.bonus", "Prime", "Bonus"},
    {"employee.no_decision",
     "aucune pour {} (embauché après l'année, ou écarté des calculs : voir la qualité des "
     "données)",
     "none for {} (hired after the year, or set aside: see the data quality)"},
    {"employee.commute_changed",
     "Le trajet actuel ({}, {}) n'est plus celui de la décision {} : le prochain {} la "
     "recalculera.",
     "The current commute ({}, {}) is no longer the one of the {} decision: the next {} will "
     "recompute it."},
    {"employee.wellbeing_title", "Jours bien-être", "Well-being days"},
    {"employee.counted", "Activités comptées", "Activities counted"},
    {"employee.wb_eligible", "éligible : {} jours", "eligible: {} days"},
    {"employee.wb_missing.one", "non éligible : il manque {} activité pour atteindre {}",
     "not eligible: {} activity short of {}"},
    {"employee.wb_missing.other", "non éligible : il manque {} activités pour atteindre {}",
     "not eligible: {} activities short of {}"},
    {"employee.none_for", "aucune pour {}", "none for {}"},
    {"employee.chart_title", "Activités comptées par mois, {}", "Activities counted per month, {}"},
    {"employee.chart_desc.one", "{} activité comptée pour les jours bien-être en {}",
     "{} activity counted towards the well-being days in {}"},
    {"employee.chart_desc.other", "{} activités comptées pour les jours bien-être en {}",
     "{} activities counted towards the well-being days in {}"},
    {"employee.activities_title", "Activités {} ({})", "Activities {} ({})"},
    {"employee.no_activity", "Aucune activité.", "No activity."},
    {"employee.date", "Date", "Date"},
    {"employee.sport", "Sport", "Sport"},
    {"employee.name", "Nom", "Name"},
    {"employee.distance_col", "Distance", "Distance"},
    {"employee.duration", "Durée", "Duration"},
    {"employee.duration_value", "{} h {:02}", "{} h {:02} min"},
    {"employee.counted_col", "Comptée", "Counted"},
    {"employee.commute_activity", "non (trajet domicile-travail)", "no (commute)"},
    {"employee.quality_title", "Qualité des données", "Data quality"},
    {"employee.no_finding", "Aucun constat.", "No finding."},
    {"employee.severity", "Gravité", "Severity"},
    {"employee.severity.error", "erreur", "error"},
    {"employee.severity.warning", "avertissement", "warning"},
    {"employee.severity.info", "information", "info"},
    {"employee.table", "Table", "Table"},
    {"employee.key", "Clé", "Key"},
    {"employee.rule", "Règle", "Rule"},
    {"employee.finding", "Constat", "Finding"},
    {"employee.history_title", "Historique de la décision", "History of the decision"},
    {"employee.year", "Année", "Year"},
    {"employee.mode", "Mode", "Mode"},
    {"employee.limit", "Seuil", "Limit"},
    // rewards::reason_code → the reason in English (French: Gold's reason_text, as written).
    {"reason.eligible", "éligible : trajet sportif dans la limite de distance",
     "eligible: sporty commute within the distance limit"},
    {"reason.not_sporty", "non éligible : mode de déplacement non sportif",
     "not eligible: commute mode not sporty"},
    {"reason.unknown_mode", "non éligible : mode de déplacement inconnu",
     "not eligible: unknown commute mode"},
    {"reason.distance_unknown",
     "non éligible : distance domicile-travail inconnue (dans le doute, pas de prime)",
     "not eligible: commute distance unknown (when in doubt, no bonus)"},
    {"reason.over_threshold",
     "non éligible : distance au-delà du seuil du mode déclaré (anomalie de déclaration)",
     "not eligible: distance beyond the declared mode's limit (declaration anomaly)"},
    {"reason.likely_error",
     "non éligible : distance au-delà du double du seuil (erreur de déclaration probable)",
     "not eligible: distance beyond twice the limit (likely declaration error)"},
    {"reason.invalid_salary", "non calculé : salaire brut absent ou négatif",
     "not computed: gross salary missing or negative"},
    {"common.colon", "{} : {}", "{}: {}"},
    {"error.no_refresh", "aucun rafraîchissement : lancez `sportlake refresh`",
     "no refresh yet: run `sportlake refresh`"},
    {"error.no_year", "pas de Gold pour {}", "no Gold for {}"},
    {"error.bad_year", "année '{}' invalide", "year '{}' is not a year"},
    {"error.year_required", "le paramètre year est obligatoire", "the parameter year is required"},
    {"error.bad_format", "format '{}' : ni json ni csv", "format '{}' is not json or csv"},
    {"error.bad_sort", "tri '{}' : pas une colonne de la table",
     "sort '{}' is not a column of the table"},
    {"error.bad_dir", "dir '{}' : ni asc ni desc", "dir '{}' is not asc or desc"},
    {"error.bad_page", "page '{}' : pas un numéro de page", "page '{}' is not a page number"},
    {"error.unknown_table", "pas de table Gold '{}'", "no Gold table '{}'"},
    {"error.hr_only", "'{}' contient des lignes par salarié : réservé au rôle hr",
     "'{}' holds per-employee rows: the hr role reads it"},
    {"error.auth_required",
     "authentification requise : Authorization: Bearer <jeton>, ou ouvrez la page une fois avec "
     "?token=<jeton> (les jetons sont dans SPORTLAKE_HOME/serve)",
     "authentication required: Authorization: Bearer <token>, or open the page once with "
     "?token=<token> (the tokens are in SPORTLAKE_HOME/serve)"},
    {"error.invalid_token", "jeton invalide", "invalid token"},
    {"error.employee_hr_only",
     "la page d'un salarié contient ses données personnelles : réservée au rôle hr",
     "an employee's page holds per-employee rows: the hr role reads it"},
    {"error.no_employee", "aucun salarié {} dans le lac", "no employee {} in the lake"},
    {"error.role_needed", "'{}' est réservé au rôle {} (ou hr) ; ce jeton est du rôle {}",
     "'{}' needs the {} role (or hr); this token is {}"},
};

constexpr std::array<std::string_view, 12> k_months_fr = {
    "janvier", "février", "mars",      "avril",   "mai",      "juin",
    "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
constexpr std::array<std::string_view, 12> k_months_fr_short = {"janv.", "févr.", "mars",  "avr.",
                                                                "mai",   "juin",  "juil.", "août",
                                                                "sept.", "oct.",  "nov.",  "déc."};
constexpr std::array<std::string_view, 12> k_months_en = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 12> k_months_en_short = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

constexpr std::string_view k_narrow_nbsp = "\u202f";

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "0.8" → 800 (q-values have at most three decimals); -1 when malformed.
int parse_q(std::string_view q) {
  if (q.empty() || (q[0] != '0' && q[0] != '1')) return -1;
  int value = (q[0] - '0') * 1000;
  if (q.size() == 1) return value;
  if (q[1] != '.' || q.size() > 5) return -1;
  int scale = 100;
  for (size_t i = 2; i < q.size(); ++i, scale /= 10) {
    if (!std::isdigit(static_cast<unsigned char>(q[i]))) return -1;
    value += (q[i] - '0') * scale;
  }
  return value > 1000 ? -1 : value;
}

// Digits of a non-negative integer grouped by three with `sep`.
std::string grouped(std::string digits, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return out;
}

std::string_view group_sep(Lang lang) {
  return lang == Lang::fr ? k_narrow_nbsp : ",";
}
char decimal_point(Lang lang) {
  return lang == Lang::fr ? ',' : '.';
}

}  // namespace

std::string_view lang_code(Lang lang) {
  return lang == Lang::fr ? "fr" : "en";
}

Lang choose_lang(std::string_view lang_param, std::string_view accept_language) {
  const std::string param = lower(trim(lang_param));
  if (param == "fr") return Lang::fr;
  if (param == "en") return Lang::en;
  int best_q = 0;
  Lang best = Lang::fr;
  while (!accept_language.empty()) {
    const size_t comma = accept_language.find(',');
    std::string_view item = accept_language.substr(0, comma);
    accept_language = comma == std::string_view::npos ? "" : accept_language.substr(comma + 1);
    const size_t semi = item.find(';');
    const std::string tag = lower(trim(item.substr(0, semi)));
    int q = 1000;
    if (semi != std::string_view::npos) {
      std::string_view params = trim(item.substr(semi + 1));
      if (params.size() < 2 || (params[0] != 'q' && params[0] != 'Q') || params[1] != '=') continue;
      q = parse_q(trim(params.substr(2)));
      if (q < 0) continue;
    }
    const std::string primary = tag.substr(0, tag.find('-'));
    if (primary != "fr" && primary != "en") continue;
    if (q > best_q) {  // the first of equal q-values wins (the list's order)
      best_q = q;
      best = primary == "fr" ? Lang::fr : Lang::en;
    }
  }
  return best;
}

std::string_view tr(Lang lang, std::string_view key) {
  for (const Text& t : k_texts)
    if (t.key == key) return lang == Lang::fr ? t.fr : t.en;
  return key;
}

std::string plural_key(Lang lang, std::string_view key, int64_t count) {
  // CLDR plural rules: French "one" for 0 and 1 (« 0 activité »), English for 1 only.
  const bool one = lang == Lang::fr ? (count == 0 || count == 1) : count == 1;
  return std::string(key) + (one ? ".one" : ".other");
}

std::string sport_type_label(Lang lang, std::string_view sport_type) {
  if (lang == Lang::fr) {
    if (sport_type == "Workout") return "Entraînement";
    std::string label = rewards::activity_sport_label(sport_type, "");
    if (label != "sport") return label;  // "sport": a type the French labels do not name
  }
  std::string words;  // "RockClimbing" → "Rock climbing"
  for (size_t i = 0; i < sport_type.size(); ++i) {
    const char c = sport_type[i];
    const bool upper = c >= 'A' && c <= 'Z';
    if (upper && i > 0) words += ' ';
    words += upper && i > 0 ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return words;
}

std::string reason_label(Lang lang, std::string_view code, std::string_view french_text) {
  if (lang == Lang::fr) return std::string(french_text);
  const std::string key = "reason." + std::string(code);
  const std::string_view text = tr(lang, key);
  return std::string(text != key ? text : french_text);
}

std::string format_int(Lang lang, int64_t value) {
  const bool negative = value < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(value) : value;
  return (negative ? "-" : "") + grouped(std::to_string(magnitude), group_sep(lang));
}

std::string format_decimal(Lang lang, double value, int digits) {
  if (!std::isfinite(value)) return "–";
  std::string text = fmt::format("{:.{}f}", std::abs(value), digits);
  const size_t point = text.find('.');
  std::string out = grouped(text.substr(0, point), group_sep(lang));
  if (point != std::string::npos) out += decimal_point(lang) + text.substr(point + 1);
  // "-0,0" reads as a negative zero: no sign when the rounded text is zero.
  const bool zero = text.find_first_not_of("0.") == std::string::npos;
  return (value < 0 && !zero ? "-" : "") + out;
}

std::string format_money_cents(Lang lang, int64_t cents) {
  const bool negative = cents < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(cents) : cents;
  const std::string amount = grouped(std::to_string(magnitude / 100), group_sep(lang)) +
                             decimal_point(lang) + fmt::format("{:02}", magnitude % 100);
  if (lang == Lang::fr) return (negative ? "-" : "") + amount + "\u00a0€";
  return (negative ? "-€" : "€") + amount;
}

bool parse_decimal_cents(std::string_view text, int64_t& cents) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  const size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view frac = point == std::string_view::npos ? "" : text.substr(point + 1);
  if (whole.empty() || whole.size() > 16 || frac.size() > 2) return false;
  int64_t value = 0;
  for (char c : whole) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  int64_t fraction = 0;
  for (size_t i = 0; i < 2; ++i) {
    const char c = i < frac.size() ? frac[i] : '0';
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    fraction = fraction * 10 + (c - '0');
  }
  cents = (negative ? -1 : 1) * (value * 100 + fraction);
  return true;
}

std::string format_percent(Lang lang, double ratio) {
  return format_decimal(lang, ratio * 100, 1) + (lang == Lang::fr ? "\u202f%" : "%");
}

std::string format_date(Lang lang, int year, int month, int day) {
  if (month < 1 || month > 12) return fmt::format("{:04}-{:02}-{:02}", year, month, day);
  return fmt::format("{} {} {}", day, month_name(lang, month, false), year);
}

std::string format_datetime_us(Lang lang, int64_t micros_since_epoch) {
  const CivilDate d = civil_from_days(floor_div(micros_since_epoch, 86'400'000'000LL));
  const std::string text = format_timestamp_us(micros_since_epoch, ' ', false);
  return format_date(lang, d.year, d.month, d.day) + " " + text.substr(11, 8) + " UTC";
}

std::string format_bytes(Lang lang, int64_t bytes) {
  if (bytes < 0) return "-" + format_bytes(lang, bytes == INT64_MIN ? INT64_MAX : -bytes);
  if (bytes < 1024) return format_int(lang, bytes) + (lang == Lang::fr ? "\u00a0o" : "\u00a0B");
  constexpr std::string_view k_fr[] = {"Kio", "Mio", "Gio", "Tio"};
  constexpr std::string_view k_en[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(k_fr)) {
    value /= 1024;
    ++unit;
  }
  return format_decimal(lang, value, 1) + "\u00a0" +
         std::string(lang == Lang::fr ? k_fr[unit] : k_en[unit]);
}

std::string format_duration(Lang lang, double seconds) {
  if (!std::isfinite(seconds)) return "–";
  if (seconds < 0) return "-" + format_duration(lang, -seconds);
  if (seconds < 60) return format_decimal(lang, seconds, 1) + "\u00a0s";
  const auto whole = static_cast<int64_t>(seconds);
  if (whole < 3600) return fmt::format("{}\u00a0min {:02}\u00a0s", whole / 60, whole % 60);
  if (whole < 86400) return fmt::format("{}\u00a0h {:02}\u00a0min", whole / 3600, whole % 3600 / 60);
  return fmt::format("{}\u00a0{} {}\u00a0h", format_int(lang, whole / 86400),
                     lang == Lang::fr ? "j" : "d", whole % 86400 / 3600);
}

std::string_view month_name(Lang lang, int month, bool abbreviated) {
  if (month < 1 || month > 12) return "?";
  const size_t i = static_cast<size_t>(month - 1);
  if (lang == Lang::fr) return abbreviated ? k_months_fr_short[i] : k_months_fr[i];
  return abbreviated ? k_months_en_short[i] : k_months_en[i];
}

}  // namespace sl::serve
