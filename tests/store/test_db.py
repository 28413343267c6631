"""The read engine (reports, exports): one snapshot, and the webhook receiver's writes never wait for it."""

from __future__ import annotations

import time
from datetime import datetime, timezone

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from feedbackloop.store.db import make_engine, make_read_engine, make_session_factory, session_scope
from feedbackloop.store.models import InstalledResource

NOW = datetime(2026, 12, 3, tzinfo=timezone.utc)


def add_resource(engine: Engine, name: str) -> float:
    """Commit one row through the service's own engine; the seconds it took."""
    started = time.perf_counter()
    with session_scope(make_session_factory(engine)) as session:
        session.add(InstalledResource(kind="group", name=name, remote_id=name, checksum="-", created_at=NOW,
                                      updated_at=NOW))
    return time.perf_counter() - started


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(InstalledResource)) or 0)


def test_a_read_sees_one_snapshot_while_a_writer_commits_beside_it(engine: Engine, db_url: str) -> None:
    add_resource(engine, "before")
    reader = make_read_engine(db_url)
    writer = make_engine(db_url)
    try:
        with session_scope(make_session_factory(reader)) as session:
            assert count(session) == 1  # the snapshot starts here
            took = add_resource(writer, "during")  # would wait for a reader holding the write lock
            assert took < 5
            assert count(session) == 1  # still the snapshot: the report's figures agree with each other
        with session_scope(make_session_factory(reader)) as session:
            assert count(session) == 2
    finally:
        reader.dispose()
        writer.dispose()


def test_a_long_read_sees_each_commit(engine: Engine, db_url: str) -> None:
    """Exports read for minutes in autocommit on SQLite (an open read would keep the WAL from being
    checkpointed); on PostgreSQL they keep one snapshot."""
    add_resource(engine, "before")
    reader = make_read_engine(db_url, long=True)
    writer = make_engine(db_url)
    try:
        with Session(reader) as session:
            assert count(session) == 1
            assert add_resource(writer, "during") < 5
            assert count(session) == (2 if engine.dialect.name == "sqlite" else 1)
    finally:
        reader.dispose()
        writer.dispose()
