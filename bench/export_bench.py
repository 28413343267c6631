"""Part 4, exports: `feedbackloop export ratings` over a million ratings, four in ten with PII comments.

The export runs alone in a child process, as a user runs it, with its default worker processes
(one per CPU; `exports/parallel.py`), then again with `--jobs 1` (everything in one process) for
comparison. Rows/s is rows written over the command's wall time (start-up included); CPU time
includes the workers'; peak memory is the highest sum, polled every 50 ms, of the resident memory
of the command and its workers (shared pages counted in each: an upper bound). Afterwards the file
is checked: every row there, and none of the PII the generator planted left in it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from common import BIN, fmt, measure, scratch_dir, service_env, verdict

from feedbackloop.learn.exports.parallel import usable_cpus  # the export's default worker count

TARGET_ROWS_PER_SECOND = 20_000
TARGET_PEAK_MIB = 200
#: Strings the generator writes into comments that must not survive redaction.
PLANTED = ("4111 1111 1111 1111", "@example.com", "DE89 3704", "Tom Baker", "Maria Lopez", "Baker Street",
           "NW1 6XE", "+44 20 7946", "sk_live_", "10.0.")


def run_on(url: str, kind: str, rows: int) -> dict[str, Any]:
    env = {k: v for k, v in service_env(url).items() if not k.startswith("ZENDESK_")}
    with scratch_dir("export") as folder:
        out = folder / "ratings.jsonl"
        command = [str(BIN / "feedbackloop"), "export", "ratings", "--out", str(out), "--no-requester-lookup"]
        done = measure(command, env=env)
        if done.returncode != 0:
            raise RuntimeError(f"export failed: {done.stderr[-800:]}")
        written, leaks, redacted, sample = check(out)
        alone = measure([*command, "--jobs", "1"], env=env)
        if alone.returncode != 0:
            raise RuntimeError(f"export --jobs 1 failed: {alone.stderr[-800:]}")
        alone_written = check(out)[0]
    return {
        "database": kind, "ratings": rows, "written": written, "seconds": done.seconds, "cpu_seconds": done.cpu_seconds,
        "rows_per_second": written / done.seconds if done.seconds else None, "peak_mib": done.tree_peak_mib,
        "jobs": usable_cpus(), "leaks": leaks, "redacted_comments": redacted, "sample": sample,
        "rate_met": written / done.seconds >= TARGET_ROWS_PER_SECOND if done.seconds else False,
        "memory_met": done.tree_peak_mib < TARGET_PEAK_MIB,
        "one_process": {"seconds": alone.seconds, "cpu_seconds": alone.cpu_seconds, "peak_mib": alone.tree_peak_mib,
                        "rows_per_second": alone_written / alone.seconds if alone.seconds else None},
    }


def check(path: Path) -> tuple[int, int, int, str]:
    """Rows in the file, rows with planted PII left, comments that show a placeholder, one redacted comment."""
    written = leaks = redacted = 0
    sample = ""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            written += 1
            comment = json.loads(line).get("comment") or ""
            if any(p in comment for p in PLANTED):
                leaks += 1
            if "[" in comment:
                redacted += 1
                sample = sample or comment
    return written, leaks, redacted, sample


def markdown(results: list[dict[str, Any]], quick: bool) -> list[str]:
    lines = [
        ("| database | rows | worker processes | wall time | rows/s | CPU time | peak memory (with workers) | "
         "one process (`--jobs 1`): rows/s, CPU, peak | comments redacted | planted PII left | ≥ 20 000 rows/s | < 200 MB |"),
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---|",
    ]
    for r in results:
        alone = r.get("one_process") or {}
        reference = (f"{fmt(alone.get('rows_per_second'), 0)} rows/s, {alone.get('cpu_seconds', 0):.1f} s, "
                     f"{alone.get('peak_mib', 0):.0f} MiB" if alone else "—")
        lines.append(
            f"| {r['database']} | {r['written']:,} | {r.get('jobs', 1)} | {r['seconds']:.1f} s | "
            f"{fmt(r['rows_per_second'], 0)} | {r['cpu_seconds']:.1f} s | {r['peak_mib']:.0f} MiB | {reference} | "
            f"{r['redacted_comments']:,} | {r['leaks']} | {verdict(r['rate_met'])} | {verdict(r['memory_met'])} |")
    if results:
        lines += ["", f"A redacted comment as exported: `{results[0]['sample']}`"]
    return lines
