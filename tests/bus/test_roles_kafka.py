"""The consuming roles besides ingest on a real Apache Kafka broker (KRaft): `notify --source kafka`
posts each new activity exactly once to a recording Slack server, also across a kill -9;
`distances --follow --source kafka` fills distance_cache as the embedded mode would; `up --kafka`
runs every role in one process (an inserted activity reaches Bronze and Slack); `status` shows
each group's lag per partition, which goes to 0.

Notify and distances keep no position of their own: they resume from their group's committed
offsets, committed only after the outbox rows (or the refresh) they owe are stored; the outbox's
key makes a record read twice add nothing."""
import json
import pathlib
import signal
import subprocess
import time
import urllib.request

from deltalake import DeltaTable

from bus_helpers import psql, run
from slack_server import Slack
from waiting import dashboard_url, wait_for


def own_groups(e, prefix):
    """This test's consumer groups (the broker is shared by the module's tests)."""
    return dict(e, SPORTLAKE_KAFKA_GROUP=prefix)


def publish(sportlake, e, *extra, idle=2):
    run(sportlake, e, "cdc", "--sink", "kafka", "--schemas", "--idle-exit", str(idle), *extra)


def simulate(sportlake, e, count, seed):
    run(sportlake, e, "simulate", "--count", str(count), "--rate", "200", "--seed", str(seed))


def lag_rows(sportlake, e, group):
    status = json.loads(run(sportlake, e, "status", "--json").stdout)
    assert "error" not in status["kafka"], status["kafka"]
    return [r for r in status["kafka"]["consumer_lag"] if r["group"] == group]


def test_notify_posts_each_new_activity_once_across_a_kill_9(env):
    sportlake, e, prefix = env
    e = own_groups(e, prefix)
    slack = Slack()
    publish(sportlake, e, idle=1)  # the slot exists before the activities
    simulate(sportlake, e, 4, 31)
    publish(sportlake, e)
    ne = dict(e, SLACK_WEBHOOK_URL=slack.url)
    args = [sportlake, "notify", "--source", "kafka", "--min-interval", "1"]
    first = subprocess.Popen(args, env=ne, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: len(slack.requests) >= 2, "two posts before the kill")
        time.sleep(0.4)  # its outcome recorded; the next post is 1 s after the last
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert len(slack.requests) < 4, "everything was posted before the kill: the test proves nothing"
    simulate(sportlake, e, 3, 32)  # new activities while notify is down
    publish(sportlake, e)
    activities = psql(sportlake, e, "SELECT count(*) FROM strava_activities")
    assert activities == ["7"]
    # Restarted: its group's partitions move to it once the killed member's session expires.
    second = subprocess.Popen(args, env=ne, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        sent = "SELECT count(*) FROM notification_outbox WHERE status = 'sent'"
        wait_for(lambda: psql(sportlake, e, sent) == ["7"], "the 7 activities announced", timeout=90)
        wait_for(lambda: all(r["lag"] == 0 for r in lag_rows(sportlake, e, prefix + "_notify")),
                 "the offsets committed")
        time.sleep(1.5)  # a post twice would come now
    finally:
        second.send_signal(signal.SIGTERM)
        out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert "secret" not in err, "the webhook's path is a secret"

    # One request per outbox row, each row sent: no activity was posted twice, none lost.
    assert len(slack.requests) == 7, [body for _, body in slack.requests]
    assert psql(sportlake, e, "SELECT status, count(*) FROM notification_outbox GROUP BY 1") == ["sent|7"]
    # Its offsets are committed: the group is at the end of every partition.
    rows = lag_rows(sportlake, e, prefix + "_notify")
    assert rows and {r["topic"] for r in rows} == {f"{prefix}.public.strava_activities"}, rows
    assert all(r["lag"] == 0 for r in rows), rows
    assert all(r["committed_offset"] == r["high_watermark"] for r in rows if r["high_watermark"] > 0), rows
    assert sum(r["high_watermark"] for r in rows) == 7


def test_distances_follow_kafka_fills_the_cache_as_the_embedded_mode(env):
    sportlake, e, prefix = env
    e = own_groups(e, prefix)
    e.pop("API_KEY_MAPS", None)
    publish(sportlake, e, "--from-start")  # every employee as a snapshot row (op r)
    follower = subprocess.Popen([sportlake, "distances", "--follow", "--source", "kafka", "--provider",
                                 "offline"], env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    try:
        cached = "SELECT count(*) FROM distance_cache WHERE status = 'ok'"
        wait_for(lambda: lag_rows(sportlake, e, prefix + "_distances") and all(
            r["lag"] == 0 for r in lag_rows(sportlake, e, prefix + "_distances")),
            "the snapshot read and committed")
        before = int(psql(sportlake, e, cached)[0])
        assert before > 0
        # New addresses (and a new mode): new cache keys, computed only by the followed refresh.
        psql(sportlake, e, "UPDATE rh_employees SET moyen_deplacement = 'Vélo/Trottinette/Autres', "
                           "adresse_complete = adresse_complete || ' bis' WHERE id IN (SELECT id FROM "
                           "rh_employees WHERE moyen_deplacement = 'Marche/running' ORDER BY id LIMIT 3)")
        moved = psql(sportlake, e, "SELECT count(DISTINCT adresse_complete) FROM rh_employees "
                                   "WHERE adresse_complete LIKE '% bis'")
        assert moved != ["0"]
        publish(sportlake, e)
        wait_for(lambda: psql(sportlake, e, "SELECT count(*) FROM distance_cache WHERE "
                                            "origin LIKE '% bis' AND mode = 'bicycling'") == moved,
                 "the changed employees' distances")
        wait_for(lambda: all(r["lag"] == 0 for r in lag_rows(sportlake, e, prefix + "_distances")),
                 "the change's offset committed after its refresh")
    finally:
        follower.send_signal(signal.SIGTERM)
        out, err = follower.communicate(timeout=60)
    assert follower.returncode == 0, err
    # The embedded pass finds nothing left to ask: the cache holds what it would have computed.
    embedded = json.loads(run(sportlake, e, "distances", "--provider", "offline", "--json").stdout)
    assert embedded["asked"] == 0, embedded
    rows = lag_rows(sportlake, e, prefix + "_distances")
    assert {r["topic"] for r in rows} == {f"{prefix}.public.rh_employees"}, rows


def test_up_kafka_runs_every_role_and_lag_goes_to_zero(env):
    sportlake, e, prefix = env
    slack = Slack()
    e = dict(own_groups(e, prefix), SPORTLAKE_LISTEN="127.0.0.1:0", SLACK_WEBHOOK_URL=slack.url,
             SPORTLAKE_LOG_LEVEL="info")
    e.pop("API_KEY_MAPS", None)
    up = subprocess.Popen([sportlake, "up", "--kafka", "--refresh-interval", "2", "--no-maintain"], env=e,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    bronze = pathlib.Path(e["SPORTLAKE_HOME"]) / "delta" / "bronze"

    def bronze_rows(table):
        path = bronze / table
        return DeltaTable(str(path)).to_pyarrow_table().num_rows if (path / "_delta_log").exists() else -1

    try:
        url = dashboard_url(up)
        ops_token = (pathlib.Path(e["SPORTLAKE_HOME"]) / "serve" / "ops.token").read_text().strip()
        employees = int(psql(sportlake, e, "SELECT count(*) FROM rh_employees")[0])
        # The publish role's snapshot reaches Bronze through the topics.
        wait_for(lambda: bronze_rows("rh_employees") == employees, "the employees in Bronze", timeout=90)
        simulate(sportlake, e, 3, 41)
        wait_for(lambda: bronze_rows("strava_activities") == 3, "the activities in Bronze", timeout=90)
        wait_for(lambda: len(slack.requests) == 3, "the activities announced", timeout=90)

        def settled():
            status = json.loads(run(sportlake, e, "status", "--json").stdout)["kafka"]
            groups = {r["group"] for r in status["consumer_lag"]}
            return groups == {prefix + "_bronze", prefix + "_notify", prefix + "_distances"} and all(
                r["lag"] == 0 and r["bronze_lag"] in (0, None) for r in status["consumer_lag"])
        wait_for(settled, "every group's lag at 0", timeout=60)
        status = json.loads(run(sportlake, e, "status", "--json").stdout)["kafka"]["consumer_lag"]
        ingest = [r for r in status if r["group"] == prefix + "_bronze"]
        assert ingest and all(r["bronze_offset"] == r["high_watermark"] for r in ingest), ingest

        request = urllib.request.Request(url + "/metrics", headers={"Authorization": f"Bearer {ops_token}"})
        metrics = urllib.request.urlopen(request, timeout=30).read().decode()
        gauge = [line for line in metrics.splitlines()
                 if line.startswith("sportlake_kafka_consumer_lag_messages{")]
        assert any(f'group="{prefix}_notify"' in line and line.endswith(" 0") for line in gauge), gauge
        request = urllib.request.Request(url + "/operations?lang=en",
                                         headers={"Authorization": f"Bearer {ops_token}"})
        page = urllib.request.urlopen(request, timeout=30).read().decode()
        assert "Kafka consumer group lag" in page and f"{prefix}_distances" in page
    finally:
        up.send_signal(signal.SIGTERM)
        out, err = up.communicate(timeout=90)
    assert up.returncode == 0, err
    for role in ("publish", "ingest", "notify", "distances", "refresh"):
        assert f"{role}: stopped" in err, err
    assert len(slack.requests) == 3, "an activity was posted twice"
    assert psql(sportlake, e, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'sportlake_%'") \
        == ["1"], "only the publisher has a slot"
