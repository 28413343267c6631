"""Part 3, reports: `feedbackloop report` over a million ratings against the raw SQL of the same figures.

Three timings per database, each the median of several runs on a warm database:
- the command as a user runs it (`feedbackloop report --since 30d`, default `--by intent`), in a
  fresh process: interpreter start, imports, schema check, queries, rendering;
- the same report in-process (`build_report` + `render`, what the command does after start-up);
- raw SQL: the statements below, the least database work we found that yields the report's figures
  (one scan of the ratings for every CSAT figure of both ranges, the response rate, solves, reopen
  and failed-resolution counts, overridden share, drop alerts), run through the same driver, no ORM.
The "≤ 2 × raw SQL" target compares the in-process report with raw SQL (both without start-up).
The report reads whole days from the daily rollup (rollups.py; datagen rebuilds it after its bulk
load) and only the partial days at the edges from the ratings, while RAW_SQL still scans every
rating of the range, as the report did before: the ratio shows what the rollup saves.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from common import BIN, fmt, measure, service_env, verdict
from sqlalchemy import Engine, text

RUNS = 5
CLI_RUNS = 3
TARGET_SECONDS = 1.0
TARGET_RATIO = 2.0

CUR = "created_at >= :since"
PREV = "created_at < :since"


def window_measures(cond: str) -> str:
    """Ratings, satisfied, score sum and bad ratings among the rows where `cond` holds."""
    return (f"sum(CASE WHEN {cond} THEN 1 ELSE 0 END), sum(CASE WHEN {cond} AND score >= 4 THEN 1 ELSE 0 END), "
            f"sum(CASE WHEN {cond} THEN score ELSE 0 END), sum(CASE WHEN {cond} AND score <= 2 THEN 1 ELSE 0 END)")


#: One scan of the ratings gives every rating figure: cut by intent × resolver, with the counts of
#: this range and of the range before side by side (headline and by-intent rows are sums of these
#: cells; AI vs human is the current range's cells as they are).
RAW_SQL = {
    "ratings (one scan)": f"SELECT intent, resolver, {window_measures(CUR)}, {window_measures(PREV)} FROM ratings "
                          "WHERE tenant_id = :tenant AND created_at >= :start AND created_at < :end "
                          "GROUP BY intent, resolver",
    # the response rate is ratings received in a range over surveys sent in it (metrics.py): no join
    "surveys sent": "SELECT CASE WHEN sent_at >= :since THEN 'current' ELSE 'previous' END AS b, count(*) "
                    "FROM surveys WHERE tenant_id = :tenant AND sent_at >= :start AND sent_at < :end GROUP BY b",
    "solves": "SELECT count(id) FROM surveys WHERE tenant_id = :tenant AND solved_at >= :since AND solved_at < :end",
    "reopens, failed": "SELECT type, count(id) FROM signals WHERE tenant_id = :tenant "
                       "AND type IN ('reopen', 'failed_resolution') AND occurred_at >= :since AND occurred_at < :end "
                       "GROUP BY type",
    "AI tickets": "SELECT count(DISTINCT ticket_id) FROM ai_decisions WHERE tenant_id = :tenant "
                  "AND created_at >= :since AND created_at < :end",
    "overridden": "SELECT count(DISTINCT ticket_id) FROM overrides WHERE tenant_id = :tenant AND kind != 'handoff' "
                  "AND occurred_at >= :since AND occurred_at < :end",
    "drops": "SELECT id FROM drop_alerts WHERE tenant_id = :tenant AND period_start >= :start "
             "AND period_start < :end ORDER BY period_start DESC LIMIT 100",
}


def params(engine: Engine, now: datetime) -> dict[str, Any]:
    since = now - timedelta(days=30)
    values: dict[str, Any] = {"tenant": "default", "since": since, "start": since - timedelta(days=30), "end": now}
    if engine.dialect.name == "sqlite":  # stored as naive UTC text
        for key in ("since", "start", "end"):
            values[key] = values[key].astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return values


def time_raw_sql(engine: Engine) -> tuple[float, dict[str, float]]:
    """Median seconds for all statements together, and each statement's median."""
    bound = params(engine, datetime.now(timezone.utc))
    each: dict[str, list[float]] = {name: [] for name in RAW_SQL}
    totals = []
    with engine.connect() as conn:
        for name, sql in RAW_SQL.items():  # warm-up
            conn.execute(text(sql), bound).all()
        for _ in range(RUNS):
            started = time.perf_counter()
            for name, sql in RAW_SQL.items():
                t = time.perf_counter()
                conn.execute(text(sql), bound).all()
                each[name].append(time.perf_counter() - t)
            totals.append(time.perf_counter() - started)
    return statistics.median(totals), {name: statistics.median(v) for name, v in each.items()}


def time_in_process(url: str) -> tuple[float, str]:
    """Median seconds for build_report + render (table), as the command runs them, on a warm engine."""
    from feedbackloop.commands.report_cli import build_query
    from feedbackloop.insight.reports import build_report, render
    from feedbackloop.store.db import make_read_engine, make_session_factory, session_scope, utcnow

    engine = make_read_engine(url)  # as the command reads
    factory = make_session_factory(engine)
    seconds = []
    output = ""
    try:
        for attempt in range(RUNS + 1):
            started = time.perf_counter()
            query = build_query("intent", "30d", None, None, None, 10)
            with session_scope(factory) as session:
                output = render(build_report(session, query, utcnow()), "table")
            if attempt:  # the first run warms caches and the statement cache
                seconds.append(time.perf_counter() - started)
    finally:
        engine.dispose()
    return statistics.median(seconds), output


def time_cli(url: str) -> tuple[float, float, float, str]:
    """Median wall seconds of `feedbackloop report --since 30d` and of `feedbackloop --version`; peak MiB."""
    env = service_env(url)
    report = [measure([str(BIN / "feedbackloop"), "report", "--since", "30d"], env=env) for _ in range(CLI_RUNS)]
    startup = [measure([str(BIN / "feedbackloop"), "--version"], env=env) for _ in range(CLI_RUNS)]
    failed = next((m for m in report if m.returncode != 0), None)
    if failed is not None:
        raise RuntimeError(f"feedbackloop report failed: {failed.stderr[-500:]}")
    return (statistics.median(m.seconds for m in report), statistics.median(m.seconds for m in startup),
            max(m.peak_mib for m in report), report[0].stdout)


def run_on(url: str, kind: str, rows: int) -> dict[str, Any]:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    raw, raw_each = time_raw_sql(engine)
    engine.dispose()
    in_process, output = time_in_process(url)
    cli, startup, peak, cli_output = time_cli(url)
    return {
        "database": kind, "ratings": rows, "raw_sql": raw, "raw_each": raw_each, "in_process": in_process,
        "cli": cli, "startup": startup, "cli_peak_mib": peak, "ratio": in_process / raw if raw else None,
        "under_1s_in_process": in_process < TARGET_SECONDS, "under_1s_cli": cli < TARGET_SECONDS,
        "ratio_met": raw > 0 and in_process / raw <= TARGET_RATIO, "output_head": cli_output[:1200],
    }


def markdown(results: list[dict[str, Any]], quick: bool) -> list[str]:
    lines = [
        "| database | ratings | raw SQL | report in-process | × raw SQL | `feedbackloop report` (whole command) | of which start-up (`--version`) | peak memory | < 1 s (in-process / command) | ≤ 2 × raw SQL |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['ratings']:,} | {r['raw_sql'] * 1000:,.0f} ms | {r['in_process'] * 1000:,.0f} ms | "
            f"{fmt(r['ratio'], 2)} | {r['cli'] * 1000:,.0f} ms | {r['startup'] * 1000:,.0f} ms | {r['cli_peak_mib']:.0f} MiB | "
            f"{verdict(r['under_1s_in_process'])} / {verdict(r['under_1s_cli'])} | {verdict(r['ratio_met'])} |")
    lines += ["", "Raw SQL, median per statement (ms):", ""]
    names = list(RAW_SQL)
    lines.append("| database | " + " | ".join(names) + " |")
    lines.append("|---|" + "---:|" * len(names))
    for r in results:
        lines.append(f"| {r['database']} | " + " | ".join(f"{r['raw_each'][n] * 1000:,.1f}" for n in names) + " |")
    return lines
