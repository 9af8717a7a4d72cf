// The migration list and the idempotent runner.
#include "source/migrations.hpp"

namespace sl::source {

namespace {

// Version 1: the seed's three tables with their exact column names, and the tables of the
// services (DESIGN §3). REPLICA IDENTITY FULL on the captured tables makes UPDATE and DELETE
// events carry the whole previous row (Debezium's `before`), at the cost of a larger WAL record
// per update: these tables are small and rarely updated, and Silver needs complete before-images.
constexpr std::string_view k_v1_sql = R"sql(
CREATE TABLE rh_employees (
  id                bigint PRIMARY KEY,
  nom               text NOT NULL,
  prenom            text NOT NULL,
  date_naissance    date,
  date_embauche     date,
  business_unit     text,
  salaire_brut      numeric(12,2),
  contrat           text,
  nb_conges_payes   integer,
  adresse_complete  text,
  moyen_deplacement text
);
ALTER TABLE rh_employees REPLICA IDENTITY FULL;

CREATE TABLE sport_activities (
  id             bigint PRIMARY KEY,
  pratique_sport text
);
ALTER TABLE sport_activities REPLICA IDENTITY FULL;

CREATE TABLE strava_activities (
  activity_id       bigint PRIMARY KEY,
  employee_id       bigint NOT NULL,
  name              text,
  distance_m        double precision,
  moving_time_s     integer,
  elapsed_time_s    integer,
  total_elev_gain_m double precision,
  type              text,
  sport_type        text,
  start_date_utc    timestamptz NOT NULL,
  start_date_local  timestamp,
  timezone          text,
  utc_offset_s      integer,
  commute           boolean NOT NULL DEFAULT false,
  manual            boolean NOT NULL DEFAULT false,
  private           boolean NOT NULL DEFAULT false,
  flagged           boolean NOT NULL DEFAULT false,
  calories          double precision,
  raw_payload       jsonb,
  created_at        timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE strava_activities REPLICA IDENTITY FULL;
CREATE INDEX strava_activities_employee_start ON strava_activities (employee_id, start_date_utc);

CREATE TABLE distance_cache (
  origin      text NOT NULL,
  destination text NOT NULL,
  mode        text NOT NULL,
  provider    text NOT NULL,
  distance_m  double precision,
  duration_s  integer,
  status      text NOT NULL,
  error       text,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (origin, destination, mode, provider)
);

CREATE TABLE notification_outbox (
  activity_id bigint PRIMARY KEY,
  channel     text NOT NULL DEFAULT 'slack',
  status      text NOT NULL DEFAULT 'pending'
              CHECK (status IN ('pending', 'sending', 'sent', 'uncertain', 'failed')),
  attempts    integer NOT NULL DEFAULT 0,
  last_error  text,
  payload     jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz
);
)sql";

// The Slack sender's retry schedule and the last HTTP answer, per notification.
constexpr const char* k_v2_sql = R"sql(
ALTER TABLE notification_outbox
  ADD COLUMN next_attempt_at timestamptz,
  ADD COLUMN http_status     integer;
CREATE INDEX notification_outbox_pending ON notification_outbox (created_at, activity_id)
  WHERE status = 'pending';
)sql";

// distance_cache joins the captured tables: Silver's commutes read the distances from Bronze, so
// the lake alone recomputes any year.
constexpr const char* k_v3_sql = R"sql(
ALTER TABLE distance_cache REPLICA IDENTITY FULL;
)sql";

// The rows a job could not process (a distance it could not store, an activity it could not
// queue, a Gold row PostgreSQL refused): one row per failing item while it fails, deleted once it
// goes through. Captured, so Silver's dq_issues report them from the lake
// (lakehouse/job_failures.hpp). `item` is short by construction (an id, a hash): never the
// offending value itself, which may be what the index refused.
constexpr const char* k_v4_sql = R"sql(
CREATE TABLE job_failures (
  job             text NOT NULL,
  item            text NOT NULL,
  employee_id     bigint,
  error           text NOT NULL,
  failures        integer NOT NULL DEFAULT 1,
  first_failed_at timestamptz NOT NULL DEFAULT now(),
  last_failed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job, item)
);
ALTER TABLE job_failures REPLICA IDENTITY FULL;
)sql";

// An arbitrary constant shared by every sportlake process: serialises concurrent migrators.
// The dashboard's live feed reads the announced activities in (sent_at, activity_id) order every
// half second while someone watches (lakehouse/notification_outbox.hpp announced_after).
constexpr const char* k_v5_sql = R"sql(
CREATE INDEX notification_outbox_sent ON notification_outbox (sent_at, activity_id)
  WHERE status = 'sent';
)sql";

constexpr int64_t k_migration_lock = 0x73706f72746c616bLL;  // "sportlak"

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
      {1, "seed tables, distance_cache, notification_outbox", k_v1_sql},
      {2, "notification_outbox retry schedule", k_v2_sql},
      {3, "distance_cache captured", k_v3_sql},
      {4, "job_failures", k_v4_sql},
      {5, "notification_outbox feed index", k_v5_sql},
  };
  return list;
}

const std::vector<std::string>& captured_tables() {
  static const std::vector<std::string> tables = {
      "rh_employees", "sport_activities", "strava_activities", "distance_cache", "job_failures"};
  return tables;
}

Result<MigrationReport> migrate(pg::Connection& conn, const std::string& publication) {
  MigrationReport report;
  SL_TRY(conn.exec("BEGIN"));
  auto run = [&]() -> Status {
    SL_TRY(conn.exec("SELECT pg_advisory_xact_lock(" + std::to_string(k_migration_lock) + ")"));
    SL_TRY(
        conn.exec("CREATE TABLE IF NOT EXISTS schema_version ("
                  " version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT "
                  "NULL DEFAULT now())"));
    SL_ASSIGN_OR_RETURN(auto current,
                        conn.exec("SELECT coalesce(max(version), 0) FROM schema_version"));
    report.from_version = std::stoi(std::string(current.value(0, 0)));
    report.to_version = report.from_version;
    for (const auto& m : migrations()) {
      if (m.version <= report.from_version) continue;
      auto applied = conn.exec(m.sql);
      if (!applied) {
        return applied.error().with_context("migration " + std::to_string(m.version) + " (" +
                                            std::string(m.name) + ")");
      }
      SL_TRY(conn.exec_params("INSERT INTO schema_version (version, name) VALUES ($1, $2)",
                              {std::to_string(m.version), std::string(m.name)}));
      report.applied.emplace_back(m.name);
      report.to_version = m.version;
    }
    // The publication is configuration (its name comes from cdc.publication), not a migration.
    SL_ASSIGN_OR_RETURN(
        auto found,
        conn.exec_params("SELECT 1 FROM pg_publication WHERE pubname = $1", {publication}));
    std::string tables;
    for (const auto& t : captured_tables())
      tables += (tables.empty() ? "" : ", ") + pg::quote_identifier(t);
    if (found.rows() == 0) {
      SL_TRY(conn.exec("CREATE PUBLICATION " + pg::quote_identifier(publication) + " FOR TABLE " +
                       tables));
      return {};
    }
    // An existing publication only gains the tables it lacks (no DDL when nothing is missing, so
    // running walsenders see no publication change).
    for (const auto& t : captured_tables()) {
      SL_ASSIGN_OR_RETURN(auto member,
                          conn.exec_params("SELECT 1 FROM pg_publication_tables WHERE pubname = $1 "
                                           "AND schemaname = 'public' AND tablename = $2",
                                           {publication, t}));
      if (member.rows() == 0) {
        SL_TRY(conn.exec("ALTER PUBLICATION " + pg::quote_identifier(publication) + " ADD TABLE " +
                         pg::quote_identifier(t)));
      }
    }
    return {};
  };
  if (auto status = run(); !status) {
    (void)conn.exec("ROLLBACK");
    return status.error();
  }
  SL_TRY(conn.exec("COMMIT"));
  return report;
}

}  // namespace sl::source
