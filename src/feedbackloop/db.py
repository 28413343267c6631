"""Engine and session lifecycle. Sessions are opened and committed at the edges only:
one per request, one per job execution, one per CLI command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def utcnow() -> datetime:
    """Timezone-aware now; the single clock of the package (tests pass explicit times instead)."""
    return datetime.now(timezone.utc)


def make_engine(url: str) -> Engine:
    """An engine tuned for the URL's backend.

    SQLite gets WAL and a busy timeout so a web thread and the job runner can share one file;
    PostgreSQL gets pre-ping so a restarted server does not fail the first request.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT (a released savepoint commits);
    # take control of BEGIN ourselves, as SQLAlchemy's SQLite docs recommend.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    if ":memory:" not in str(dbapi_connection):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Take the write lock up front: SQLite cannot upgrade a read lock while another writer waits,
    and BEGIN IMMEDIATE makes the busy timeout apply instead of failing with 'database is locked'."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded attributes after commit (we read them to answer)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Commit on success, roll back on error, always close."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
