"""Engine and session lifecycle. Sessions are opened and committed at the edges only:
one per request, one per job execution, one per CLI command."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

#: A pooled PostgreSQL connection idle longer than this is pinged before it is handed out.
PING_AFTER_IDLE_SECONDS = 1.0


def missing_database(url: str) -> str | None:
    """Why a command that only reads cannot use `url` (a SQLite file that is not there), else None.

    Connecting would create the file: `report` in an empty folder used to leave an empty
    feedbackloop.db behind before failing. The message names the database looked at and how to
    point the command elsewhere.
    """
    from feedbackloop.core.settings import is_sqlite_file

    path = is_sqlite_file(url)
    if path is None or path.exists():
        return None
    return (f"no database at {path.resolve()} (FEEDBACKLOOP_DATABASE_URL={url}): point FEEDBACKLOOP_DATABASE_URL "
            "at your database (in .env or the environment), or run `feedbackloop db upgrade` to create this one")


def note_database(url: str) -> None:
    """Tell the person at the terminal which database a reading command looks at (stderr, terminals only:
    piped output stays the report itself)."""
    import sys

    if sys.stderr.isatty():
        from feedbackloop.core.settings import redact_url

        sys.stderr.write(f"reading {redact_url(url)} (set FEEDBACKLOOP_DATABASE_URL to read another database)\n")


def describe_error(exc: BaseException) -> str:
    """A database error as one line: the driver's first line, without SQLAlchemy's background link."""
    inner = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(inner).splitlines() if line.strip()]
    first = lines[0] if lines else type(inner).__name__
    return f"{type(inner).__name__}: {first}"


def utcnow() -> datetime:
    """Timezone-aware now; the single clock of the package (tests pass explicit times instead)."""
    return datetime.now(timezone.utc)


#: Seconds a caller is asked to wait (Retry-After) when the database cannot be reached.
UNAVAILABLE_RETRY_AFTER = 10
_UNAVAILABLE_DBAPI = ("OperationalError", "InterfaceError")


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database could not be reached or used just now (down, restarting, a
    dropped connection, a full pool, SQLite's lock held too long): worth a retry, not a final error.

    SQLAlchemy wraps most of them (OperationalError, InterfaceError, DisconnectionError, the pool's
    TimeoutError); the webhook's ingest speaks to the driver directly, whose own OperationalError and
    InterfaceError (sqlite3, psycopg) arrive unwrapped. Integrity and data errors are not here: a
    retry of those fails the same way.
    """
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, DisconnectionError, sa_exc.TimeoutError)):
        return True
    module = type(exc).__module__.split(".")[0]
    return module in ("sqlite3", "psycopg", "psycopg2") and any(
        klass.__name__ in _UNAVAILABLE_DBAPI for klass in type(exc).__mro__)


def insert_on_conflict(dialect: str) -> Any:
    """The backend's own INSERT, the one with ON CONFLICT … DO NOTHING / DO UPDATE: PostgreSQL's, else SQLite's.
    Imported when first asked for: a process that only reads (the report) skips their ~50 ms."""
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def make_engine(url: str) -> Engine:
    """An engine tuned for the URL's backend.

    SQLite gets WAL and a busy timeout so a web thread and the job runner can share one file;
    PostgreSQL gets a ping on connections that sat idle (`ping_if_idle`), so a restarted server
    does not fail the first request after a quiet spell.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=10)
    event.listen(engine, "checkin", _mark_idle_since)
    event.listen(engine, "checkout", ping_if_idle(engine.dialect))
    return engine


def _mark_idle_since(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["idle_since"] = time.monotonic()


def ping_if_idle(dialect: Any) -> Callable[[Any, Any, Any], None]:
    """pool_pre_ping, but only for a connection idle longer than PING_AFTER_IDLE_SECONDS.

    pool_pre_ping costs a round trip on every checkout: a fifth of a webhook's server time on
    PostgreSQL (bench/README.md). A restart while traffic flows is seen by the statement itself as
    a disconnect, which invalidates the whole pool; the webhook receiver retries that transaction
    once (receive.py), so only a connection that may have outlived a quiet restart needs the ping.
    DisconnectionError makes the pool drop this connection and hand out a fresh one.
    """

    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        failure = ping_failure(dialect, dbapi_connection, record.info.get("idle_since"))
        if failure is not None:
            raise DisconnectionError(f"idle connection failed its ping: {failure}") from failure

    return _ping_if_idle


def ping_failure(dialect: Any, dbapi_connection: Any, idle_since: float | None) -> Exception | None:
    """The driver's error if a connection idle since `idle_since` (time.monotonic) for longer than
    PING_AFTER_IDLE_SECONDS fails its ping; None when it answered or was not idle that long. The pool's
    checkout (`ping_if_idle`) and the webhook group commit's own connections (receive.HeldConnections)
    both ask this."""
    if idle_since is None or time.monotonic() - idle_since <= PING_AFTER_IDLE_SECONDS:
        return None
    try:
        dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error as exc:
        failure: Exception = exc
        return failure
    return None


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


def make_read_engine(url: str, *, long: bool = False) -> Engine:
    """An engine for reads that must not get in the service's way: reports, exports.

    `make_engine` opens SQLite transactions with BEGIN IMMEDIATE (the write lock) so writers queue
    instead of failing; a report or an export holding that lock would stall the webhook receiver
    for as long as it reads. Here SQLite opens a plain (deferred) BEGIN: under WAL a read
    transaction sees one snapshot from its first read and never blocks a writer. A read of
    minutes (`long`, the exports) runs in autocommit instead, each statement on its own snapshot,
    because an open read transaction keeps SQLite from checkpointing the WAL behind it.
    PostgreSQL reads in one REPEATABLE READ, read-only transaction: one snapshot, no locks taken.
    No pool: these reads are occasional and a connection is cheap beside them, and nothing is left
    open after one (a web process keeps no idle reader connection, a test no stray one).
    """
    if not url.startswith("sqlite"):
        return create_engine(url, poolclass=NullPool).execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True)
    engine = create_engine(url, poolclass=NullPool, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_reader)
    if not long:
        event.listen(engine, "begin", _sqlite_begin_read)
    return engine


def _sqlite_reader(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # BEGIN is ours (or never sent: autocommit)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_read(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


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
