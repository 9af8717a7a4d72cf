"""Freezing a process at a named fault point (SPORTLAKE_FAULT_POINT, common/fault_point.hpp) and
killing it there with SIGKILL: the crash tests' one way to die at the worst moment."""
import os
import signal
import subprocess
import time


def kill_at(point, argv, env=None, timeout=60):
    """Starts argv with SPORTLAKE_FAULT_POINT=point, waits until it stops itself there, kills -9."""
    env = dict(env if env is not None else os.environ, SPORTLAKE_FAULT_POINT=point)
    proc = subprocess.Popen([str(a) for a in argv], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while True:
        with open(f"/proc/{proc.pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        if state == "T":
            break
        assert proc.poll() is None, f"exited before {point}: {proc.stderr.read().decode()}"
        assert time.monotonic() < deadline, f"never reached {point}"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
