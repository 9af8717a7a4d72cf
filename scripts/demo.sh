#!/usr/bin/env bash
# `make demo`: the embedded stack on the sample data, end to end, with nothing to configure.
# Idempotent: a second run reuses the database and only adds new activities.
set -euo pipefail
cd "$(dirname "$0")/.."
SPORTLAKE=${1:-build/release/src/cli/sportlake}
export SPORTLAKE_HOME=${SPORTLAKE_HOME:-$(pwd)/var}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Embedded PostgreSQL (under $SPORTLAKE_HOME/postgres)"
"$SPORTLAKE" db start

step "Loading the HR and sport files (data/sample)"
# The sample has known data defects (DESIGN §1) that are data-quality findings, not rejects;
# --allow-rejects keeps the demo going if a future sample has rejected rows: they are listed.
"$SPORTLAKE" load --allow-rejects

if [ "$("$SPORTLAKE" db psql -- -XAtc "SELECT count(*) FROM strava_activities")" = "0" ]; then
  step "Simulating a year of Strava activities (first run only)"
  "$SPORTLAKE" simulate --backfill-months 12 --seed 1
fi

# The notifier's slot exists before the new activities: they are announced, the history is not.
"$SPORTLAKE" notify --idle-exit 0.2 >/dev/null

step "Simulating 20 new Strava activities"
"$SPORTLAKE" simulate --count 20 --delay 200ms..500ms

step "Home → work distances (Google Maps with API_KEY_MAPS, else the offline estimate)"
"$SPORTLAKE" distances

step "Landing every change in the Bronze Delta tables (exactly once)"
# The first run creates the slot sportlake_bronze and lands a snapshot of every table; later runs
# land what changed since (the slot keeps it while nobody consumes).
"$SPORTLAKE" ingest --idle-exit 1
"$SPORTLAKE" lake ls

step "Announcing the new activities (Slack with SLACK_WEBHOOK_URL, else the log)"
"$SPORTLAKE" notify --idle-exit 1

step "Silver and Gold of this year, published to PostgreSQL (schema gold)"
"$SPORTLAKE" refresh

step "What the source database holds"
"$SPORTLAKE" db psql -- -X -q -P footer=off -c "
  SELECT 'rh_employees' AS \"table\", count(*) AS rows FROM rh_employees
  UNION ALL SELECT 'sport_activities', count(*) FROM sport_activities
  UNION ALL SELECT 'strava_activities', count(*) FROM strava_activities
  UNION ALL SELECT 'distance_cache', count(*) FROM distance_cache
  UNION ALL SELECT 'notification_outbox', count(*) FROM notification_outbox"

cat <<MSG

The dashboard: \`$SPORTLAKE serve\` (or \`$SPORTLAKE up\`: every service, live), then open
http://127.0.0.1:8080/?token=<token> once in a browser, <token> being the content of
$SPORTLAKE_HOME/serve/hr.token (every row) or viewer.token (aggregates only); scripts send
'Authorization: Bearer <token>'. The tokens are created at the first \`serve\`;
\`$SPORTLAKE serve token\` replaces them. The database keeps running: \`$SPORTLAKE db psql\`
opens a shell on it, \`$SPORTLAKE db stop\` stops it, \`rm -rf $SPORTLAKE_HOME\` starts over.
MSG
