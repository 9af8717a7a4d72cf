"""Operating the Kafka consumers on a real Apache Kafka broker (KRaft): an ingest whose partitions
were taken over while it held uncommitted rows resumes from Bronze's positions instead of
stopping; `sportlake status` shows every consumer group that consumed the topics, and says
promptly when the broker is unreachable."""
import json
import pathlib
import signal
import subprocess
import threading
import time


from bus_helpers import assert_every_activity_once, bronze, psql, run




def publish(sportlake, e, idle=2):
    run(sportlake, e, "cdc", "--sink", "kafka", "--schemas", "--idle-exit", str(idle))


def simulate(sportlake, e, count, seed):
    run(sportlake, e, "simulate", "--count", str(count), "--rate", "200", "--seed", str(seed))


def stopped(proc):
    """Whether the process stopped itself (SIGSTOP at a fault point)."""
    try:
        return pathlib.Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T"
    except FileNotFoundError:
        return False


def wait_for(predicate, what, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out: {what}")


def test_a_commit_refused_after_a_takeover_resumes_from_bronze(env):
    """A holds rows of its partitions, frozen before its commit; its session expires and B takes
    every partition over and commits them. A's commit then conflicts (the txns moved): it drops its
    rows, reads its positions again from Bronze and goes on sharing the partitions with B."""
    sportlake, e, prefix = env
    e = dict(e, SPORTLAKE_KAFKA_PARTITIONS="6")
    ke = dict(e, SPORTLAKE_LAKE_ROOT=str(pathlib.Path(e["SPORTLAKE_HOME"]).parent / "kafka_lake"))
    root = pathlib.Path(ke["SPORTLAKE_LAKE_ROOT"]) / "bronze"
    publish(sportlake, e, idle=1)
    simulate(sportlake, e, 24, 71)
    publish(sportlake, e)
    args = [sportlake, "ingest", "--source", "kafka", "--commit-interval", "0.2", "--idle-exit", "12",
            "--json"]
    a = subprocess.Popen(args, env=dict(ke, SPORTLAKE_FAULT_POINT="bronze.commit.before"),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    b = None
    done = threading.Event()
    try:
        wait_for(lambda: stopped(a), "A holds rows, frozen before its first commit")
        assert bronze(root, "strava_activities") == []
        b = subprocess.Popen(args, env=ke, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # A's session expires (10 s): B gets the 6 partitions and commits every row.
        wait_for(lambda: len(bronze(root, "strava_activities")) >= 24, "B took the partitions over")

        def resume_a():  # A stops at each of its commits: let it go on each time
            while not done.is_set() and a.poll() is None:
                if stopped(a):
                    a.send_signal(signal.SIGCONT)
                time.sleep(0.05)
        threading.Thread(target=resume_a, daemon=True).start()
        simulate(sportlake, e, 60, 72)
        publish(sportlake, e)
        a_out, a_err = a.communicate(timeout=180)
        b_out, b_err = b.communicate(timeout=180)
    finally:
        done.set()
        for p in (a, b):
            if p is not None and p.poll() is None:
                p.kill()
    assert a.returncode == 0, a_err
    assert b.returncode == 0, b_err
    stats = json.loads(a_out)
    assert stats["conflicts"] >= 1, a_err  # else the test proves nothing
    assert "resuming from Bronze's positions" in a_err
    assert json.loads(b_out)["conflicts"] == 0

    assert_every_activity_once(sportlake, e, root)


def test_status_shows_every_group_that_consumed_the_topics(env, kafka):
    sportlake, e, prefix = env
    ke = dict(e, SPORTLAKE_LAKE_ROOT=str(pathlib.Path(e["SPORTLAKE_HOME"]).parent / "kafka_lake"))
    publish(sportlake, e, idle=1)
    simulate(sportlake, e, 4, 81)
    publish(sportlake, e)
    custom = prefix + "_custom"  # no default group name: only listing the cluster's groups finds it
    run(sportlake, ke, "ingest", "--source", "kafka", "--group", custom, "--idle-exit", "3")
    status = json.loads(run(sportlake, e, "status", "--json").stdout)
    assert "error" not in status["kafka"], status["kafka"]
    rows = [r for r in status["kafka"]["consumer_lag"] if r["group"] == custom]
    assert rows and all(r["topic"].startswith(prefix + ".") for r in rows), status["kafka"]
    assert {r["topic"] for r in rows} >= {f"{prefix}.public.strava_activities"}, rows
    assert all(r["lag"] == 0 for r in rows), rows  # its copy of the offsets: at the end


def test_status_says_promptly_when_the_broker_is_unreachable(env):
    sportlake, e, prefix = env
    down = dict(e, KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1")
    started = time.monotonic()
    out = run(sportlake, down, "status").stdout
    elapsed = time.monotonic() - started
    assert "broker unreachable (127.0.0.1:1" in out, out
    assert elapsed < 6, f"status took {elapsed:.1f} s with the broker down"
