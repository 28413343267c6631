"""bench/ stays runnable: its load is correctly signed, its data exports with no planted PII left.

Only the cheap pieces, on SQLite, with no timing asserted (timings belong in bench/RESULTS.md).
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import datagen  # noqa: E402
import export_bench  # noqa: E402
import loadgen  # noqa: E402
import report_bench  # noqa: E402
from common import WEBHOOK_SECRET, scratch_database  # noqa: E402

from feedbackloop.helpdesks.zendesk.events import parse  # noqa: E402
from feedbackloop.helpdesks.zendesk.signature import verify  # noqa: E402


def split_request(raw: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    request_line, *lines = head.decode().split("\r\n")
    return request_line, dict(line.split(": ", 1) for line in lines), body


def test_the_load_is_distinct_signed_solved_events() -> None:
    requests = loadgen.build_requests("127.0.0.1", 8000, "/webhooks/zendesk", WEBHOOK_SECRET, 5, first_ticket=100)
    events = []
    for raw in requests:
        request_line, headers, body = split_request(raw)
        assert request_line == "POST /webhooks/zendesk HTTP/1.1" and int(headers["Content-Length"]) == len(body)
        verify(headers, body, WEBHOOK_SECRET, datetime.now(timezone.utc), 300)
        events.append(parse(headers, body))
    assert [e.ticket_id for e in events if e is not None] == [100, 101, 102, 103, 104]
    assert len({e.dedupe_key for e in events if e is not None}) == 5 and {e.status for e in events if e} == {"solved"}


@pytest.mark.skipif(not (BENCH.parent / ".venv/bin/feedbackloop").exists(), reason="needs the project's venv")
def test_generated_ratings_export_with_no_planted_pii_and_raw_sql_runs() -> None:
    with scratch_database("sqlite", "smoke") as url:
        datagen.populate(url, 300)
        engine = create_engine(url)
        total, each = report_bench.time_raw_sql(engine)
        engine.dispose()
        result = export_bench.run_on(url, "SQLite", 300)
    assert set(each) == set(report_bench.RAW_SQL) and total >= 0
    assert result["written"] == 300 and result["leaks"] == 0 and result["redacted_comments"] == 120


def test_keep_from_takes_the_parts_not_run_and_says_from_which_run(tmp_path: Path) -> None:
    import run
    import write_results

    first = {"started": "2026-12-03T12:59:00", "command": "python bench/run.py", "seconds": {"economy": 2400.0},
             "load": {"economy": "1 1 1"}, "economy": {"marker": "economy of 12:59"}}
    second = {"started": "2026-12-03T16:16:00", "command": "python bench/run.py --only ingest --keep-from x",
              "seconds": {"ingest": 200.0}, "load": {"ingest": "2 2 2"}, "ingest": {"marker": "ingest of 16:16"}}
    run.keep(second, first, {"ingest"})
    third: dict[str, object] = {"seconds": {}, "load": {}}
    run.keep(third, second, {"reports"})
    assert third["economy"] == {"marker": "economy of 12:59"} and third["ingest"] == {"marker": "ingest of 16:16"}
    assert third["kept"] == {"economy": {"started": "2026-12-03 12:59", "command": "python bench/run.py"},
                             "ingest": {"started": "2026-12-03 16:16", "command": second["command"]}}
    assert third["seconds"] == {"economy (kept)": 2400.0, "ingest (kept)": 200.0}
    line = write_results.provenance(third)
    assert "economy part was not run this time" in line and "of 2026-12-03 12:59 UTC" in line


@pytest.mark.skipif(not (BENCH.parent / ".venv/bin/feedbackloop").exists(), reason="needs the project's venv")
def test_generated_conversations_export_for_learning_with_no_planted_pii() -> None:
    import learning_bench

    with scratch_database("sqlite", "smoke") as url:
        datagen.populate(url, 240)
        datagen.populate_conversations(url, 240)
        results = {r["kind"]: r for r in learning_bench.run_on(url, "SQLite", 240)}
    assert set(results) == {"eval", "sft", "dpo"}
    assert all(r["written"] > 0 and r["leaks"] == 0 for r in results.values())
    dpo = " ".join(results["dpo"]["summary"])
    assert "correction without a final reply text" in dpo and "answers another customer message" in dpo


def test_the_commit_ceiling_commits_one_delivery_at_a_time_per_client() -> None:
    import ingest
    from sqlalchemy import text

    with scratch_database("sqlite", "ceiling") as url:
        bound = ingest.commit_ceiling(url, 0.3)
        engine = create_engine(url)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT count(*) FROM webhook_events")).scalar()
        engine.dispose()
    assert bound["clients"] == ingest.GUNICORN_WORKERS and bound["commit_ms"] > 0
    assert rows == bound["stored"] + 20  # and the 20 of the warm-up


def _target(name: str, throughput: float, database_url: str | None, bound: float | None = None) -> object:
    import ingest

    target = ingest.Target(name, "app", {}, ".", database_url=database_url)
    empty = {"accepted": 0, "errors": 0, "sent": 0, "ok": 0, "rate": 500, "p50_ms": 1, "p90_ms": 1, "p99_ms": 1,
             "max_ms": 1}
    target.runs = {"warmup": empty, "open": empty,
                   "closed": {"throughput": throughput, "ok": 10, "repeated": 0, "socket_errors": 0, "non_2xx": 0,
                              "requests": 10, "p50_ms": 1, "p99_ms": 2}}
    target.server_cpu = {"closed": 0.01}
    target.rows = {"events": 10, "jobs": 10} if database_url else {}
    target.commit_ceiling = {"clients": 2, "stored": 1, "throughput": bound, "commit_ms": 4.0} if bound else None
    return target


@pytest.mark.parametrize(("bound", "verdict"), [(None, False), (900.0, "**missed**: commit-bound"), (2_000.0, False),
                                                (5_000.0, False)])
def test_a_sync_miss_under_the_commit_ceiling_says_commit_bound_and_stays_missed(bound: float | None,
                                                                                 verdict: object) -> None:
    import ingest

    targets = [_target("bare", 2_400.0, None), _target("app", 1_000.0, "sqlite:///x", bound)]
    rows = ingest.summarise(targets, {"wrk": {"throughput": 60_000.0}})["rows"]  # type: ignore[arg-type]
    assert rows[1]["ratio_met"] == verdict


def test_a_ratio_met_stays_met_whatever_the_commit_ceiling() -> None:
    import ingest

    targets = [_target("bare", 2_400.0, None), _target("app", 1_300.0, "sqlite:///x", 900.0)]
    assert ingest.summarise(targets, {"wrk": {"throughput": 60_000.0}})["rows"][1]["ratio_met"] is True  # type: ignore[arg-type]
