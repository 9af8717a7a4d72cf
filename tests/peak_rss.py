"""A job's peak resident size, for the budget tests (not timed tests)."""
import subprocess
import tempfile


def run_measured(args, e, timeout=600):
    """Runs `args` to its end; returns (exit status, peak RSS in MB, stderr). Through GNU time: the
    kernel's ru_maxrss of a child forked from this Python process would start at this process's
    own size (the pre-exec image counts), so a small parent forks the job."""
    with tempfile.NamedTemporaryFile(mode="r") as rss:
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *args], env=e,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              timeout=timeout)
        return done.returncode, int(rss.read().split()[-1]) / 1024, done.stderr
