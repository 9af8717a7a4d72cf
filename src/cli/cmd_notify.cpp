// `sportlake notify`: the Slack notifier job (lakehouse/activity_notifier.hpp) on its own slot or
// consumer group.
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/job_options.hpp"
#include "cli/slot_jobs.hpp"
#include "cli/source_database.hpp"
#include "cli/stop_signal.hpp"
#include "integrations/http_client.hpp"
#include "pg/database.hpp"

namespace sl::cli {

namespace {

struct NotifyOptions : NotifyFlags {
  bool json = false;
};

Status run_notify(Context& ctx, const NotifyOptions& opt) {
  SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
  SL_ASSIGN_OR_RETURN(auto conninfo, pg::resolve_conninfo(ctx.config));
  const auto job = notify_job(ctx.settings, conninfo, opt);
  stop_on_signals();
  if (job.notifier.webhook_url.empty())
    fmt::print(stderr,
               "sportlake notify: no Slack webhook (SLACK_WEBHOOK_URL): messages go to "
               "the log\n");
  else
    fmt::print(stderr, "sportlake notify: posting to {}\n",
               integrations::redact_url(job.notifier.webhook_url));
  SL_ASSIGN_OR_RETURN(auto stats, run_notify_job(sql, job));
  if (opt.json) {
    fmt::print(
        "{{\"queued\":{},\"too_old\":{},\"sent\":{},\"retried\":{},\"failed\":{},"
        "\"uncertain\":{},\"not_queued\":{}}}\n",
        stats.queued, stats.too_old, stats.sent, stats.retried, stats.failed, stats.uncertain,
        stats.not_queued);
  } else {
    fmt::print(
        "notify: {} queued ({} too old to announce), {} sent, {} to retry, {} failed, {} "
        "uncertain\n",
        stats.queued, stats.too_old, stats.sent, stats.retried, stats.failed, stats.uncertain);
  }
  if (stats.not_queued > 0) {
    // Exit 4, like `load`'s rejected rows: the job went on, some rows need a look.
    fmt::print(stderr,
               "sportlake notify: {} activit(ies) could not be queued (logged; see job_failures, "
               "`sportlake status`)\n",
               stats.not_queued);
    ctx.exit_code = 4;
  }
  return {};
}

}  // namespace

void add_notify_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "notify",
      "announce every new activity on Slack in French (SLACK_WEBHOOK_URL; without it, in the "
      "log), once: through the notification_outbox table, never posted twice");
  static NotifyOptions opt;
  cmd->add_option("--slot", opt.slot,
                  "replication slot (created when missing; default: cdc.slot + \"_notify\")");
  cmd->add_option("--publication", opt.publication, "publication (default: cdc.publication)");
  cmd->add_option("--source", opt.source,
                  "slot (its own replication slot) or kafka (the strava_activities topic "
                  "<kafka.topic_prefix>.<schema>.strava_activities on KAFKA_BOOTSTRAP_SERVERS, in a "
                  "consumer group; offsets committed once the outbox holds the activities)")
      ->check(CLI::IsMember({"slot", "kafka"}));
  cmd->add_option("--group", opt.group,
                  "--source kafka: the consumer group (default: kafka.group + \"_notify\")");
  cmd->add_option("--min-interval", opt.min_interval,
                  "seconds between two posts (default 1: Slack's rate limit)");
  cmd->add_option("--timeout", opt.timeout,
                  "seconds to wait for Slack's answer (default 10); no answer = uncertain, "
                  "not posted again");
  cmd->add_option("--max-attempts", opt.max_attempts,
                  "attempts before a retryable failure becomes failed (default 8)");
  cmd->add_option("--max-age", opt.max_age_days,
                  "DAYS: activities that started longer ago are history, not announced "
                  "(default 7; 0 announces everything)");
  cmd->add_option("--idle-exit", opt.idle_exit,
                  "stop after SECONDS without any change and nothing due to post");
  cmd->add_flag("--json", opt.json, "print the run's figures as JSON");
  cmd->callback([&ctx] {
    if (auto st = run_notify(ctx, opt); !st) {
      fmt::print(stderr, "sportlake notify: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });
}

}  // namespace sl::cli
