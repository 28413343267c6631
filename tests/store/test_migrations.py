"""The Alembic chain builds exactly the schema the models describe, on both databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text

from feedbackloop.store import rollups
from feedbackloop.store.db import make_engine
from feedbackloop.store.migrate import alembic_config, upgrade
from feedbackloop.store.models import Base


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
