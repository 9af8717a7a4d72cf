// Assembling the jobs' options from the settings and the flags.
#include "cli/job_options.hpp"

#include "cli/stop_signal.hpp"

namespace sl::cli {

std::chrono::milliseconds millis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

double seconds(std::chrono::milliseconds duration) {
  return static_cast<double>(duration.count()) / 1000;
}

namespace {

// What every streaming job has: the slot it reads (`flag_slot`, else the job's slot under
// cdc.slot), the publication, when it stops.
template <class JobOptions>
void set_stream(JobOptions& options, const Settings& settings, const std::string& conninfo,
                const std::string& flag_slot, std::string_view job,
                const std::string& flag_publication, double idle_exit) {
  options.conninfo = conninfo;
  options.slot = flag_slot.empty() ? settings.slot(job) : flag_slot;
  options.publication = flag_publication.empty() ? settings.cdc.publication : flag_publication;
  options.idle_exit = millis(idle_exit);
  options.stop_requested = stop_requested;
}

}  // namespace

lakehouse::BronzeIngestOptions bronze_ingest_options(const Settings& settings,
                                                     const std::string& conninfo,
                                                     const IngestFlags& flags) {
  lakehouse::BronzeIngestOptions options;
  set_stream(options, settings, conninfo, flags.slot, "bronze", flags.publication, flags.idle_exit);
  options.bronze_root = settings.lake_root / "bronze";
  options.commit_rows = flags.commit_rows;
  options.commit_interval = millis(flags.commit_interval);
  options.max_changes = flags.max_changes;
  return options;
}

lakehouse::NotifierOptions notifier_options(const Settings& settings, const std::string& conninfo,
                                            const NotifyFlags& flags) {
  lakehouse::NotifierOptions options;
  set_stream(options, settings, conninfo, flags.slot, "notify", flags.publication, flags.idle_exit);
  options.webhook_url = settings.slack_webhook_url;
  options.min_interval = millis(flags.min_interval);
  options.http_timeout = millis(flags.timeout);
  options.max_attempts = flags.max_attempts;
  options.max_age = std::chrono::hours(static_cast<int64_t>(flags.max_age_days * 24));
  return options;
}

lakehouse::DistanceWorkerOptions distance_worker_options(const Settings& settings,
                                                         const std::string& conninfo,
                                                         const DistanceFollowFlags& flags) {
  lakehouse::DistanceWorkerOptions options;
  set_stream(options, settings, conninfo, flags.slot, "distances", "", flags.idle_exit);
  options.destination = settings.maps.destination;
  return options;
}

Result<lakehouse::RefreshOptions> refresh_options(const Settings& settings, int year,
                                                  const integrations::Gazetteer& gazetteer) {
  lakehouse::RefreshOptions options;
  options.lake_root = settings.lake_root;
  SL_ASSIGN_OR_RETURN(options.rules, settings.rules);
  if (year != 0) {
    options.year = year;
  } else {
    SL_ASSIGN_OR_RETURN(options.year, settings.reference_year());
  }
  options.destination = settings.maps.destination;
  options.gazetteer = &gazetteer;
  options.now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return options;
}

}  // namespace sl::cli
