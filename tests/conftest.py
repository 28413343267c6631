"""Fixtures named for what they give: db_url, engine, settings, services, app, client, runner, sandbox.

The database is real: SQLite by default, PostgreSQL when TEST_DATABASE_URL points at one (each
run gets its own schema, so runs do not collide). Zendesk is stood in for only at the wire: the
sandbox helpdesk served on a loopback port, driven by the real zenpy client.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import Account
from feedbackloop.helpdesks.zendesk.signature import format_timestamp, sign
from feedbackloop.jobs.queue import queue_stored_events
from feedbackloop.runner.scheduler import Runner
from feedbackloop.store.db import make_engine
from feedbackloop.store.migrate import upgrade
from feedbackloop.store.models import Base, Job
from feedbackloop.wiring.services import Services, build_services

FIXTURES = Path(__file__).parent / "fixtures"

#: The demo keeps its own SQLite file whatever database the suite runs on (`feedbackloop demo` is the README's first
#: command): its tests run once, in SQLite's run, not again beside PostgreSQL's (scripts/test.sh).
DEMO_ONCE = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                               reason="the demo keeps its own SQLite file: it runs in the SQLite run only")
WEBHOOK_SECRET = "test-webhook-secret-0123456789"
SECRET_KEY = "test-secret-key-0123456789abcdef"
SANDBOX_EMAIL = "bot@example.com"
SANDBOX_TOKEN = "sandbox-token"
TEST_TICKET_UPDATE_LIMIT = 100_000


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--database-tests-only", action="store_true",
                     help="run only the tests that reach the database under test (the db_url fixture, or the "
                          "`database` mark on a test that reads TEST_DATABASE_URL itself); scripts/test.sh gives it "
                          "to PostgreSQL's run, whose other tests SQLite's run has already run")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "database: reads TEST_DATABASE_URL itself (no db_url fixture): runs on both "
                                       "databases")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --database-tests-only, leave out the tests no database reaches: a second database tells them nothing."""
    if not config.getoption("--database-tests-only"):
        return
    kept: list[pytest.Item] = []
    left: list[pytest.Item] = []
    for item in items:
        reaches = "db_url" in getattr(item, "fixturenames", ()) or item.get_closest_marker("database") is not None
        (kept if reaches else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return f"database: {'PostgreSQL at ' + url if url else 'SQLite (set TEST_DATABASE_URL for PostgreSQL)'}"


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for this test session."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        path = tmp_path_factory.mktemp("db") / "feedbackloop.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        yield f"sqlite:///{path}"
        return
    schema = f"fl_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable at {url}: {type(exc).__name__}: the PostgreSQL run is skipped")
    sep = "&" if "?" in url else "?"
    scoped = f"{url}{sep}options=-csearch_path%3D{schema}"
    engine = make_engine(scoped)
    upgrade(engine)
    engine.dispose()
    yield scoped
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def _session_engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def empty(engine: Engine) -> None:
    """Delete every row (PostgreSQL: and restart the id sequences)."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


def count_rows(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def feed_stored_events(engine: Engine) -> None:
    """Give the stored events their processing jobs, as the job runner does before every claim."""
    with Session(engine) as session:
        queue_stored_events(session)
        session.commit()


def count_jobs(engine: Engine) -> int:
    """The jobs the runner works from: the stored events' processing jobs added first."""
    feed_stored_events(engine)
    return count_rows(engine, Job)


@pytest.fixture
def engine(_session_engine: Engine) -> Iterator[Engine]:
    """The session's database, emptied before each test."""
    empty(_session_engine)
    yield _session_engine


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Any]:
    from feedbackloop.helpdesks.sandbox import serve_sandbox

    # The suite's account has an Update Ticket limit far above Zendesk's 100 a minute: tests solve
    # dozens of tickets in seconds (each solve is agents' updates too). Tests of that limit set it
    # (`sandbox.configure(ticket_update_rate_limit=100)`, or `trial=True` for 20).
    server = serve_sandbox(host="127.0.0.1", port=0, email=SANDBOX_EMAIL, api_token=SANDBOX_TOKEN,
                           ticket_update_rate_limit=TEST_TICKET_UPDATE_LIMIT)
    yield server
    server.shutdown()


@pytest.fixture
def sandbox(sandbox_server: Any) -> Any:
    """The sandbox Zendesk's state, fresh for each test."""
    sandbox_server.state.reset()
    return sandbox_server.state


@pytest.fixture
def account(request: pytest.FixtureRequest) -> Account:
    """The helpdesk account: the sandbox when the test uses it, else a closed loopback port."""
    url = "http://127.0.0.1:9"
    if "sandbox" in request.fixturenames:
        url = request.getfixturevalue("sandbox_server").url
    return Account(subdomain="sandbox", email=SANDBOX_EMAIL, api_token=SANDBOX_TOKEN,
                   webhook_secret=WEBHOOK_SECRET, api_url=url)


@pytest.fixture
def settings(engine: Engine, account: Account) -> Settings:
    return Settings(
        database_url=engine.url.render_as_string(hide_password=False),
        secret_key=SECRET_KEY,
        public_url="http://feedback.test",
        admin_token="admin-token",
        survey_delay=0,
        zendesk=account,
        review_group_id=None,
        csat_field_id=None,
        job_max_attempts=4,
        # A click counts at once here, as most tests are about what a rating leads to; the settle
        # time and the scanner defences (the default, 300 s) are tested in test_answers.py.
        rating_settle=0,
    )


class Clock:
    """A clock tests move by hand; jobs read it through JobContext.now."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(settings: Settings, engine: Engine, clock: Clock) -> Services:
    built = build_services(settings, engine=engine)
    original = built.job_context

    def job_context() -> Any:
        ctx = original()
        ctx.now = clock.now
        return ctx

    built.job_context = job_context  # type: ignore[method-assign]
    return built


@pytest.fixture
def app(services: Services) -> Flask:
    from feedbackloop.app import create_app

    flask_app = create_app(services=services)
    flask_app.testing = True
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(services: Services) -> Iterator[Runner]:
    from feedbackloop.runtime import make_runner

    job_runner = make_runner(services, threads=2)
    yield job_runner
    job_runner.shutdown()


def load_fixture(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


def signed_headers(body: bytes, secret: str = WEBHOOK_SECRET, when: datetime | None = None,
                   extra: dict[str, str] | None = None) -> dict[str, str]:
    timestamp = format_timestamp(when or datetime.now(timezone.utc))
    headers = {
        "X-Zendesk-Webhook-Signature": sign(secret, timestamp, body),
        "X-Zendesk-Webhook-Signature-Timestamp": timestamp,
        "Content-Type": "application/json",
    }
    headers.update(extra or {})
    return headers


def signed_post(client: FlaskClient, body: bytes | dict[str, Any], *, secret: str = WEBHOOK_SECRET,
                path: str = "/webhooks/zendesk", when: datetime | None = None,
                headers: dict[str, str] | None = None) -> Any:
    """POST a webhook signed the way Zendesk signs it."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(path, data=raw, headers=signed_headers(raw, secret, when, headers))
