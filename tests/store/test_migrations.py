"""The Alembic chain builds exactly the schema the models describe, on both databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from feedbackloop.store import rollups
from feedbackloop.store.db import make_engine
from feedbackloop.store.migrate import alembic_config, upgrade
from feedbackloop.store.models import Base, Rating, Survey


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_the_migration_history_is_one_line(engine: Engine) -> None:
    script = ScriptDirectory.from_config(alembic_config(engine.url.render_as_string(hide_password=False)))
    assert len(script.get_heads()) == 1


def _scratch_engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own (PostgreSQL: a fresh schema) to migrate step by step."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        engine = make_engine(f"sqlite:///{tmp_path / 'steps.db'}")
        yield engine
        engine.dispose()
        return
    schema = f"fl_steps_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    engine = make_engine(f"{url}{sep}options=-csearch_path%3D{schema}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.database
def test_0019_keeps_the_rollup_rows_and_marks_model_and_prompt_version_missing(tmp_path: Path) -> None:
    for engine in _scratch_engine(tmp_path):
        upgrade(engine, "0017")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO daily_rollups (tenant_id, day, nulls, intent, category, product, channel, resolver, "
                "assignee_id, group_id, brand_id, language, rated, satisfied, score_sum, bad, sent, solved, "
                "ai_solved, reopens, failed, recontacts, fcr_n, fcr_k) VALUES ('default', '2026-03-02', 2, "
                "'billing', '', 'p', 'web', 'ai', 7, 8, 9, 'en', 3, 2, 11, 1, 4, 5, 5, 1, 0, 0, 2, 1)"))
            conn.execute(text(
                "INSERT INTO ai_decisions (tenant_id, ticket_id, decision_id, step, policy_refs, created_at, "
                "received_at) VALUES ('default', 1, 'd1', 'action', '[]', '2026-03-02T00:00:00+00:00', "
                "'2026-03-02T00:00:00+00:00')"))
        upgrade(engine)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT nulls, model, prompt_version, rated, fcr_k FROM daily_rollups")).one()
            mode = conn.execute(text("SELECT mode FROM ai_decisions")).scalar_one()
        assert tuple(row) == (2 | rollups.SEGMENT_BITS["model"] | rollups.SEGMENT_BITS["prompt_version"], "", "",
                              3, 1)
        assert mode == "live"
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert differences == []


@pytest.mark.database
def test_0021_takes_thumbs_out_of_the_mean_and_ces_surveys_out_of_sent_and_back(tmp_path: Path) -> None:
    """Rows rolled up as 0020 counted them (thumbs scores in score_sum, CES-only surveys in sent): the
    upgrade gives what a rebuild from the raw tables gives today; the downgrade gives 0020's figures back."""
    at = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
    for engine in _scratch_engine(tmp_path):
        upgrade(engine)
        with Session(engine) as session, session.begin():
            for ticket, (scale, score) in enumerate((("five", 4), ("five", 2), ("thumbs", 5), ("thumbs", 1),
                                                     ("ces", None)), start=1):
                survey = Survey(tenant_id="default", ticket_id=ticket, solve_key=f"s{ticket}", solved_at=at,
                                state="sent", scale=scale, scheduled_for=at, sent_at=at, channel="email",
                                created_at=at, updated_at=at)
                session.add(survey)
                session.flush()
                if score is not None:
                    session.add(Rating(tenant_id="default", survey_id=survey.id, ticket_id=ticket, score=score,
                                       scale=scale, source="link", version=1, written_version=1, channel="email",
                                       created_at=at, updated_at=at))
            session.flush()
            rollups.rebuild(session)
        measures = "SELECT rated, satisfied, score_sum, bad, sent, solved FROM daily_rollups"
        with engine.connect() as conn:
            today = tuple(conn.execute(text(measures)).one())
            assert conn.execute(text("SELECT five_rated FROM daily_rollups")).scalar_one() == 2
        assert today == (4, 2, 6, 2, 4, 5)  # the mean: 6 / 2 five-point ratings; 4 CSAT surveys sent
        _downgrade(engine, "0020")
        with engine.connect() as conn:
            assert tuple(conn.execute(text(measures)).one()) == (4, 2, 12, 2, 5, 5)  # 0020: 4+2+5+1, every survey
        upgrade(engine)
        with engine.connect() as conn:
            assert tuple(conn.execute(text(measures)).one()) == today
            assert conn.execute(text("SELECT five_rated FROM daily_rollups")).scalar_one() == 2
            differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert differences == []


@pytest.mark.database
def test_0022_counts_no_lost_lease_for_existing_jobs_and_drops_the_count_on_the_way_back(tmp_path: Path) -> None:
    """A job row written before 0022 (or by an INSERT that names no lost_leases) has 0; the downgrade keeps the row."""
    job = ("INSERT INTO jobs (tenant_id, kind, dedupe_key, args, state, run_after, attempts, rate_limited, "
           "created_at, updated_at) VALUES ('default', 'k', :key, '{}', 'pending', '2026-03-02T00:00:00+00:00', "
           "3, 0, '2026-03-02T00:00:00+00:00', '2026-03-02T00:00:00+00:00')")
    for engine in _scratch_engine(tmp_path):
        upgrade(engine, "0021")
        with engine.begin() as conn:
            conn.execute(text(job), {"key": "before"})
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text(job), {"key": "after"})
            counts = conn.execute(text("SELECT dedupe_key, attempts, lost_leases FROM jobs ORDER BY id")).all()
        assert [tuple(row) for row in counts] == [("before", 3, 0), ("after", 3, 0)]
        _downgrade(engine, "0021")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM jobs")).scalar_one() == 2
        _upgrade_to_the_models(engine)


@pytest.mark.database
def test_0023_marks_stored_events_queued_and_gives_waiting_ones_their_jobs_on_the_way_back(tmp_path: Path) -> None:
    """An event stored before 0023 has its job already: it is queued. After 0023 a new event waits for the
    feeder; downgraded, it gets its job at once (the code before 0023 never looks at `queued`)."""
    event = ("INSERT INTO webhook_events (tenant_id, helpdesk, dedupe_key, source, event_type, kind, ticket_id, "
             "occurred_at, received_at, payload, duplicates) VALUES ('default', 'zendesk', :key, 'webhook', 't', "
             "'status', 7, '2026-03-02T00:00:00+00:00', '2026-03-02T00:00:00+00:00', '{}', 0)")
    for engine in _scratch_engine(tmp_path):
        upgrade(engine, "0022")
        with engine.begin() as conn:
            conn.execute(text(event), {"key": "before"})
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text(event), {"key": "after"})
            rows = conn.execute(text("SELECT dedupe_key, queued FROM webhook_events ORDER BY id")).all()
        assert [(key, bool(queued)) for key, queued in rows] == [("before", True), ("after", False)]
        _downgrade(engine, "0022")
        with engine.connect() as conn:
            jobs = conn.execute(text("SELECT kind, dedupe_key, ticket_id, state FROM jobs")).all()
            after_id = conn.execute(text("SELECT id FROM webhook_events WHERE dedupe_key = 'after'")).scalar_one()
        assert [tuple(job) for job in jobs] == [("process_ticket", f"process:{after_id}", 7, "pending")]
        _upgrade_to_the_models(engine)


def _upgrade_to_the_models(engine: Engine) -> None:
    """Up again to the head: the schema is the models' once more."""
    upgrade(engine)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def _downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
