"""A small, reproducible version of the bench's export part (bench/export_bench.py), in about a minute.

    nice -n 19 .venv/bin/python scripts/export_timing.py [--rows N] [--db PATH] [--out PATH] [-- EXTRA ARGS]

Generates N ratings with bench/datagen.py into a scratch SQLite file (once; kept for the next run), then
times `feedbackloop export ratings --out OUT --no-requester-lookup` as the bench does (bench/common.py's
`measure`: wall and CPU seconds, peak resident memory of the command and its workers summed), and prints
rows/s, peak MiB and the sha256 of the file, so two trees' exports can be compared byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import datagen  # noqa: E402 (after the sys.path line)
from common import BIN, measure, migrate, service_env  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None, help="default: /tmp/export_timing_ROWS.sqlite")
    parser.add_argument("--out", type=Path, default=Path("/tmp/export_timing.jsonl"))
    parser.add_argument("extra", nargs="*", help="more arguments for the export (after --)")
    args = parser.parse_args()
    db = args.db or Path(f"/tmp/export_timing_{args.rows}.sqlite")
    url = f"sqlite:///{db}"
    if not db.exists():
        migrate(url)
        datagen.populate(url, args.rows)
    env = {k: v for k, v in service_env(url).items() if not k.startswith("ZENDESK_")}
    command = [str(BIN / "feedbackloop"), "export", "ratings", "--out", str(args.out), "--no-requester-lookup",
               *args.extra]
    done = measure(command, env=env)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-800:])
    with args.out.open("rb") as lines:
        rows = sum(1 for _ in lines)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"{rows} rows in {done.seconds:.2f} s ({done.cpu_seconds:.2f} CPU s): {rows / done.seconds:,.0f} rows/s, "
          f"peak {done.tree_peak_mib:.0f} MiB, sha256 {digest[:16]}, load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
