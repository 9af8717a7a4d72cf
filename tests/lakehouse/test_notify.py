"""`sportlake notify` end to end: the embedded PostgreSQL, the job's slot and outbox, and a real
HTTP server on 127.0.0.1 standing in for Slack, which records every request and answers as told
(200 ok, 500, 429 + Retry-After, 404 no_service, or nothing at all).

Every new activity is posted once, in French; retryable answers are retried (after Retry-After
for a 429); a refusal is `failed` and not retried; a request without an answer, or a job killed
in the middle of a post, leaves the notification `uncertain` and it is never posted again; posts
keep the minimum interval.
"""
import json
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
from slack_server import Slack  # noqa: F401 - also imported from here by other suites


@pytest.fixture()
def env(build_dir):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-notify-"))
    os.chmod(base, 0o755)
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="warn")
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    subprocess.run([sportlake, "load"], env=e, check=True, capture_output=True)
    yield sportlake, e
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def psql(sportlake, e, query):
    return subprocess.run([sportlake, "db", "psql", "--", "-XAtc", query], env=e, check=True,
                          capture_output=True, text=True).stdout.split("\n")[:-1]


def simulate(sportlake, e, count, seed):
    subprocess.run([sportlake, "simulate", "--count", str(count), "--rate", "200", "--seed", str(seed)], env=e,
                   check=True, capture_output=True)


def outbox(sportlake, e):
    rows = psql(sportlake, e, "SELECT activity_id, status, attempts FROM notification_outbox ORDER BY activity_id")
    return {int(r.split("|")[0]): (r.split("|")[1], int(r.split("|")[2])) for r in rows}


def notify_until(sportlake, e, slack, done, *args, timeout=60):
    """Runs `sportlake notify` against `slack` until done() holds, then stops it (SIGTERM)."""
    env = dict(e, SLACK_WEBHOOK_URL=slack.url)
    proc = subprocess.Popen([sportlake, "notify", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.3)  # let it record the last outcome
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert done(), f"not done in {timeout} s: {err}"
    assert "secret" not in err, "the webhook's path is a secret"
    return out


def create_slot(sportlake, e):
    subprocess.run([sportlake, "notify", "--idle-exit", "0.3"], env=e, check=True, capture_output=True)


def test_every_new_activity_posted_once_in_french_with_retries(env):
    sportlake, e = env
    simulate(sportlake, e, 3, 1)  # before the job's slot: history, never announced
    create_slot(sportlake, e)
    simulate(sportlake, e, 4, 2)
    slack = Slack({0: (500, {}, "rollup_error", 0), 1: (429, {"Retry-After": "1"}, "rate_limited", 0)})
    try:
        notify_until(sportlake, e, slack, lambda: len(slack.ok_texts()) == 4, "--min-interval", "0.2")
    finally:
        slack.close()
    texts = slack.ok_texts()
    assert len(set(texts)) == 4, texts
    assert all(t.startswith(("Bravo ", "Magnifique ", "Splash ! ", "En selle ", "Super ")) for t in texts)
    names = {" ".join(r.split("|")) for r in psql(sportlake, e, """
        SELECT e.prenom, e.nom FROM strava_activities a JOIN rh_employees e ON e.id = a.employee_id
        ORDER BY a.activity_id DESC LIMIT 4""")}
    assert all(any(n in t for n in names) for t in texts), (texts, names)
    body = slack.requests[-1][1]
    assert body["blocks"][0]["type"] == "header" and "Nouvelle activité" in body["blocks"][0]["text"]["text"]
    times = [t for t, _ in slack.requests]
    assert len(times) == 6, "4 posts, one 500 and one 429 retried"
    assert all(b - a >= 0.19 for a, b in zip(times, times[1:])), "the minimum interval holds"
    assert times[2] - times[1] >= 0.95, "the 429's Retry-After holds every post back"
    states = outbox(sportlake, e)
    assert len(states) == 4 and all(s == "sent" for s, _ in states.values())
    assert sorted(a for _, a in states.values()) == [1, 1, 2, 2]


def test_refused_failed_and_unanswered_uncertain_are_never_posted_again(env):
    sportlake, e = env
    create_slot(sportlake, e)
    simulate(sportlake, e, 3, 3)
    slack = Slack({0: (404, {}, "no_service", 0), 1: (200, {}, "ok", 2.0)})
    try:
        notify_until(sportlake, e, slack, lambda: len(slack.requests) == 3, "--min-interval", "0.1",
                     "--timeout", "0.5")
        # Run it again: nothing is due any more.
        notify_until(sportlake, e, slack, lambda: True, "--min-interval", "0.1", "--timeout", "0.5")
        time.sleep(1)
    finally:
        slack.close()
    assert len(slack.requests) == 3
    statuses = sorted(s for s, _ in outbox(sportlake, e).values())
    assert statuses == ["failed", "sent", "uncertain"]
    errors = psql(sportlake, e, "SELECT status, http_status, last_error FROM notification_outbox "
                                "WHERE status <> 'sent' ORDER BY status")
    assert errors[0].startswith("failed|404|no_service")
    assert errors[1].startswith("uncertain||")


def test_kill_minus_nine_while_posting_leaves_it_uncertain(env):
    sportlake, e = env
    create_slot(sportlake, e)
    simulate(sportlake, e, 3, 4)
    slack = Slack()
    try:
        frozen = dict(e, SLACK_WEBHOOK_URL=slack.url, SPORTLAKE_FAULT_POINT="notify.before_post")
        proc = subprocess.Popen([sportlake, "notify"], env=frozen, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while True:
            with open(f"/proc/{proc.pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "T":
                    break
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert [s for s, _ in outbox(sportlake, e).values()].count("sending") == 1
        notify_until(sportlake, e, slack, lambda: len(slack.requests) == 2, "--min-interval", "0.1")
    finally:
        slack.close()
    states = [s for s, _ in outbox(sportlake, e).values()]
    assert sorted(states) == ["sent", "sent", "uncertain"], "the interrupted one is not posted again"
    assert len(slack.requests) == 2


def test_a_backfill_of_old_activities_stays_silent(env):
    sportlake, e = env
    create_slot(sportlake, e)
    out = subprocess.run([sportlake, "simulate", "--backfill-months", "2", "--as-of", "2025-06-30", "--seed", "6"],
                         env=e, check=True, capture_output=True, text=True).stdout
    backfilled = int(out.split()[1])  # "backfilled N activities ..."
    simulate(sportlake, e, 2, 7)
    done = subprocess.run([sportlake, "notify", "--idle-exit", "1", "--json"], env=e, check=True,
                          capture_output=True, text=True)
    figures = json.loads(done.stdout)
    assert figures["too_old"] == backfilled > 0
    assert figures["queued"] == figures["sent"] == 2, "only the live activities are announced (in the log)"
    assert psql(sportlake, e, "SELECT count(*) FROM notification_outbox") == ["2"]
