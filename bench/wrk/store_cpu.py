"""CPU per stored row of the webhook store (`receive.store_batch`), batch by batch, with no HTTP in the
way: the client's CPU (this process) and, on PostgreSQL, the server's (its backends' CPU from /proc,
so run it on the database's host). A/B two revisions by putting each one's src on PYTHONPATH:

    git archive REV src | tar -x -C /tmp/rev
    PYTHONPATH=/tmp/rev/src .venv/bin/python bench/wrk/store_cpu.py URL [batch size] [batches]

URL: an empty, migrated database (`feedbackloop db upgrade`); rows are added to it.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from loadgen import FIXTURE, stored_row  # noqa: E402  (the delivery the ingest bench sends)
from proc_cpu import postgres_cpu  # noqa: E402  (bench/wrk/, beside this script)

from feedbackloop.loop import receive  # noqa: E402
from feedbackloop.store.db import make_engine  # noqa: E402


def main(url: str, size: int, batches: int) -> None:
    engine = make_engine(url)
    payload = json.loads(FIXTURE.read_text())
    now = datetime.now(timezone.utc)
    serial = itertools.count()
    run = time.time_ns()

    def row() -> dict[str, Any]:
        return stored_row(f"cpu-{run}-{next(serial)}", payload, now)

    for _ in range(30):  # warm: connection, prepared statements
        receive.store_batch(engine, [row() for _ in range(size)])
    batches_rows = [[row() for _ in range(size)] for _ in range(batches)]
    server, client, wall = postgres_cpu(), time.process_time(), time.perf_counter()
    for rows in batches_rows:
        receive.store_batch(engine, rows)
    client, wall = time.process_time() - client, time.perf_counter() - wall
    server = postgres_cpu() - server
    stored = size * batches
    print(json.dumps({"backend": engine.dialect.name, "batch": size, "rows": stored,
                      "client_cpu_us_per_row": round(1e6 * client / stored, 1),
                      "server_cpu_us_per_row": round(1e6 * server / stored, 1) if engine.dialect.name == "postgresql" else None,
                      "wall_us_per_row": round(1e6 * wall / stored, 1)}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 8, int(sys.argv[3]) if len(sys.argv) > 3 else 400)
