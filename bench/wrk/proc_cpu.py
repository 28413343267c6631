"""CPU seconds of processes from /proc, for the bench's CPU-per-request scripts (store_cpu.py, delivery_cpu.py)."""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def postgres_cpu() -> float:
    """CPU seconds of every process named postgres on this host."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if "postgres" not in Path(f"/proc/{pid}/comm").read_text():
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICK
