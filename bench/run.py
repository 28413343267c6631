"""Benchmarks: ratios against the ceilings, measured on this machine, written to bench/RESULTS.md.

    .venv/bin/python bench/run.py            # the whole run (10 000 tickets, 1 M ratings; ~20+ min on 2 cores)
    .venv/bin/python bench/run.py --quick    # a smoke run of every part (~3 min)
    .venv/bin/python bench/run.py --only ingest,reports --out /tmp/RESULTS.md
    .venv/bin/python bench/run.py --only ingest,reports,exports --keep-from bench/RESULTS.json

Parts: ingest (webhooks through gunicorn, SQLite and PostgreSQL, vs bare Flask), economy (helpdesk API
calls per survey and per rating through the sandbox; 200 req/min budget; the Update Ticket limit), reports (`feedbackloop
report` over 1 M ratings vs raw SQL), exports (`feedbackloop export ratings` over 1 M rows).
PostgreSQL is BENCH_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test); each part
creates its own scratch database there and drops it. Rerunning overwrites RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH, log, machine, postgres_available, scratch_database  # noqa: E402

PARTS = ("ingest", "economy", "reports", "exports", "learning")


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def run_data_parts(parts: set[str], quick: bool, rows: int | None = None
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Reports and exports share one generated data set per database (made once, dropped after)."""
    import datagen
    import export_bench
    import report_bench

    rows = rows or (50_000 if quick else 1_000_000)
    kinds = ["sqlite"] + (["postgresql"] if postgres_available() else [])
    reports, exports, generated = [], [], {}
    for kind in kinds:
        label = "SQLite" if kind == "sqlite" else "PostgreSQL"
        with scratch_database(kind, "data") as url:
            log(f"data: {rows:,} rated tickets into {label}")
            generated[label] = datagen.populate(url, rows)
            if "reports" in parts:
                log(f"reports: {label}")
                reports.append(report_bench.run_on(url, label, rows))
            if "exports" in parts and (kind == "sqlite" or quick):
                log(f"exports: {label}")
                exports.append(export_bench.run_on(url, label, rows))
    if "exports" in parts and not quick and "postgresql" in kinds:
        # PostgreSQL's export rate on a tenth of the rows: the rate is per row, and a tenth keeps the run short.
        with scratch_database("postgresql", "export") as url:
            smaller = rows // 10
            log(f"exports: PostgreSQL, {smaller:,} rows")
            datagen.populate(url, smaller)
            exports.append(export_bench.run_on(url, "PostgreSQL", smaller))
    return reports, exports, generated


def keep(results: dict[str, Any], earlier: dict[str, Any], ran: set[str]) -> None:
    """Copy the parts this run skipped from an earlier run's RESULTS.json, with that run's date,
    command, time and load, so one file holds every part and says where each came from."""
    kept = dict(earlier.get("kept", {}))
    for part in PARTS:
        if part in ran or not earlier.get(part) or results.get(part):  # skipped, or run now
            continue
        results[part] = earlier[part]
        if part in ("reports", "exports") and "generated" in earlier:
            results.setdefault("generated", earlier["generated"])
        kept.setdefault(part, {"started": str(earlier["started"])[:16].replace("T", " "),
                              "command": earlier["command"]})
        timed = "reports+exports" if part in ("reports", "exports") else part  # how the run timed it
        for key in ("seconds", "load"):
            for name in (timed, f"{timed} (kept)"):  # kept once already: carried over as it was
                if name in earlier[key]:
                    results[key][f"{timed} (kept)"] = earlier[key][name]
                    break
    results["kept"] = {part: where for part, where in kept.items() if part not in ran}


def render(out: Path, results: dict[str, Any]) -> None:
    import write_results

    if isinstance(results["started"], str):
        results["started"] = datetime.fromisoformat(results["started"])
    write_results.write(out, results)


def compile_package() -> None:
    """Byte-compile feedbackloop as `pip install` does. An editable checkout run with
    PYTHONDONTWRITEBYTECODE (set on some hosts, this one included) otherwise compiles every module
    from source in every process: ~50 ms more per command and per export worker, which no
    installed copy pays."""
    import compileall

    import feedbackloop

    compileall.compile_dir(str(Path(feedbackloop.__file__).parent), quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every part")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts ({', '.join(PARTS)})")
    parser.add_argument("--tickets", type=int, help="economy: solved tickets (default 10 000; --quick 100)")
    parser.add_argument("--ratings", type=int, help="reports/exports: generated ratings (default 1 000 000; --quick 50 000)")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--keep-from", type=Path, metavar="RESULTS.json",
                        help="take the parts not run now from this earlier run (RESULTS.md says which and when)")
    parser.add_argument("--render", type=Path, metavar="RESULTS.json",
                        help="only write --out again from a run's saved numbers")
    args = parser.parse_args()
    if args.render:
        render(args.out, json.loads(args.render.read_text()))
        return 0
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    unknown = parts - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    compile_package()
    started = time.perf_counter()
    command = " ".join(["python bench/run.py", *sys.argv[1:]])
    results: dict[str, Any] = {"machine": machine(), "started": datetime.now(timezone.utc), "command": command,
                               "quick": args.quick, "load": {"start": loadavg()}, "errors": {}, "seconds": {}}
    for part in ("ingest", "economy"):
        if part in parts:
            t = time.perf_counter()
            try:
                module = __import__(part)
                results[part] = module.run(args.quick, tickets=args.tickets)
            except Exception:  # noqa: BLE001 - one part failing still writes the others
                results["errors"][part] = traceback.format_exc()
                log(f"{part} failed:\n{results['errors'][part]}")
            results["seconds"][part] = time.perf_counter() - t
            results["load"][part] = loadavg()
    if parts & {"reports", "exports"}:
        t = time.perf_counter()
        try:
            results["reports"], results["exports"], results["generated"] = run_data_parts(parts, args.quick, args.ratings)
        except Exception:  # noqa: BLE001
            results["errors"]["reports/exports"] = traceback.format_exc()
            log(f"reports/exports failed:\n{results['errors']['reports/exports']}")
        results["seconds"]["reports+exports"] = time.perf_counter() - t
        results["load"]["reports+exports"] = loadavg()
    if "learning" in parts:  # eval, SFT and DPO exports over generated conversations (learning_bench.py)
        t = time.perf_counter()
        try:
            import learning_bench

            results["learning"] = learning_bench.run(args.quick, tickets=args.tickets)
        except Exception:  # noqa: BLE001
            results["errors"]["learning"] = traceback.format_exc()
            log(f"learning failed:\n{results['errors']['learning']}")
        results["seconds"]["learning"] = time.perf_counter() - t
        results["load"]["learning"] = loadavg()
    results["total_seconds"] = time.perf_counter() - started
    if args.keep_from:
        keep(results, json.loads(args.keep_from.read_text()), parts)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(results, default=str, indent=1))
    render(args.out, results)
    log(f"wrote {args.out} in {results['total_seconds'] / 60:.1f} min")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    raise SystemExit(main())
