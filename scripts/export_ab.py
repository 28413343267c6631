"""`feedbackloop export ratings` rows/s with this tree's redactor against an earlier commit's, interleaved.

    .venv/bin/python scripts/export_ab.py [--rev REV] [--rows N] [--rounds K]

One SQLite database of N generated ratings (`bench/datagen.py`: four in ten with a PII-laden
comment) is exported K times with each redactor, alternately (old, new, new, old, ...), so load on
the shared machine falls on both alike. Each export is the real command in a child process, in one
process (`--jobs 1`, so worker start-up does not blur the per-row cost), with
`--no-requester-lookup`; the old redactor is `src/feedbackloop/core/redact.py` at REV, put in place of
`feedbackloop.core.redact` before the command imports it. Printed: median wall-clock rows/s and median
CPU-seconds per export for each, and the difference.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import datagen  # noqa: E402 (bench on the path first)
from common import BIN, measure, scratch_database, service_env  # noqa: E402

#: Runs the CLI with another redact module in place: argv[1] is its file, the rest the CLI's arguments.
SHIM = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("feedbackloop.core.redact", sys.argv[1])
module = importlib.util.module_from_spec(spec)
sys.modules["feedbackloop.core.redact"] = module
spec.loader.exec_module(module)
import feedbackloop, feedbackloop.cli
feedbackloop.core.redact = module
sys.argv = ["feedbackloop", *sys.argv[2:]]
raise SystemExit(feedbackloop.cli.main())
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", default="de0ee94", help="the commit whose redact.py is 'before'")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    python = str(BIN / "python")
    with tempfile.TemporaryDirectory() as folder, scratch_database("sqlite", "export-ab") as url:
        old = Path(folder) / "redact_old.py"
        old.write_text(subprocess.run(["git", "-C", str(ROOT), "show", f"{args.rev}:src/feedbackloop/core/redact.py"],
                                      check=True, capture_output=True, text=True).stdout, encoding="utf-8")
        new = ROOT / "src" / "feedbackloop" / "redact.py"
        datagen.populate(url, args.rows)
        env = service_env(url)
        out = Path(folder) / "ratings.jsonl"
        runs: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
        for round_ in range(args.rounds):
            order = ("before", "after") if round_ % 2 == 0 else ("after", "before")
            for name in order:
                module = old if name == "before" else new
                done = measure([python, "-c", SHIM, str(module), "export", "ratings", "--out", str(out),
                                "--no-requester-lookup", "--jobs", "1"], env=env)
                if done.returncode != 0:
                    raise RuntimeError(f"export failed ({name}): {done.stderr[-800:]}")
                runs[name].append((done.seconds, done.cpu_seconds))
    result: dict[str, object] = {"rev": args.rev, "rows": args.rows, "rounds": args.rounds}
    for name, values in runs.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        result[name] = {"rows_per_second": round(args.rows / wall), "rows_per_cpu_second": round(args.rows / cpu),
                        "wall_seconds": [round(v[0], 2) for v in values], "cpu_seconds": [round(v[1], 2) for v in values]}
    before, after = result["before"], result["after"]
    assert isinstance(before, dict) and isinstance(after, dict)
    result["cpu_per_row"] = f"{100 * (before['rows_per_cpu_second'] / after['rows_per_cpu_second'] - 1):+.0f} %"
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
