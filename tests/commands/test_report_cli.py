"""`feedbackloop report`: table, JSON and CSV, with every figure checked against hand-written SQL."""

from __future__ import annotations

import csv
import io
import json
import random
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, text

from conftest import empty
from feedbackloop.cli import cli
from feedbackloop.insight.reports import format_summary, summarize
from feedbackloop.insight.stats import wilson
from feedbackloop.store.db import make_session_factory, session_scope
from insight_factories import Snapshot, rated, restore, snapshot

SINCE = datetime(2026, 3, 2, tzinfo=timezone.utc)  # a Monday
UNTIL = datetime(2026, 3, 16, tzinfo=timezone.utc)  # two weeks later
INTENTS = {"billing": 0.85, "shipping": 0.55, "returns": 0.7, "technical": 0.4}
CHANNELS = ("email", "chat", "web")


@pytest.fixture
def seeded(engine: Engine, seeded_rows: Snapshot) -> Engine:
    """Ratings over six weeks (the two reported, the two before, and some outside), two tenants."""
    restore(engine, seeded_rows)
    return engine


@pytest.fixture(scope="module")
def seeded_rows(_session_engine: Engine) -> Snapshot:
    """The seeded rows, written once through the ORM and the rollup upserts (~10 s) and then kept."""
    empty(_session_engine)
    rng = random.Random(5)
    with session_scope(make_session_factory(_session_engine)) as db:
        for ticket in range(1, 901):
            intent = rng.choice(list(INTENTS))
            at = SINCE - timedelta(days=21) + timedelta(minutes=rng.randrange(42 * 24 * 60))
            score = rng.choice((4, 5)) if rng.random() < INTENTS[intent] else rng.choice((1, 2, 3))
            rated(db, ticket, score, at, intent=intent, channel=rng.choice(CHANNELS),
                  tenant_id="default" if ticket % 10 else "acme")
        rated(db, 5000, 1, SINCE + timedelta(days=1), intent="rare", channel="email")  # a segment of one
    rows = snapshot(_session_engine)
    empty(_session_engine)
    return rows


def run(engine: Engine, *args: str) -> Result:
    url = engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["report", *args], env={"FEEDBACKLOOP_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return result


def sql_time(engine: Engine, moment: datetime) -> str:
    """A bound for hand-written SQL, in the column's own text form on SQLite."""
    return moment.strftime("%Y-%m-%d %H:%M:%S") + ("+00" if engine.dialect.name == "postgresql" else "")


HAND_SQL = """
SELECT {columns}, count(*) AS n, sum(CASE WHEN score >= 4 THEN 1 ELSE 0 END) AS k,
       sum(CASE WHEN score <= 2 THEN 1 ELSE 0 END) AS bad, avg(score) AS mean
FROM ratings
WHERE tenant_id = :tenant AND created_at >= :since AND created_at < :until
GROUP BY {columns}
"""


def hand_counts(engine: Engine, columns: str, since: datetime, until: datetime,
                tenant: str = "default") -> dict[tuple[Any, ...], tuple[int, int, int, float]]:
    """Our own SQL over the same database: (n, satisfied, bad, mean) per segment."""
    width = len(columns.split(","))
    with engine.connect() as conn:
        rows = conn.execute(text(HAND_SQL.format(columns=columns)),
                            {"tenant": tenant, "since": sql_time(engine, since), "until": sql_time(engine, until)})
        return {tuple(row[:width]): (int(row.n), int(row.k), int(row.bad), float(row.mean)) for row in rows}


def test_json_figures_match_hand_written_sql(seeded: Engine) -> None:
    report = json.loads(run(seeded, "--by", "intent,channel", "--since", "2026-03-02", "--until", "2026-03-15",
                            "--format", "json").stdout)
    expected = hand_counts(seeded, "intent, channel", SINCE, UNTIL)
    before = hand_counts(seeded, "intent, channel", SINCE - (UNTIL - SINCE), SINCE)
    assert report["since"] == SINCE.isoformat() and report["until"] == UNTIL.isoformat()
    assert len(report["segments"]) == len(expected)
    for segment in report["segments"]:
        key = (segment["segment"]["intent"], segment["segment"]["channel"])
        n, k, bad, mean = expected[key]
        rate = wilson(k, n)
        assert (segment["n"], segment["satisfied"], segment["bad"]) == (n, k, bad)
        assert segment["csat"] == pytest.approx(k / n, abs=1e-6)
        assert (segment["csat_low"], segment["csat_high"]) == (pytest.approx(rate.low, abs=1e-6),
                                                               pytest.approx(rate.high, abs=1e-6))
        assert segment["mean_score"] == pytest.approx(mean, abs=1e-6)
        assert segment["suppressed"] == (n < 10)
        assert (segment["previous"]["n"], segment["previous"]["satisfied"]) == before.get(key, (0, 0, 0, 0))[:2]
    total_n = sum(v[0] for v in expected.values())
    assert report["overall"]["n"] == total_n
    assert report["overall"]["satisfied"] == sum(v[1] for v in expected.values())


def test_the_mean_is_of_five_point_ratings_and_mixed_segments_say_so(engine: Engine) -> None:
    """Thumbs ratings (ours or Zendesk's good/bad, stored as 5 and 1) count in CSAT but not in the mean:
    billing has 4 and 2 of 5 and three thumbs (up, down, up); shipping has thumbs only. Whole days
    (the rollup) and a partial day (the raw tables) give the same."""
    with session_scope(make_session_factory(engine)) as db:
        for ticket, (intent, score, scale, hour) in enumerate((
                ("billing", 4, "five", 3), ("billing", 2, "five", 30), ("billing", 5, "thumbs", 50),
                ("billing", 1, "thumbs", 80), ("billing", 5, "thumbs", 100), ("shipping", 5, "thumbs", 7),
                ("shipping", 1, "thumbs", 75)), start=1):
            rated(db, ticket, score, SINCE + timedelta(hours=hour), intent=intent, scale=scale)
    for until in ("2026-03-07", "2026-03-06T12:00"):
        report = json.loads(run(engine, "--by", "intent", "--since", "2026-03-02", "--until", until,
                                "--format", "json", "--min-n", "1").stdout)
        segments = {s["segment"]["intent"]: s for s in report["segments"]}
        billing, shipping = segments["billing"], segments["shipping"]
        assert (billing["n"], billing["satisfied"], billing["bad"]) == (5, 3, 2)  # CSAT: every scale
        assert (billing["mean_score"], billing["rated_five"], billing["rated_two_point"]) == (3.0, 2, 3)
        assert (shipping["mean_score"], shipping["rated_five"], shipping["rated_two_point"]) == (None, 0, 2)
        assert (report["overall"]["mean_score"], report["overall"]["rated_two_point"]) == (3.0, 5)
    table = run(engine, "--by", "intent", "--since", "2026-03-02", "--until", "2026-03-07", "--min-n", "1").stdout
    assert "3.00*" in table and "mean*: this segment mixes scales" in table
    assert "of 2 five-point ratings, 5 good/bad not in it" in table
    shipping_line = next(line for line in table.splitlines() if line.startswith("shipping"))
    assert "—" in shipping_line and "5.00" not in shipping_line and "3.00" not in shipping_line
    rows = list(csv.DictReader(io.StringIO(run(engine, "--by", "intent", "--since", "2026-03-02", "--until",
                                                "2026-03-07", "--format", "csv", "--min-n", "1").stdout)))
    assert {(r["intent"], r["mean_score"], r["rated_five"], r["rated_two_point"]) for r in rows} == {
        ("billing", "3.0", "2", "3"), ("shipping", "", "0", "2")}


def test_json_ranks_worst_first_and_small_segments_last(seeded: Engine) -> None:
    report = json.loads(run(seeded, "--by", "intent", "--since", "2026-03-02", "--until", "2026-03-15",
                            "--format", "json").stdout)
    ranked = [s for s in report["segments"] if not s["suppressed"]]
    assert [s["csat"] for s in ranked] == sorted(s["csat"] for s in ranked)
    assert report["segments"][-1]["segment"] == {"intent": "rare"} and report["segments"][-1]["suppressed"]


def test_weekly_periods_match_hand_written_sql_week_by_week(seeded: Engine) -> None:
    result = run(seeded, "--by", "intent", "--since", "2026-03-04", "--until", "2026-03-15", "--period", "week",
                 "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    weeks = sorted({row["period_start"] for row in rows})
    assert weeks == ["2026-03-02T00:00:00+00:00", "2026-03-09T00:00:00+00:00"]  # since rounded to Monday
    for row in rows:
        start = datetime.fromisoformat(row["period_start"])
        n, k, _, _ = hand_counts(seeded, "intent", start, start + timedelta(days=7))[(row["intent"],)]
        prev_n, prev_k, _, _ = hand_counts(seeded, "intent", start - timedelta(days=7), start).get(
            (row["intent"],), (0, 0, 0, 0))
        assert (int(row["n"]), int(row["satisfied"])) == (n, k)
        assert (int(row["prev_n"]), int(row["prev_satisfied"])) == (prev_n, prev_k)
        assert float(row["csat"]) == pytest.approx(k / n, abs=1e-4)
        assert row["suppressed"] == ("true" if n < 10 else "false")


def test_the_table_is_aligned_worst_first_with_intervals(seeded: Engine) -> None:
    out = run(seeded, "--by", "intent", "--since", "2026-03-02", "--until", "2026-03-15").stdout
    lines = out.splitlines()
    assert lines[0].startswith("CSAT by intent · 2026-03-02 → 2026-03-16 UTC · vs the 14 days before")
    header = next(i for i, line in enumerate(lines) if line.startswith("intent "))
    body = lines[header + 1:header + 1 + len(INTENTS) + 1]
    expected = hand_counts(seeded, "intent", SINCE, UNTIL)
    worst_first = sorted((k / n, name) for (name,), (n, k, _, _) in expected.items() if n >= 10)
    assert [line.split()[0] for line in body[:4]] == [name for _, name in worst_first]
    for line in body[:4]:
        n, k, _, _ = expected[(line.split()[0],)]
        rate = wilson(k, n)
        assert f"{100 * k / n:.1f}%" in line and f"[{100 * rate.low:.1f}–{100 * rate.high:.1f}]" in line
    assert body[4].startswith("rare") and body[4].endswith("n<10: not ranked")
    assert len({line.index("%") for line in body[:4]}) == 1  # the CSAT column is aligned
    assert "AI vs human" in out and "CSAT drops: none found in this range" in out


def test_by_tenant_looks_across_tenants_unless_one_is_given(seeded: Engine) -> None:
    args = ("--by", "tenant", "--since", "2026-03-02", "--until", "2026-03-15", "--format", "json")
    segments = json.loads(run(seeded, *args).stdout)["segments"]
    assert {s["segment"]["tenant"]: s["n"] for s in segments} == {
        "default": sum(v[0] for v in hand_counts(seeded, "tenant_id", SINCE, UNTIL).values()),
        "acme": sum(v[0] for v in hand_counts(seeded, "tenant_id", SINCE, UNTIL, tenant="acme").values()),
    }
    only = json.loads(run(seeded, *args, "--tenant", "acme").stdout)
    assert [s["segment"]["tenant"] for s in only["segments"]] == ["acme"] and only["tenant_id"] == "acme"


def test_out_writes_the_file(seeded: Engine, tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    result = run(seeded, "--format", "csv", "--since", "2026-03-02", "--until", "2026-03-15", "--out", str(target))
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("intent,period_start,period_end,n,satisfied")


@pytest.mark.parametrize(("args", "message"), [
    (("--by", "colour"), "unknown segment 'colour'"),
    (("--since", "yesterday-ish"), "not a time"),
    (("--since", "2026-03-10", "--until", "2026-03-01"), "range is empty"),
    (("--period", "year"), "'year' is not one of"),
])
def test_bad_options_end_with_a_usage_error(engine: Engine, args: tuple[str, ...], message: str) -> None:
    url = engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["report", *args], env={"FEEDBACKLOOP_DATABASE_URL": url})
    assert result.exit_code == 2
    assert message in result.output


def test_the_demo_summary_counts_through_the_same_code(seeded: Engine) -> None:
    with session_scope(make_session_factory(seeded)) as db:
        summary = summarize(db, "default")
    everything = hand_counts(seeded, "tenant_id", datetime(2000, 1, 1, tzinfo=timezone.utc),
                             datetime(2100, 1, 1, tzinfo=timezone.utc))[("default",)]
    assert (summary.csat.n, summary.csat.k) == everything[:2]
    text_out = format_summary(summary)
    assert "CSAT by category (worst first; 95% Wilson interval):" in text_out
    assert f"{'ratings':<24}{everything[0]}" in text_out


def test_a_database_without_the_schema_ends_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "empty.db").touch()
    result = CliRunner().invoke(cli, ["report"], env={"FEEDBACKLOOP_DATABASE_URL": f"sqlite:///{tmp_path}/empty.db"})
    assert result.exit_code == 1
    assert "no such table" in result.output and "feedbackloop db upgrade" in result.output


@pytest.mark.parametrize("command", [["report"], ["jobs"], ["export", "ratings", "--out", "x.jsonl"]])
def test_a_reading_command_never_creates_a_database_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         command: list[str]) -> None:
    """`report` in an empty folder used to leave an empty feedbackloop.db behind before failing."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, command, env={"FEEDBACKLOOP_DATABASE_URL": None,
                                                   "FEEDBACKLOOP_SECRET_KEY": "0123456789abcdef0123"})
    assert result.exit_code == 1
    assert f"no database at {tmp_path.resolve() / 'feedbackloop.db'}" in result.output
    assert "FEEDBACKLOOP_DATABASE_URL" in result.output and "feedbackloop db upgrade" in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_report_runs_while_the_receiver_holds_the_sqlite_write_lock(seeded: Engine) -> None:
    """The report reads in a deferred transaction: under WAL it needs no lock, so webhooks are not
    held up behind it (with BEGIN IMMEDIATE it would wait out the 30 s busy timeout here)."""
    if seeded.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL readers take no lock a writer waits for")
    writer = sqlite3.connect(seeded.url.database or "", timeout=0.5, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE ratings SET reason = 'mid-write' WHERE ticket_id = 1")
        started = time.perf_counter()
        data = json.loads(run(seeded, "--since", "2026-03-02", "--until", "2026-03-16", "--format", "json").output)
        assert time.perf_counter() - started < 10
        assert data["overall"]["n"] > 0
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_the_report_imports_no_web_nor_alerting_code(seeded: Engine) -> None:
    """Start-up is most of a report's time on SQLite (bench/README.md): `feedbackloop report` loads
    neither Flask, requests, the job queue nor the alerting that sends drops."""
    import os
    import subprocess
    import sys

    probe = (
        "import sys\nfrom feedbackloop.cli import cli\n"
        "try:\n    cli(['report', '--since', '2026-03-02', '--until', '2026-03-15', '--format', 'json'])\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = ('flask', 'requests', 'zenpy', 'alembic', 'feedbackloop.jobs.queue', 'feedbackloop.insight.alerts')\n"
        "print('LOADED', sorted(m for m in heavy if m in sys.modules))\n"
    )
    url = seeded.url.render_as_string(hide_password=False)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "FEEDBACKLOOP_DATABASE_URL": url})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("{")  # the JSON report came out
    assert done.stdout.strip().splitlines()[-1] == "LOADED []"
