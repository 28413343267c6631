"""Part 1, webhook ingest, driven by compiled load generators (bench/wrk/), so the generator is not the bottleneck.

One run measures, on the same machine and in the same minutes:

* the generator's own ceiling: `wrk` (Debian's package, `bench/wrk/ingest.lua`) and the paced generator
  (`bench/wrk/pace.c`) against `bench/wrk/responder.c`, a one-thread C epoll responder far cheaper than
  any Python server;
* per gunicorn worker setting (gthread ×16 as deployed, then sync), bare Flask (`bench/bare_app.py`),
  feedbackloop on SQLite, on PostgreSQL, and bare Flask again: a short warm-up, a closed loop of `wrk -t2
  -c32` for 10 s over distinct pre-signed deliveries (throughput), then `pace` at a fixed 500 req/s
  (latency from each request's scheduled start: no coordinated omission); after gunicorn stops the
  committed `webhook_events` rows are counted, then the job runner's feeder gives them their
  `process_ticket` jobs (timed: the work the receiver no longer does is shown, not hidden) and the jobs are
  counted.

A ratio is "met" only when the generator's ceiling is at least three times the bare-Flask throughput it
is divided by (otherwise the ceiling may be the generator's, and the row says "generator-bound").

With sync workers the database's commit is a second ceiling, measured in the same run on the same scratch
database (`commit_ceiling`): a sync worker holds one delivery until its commit ends, so no receiver that
answers after its commit stores more than one client per worker committing one delivery at a time, with no
HTTP, verifying or parsing at all. A sync row under the target whose commit ceiling is itself under
0.5 × bare Flask says so ("missed: commit-bound"): it stays missed; it is not the code's to close.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import (
    BENCH,
    BIN,
    WEBHOOK_SECRET,
    fmt,
    free_port,
    log,
    postgres_available,
    scratch_database,
    scratch_dir,
    service_env,
    verdict,
)

OPEN_RATE = 500.0
P99_TARGET_MS = 25.0
RATIO_TARGET = 0.5
HEADROOM_TARGET = 3.0  # the generator's ceiling ÷ the bare-Flask throughput, at least
CLK_TCK = os.sysconf("SC_CLK_TCK")
FULL_CLOSED, FULL_OPEN = 10.0, 8.0  # seconds of wrk's closed loop; seconds of the 500/s schedule
QUICK_CLOSED, QUICK_OPEN = 3.0, 2.0
WARMUP_SECONDS = 1.0
WRK_THREADS, WRK_CONNECTIONS = 2, 32
GUNICORN_WORKERS = 2
COMMIT_CEILING_SECONDS, QUICK_COMMIT_CEILING_SECONDS = 3.0, 1.0
PACE_CONNECTIONS = 32
#: Distinct deliveries made for wrk's closed loop: more than any target here answers in 10 s (wrk
#: reports any it had to repeat, and a repeat is marked in RESULTS.md).
CLOSED_DELIVERIES, QUICK_CLOSED_DELIVERIES = 90_000, 30_000
WARMUP_DELIVERIES = 12_000
WRK_DIR = BENCH / "wrk"
TOOLS = WRK_DIR / "build"

sys.path.insert(0, str(WRK_DIR))
import deliveries as make_deliveries  # noqa: E402  (bench/wrk/deliveries.py)
from settle import settle  # noqa: E402  (bench/wrk/settle.py)


@dataclass
class Target:
    name: str
    app: str | None  # None: the C responder
    env: dict[str, str]
    cwd: str
    database_url: str | None = None
    threads: int = 1
    runs: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    server_cpu: dict[str, float] = field(default_factory=dict)
    commit_ceiling: dict[str, Any] | None = None


#: The gunicorn worker settings measured, each for every target (bare Flask included, so each ratio is
#: against bare Flask on the same settings): first as `feedbackloop.gunicorn_conf` deploys it (gthread,
#: 16 threads), then gunicorn's sync worker. BENCH_INGEST_THREADS=N measures only N threads (1: sync).
SETTINGS: tuple[int, ...] = ((int(os.environ["BENCH_INGEST_THREADS"]),) if os.environ.get("BENCH_INGEST_THREADS")
                             else (16, 1))
#: BENCH_INGEST_DATABASES=sqlite (or postgresql) measures one database only.
DATABASES = tuple(os.environ.get("BENCH_INGEST_DATABASES", "sqlite,postgresql").split(","))
THREADED_WORKER = "feedbackloop.gunicorn_worker.HeadFirstWorker"


def setting_name(threads: int) -> str:
    return f"gthread ×{threads}" if threads > 1 else "sync"


def setup_tools() -> None:
    """wrk from Debian if missing, and the C responder and paced generator built (bench/wrk/setup.sh)."""
    subprocess.run(["bash", str(WRK_DIR / "setup.sh")], check=True, timeout=300)


def gunicorn_argv(app: str, port: int, threads: int) -> list[str]:
    """The same settings for every target: 2 workers (sync, or `threads` threads of the deployed
    threaded worker), no access log."""
    thread_args = ["--threads", str(threads), "-k", THREADED_WORKER] if threads > 1 else []
    return [str(BIN / "gunicorn"), "-w", str(GUNICORN_WORKERS), *thread_args, "-b", f"127.0.0.1:{port}", "--log-level", "warning", app]


def _tree_cpu(master: int) -> float:
    """CPU seconds used so far by a process and its children (gunicorn's master and workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == master or ppid == master:
            total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


@contextmanager
def served(target: Target) -> Iterator[tuple[int, int]]:
    port = free_port()
    argv = [str(TOOLS / "responder"), str(port)] if target.app is None else gunicorn_argv(target.app, port, target.threads)
    proc = subprocess.Popen(argv, env=target.env, cwd=target.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        # /healthz answers, and (gunicorn) both workers have booted and sit idle: a worker still importing
        # the app would take CPU from the measured seconds (bench/wrk/settle.py)
        if not settle(proc.pid, port, workers=0 if target.app is None else 2, timeout=60,
                      alive=lambda: proc.poll() is None):
            proc.kill()
            raise RuntimeError(f"{target.name} did not start: {proc.communicate()[1] or ''}")
        yield port, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass(frozen=True)
class Loads:
    """The signed deliveries of one worker setting: each file is sent once per target, and every target
    that stores them has a database of its own, so every request a target stores is a new event."""

    warmup: Path
    closed: Path
    paced: Path


def make_loads(folder: Path, quick: bool) -> Loads:
    loads = Loads(folder / "warmup.txt", folder / "closed.txt", folder / "paced.txt")
    open_s = QUICK_OPEN if quick else FULL_OPEN
    make_deliveries.main(WEBHOOK_SECRET, WARMUP_DELIVERIES, loads.warmup)
    make_deliveries.main(WEBHOOK_SECRET, QUICK_CLOSED_DELIVERIES if quick else CLOSED_DELIVERIES, loads.closed)
    make_deliveries.main(WEBHOOK_SECRET, int(OPEN_RATE * open_s) + 10, loads.paced)
    return loads


def pace(port: int, file: Path, *, rate: float, seconds: float, connections: int = PACE_CONNECTIONS) -> dict[str, Any]:
    """bench/wrk/pace: at `rate` req/s from each request's scheduled start, or a closed loop (rate 0)."""
    argv = [str(TOOLS / "pace"), "127.0.0.1", str(port), "/webhooks/zendesk", str(connections), str(rate),
            str(seconds), str(file)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=seconds + 60)
    return json.loads(done.stdout)


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port: int, file: Path, seconds: float) -> dict[str, Any]:
    """wrk's closed loop over `file`: throughput, its latency percentiles, non-2xx and socket errors."""
    env = {**os.environ, "WRK_DELIVERIES": str(file), "WRK_THREADS": str(WRK_THREADS)}
    argv = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds:g}s", "--latency", "--timeout", "10s",
            "-s", str(WRK_DIR / "ingest.lua"), f"http://127.0.0.1:{port}"]
    started = time.monotonic()
    out = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=seconds + 120, env=env).stdout
    result: dict[str, Any] = {"output": out, "wall_s": time.monotonic() - started}
    result["throughput"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    result["requests"] = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["socket_errors"] = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    repeated = re.search(r"repeated deliveries: (\d+)", out)
    result["repeated"] = int(repeated.group(1)) if repeated else 0
    for pct in ("50", "90", "99"):
        found = re.search(rf"^\s+{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        result[f"p{pct}_ms"] = float(found.group(1)) * _WRK_UNITS[found.group(2)] if found else None
    result["ok"] = result["requests"] - result["non_2xx"]
    return result


def bench_target(target: Target, loads: Loads, quick: bool) -> None:
    closed_s = QUICK_CLOSED if quick else FULL_CLOSED
    open_s = QUICK_OPEN if quick else FULL_OPEN
    with served(target) as (port, master):
        log(f"ingest {target.name}: warm-up {WARMUP_SECONDS:g} s, wrk {closed_s:g} s, then {OPEN_RATE:.0f} req/s for {open_s:g} s")
        target.runs["warmup"] = pace(port, loads.warmup, rate=0, seconds=WARMUP_SECONDS, connections=8)
        time.sleep(0.3)
        cpu = _tree_cpu(master)
        target.runs["closed"] = wrk(port, loads.closed, closed_s)
        target.server_cpu["closed"] = _tree_cpu(master) - cpu
        time.sleep(1.0)
        target.runs["open"] = pace(port, loads.paced, rate=OPEN_RATE, seconds=open_s)
    if target.database_url:
        target.rows = count_rows(target.database_url)


def count_rows(url: str) -> dict[str, Any]:
    """The committed events, then the job runner's feeder run to the end (as `feedbackloop worker` runs it at
    each poll: the receiver stores events alone) and the `process_ticket` jobs it made, with its time."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.orm import Session

    from feedbackloop.jobs.queue import queue_stored_events

    engine = create_engine(url)
    with engine.connect() as conn:
        events = int(conn.execute(text("SELECT count(*) FROM webhook_events")).scalar() or 0)
    started, fed = time.perf_counter(), 0
    with Session(engine) as session:
        while queued := queue_stored_events(session):
            session.commit()
            fed += queued
    feed_s = time.perf_counter() - started
    with engine.connect() as conn:
        jobs = int(conn.execute(text("SELECT count(*) FROM jobs WHERE kind = 'process_ticket'")).scalar() or 0)
    engine.dispose()
    return {"events": events, "jobs": jobs, "fed": fed, "feed_us_per_event": round(feed_s / max(fed, 1) * 1e6, 1)}


def commit_ceiling(url: str, seconds: float) -> dict[str, Any]:
    """The most GUNICORN_WORKERS sync workers could store on this database and disk: one thread per worker,
    each storing one delivery per transaction through the receiver's own store (`receive.store_batch`, as
    a sync worker's request does), nothing else. Deliveries per second, and the median commit in ms."""
    import itertools
    import statistics
    import threading
    from datetime import datetime, timezone

    from loadgen import FIXTURE, stored_row

    from feedbackloop.loop import receive
    from feedbackloop.store.db import make_engine

    engine = make_engine(url)
    payload, now, serial = json.loads(FIXTURE.read_text()), datetime.now(timezone.utc), itertools.count()

    def row() -> dict[str, Any]:
        return stored_row(f"commit-ceiling-{next(serial)}", payload, now)

    for _ in range(20):  # warm: the pool's connections, prepared statements
        receive.store_batch(engine, [row()])
    latencies: list[list[float]] = [[] for _ in range(GUNICORN_WORKERS)]
    deadline = time.perf_counter() + seconds

    def client(mine: list[float]) -> None:
        while (started := time.perf_counter()) < deadline:
            receive.store_batch(engine, [row()])
            mine.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(mine,)) for mine in latencies]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    engine.dispose()
    stored = sum(len(mine) for mine in latencies)
    return {"clients": GUNICORN_WORKERS, "stored": stored, "throughput": stored / elapsed,
            "commit_ms": 1000 * statistics.median(x for mine in latencies for x in mine)}


def generator_ceiling(quick: bool) -> dict[str, Any]:
    """wrk and pace against the C responder, with the same scripts and files as every target."""
    with scratch_dir("responder") as folder:
        loads = make_loads(folder, quick)
        target = Target("C responder (bench/wrk/responder.c)", None, dict(os.environ), str(folder))
        with served(target) as (port, _pid):
            log("ingest: the generators' own ceiling against the C responder")
            closed = wrk(port, loads.closed, QUICK_CLOSED if quick else 5.0)
            paced_closed = pace(port, loads.warmup, rate=0, seconds=2.0, connections=PACE_CONNECTIONS)
            paced = pace(port, loads.paced, rate=OPEN_RATE, seconds=QUICK_OPEN if quick else FULL_OPEN)
    return {"wrk": closed, "pace_closed": paced_closed, "pace_500": paced}


def run(quick: bool, **_: Any) -> dict[str, Any]:
    """The generators' ceiling; per worker setting: bare Flask, feedbackloop on SQLite and PostgreSQL,
    bare Flask again, with the same load."""
    setup_tools()
    ceiling = generator_ceiling(quick)
    rows: list[dict[str, Any]] = []
    for threads in SETTINGS:
        rows += summarise(run_setting(quick, threads), ceiling)["rows"]
    return {"rows": rows, "generator": ceiling, "load_average": _loadavg(), "generator_name": "wrk + pace"}


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run_setting(quick: bool, threads: int) -> list[Target]:
    setting = setting_name(threads)
    with scratch_dir("loads") as loads_dir:
        loads = make_loads(loads_dir, quick)
        results: list[Target] = [bare_target(loads, quick, f"bare Flask · {setting}", threads)]
        kinds = [k for k in ("sqlite", "postgresql") if k in DATABASES and (k == "sqlite" or postgres_available())]
        for kind in kinds:
            with scratch_database(kind, "ingest") as url, scratch_dir("cwd") as folder:
                target = Target(f"feedbackloop · {'SQLite' if kind == 'sqlite' else 'PostgreSQL'} · {setting}",
                                "feedbackloop.app:create_app()", service_env(url), str(folder), database_url=url,
                                threads=threads)
                bench_target(target, loads, quick)
                if threads == 1:
                    target.commit_ceiling = commit_ceiling(url, QUICK_COMMIT_CEILING_SECONDS if quick
                                                           else COMMIT_CEILING_SECONDS)
                results.append(target)
        # bare Flask again, last: on a shared machine the load changes during the run; the better of the
        # two is the ceiling (the ratio errs low, not high)
        results.append(bare_target(loads, quick, f"bare Flask · {setting}, again", threads))
    return results


def bare_target(loads: Loads, quick: bool, name: str, threads: int) -> Target:
    with scratch_dir("bare") as folder:
        env = service_env("sqlite:///unused.db", PYTHONPATH=str(BENCH))
        target = Target(name, "bare_app:create_app()", env, str(folder), threads=threads)
        bench_target(target, loads, quick)
    return target


def summarise(targets: list[Target], ceiling: dict[str, Any]) -> dict[str, Any]:
    bare = max(t.runs["closed"]["throughput"] for t in targets if t.database_url is None and t.app)
    headroom = ceiling["wrk"]["throughput"] / bare if bare else None
    generator_ok = headroom is not None and headroom >= HEADROOM_TARGET
    rows = []
    for target in targets:
        warm, closed, open_ = target.runs["warmup"], target.runs["closed"], target.runs["open"]
        ratio = closed["throughput"] / bare if bare else None
        is_app = target.database_url is not None
        # Answered "accepted" (a lower bound): pace reads each body; every wrk 2xx is a distinct delivery
        # unless wrk ran out of lines (its repeats answer "duplicate").
        accepted = warm["accepted"] + open_["accepted"] + closed["ok"] - closed["repeated"]
        # At most this many more may have been committed without an answer counted: wrk's connections in
        # flight when it stopped, and requests the paced generator counted as errors.
        in_flight = WRK_CONNECTIONS + warm["errors"] + open_["errors"] + closed["socket_errors"]
        committed = None
        if is_app:
            events, jobs = target.rows["events"], target.rows["jobs"]
            committed = jobs == events and accepted <= events <= accepted + in_flight
        ratio_met = None
        if is_app:
            ratio_met = (ratio is not None and ratio >= RATIO_TARGET) if generator_ok else "generator-bound"
        bound = target.commit_ceiling
        if ratio_met is False and bound and bare and bound["throughput"] < RATIO_TARGET * bare:
            ratio_met = "**missed**: commit-bound"
        open_errors = open_["sent"] - open_["ok"] + open_["errors"]
        rows.append({
            "target": target.name,
            "workers": setting_name(target.threads),
            "ceiling": bare,
            "generator_ceiling": ceiling["wrk"]["throughput"],
            "headroom": headroom,
            "throughput": closed["throughput"],
            "ratio": ratio,
            "closed_p50": closed["p50_ms"], "closed_p99": closed["p99_ms"],
            "closed_errors": closed["non_2xx"] + closed["socket_errors"],
            "closed_repeated": closed["repeated"],
            "open_achieved": open_["rate"], "open_p50": open_["p50_ms"], "open_p90": open_["p90_ms"],
            "open_p99": open_["p99_ms"], "open_max": open_["max_ms"], "open_errors": open_errors,
            "server_cpu_ms_per_req": 1000 * target.server_cpu["closed"] / max(1, closed["requests"]),
            "accepted": accepted if is_app else None,
            "rows": target.rows or None,
            "committed": committed, "in_flight": in_flight,
            "ratio_met": ratio_met,
            "commit_ceiling": bound,
            "p99_met": (open_["p99_ms"] < P99_TARGET_MS and open_errors == 0) if is_app else None,
            "first_error": None,
            "raw": {name: {k: v for k, v in run.items() if k != "output"} for name, run in target.runs.items()},
        })
    return {"rows": rows}


def markdown(result: dict[str, Any], quick: bool) -> list[str]:
    gen = result["generator"]
    lines = [
        f"Load average at the end of this part: {result.get('load_average', '?')}.",
        "",
        "The generators' own ceiling, against `bench/wrk/responder.c` in the same run: "
        f"**wrk {fmt(gen['wrk']['throughput'], 0)} req/s** (p50 / p99 {fmt(gen['wrk']['p50_ms'], 2)} / "
        f"{fmt(gen['wrk']['p99_ms'], 2)} ms); pace closed loop {fmt(gen['pace_closed']['rate'], 0)} req/s; "
        f"pace at 500 req/s: p50 / p99 / max {fmt(gen['pace_500']['p50_ms'], 2)} / {fmt(gen['pace_500']['p99_ms'], 2)} / "
        f"{fmt(gen['pace_500']['max_ms'], 2)} ms (the floor under every p99 below).",
        "",
        "| target | wrk throughput (req/s) | × bare Flask | generator headroom (× bare) | wrk p50 / p99 (ms) | pace at 500 req/s: achieved, p50 / p90 / p99 / max (ms) | server CPU ms/req | accepted → rows (events, jobs) | errors | ratio ≥ 0.5 | p99 < 25 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|",
    ]
    for r in result["rows"]:
        ratio_verdict = r["ratio_met"] if isinstance(r["ratio_met"], str) else verdict(r["ratio_met"])
        lines.append(
            f"| {r['target']} | {fmt(r['throughput'], 0)} | {fmt(r['ratio'], 2)} | {fmt(r['headroom'], 1)} | "
            f"{fmt(r['closed_p50'])} / {fmt(r['closed_p99'])} | "
            f"{fmt(r['open_achieved'], 0)}/s, {fmt(r['open_p50'])} / {fmt(r['open_p90'])} / {fmt(r['open_p99'])} / {fmt(r['open_max'])} | "
            f"{fmt(r['server_cpu_ms_per_req'], 2)} | {durability(r)} | {r['closed_errors'] + r['open_errors']} | "
            f"{ratio_verdict} | {verdict(r['p99_met'])} |")
    bounds = [r for r in result["rows"] if r.get("commit_ceiling")]
    if bounds:
        lines += ["", "The commit ceiling of the sync rows, on the same scratch database after the target "
                  f"(`commit_ceiling`: {GUNICORN_WORKERS} clients, one per sync worker, each storing one delivery "
                  "per transaction through `receive.store_batch`, no HTTP): " + "; ".join(
                      f"{r['target']}: {fmt(r['commit_ceiling']['throughput'], 0)} req/s, median commit "
                      f"{fmt(r['commit_ceiling']['commit_ms'], 2)} ms ({fmt(r['commit_ceiling']['throughput'] / r['ceiling'], 2)}"
                      " × bare Flask)" for r in bounds) + ". No receiver that answers after its commit can "
                  "pass it with sync workers; where it is under 0.5 × bare Flask the row says commit-bound."]
    repeated = [f"{r['target']} ({r['closed_repeated']:,})" for r in result["rows"] if r["closed_repeated"] and r["rows"]]
    if repeated:
        lines += ["", "wrk ran out of distinct deliveries (its repeats were answered `duplicate`, cheaper than an "
                  "accepted delivery, so the throughput is flattered): " + ", ".join(repeated)]
    return lines


def durability(r: dict[str, Any]) -> str:
    rows = r["rows"]
    if rows is None:
        return "—"
    text = f"{r['accepted']:,} → {rows['events']:,}, {rows['jobs']:,} ({'all committed' if r['committed'] else '**MISMATCH**'}"
    extra = rows["events"] - r["accepted"]
    if extra > 0:
        text += f"; {extra:,} more: in flight when wrk stopped, committed without an answer counted"
    if rows.get("fed"):
        text += f"; their jobs added by the runner's feeder afterwards at {rows['feed_us_per_event']} µs/event"
    return text + ")"
