"""Part 1, webhook ingest: gunicorn -w 2 serving feedbackloop (SQLite, PostgreSQL) and a bare Flask app.

Per target: start gunicorn, warm up, a closed-loop run (saturation throughput), an open-loop run at
a fixed 500 req/s (p50/p99 from each request's scheduled start), stop gunicorn, then count the rows
the accepted events left behind (event + its processing job, committed before the 200).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import (
    BENCH,
    BIN,
    PYTHON,
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
CLK_TCK = os.sysconf("SC_CLK_TCK")
FULL_CLOSED, FULL_OPEN = 10.0, 10.0  # seconds of closed loop; seconds of the 500/s schedule
QUICK_CLOSED, QUICK_OPEN = 3.0, 2.0


@dataclass
class Target:
    name: str
    app: str
    env: dict[str, str]
    cwd: str
    database_url: str | None = None
    threads: int = 1
    runs: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    server_cpu: dict[str, float] = field(default_factory=dict)


#: The gunicorn worker settings measured, each for every target (bare Flask included, so each ratio is
#: against bare Flask on the same settings): first as `feedbackloop.gunicorn_conf` deploys it (gthread,
#: 4 threads: a request waiting on the database's commit no longer holds its whole worker), then
#: gunicorn's sync worker (its default). BENCH_INGEST_THREADS=N measures only N threads (1: sync).
SETTINGS: tuple[int, ...] = ((int(os.environ["BENCH_INGEST_THREADS"]),) if os.environ.get("BENCH_INGEST_THREADS")
                             else (4, 1))


def setting_name(threads: int) -> str:
    return f"gthread ×{threads}" if threads > 1 else "sync"


#: The threaded worker as `feedbackloop.gunicorn_conf` deploys it: gthread reading request heads in its
#: event loop (slow clients hold no thread). Bare Flask runs on the same worker, so ratios compare apps.
THREADED_WORKER = "feedbackloop.gunicorn_worker.HeadFirstWorker"


def gunicorn_argv(app: str, port: int, threads: int) -> list[str]:
    """The same settings for every target: 2 workers (sync, or `threads` threads of the deployed
    threaded worker), no access log."""
    thread_args = ["--threads", str(threads), "-k", THREADED_WORKER] if threads > 1 else []
    return [str(BIN / "gunicorn"), "-w", "2", *thread_args, "-b", f"127.0.0.1:{port}", "--log-level", "warning", app]


def _tree_cpu(master: int) -> float:
    """CPU seconds used so far by the gunicorn master and its workers."""
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
    proc = subprocess.Popen(gunicorn_argv(target.app, port, target.threads), env=target.env, cwd=target.cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn for {target.name} did not start: {proc.stderr.read() if proc.stderr else ''}")
            time.sleep(0.2)
        yield port, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def load(port: int, mode: str, *, duration: float = 0, count: int = 0, concurrency: int = 8,
         first_ticket: int = 1) -> dict[str, Any]:
    argv = [PYTHON, str(BENCH / "loadgen.py"), "--port", str(port), "--secret", WEBHOOK_SECRET, "--mode", mode,
            "--concurrency", str(concurrency), "--duration", str(duration), "--rate", str(OPEN_RATE),
            "--count", str(count), "--first-ticket", str(first_ticket)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=600)
    return json.loads(done.stdout)


def bench_target(target: Target, quick: bool) -> None:
    closed_s = QUICK_CLOSED if quick else FULL_CLOSED
    open_n = int(OPEN_RATE * (QUICK_OPEN if quick else FULL_OPEN))
    with served(target) as (port, master):
        log(f"ingest {target.name}: warm-up")
        target.runs["warmup"] = load(port, "closed", duration=1.5, concurrency=8, first_ticket=1)
        time.sleep(0.5)
        log(f"ingest {target.name}: closed loop {closed_s:.0f} s")
        cpu = _tree_cpu(master)
        target.runs["closed"] = load(port, "closed", duration=closed_s, concurrency=8, first_ticket=10_000_000)
        target.server_cpu["closed"] = _tree_cpu(master) - cpu
        time.sleep(1.0)
        log(f"ingest {target.name}: open loop {open_n} requests at {OPEN_RATE:.0f}/s")
        cpu = _tree_cpu(master)
        target.runs["open"] = load(port, "open", count=open_n, first_ticket=20_000_000)
        target.server_cpu["open"] = _tree_cpu(master) - cpu
    if target.database_url:
        target.rows = count_rows(target.database_url)


def count_rows(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        events = int(conn.execute(text("SELECT count(*) FROM webhook_events")).scalar() or 0)
        jobs = int(conn.execute(text("SELECT count(*) FROM jobs WHERE kind = 'process_ticket'")).scalar() or 0)
    engine.dispose()
    return {"events": events, "jobs": jobs}


def run(quick: bool, **_: Any) -> dict[str, Any]:
    """Per worker setting: bare Flask, feedbackloop on SQLite, on PostgreSQL, bare Flask again; same load."""
    rows: list[dict[str, Any]] = []
    for threads in SETTINGS:
        rows += summarise(run_setting(quick, threads))["rows"]
    return {"rows": rows}


def run_setting(quick: bool, threads: int) -> list[Target]:
    setting = setting_name(threads)
    results: list[Target] = [bare_target(quick, f"bare Flask · {setting}", threads)]
    kinds = ["sqlite"] + (["postgresql"] if postgres_available() else [])
    for kind in kinds:
        with scratch_database(kind, "ingest") as url, scratch_dir("cwd") as folder:
            target = Target(f"feedbackloop · {'SQLite' if kind == 'sqlite' else 'PostgreSQL'} · {setting}",
                            "feedbackloop.app:create_app()", service_env(url), str(folder), database_url=url,
                            threads=threads)
            bench_target(target, quick)
            results.append(target)
    # bare Flask again, last: on a shared machine the load changes during the run; the better of the
    # two is the ceiling (the ratio errs low, not high)
    results.append(bare_target(quick, f"bare Flask · {setting}, again", threads))
    return results


def bare_target(quick: bool, name: str, threads: int) -> Target:
    with scratch_dir("bare") as folder:
        env = service_env("sqlite:///unused.db", PYTHONPATH=str(BENCH))
        target = Target(name, "bare_app:create_app()", env, str(folder), threads=threads)
        bench_target(target, quick)
    return target


def summarise(targets: list[Target]) -> dict[str, Any]:
    bare = max(t.runs["closed"]["throughput"] for t in targets if t.database_url is None)
    rows = []
    for target in targets:
        closed, open_ = target.runs["closed"], target.runs["open"]
        accepted = sum(run["accepted"] for run in target.runs.values())
        ratio = closed["throughput"] / bare if bare else None
        committed = None
        unanswered = sum(run["sent"] - run["ok"] for run in target.runs.values())
        if target.database_url:
            # Every accepted event has its row and its job; a request the generator gave up on (10 s)
            # may still have been committed by the server: at most that many rows more.
            events, jobs = target.rows["events"], target.rows["jobs"]
            committed = jobs == events and accepted <= events <= accepted + unanswered
        is_app = target.database_url is not None
        rows.append({
            "target": target.name,
            "workers": setting_name(target.threads),
            "ceiling": bare,
            "throughput": closed["throughput"],
            "ratio": ratio,
            "closed_p50": closed["p50_ms"], "closed_p99": closed["p99_ms"],
            "closed_errors": closed["sent"] - closed["ok"],
            "open_achieved": open_["throughput"], "open_p50": open_["p50_ms"], "open_p90": open_["p90_ms"],
            "open_p99": open_["p99_ms"], "open_max": open_["max_ms"], "open_errors": open_["sent"] - open_["ok"],
            "server_cpu_ms_per_req": 1000 * target.server_cpu["closed"] / max(1, closed["sent"]),
            "loadgen_cpu_ms_per_req": 1000 * closed["loadgen_cpu_s"] / max(1, closed["sent"]),
            "accepted": accepted if is_app else None,
            "rows": target.rows or None,
            "committed": committed, "unanswered": unanswered,
            "ratio_met": (ratio is not None and ratio >= RATIO_TARGET) if is_app else None,
            "p99_met": (open_["p99_ms"] is not None and open_["p99_ms"] < P99_TARGET_MS
                        and open_["sent"] == open_["ok"]) if is_app else None,
            "first_error": closed["first_error"] or open_["first_error"],
            "raw": target.runs,
        })
    return {"rows": rows}


def markdown(result: dict[str, Any], quick: bool) -> list[str]:
    lines = [
        "| target | max throughput (req/s) | × bare Flask | p50 / p99 at saturation (ms) | at 500 req/s: achieved, p50 / p90 / p99 / max (ms) | server CPU ms/req | accepted → rows (events, jobs) | errors | ratio ≥ 0.5 | p99 < 25 ms |",
        "|---|---:|---:|---:|---:|---:|---|---:|---|---|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['target']} | {fmt(r['throughput'], 0)} | {fmt(r['ratio'], 2)} | "
            f"{fmt(r['closed_p50'])} / {fmt(r['closed_p99'])} | "
            f"{fmt(r['open_achieved'], 0)}/s, {fmt(r['open_p50'])} / {fmt(r['open_p90'])} / {fmt(r['open_p99'])} / {fmt(r['open_max'])} | "
            f"{fmt(r['server_cpu_ms_per_req'], 2)} | {durability(r)} | {r['closed_errors'] + r['open_errors']} | "
            f"{verdict(r['ratio_met'])} | {verdict(r['p99_met'])} |")
    return lines


def durability(r: dict[str, Any]) -> str:
    rows = r["rows"]
    if rows is None:
        return "—"
    text = f"{r['accepted']:,} → {rows['events']:,}, {rows['jobs']:,} ({'all committed' if r['committed'] else '**MISMATCH**'}"
    extra = rows["events"] - r["accepted"]
    if extra > 0:
        text += f"; {extra:,} more: requests the client gave up on (10 s) that the server still committed"
    return text + ")"
