"""Exit codes of the command line: usage errors exit 2 with CLI11's message, help and version 0."""
import os
import subprocess

SPORTLAKE = os.environ["SPORTLAKE"]


def run(*args, tmp_path):
    env = dict(os.environ, SPORTLAKE_HOME=str(tmp_path / "home"))
    return subprocess.run([SPORTLAKE, *args], capture_output=True, text=True, env=env, timeout=60)


def test_help_and_version_succeed(tmp_path):
    assert run("--help", tmp_path=tmp_path).returncode == 0
    version = run("--version", tmp_path=tmp_path)
    assert version.returncode == 0 and "sportlake" in version.stdout
    assert run("ingest", "--help", tmp_path=tmp_path).returncode == 0


def test_usage_errors_exit_2_and_say_why(tmp_path):
    cases = {
        ("--bogus",): "subcommand",
        (): "subcommand",
        ("ingest", "--commit-rows", "abc"): "commit-rows",
        ("lake", "scan"): "required",
        ("refresh", "--nope"): "nope",
    }
    for args, words in cases.items():
        proc = run(*args, tmp_path=tmp_path)
        assert proc.returncode == 2, (args, proc.returncode, proc.stderr)
        assert words.lower() in proc.stderr.lower(), (args, proc.stderr)
