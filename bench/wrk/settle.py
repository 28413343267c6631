"""Wait until a gunicorn server is ready to be measured: /healthz answers, and every worker has booted.

One worker answering /healthz does not mean the other has finished importing the app: a feedbackloop
worker spends about 2 s of CPU booting (compiling the redactor's patterns among other things; bare
Flask about 0.3 s), and on a busy host that can run into the measured seconds, on one of the two
cores the measurement needs. So this waits, after the first 200, until the master has WORKERS
children and none of them used more than a fiftieth of a core over a quarter of a second.

    python bench/wrk/settle.py MASTER_PID PORT [WORKERS]      (exit 1 if not ready within 60 s)
"""

from __future__ import annotations

import os
import sys
import time
import urllib.request
from collections.abc import Callable

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _children_cpu(master: int) -> dict[int, float]:
    found: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    return found


def settle(master: int, port: int, workers: int = 2, timeout: float = 60.0,
           alive: Callable[[], bool] = lambda: True) -> bool:
    """True once /healthz answered 200 and `workers` workers sit idle; False after `timeout` seconds, or
    as soon as `alive()` says the server has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        time.sleep(0.2)
    else:
        return False
    window = 0.25
    before = _children_cpu(master)
    while time.monotonic() < deadline and alive():
        time.sleep(window)
        after = _children_cpu(master)
        busy = [after[pid] - before.get(pid, 0.0) for pid in after]
        if len(after) >= workers and max(busy, default=0.0) <= window / 50:
            return True
        before = after
    return False


if __name__ == "__main__":
    sys.exit(0 if settle(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 2) else 1)
