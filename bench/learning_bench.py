"""Exports for learning: `feedbackloop export eval|sft|dpo` over generated tickets with conversations.

`datagen.populate` makes the rated tickets, `datagen.populate_conversations` their opening messages
(in `ticket.created`), follow-ups, AI drafts, agent replies and overrides. Each export runs alone in
a child process, as a user runs it. Over the command's wall time (start-up included): records built
(written, plus those dropped as near-duplicates: the generated text is templated, so many are),
rows written, tickets read; peak memory as in `export_bench`.
The files are then checked: every line parses, and none of the PII the generator planted is left.

    .venv/bin/python bench/learning_bench.py [--tickets 100000] [--postgresql]
    .venv/bin/python bench/run.py --only learning --keep-from bench/RESULTS.json   (into RESULTS.md)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from common import BIN, fmt, measure, scratch_database, scratch_dir, service_env

KINDS = ("eval", "sft", "dpo")
#: Strings the generator writes into conversations that must not survive redaction.
PLANTED = ("Maria Lopez", "+44 20 7946", "@example.com", "Hi Maria")


def run_on(url: str, label: str, tickets: int) -> list[dict[str, Any]]:
    env = {k: v for k, v in service_env(url).items() if not k.startswith("ZENDESK_")}
    results = []
    with scratch_dir("learning") as folder:
        for kind in KINDS:
            out = folder / f"{kind}.jsonl"
            done = measure([str(BIN / "feedbackloop"), "export", kind, "--out", str(out), "--no-requester-lookup"],
                           env=env)
            if done.returncode != 0:
                raise RuntimeError(f"export {kind} failed: {done.stderr[-800:]}")
            written, leaks = check(out)
            dropped = sum(int(m) for m in re.findall(r"dropped (\d+) near-duplicate", done.stderr))
            results.append({
                "built": written + dropped, "dropped": dropped,
                "built_per_second": (written + dropped) / done.seconds if done.seconds else None,
                "database": label, "kind": kind, "tickets": tickets, "written": written, "seconds": done.seconds,
                "rows_per_second": written / done.seconds if done.seconds else None,
                "tickets_per_second": tickets / done.seconds if done.seconds else None,
                "cpu_seconds": done.cpu_seconds, "peak_mib": done.tree_peak_mib, "leaks": leaks,
                "summary": done.stderr.strip().splitlines(),
            })
    return results


def check(path: Path) -> tuple[int, int]:
    """Lines in the file and lines with planted PII left."""
    written = leaks = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            json.loads(line)
            written += 1
            leaks += any(p in line for p in PLANTED)
    return written, leaks


def markdown(results: list[dict[str, Any]]) -> list[str]:
    lines = [("| database | export | tickets read | records built | near-duplicates dropped | rows written | wall time "
              "| records built/s | rows written/s | tickets/s | CPU time | peak memory | planted PII left |"),
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['database']} | {r['kind']} | {r['tickets']:,} | {r['built']:,} | {r['dropped']:,} | "
                     f"{r['written']:,} | {r['seconds']:.1f} s | {fmt(r['built_per_second'], 0)} | "
                     f"{fmt(r['rows_per_second'], 0)} | {fmt(r['tickets_per_second'], 0)} | {r['cpu_seconds']:.1f} s | "
                     f"{r['peak_mib']:.0f} MiB | {r['leaks']} |")
    return lines


def run(quick: bool, tickets: int | None = None) -> list[dict[str, Any]]:
    """The part as `bench/run.py --only learning` runs it: SQLite, 100 000 tickets (--quick: 5 000)."""
    import datagen

    tickets = tickets or (5_000 if quick else 100_000)
    with scratch_database("sqlite", "learning") as url:
        datagen.populate(url, tickets)
        datagen.populate_conversations(url, tickets)
        return run_on(url, "SQLite", tickets)


def main() -> int:
    import datagen

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--postgresql", action="store_true", help="PostgreSQL (BENCH_PG_URL) instead of SQLite")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()
    kind, label = ("postgresql", "PostgreSQL") if args.postgresql else ("sqlite", "SQLite")
    with scratch_database(kind, "learning") as url:
        print(f"generating {args.tickets:,} tickets in {label} ...", file=sys.stderr)
        datagen.populate(url, args.tickets)
        datagen.populate_conversations(url, args.tickets)
        results = run_on(url, label, args.tickets)
    print("\n".join(markdown(results)))
    for r in results:
        print(f"\n{r['kind']}: " + " / ".join(r["summary"]))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
