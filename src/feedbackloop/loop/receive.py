"""POST /webhooks/zendesk: raw body → verify → parse → store event + enqueue, one transaction → 200.

Nothing here calls the helpdesk: Zendesk gives up after ~10 s and does not retry a 500, so the
only work in the request is a verified insert. Duplicates (same event id or invocation id) hit
a unique key and are acknowledged without a second effect.
"""

from __future__ import annotations

import fcntl
import functools
import io
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import Connection, Engine, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.pool import PoolProxiedConnection
from werkzeug.datastructures import EnvironHeaders, Headers
from werkzeug.exceptions import HTTPException

from feedbackloop.core import counters, logs
from feedbackloop.core.errors import BadRequest, ConfigError, SignatureInvalid, UnsupportedEvent
from feedbackloop.helpdesks.base import TicketEvent
from feedbackloop.store.db import database_unavailable, insert_on_conflict, ping_failure, utcnow
from feedbackloop.store.models import DEFAULT_TENANT, WebhookEvent, fit_key
from feedbackloop.store.tenants import TENANT_ID
from feedbackloop.wiring.ratelimit import count_failed_signature
from feedbackloop.wiring.services import Services, services_of

log = logging.getLogger(__name__)
bp = Blueprint("receive", __name__)

#: Zendesk caps trigger payloads at 16,000 characters; event envelopes are small. Anything
#: far larger is not from Zendesk.
MAX_WEBHOOK_BYTES = 256 * 1024
WEBHOOK_ID_HEADER = "X-Zendesk-Webhook-Id"
#: How far ahead of our clock an event's own time may be (clock drift); later is refused (400).
FUTURE_TOLERANCE = timedelta(hours=1)


@bp.post("/webhooks/zendesk")
def zendesk_webhook() -> ResponseReturnValue:
    """The env-configured account (the default tenant)."""
    return receive_webhook(DEFAULT_TENANT)


@bp.post("/webhooks/zendesk/<tenant_id>")
def tenant_webhook(tenant_id: str) -> ResponseReturnValue:
    """One tenant's account: verified with that tenant's secret only, stored under that tenant."""
    if not _may_name_a_tenant(tenant_id):  # no such name can exist; and NUL would fail the lookup
        return jsonify(error="unknown_account", message="no such tenant"), 404
    return receive_webhook(tenant_id)


def _may_name_a_tenant(tenant_id: str) -> bool:
    """Whether a webhook path's tenant segment could name a tenant at all (the route and the door)."""
    return tenant_id == DEFAULT_TENANT or TENANT_ID.fullmatch(tenant_id) is not None


def receive_webhook(tenant_id: str) -> ResponseReturnValue:
    """Verify, parse and durably store one delivery; answer with a JSON outcome.

    Operability: each outcome is logged with the tenant, ticket and event ids and counted in
    /metrics (feedbackloop_webhooks_total), here only, so the steps below stay as they were.
    """
    try:
        outcome, answer = _receive_webhook(tenant_id)
    except (BadRequest, HTTPException) as exc:
        status = exc.status_code if isinstance(exc, BadRequest) else (exc.code or 500)
        _record_outcome("refused" if status < 500 else "error", f"HTTP {status}: {exc}")
        raise
    except Exception:
        _record_outcome("error", "unexpected error")
        raise
    _record_outcome(outcome, f"HTTP {answer[1]}")
    return answer


def _record_outcome(outcome: str, detail: str) -> None:
    """Log and count one delivery's outcome; the tenant label is set only once its account was found."""
    log.info("webhook %s (%s)", outcome, detail[:160])
    counters.count_webhook(str(logs.current_field("tenant_id") or counters.NO_TENANT), outcome)


def _receive_webhook(tenant_id: str) -> tuple[str, tuple[Response, int]]:
    """The outcome (accepted, duplicate, ignored, refused) and the answer, so that counting it
    needs no second look at the response body."""
    length = request.content_length
    if length is not None and length > MAX_WEBHOOK_BYTES:
        raise BadRequest(f"body larger than {MAX_WEBHOOK_BYTES} bytes", 413)
    body = request.get_data(cache=False)
    if len(body) > MAX_WEBHOOK_BYTES:
        raise BadRequest(f"body larger than {MAX_WEBHOOK_BYTES} bytes", 413)
    try:
        delivery = accept_delivery(services_of(current_app), tenant_id, request.headers, body)
    except ConfigError:
        return "refused", (jsonify(error="unknown_account", message=f"no helpdesk account for tenant {tenant_id!r}"), 404)
    except SignatureInvalid:
        count_failed_signature(tenant_id)  # a flood of bad signatures turns into 429s; valid ones never count
        raise
    return delivery.outcome, (jsonify(delivery.answer), 200)


@dataclass(frozen=True)
class Delivery:
    """A delivery answered 200: its outcome (accepted, duplicate, ignored) and the JSON answer."""

    outcome: str
    answer: dict[str, Any]


def accept_delivery(services: Services, tenant_id: str, headers: Headers, body: bytes) -> Delivery:
    """Verify, parse and durably store one delivery: the work of the webhook route, Flask or not.

    Raises ConfigError (no such account), SignatureInvalid or BadRequest (refusals, for the caller
    to answer); the event is committed before this returns "accepted".
    """
    prepared = prepare_delivery(services, tenant_id, headers, body)
    if isinstance(prepared, Delivery):
        return prepared
    return prepared.delivered(ingest_event(services.engine, prepared.row))


@dataclass(frozen=True)
class Prepared:
    """A verified, parsed delivery whose event is still to be stored: its webhook_events row."""

    row: dict[str, Any]
    ticket_id: int

    def delivered(self, stored: int | None) -> Delivery:
        """The answer once the row is committed (`stored`: its event id, None for a repeat)."""
        logs.annotate(event_id=stored)  # operability
        if stored is None:
            return Delivery("duplicate", {"status": "duplicate", "ticket_id": self.ticket_id})
        return Delivery("accepted", {"status": "accepted", "event_id": stored, "ticket_id": self.ticket_id})


def prepare_delivery(services: Services, tenant_id: str, headers: Headers, body: bytes
                     ) -> Prepared | Delivery:
    """Verify and parse one delivery: the row to store, or the answer of one that stores nothing (ignored).

    Every door runs this, then stores the row through the process's group commit: the Flask route and
    the WSGI door through `accept_delivery`, the worker's webhook lane (`gunicorn_worker.WebhookLane`)
    from its committer thread. Raises as `accept_delivery` does.
    """
    account = services.account_for(tenant_id)
    logs.annotate(tenant_id=tenant_id)  # operability: a known tenant from here on
    now = utcnow()
    secret = account.webhook_secret
    webhook_id = headers.get(WEBHOOK_ID_HEADER, "").strip()
    if webhook_id:  # an installed webhook: verify with its own secret
        secret = services.webhook_secret_for(tenant_id, webhook_id[:100]) or secret
    fields = cast("Mapping[str, str]", headers)  # werkzeug's Headers: a case-insensitive mapping in all but name
    services.helpdesk.verify(fields, body, secret, now, services.settings.webhook_max_skew)
    try:
        event = services.helpdesk.parse(fields, body)
    except UnsupportedEvent as exc:
        log.info("acknowledged unsupported event type %s", exc.event_type)
        return Delivery("ignored", {"status": "ignored", "reason": str(exc)})
    if event is None:
        return Delivery("ignored", {"status": "ignored", "reason": "event type deliberately ignored"})
    if event.occurred_at > now + FUTURE_TOLERANCE:  # it would wait forever as the ticket's "latest" event
        raise BadRequest(f"event time {event.occurred_at.isoformat()} is in the future "
                         f"(more than {FUTURE_TOLERANCE} ahead of this server's clock)")
    logs.annotate(ticket_id=event.ticket_id)  # operability
    return Prepared(_event_row(tenant_id, services.helpdesk.name, event, "webhook", now), event.ticket_id)


class WebhookDoor:
    """WSGI middleware: a well-formed POST to the webhook routes is answered here, without Flask.

    Flask's request context, session and hooks cost a webhook more CPU than verifying, parsing and
    storing it (bench/README.md, ingest): the door runs `accept_delivery` straight from the WSGI
    environ and answers what Flask would have (the same JSON, X-Request-Id, security headers,
    log scope, outcome line and metric). It answers only deliveries that are accepted, duplicate or
    ignored. Anything else (another route or method, no Content-Length, too big, NUL in the query)
    and every refusal or error goes to Flask with the body put back, where the route answers it the
    one way it always has (404, 401 with the failed-signature limit, 400, 500). A refusal stored
    nothing, and a store that failed is safe to repeat (a committed first attempt makes the repeat
    a "duplicate"), so no delivery gets two effects and each is counted once.
    """

    def __init__(self, app: Flask, inner: Any, headers: Sequence[tuple[str, str]]) -> None:
        self.app = app
        self.inner = inner
        self.headers = list(headers)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        tenant_id = _door_tenant(environ)
        if tenant_id is None:
            return self.inner(environ, start_response)
        stream = environ["wsgi.input"]
        body = stream.read(int(environ["CONTENT_LENGTH"]))
        token = logs.open_request_scope(environ.get("HTTP_X_REQUEST_ID", ""), "POST", environ["PATH_INFO"])
        try:
            try:
                delivery = accept_delivery(services_of(self.app), tenant_id, EnvironHeaders(environ), body)
            except Exception:  # noqa: BLE001 - Flask answers every refusal and error, from the start
                delivery = None
            if delivery is not None:
                _record_outcome(delivery.outcome, "HTTP 200")
                request_id = logs.leave_access_fields(environ)
        finally:
            logs.close_scope(token)
        if delivery is None:
            environ["wsgi.input"] = io.BytesIO(body)
            return self.inner(environ, start_response)
        headers, payload = self._answer(delivery, request_id)
        start_response("200 OK", headers)
        return [payload]

    def _answer(self, delivery: Delivery, request_id: str | None) -> tuple[list[tuple[str, str]], bytes]:
        """The headers and body of a delivery's 200, as the Flask route would answer it."""
        payload = f"{self.app.json.dumps(delivery.answer)}\n".encode()
        return [("Content-Type", "application/json"), ("Content-Length", str(len(payload))), *self.headers,
                ("X-Request-Id", request_id or "")], payload

    # The worker's webhook lane (gunicorn_worker.WebhookLane) answers in two halves what `__call__`
    # answers in one: verified and parsed in the worker's event loop, stored and answered by its committer
    # thread. Anything the door would not answer goes to a thread the usual way, whole.

    def lane_prepare(self, environ: dict[str, Any], body: bytes) -> LanePending | None:
        """Verify and parse a delivery the door would answer, in its own log scope; None for anything
        else (another route, a refusal, an ignored event type): the caller sends it the usual way."""
        tenant_id = _door_tenant(environ)
        if tenant_id is None:
            return None
        token = logs.open_request_scope(environ.get("HTTP_X_REQUEST_ID", ""), "POST", environ["PATH_INFO"])
        try:
            try:
                services = services_of(self.app)
                prepared = prepare_delivery(services, tenant_id, EnvironHeaders(environ), body)
            except Exception:  # noqa: BLE001 - the usual way answers every refusal and error, from the start
                return None
            if isinstance(prepared, Delivery):
                return None
            return LanePending(prepared, services.engine, logs.current_fields())
        finally:
            logs.close_scope(token)

    def lane_answer(self, pending: LanePending, environ: dict[str, Any], stored: int | None
                    ) -> tuple[list[tuple[str, str]], bytes]:
        """The 200 of a lane delivery whose row is committed (`stored`: its event id, None for a repeat), with
        the outcome line, the metric and the access fields, in the scope `lane_prepare` opened."""
        token = logs.open_scope(**pending.fields)
        try:
            delivery = pending.prepared.delivered(stored)
            _record_outcome(delivery.outcome, "HTTP 200")
            request_id = logs.leave_access_fields(environ)
        finally:
            logs.close_scope(token)
        return self._answer(delivery, request_id)


@dataclass(frozen=True)
class LanePending:
    """A delivery the webhook lane has verified and parsed: its row, its engine, its log scope's fields."""

    prepared: Prepared
    engine: Engine
    fields: Mapping[str, Any]


def _door_tenant(environ: dict[str, Any]) -> str | None:
    """The tenant of a delivery the door may answer; None sends the request to Flask."""
    if environ.get("REQUEST_METHOD") != "POST" or "HTTP_TRANSFER_ENCODING" in environ:
        return None
    path: str = environ.get("PATH_INFO", "")
    if path == "/webhooks/zendesk":
        tenant_id = DEFAULT_TENANT
    elif path.startswith("/webhooks/zendesk/"):
        tenant_id = path[len("/webhooks/zendesk/"):]
        if not _may_name_a_tenant(tenant_id):
            return None
    else:
        return None
    length = environ.get("CONTENT_LENGTH", "")
    query = environ.get("QUERY_STRING", "")
    if not length.isdigit() or int(length) > MAX_WEBHOOK_BYTES or "\x00" in query or "%00" in query:
        return None
    return tenant_id


def ingest_event(engine: Engine, row: dict[str, Any]) -> int | None:
    """Store a webhook's event (its `prepare_delivery` row), committed when this returns; None for a repeat.

    Through the process's group commit (`GroupCommit`): the deliveries that arrive while another
    batch is being committed share the next transaction, and each caller returns only once the
    transaction holding its row is committed. Alone (a sync worker, a quiet spell) a delivery is a
    batch of one and pays no wait.
    """
    return group_commit_for(engine).submit(row)


class _Member:
    """One delivery waiting in a group commit: its row, and its outcome once the batch is done."""

    __slots__ = ("done", "error", "event_id", "lead", "row")

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row
        # Held until the member is woken (a bare lock: cheaper to wait on and release than an Event)
        self.done = threading.Lock()
        self.done.acquire()
        self.lead = False  # set before `done` is released when this member is to lead the next batch
        self.event_id: int | None = None
        self.error: BaseException | None = None

    def outcome(self) -> int | None:
        if self.error is not None:
            raise self.error
        return self.event_id


class GroupCommit:
    """Group commit for one engine in one process: concurrent deliveries share one transaction.

    Leader and followers, with no thread of its own: a delivery that finds no batch being committed
    (`max_leaders`) commits its own at once (a batch of one).
    Deliveries that arrive meanwhile queue; when a batch ends, the first of them is woken to commit
    all that queued, in one transaction, and the others are woken only when that transaction is
    committed (or failed). Under load a batch is everything that
    arrived during the previous commit (a millisecond or two), so the commits, fsyncs and, on SQLite,
    write-lock hand-overs are shared; idle, nothing waits.

    Each member gets its own outcome: its event id, None for a repeat (also a repeat of another member
    of the same batch: the rows are written in order inside the transaction, and the second meets the
    first's unique key), or the batch's error. A batch that fails fails every member (nothing of it was
    committed, so each caller answers 503 and Zendesk retries), except that a batch of several that
    failed for a reason other than the database being unavailable is retried one member at a time, so
    that one unstorable delivery cannot fail the deliveries it happened to share a batch with.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = weakref.ref(engine)  # not a strong one: _GROUP_COMMITS is keyed by the engine
        self.writers = WriterLock.for_engine(engine)
        # (SQLite too, on a file: an in-memory database lives in its one pooled connection, not to be taken out)
        self.held = HeldConnections() if engine.dialect.name == "postgresql" or self.writers.path else None
        if self.held is not None:  # closed with this committer (its engine gone) or at exit
            weakref.finalize(self, self.held.close)
        # Batches committing at once. SQLite has one writer anyway. On PostgreSQL two were allowed while a
        # batch was a statement per row (a second batch went while the first waited for its WAL flush);
        # now that a batch is one statement, one at a time makes bigger batches and fewer statements,
        # which under load (CPU-bound on two cores) was the faster of the two (bench/README.md, fifth
        # round). Two or more is still correct (the tests run both).
        self.max_leaders = 1
        self._lock = threading.Lock()
        self._queue: list[_Member] = []
        self._leaders = 0
        self.batches = 0  # committed batches and their members, for tests and the bench
        self.members = 0

    def submit(self, row: dict[str, Any]) -> int | None:
        """Store `row` in the next batch; its event id once committed, None for a repeat."""
        member = _Member(row)
        self._join([member])
        return member.outcome()

    def submit_many(self, rows: Sequence[dict[str, Any]]) -> list[int | BaseException | None]:
        """Store several rows from one thread (the webhook lane's committer): per row its event id, None for
        a repeat, or the error that failed it. They join the batches as separate members would (the same
        transactions, the same one-at-a-time retry of a failed batch)."""
        members = [_Member(row) for row in rows]
        self._join(members)
        return [member.error if member.error is not None else member.event_id for member in members]

    def _join(self, members: list[_Member]) -> None:
        """Queue `members` (one thread's rows) and return once every one's batch is done. With no batch being
        committed, the first leads one at once (taking the rest as they are queued); the thread also leads
        whenever one of its members is woken to lead the next batch."""
        if not members:
            return
        with self._lock:
            lead = self._leaders < self.max_leaders
            if lead:
                self._leaders += 1
            self._queue.extend(members[1:] if lead else members)
        if lead:
            self._lead(members[0])
        for member in members[1:] if lead else members:
            member.done.acquire()  # woken with its outcome, or to lead the next batch
            if member.lead:
                self._lead(member)

    def _lead(self, leader: _Member) -> None:
        """Commit `leader` and everything queued as one batch, wake its members, hand over to the next
        leader (the first delivery queued meanwhile, taken out of the queue so that no other batch
        promotes it too)."""
        with self._lock:
            batch, self._queue = [leader, *self._queue], []
        try:
            self._commit(batch)
        finally:
            successor: _Member | None = None
            with self._lock:
                if self._queue:
                    successor = self._queue.pop(0)
                    successor.lead = True
                else:
                    self._leaders -= 1
            if successor is not None:
                successor.done.release()
            for member in batch:
                if member is not leader:
                    member.done.release()

    @property
    def engine(self) -> Engine:
        engine = self._engine()
        if engine is None:  # pragma: no cover - a committer is reached through its live engine
            raise RuntimeError("the engine of this group commit is gone")
        return engine

    def _commit(self, batch: list[_Member]) -> None:
        try:
            with self.writers:
                ids = store_batch(self.engine, [member.row for member in batch], self.held)
        except Exception as exc:  # noqa: BLE001 - each member raises it (or its own) to its caller
            if len(batch) == 1 or database_unavailable(exc):
                for member in batch:
                    member.error = exc
                return
            log.warning("a batch of %d deliveries failed (%s); storing them one at a time", len(batch),
                        type(exc).__name__)
            for member in batch:
                try:
                    with self.writers:
                        member.event_id = store_batch(self.engine, [member.row], self.held)[0]
                except Exception as single:  # noqa: BLE001
                    member.error = single
            return
        for member, event_id in zip(batch, ids):
            member.event_id = event_id
        self.batches += 1
        self.members += len(batch)


class WriterLock:
    """SQLite: the webhook writers of every process on one database file take turns on an flock.

    SQLite lets one writer in at a time; one that finds the write lock taken waits in its busy
    handler, which sleeps 1, 2, 5, 10 … ms between tries whether or not the lock was freed meanwhile.
    With a batch committer in each gunicorn worker, the workers' committers would meet there and
    sleep. An exclusive flock on a file beside the database (`<database>-ingest.lock`) is handed to
    the next waiter the moment it is released (the kernel wakes it), so batches of different
    workers follow each other without sleeps. Only the webhook receiver takes it; the job runner and
    the CLI still meet SQLite's own lock and its busy timeout, as before. In-memory databases and
    PostgreSQL (row locks, no single writer) need none: `for_engine` returns a lock that does nothing.
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._fd: int | None = None
        # flock excludes other processes only (the threads of one share its open file), so the threads
        # of this process take turns on a plain lock first
        self._threads = threading.Lock()
        self._flocked = False

    @classmethod
    def for_engine(cls, engine: Engine) -> WriterLock:
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        if not database or database == ":memory:" or database.startswith("file:"):
            return cls(None)
        return cls(f"{database}-ingest.lock")

    def __enter__(self) -> None:
        if self.path is None:
            return
        self._threads.acquire()
        try:
            if self._fd is None:
                try:
                    self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                except OSError:  # no such folder, read-only: SQLite itself says what is wrong (a 503), unlocked
                    return
            fcntl.flock(self._fd, fcntl.LOCK_EX)  # blocks without the GIL until the other worker's batch is done
            self._flocked = True
        except BaseException:
            self._threads.release()
            raise

    def __exit__(self, *_exc: object) -> None:
        if self.path is None:
            return
        try:
            if self._flocked and self._fd is not None:
                self._flocked = False
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def __del__(self) -> None:
        if self._fd is not None:
            os.close(self._fd)


_GROUP_COMMITS: weakref.WeakKeyDictionary[Engine, GroupCommit] = weakref.WeakKeyDictionary()
_GROUP_COMMITS_LOCK = threading.Lock()


def group_commit_for(engine: Engine) -> GroupCommit:
    """The process's group commit for `engine` (one per engine, made on first use)."""
    found = _GROUP_COMMITS.get(engine)
    if found is None:
        with _GROUP_COMMITS_LOCK:
            found = _GROUP_COMMITS.get(engine)
            if found is None:
                found = _GROUP_COMMITS[engine] = GroupCommit(engine)
    return found


class HeldConnections:
    """The connections a group commit keeps open between its batches: PostgreSQL's in autocommit, SQLite's
    (a file) as the pool made them (no implicit transactions: `db._sqlite_pragmas`).

    Checking a connection out of SQLAlchemy's pool and back in for every batch (the checkout event,
    the reset on return, besides switching autocommit on and off) held the GIL in about a twentieth
    of a PostgreSQL worker's samples under load (bench/README.md, ninth round: the gain measured was
    within the noise; kept for the shorter path), and took 6 % of a SQLite sync worker's, where every
    request is a batch of one (eleventh round). These connections are taken out of
    the pool once (`detach`: the pool opens another in its place when it needs one) and stay in
    autocommit, where every statement of the ingest is its own transaction. One per batch
    committing at once: with `GroupCommit.max_leaders` 1, one per process. As the pool does
    (`db.ping_failure`), one idle for longer than `db.PING_AFTER_IDLE_SECONDS` is pinged before it
    is used, and replaced if the ping fails, so a server restarted in a quiet spell fails no batch; a
    connection that failed with a disconnect is closed, not given back (`store_batch` retries on a new
    one). They are closed with their committer.
    """

    def __init__(self) -> None:
        self._free: list[tuple[Any, float]] = []  # (connection, idle since)
        self._lock = threading.Lock()

    def take(self, engine: Engine) -> Any:
        with self._lock:
            connection, idle_since = self._free.pop() if self._free else (None, 0.0)
        if connection is not None and ping_failure(engine.dialect, connection, idle_since) is not None:
            connection.close()
            connection = None
        return connection if connection is not None else self._open(engine)

    @staticmethod
    def _open(engine: Engine) -> Any:
        pooled = engine.raw_connection()
        try:
            connection: Any = pooled.driver_connection
            if engine.dialect.name == "postgresql":
                connection.autocommit = True
        except BaseException:
            pooled.close()
            raise
        pooled.detach()  # ours from now on: closing it closes it
        return connection

    def give_back(self, connection: Any) -> None:
        if _closed(connection):
            return
        with self._lock:
            self._free.append((connection, time.monotonic()))

    def backend_pids(self) -> list[int]:
        """The server processes of the idle held connections (tests end them as a restart would)."""
        with self._lock:
            return [connection.info.backend_pid for connection, _ in self._free]

    def close(self) -> None:
        with self._lock:
            free, self._free = self._free, []
        for connection, _ in free:
            connection.close()


def _closed(connection: Any) -> bool:
    """Whether a DBAPI connection was closed (psycopg says so; sqlite3 refuses to be used)."""
    closed = getattr(connection, "closed", None)
    if closed is not None:
        return bool(closed)
    try:
        connection.in_transaction  # noqa: B018 - sqlite3 raises ProgrammingError once closed
    except Exception:  # noqa: BLE001
        return True
    return False


def store_batch(engine: Engine, rows: Sequence[dict[str, Any]], held: HeldConnections | None = None
                ) -> list[int | None]:
    """Store webhook_events rows in ONE transaction; per row its event id, None for a repeat.

    The events only: their processing jobs are added by the job runner (`jobs.queue.queue_stored_events`),
    exactly once each, in batches; a job row with its four indexes was close to half the database's work
    per delivery (bench/README.md, eighth round).

    Straight on a DBAPI connection with statements compiled once (`DriverStatement`): no ORM unit of
    work nor SQLAlchemy's per-execute context, which together were a quarter of a webhook's CPU
    (bench/README.md). The group commit passes its `held` connections (kept open between batches; on
    PostgreSQL in autocommit); without them (an in-memory SQLite database) the batch borrows a pooled one. The rows are written
    in key order (one lock order for every batch: two PostgreSQL batches holding the same keys cannot
    deadlock). A connection that died under us (a PostgreSQL restart while traffic flows: held and pooled
    connections alike are pinged only after an idle spell, db.ping_failure) is retried once on a fresh one. Retrying
    is safe: a failed attempt either did not commit, or did and the retry finds the events and answers
    "duplicate"; the 200 follows a commit either way.
    """
    statements = _driver_statements(engine.dialect)
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["tenant_id"], rows[i]["helpdesk"], rows[i]["dedupe_key"]))
    ordered = [rows[i] for i in order]
    postgres = engine.dialect.name == "postgresql"
    for attempt in (1, 2):
        pooled: PoolProxiedConnection | None = None
        if held is not None:
            connection = held.take(engine)
        else:
            pooled = engine.raw_connection()
            connection = pooled.driver_connection
        try:
            if not postgres:
                found = _ingest_transaction(connection, statements, ordered)
            else:
                found = _ingest_postgres(connection, statements, ordered, switch=pooled is not None)
            ids: list[int | None] = [None] * len(rows)
            for position, event_id in zip(order, found):
                ids[position] = event_id
            return ids
        except engine.dialect.loaded_dbapi.Error as exc:
            if attempt == 2 or not engine.dialect.is_disconnect(exc, connection, None):
                raise
            if pooled is not None:
                pooled.invalidate(exc)
            else:
                connection.close()  # not given back: the next attempt opens a new one
            engine.pool.dispose()  # its other idle connections died with this one
            log.warning("database connection lost while storing webhooks; retrying once on a new one")
        finally:
            if pooled is not None:
                pooled.close()
            elif held is not None:
                held.give_back(connection)
    raise AssertionError("unreachable")  # pragma: no cover


def _ingest_postgres(connection: Any, statements: IngestStatements, rows: Sequence[dict[str, Any]], *,
                     switch: bool) -> list[int | None]:
    """PostgreSQL, in autocommit mode (each statement its own transaction: BEGIN and COMMIT cost no round
    trips): one row alone (`_ingest_autocommit`), several in one statement (`_ingest_many`). A pooled
    connection is `switch`ed into autocommit for the batch and back after (the pool's other users expect
    transactions); a held one is in autocommit already."""
    if switch:
        connection.autocommit = True
    try:
        if len(rows) == 1:
            return [_ingest_autocommit(connection, statements, rows[0])]
        return _ingest_many(connection, statements, rows)
    finally:
        if switch and not connection.closed:
            connection.autocommit = False


def _ingest_transaction(connection: Any, statements: IngestStatements, rows: Sequence[dict[str, Any]]
                        ) -> list[int | None]:
    """SQLite: BEGIN IMMEDIATE (the write lock up front, as db.make_engine does), the INSERTs, COMMIT: for one
    row its event; for several, one multi-row INSERT of the events (`_sqlite_insert_many`)."""
    cursor = connection.cursor()
    try:
        cursor.execute("BEGIN IMMEDIATE")
        try:
            if len(rows) == 1:
                found = [_insert_event(cursor, statements, rows[0])]
            else:
                found = _sqlite_insert_many(cursor, statements, rows)
            cursor.execute("COMMIT")
        except BaseException:
            connection.rollback()
            raise
    finally:
        cursor.close()
    return found


def _sqlite_insert_many(cursor: Any, statements: IngestStatements, rows: Sequence[dict[str, Any]]
                        ) -> list[int | None]:
    """SQLite, inside the batch's transaction: the events in one statement, the jobs of those stored in
    another, the duplicate counters of the repeats; per row its event id, None for a repeat (stored
    before, or earlier in this batch: the first row of a key gets the id)."""
    parameters: list[Any] = []
    for row in rows:
        parameters.extend(statements.event.parameters(row))
    cursor.execute(_sqlite_insert_events(len(rows)), parameters)
    found = _ids_by_key(rows, cursor.fetchall())
    _count_repeats(cursor, statements, rows, found)
    return found


def _ids_by_key(rows: Sequence[dict[str, Any]], stored: Sequence[Sequence[Any]]) -> list[int | None]:
    """Per row, the id a multi-row INSERT returned for its key (rows of `stored`: id, tenant, helpdesk,
    key); the first row of a key gets it, a repeat (stored before, or earlier in the batch) None."""
    ids = {(tenant, helpdesk, key): int(event_id) for event_id, tenant, helpdesk, key in stored}
    return [ids.pop((row["tenant_id"], row["helpdesk"], row["dedupe_key"]), None) for row in rows]


def _count_repeats(cursor: Any, statements: IngestStatements, rows: Sequence[dict[str, Any]],
                   found: Sequence[int | None]) -> None:
    """Bump the stored event's duplicate counter once for each row that repeated it."""
    repeats = [statements.duplicate.parameters(row) for row, event_id in zip(rows, found) if event_id is None]
    if repeats:
        cursor.executemany(statements.duplicate.sql, repeats)


def _ingest_autocommit(connection: Any, statements: IngestStatements, row: dict[str, Any]) -> int | None:
    """PostgreSQL, one row, on a connection in autocommit: ONE statement (the event insert,
    `statements.event`), its own transaction, which returns once it is committed."""
    cursor = connection.cursor()
    try:
        return _insert_event(cursor, statements, row)
    finally:
        cursor.close()


def _ingest_many(connection: Any, statements: IngestStatements, rows: Sequence[dict[str, Any]]
                 ) -> list[int | None]:
    """PostgreSQL, several rows, on a connection in autocommit: ONE statement for the whole batch
    (`_PG_INGEST_MANY`: one multi-row INSERT of the events), so the batch costs one round trip, one
    statement for the server to plan and run, and one WAL flush. (It replaced psycopg's pipeline of one
    statement per row: a third less client CPU per row; rows as unnested arrays cost more than either,
    psycopg adapts arrays slowly.) The statement is written with PostgreSQL's own `$n` placeholders and run
    on a `RawCursor`: a cursor with `%s` placeholders re-splits a query text longer than psycopg's cache
    limit (4 kB: a batch of more than a few rows) on every execute, which was a fifth of a worker's CPU
    under load (bench/README.md, seventh round). A row that
    repeats an earlier one (stored before, or earlier in this batch) gets no id; the stored event's
    duplicate counter is bumped after, in a statement of its own (the counter is for operators: a
    crash between the two loses a count, never an event)."""
    parameters: list[Any] = []
    for row in rows:
        values = statements.event.parameters(row)
        parameters.extend(values[name] for name in _MANY_KEYS)
    with _raw_cursor(connection) as cursor:
        cursor.execute(_pg_ingest_many(len(rows)), parameters)
        found = _ids_by_key(rows, cursor.fetchall())
    if None in found:
        with connection.cursor() as cursor:  # the counter's statement has named placeholders
            _count_repeats(cursor, statements, rows, found)
    return found


def _raw_cursor(connection: Any) -> Any:
    """A psycopg cursor that sends the query text as written, `$n` placeholders and all."""
    from psycopg import RawCursor  # the postgres extra: imported only once PostgreSQL is in use

    return RawCursor(connection)


def _insert_event(cursor: Any, statements: IngestStatements, row: dict[str, Any]) -> int | None:
    """The event; None for a repeat (its duplicate counter bumped)."""
    cursor.execute(statements.event.sql, statements.event.parameters(row))
    found = cursor.fetchone()
    if found is None:
        cursor.execute(statements.duplicate.sql, statements.duplicate.parameters(row))
        return None
    return int(found[0])


@dataclass(frozen=True)
class DriverStatement:
    """A Core statement compiled once for one dialect: its SQL and its parameters' type processing
    (JSON, UTC datetimes), to run on a DBAPI cursor without a compile-cache lookup per execute."""

    sql: str
    positional: tuple[str, ...] | None
    processors: tuple[tuple[str, Callable[[Any], Any]], ...]

    @classmethod
    def compile(cls, statement: Any, dialect: Any, keys: Sequence[str] | None = None) -> DriverStatement:
        compiled = statement.compile(dialect=dialect, column_keys=keys)
        processors = []
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                processors.append((name, processor))
        positional = tuple(compiled.positiontup or ()) if compiled.positional else None
        return cls(str(compiled), positional, tuple(processors))

    def parameters(self, values: dict[str, Any]) -> Any:
        """`values` as the driver takes them: processed, in order for a positional paramstyle."""
        values = dict(values)
        for name, processor in self.processors:
            values[name] = processor(values[name])
        return values if self.positional is None else tuple(values[name] for name in self.positional)


@dataclass(frozen=True)
class IngestStatements:
    event: DriverStatement  # returns the new event's id; no row for a repeat
    duplicate: DriverStatement


_EVENT_KEYS = ("tenant_id", "helpdesk", "dedupe_key", "source", "event_type", "kind", "ticket_id", "status",
               "previous_status", "occurred_at", "received_at", "payload", "duplicates")
_COUNT_DUPLICATE = text(
    "UPDATE webhook_events SET duplicates = duplicates + 1 "
    "WHERE tenant_id = :tenant_id AND helpdesk = :helpdesk AND dedupe_key = :dedupe_key")


@functools.cache
def _driver_statements_for(name: str, driver: str, dialect: Any) -> IngestStatements:
    duplicate = DriverStatement.compile(_COUNT_DUPLICATE, dialect)
    return IngestStatements(DriverStatement.compile(_insert_event_statement(name), dialect, _EVENT_KEYS), duplicate)


def _driver_statements(dialect: Any) -> IngestStatements:
    """Compiled once per backend and driver (the first engine's dialect compiles them)."""
    return _driver_statements_for(dialect.name, dialect.driver, dialect)


@functools.cache
def _sqlite_insert_events(size: int) -> str:
    """SQLite: `size` events in one INSERT (the single-row statement's columns and conflict rule), returning
    the id and key of each one stored. One text per batch size, so sqlite3 caches each prepared."""
    row = "(" + ", ".join(["?"] * len(_EVENT_KEYS)) + ")"
    columns = ", ".join(_EVENT_KEYS)
    return (f"INSERT INTO webhook_events ({columns}) VALUES {', '.join([row] * size)} "
            "ON CONFLICT (tenant_id, helpdesk, dedupe_key) DO NOTHING RETURNING id, tenant_id, helpdesk, dedupe_key")


#: PostgreSQL, a batch: the rows in key order (one lock order for every batch, as `store_batch` sorts them),
#: inserted in ONE statement. It returns the id and key of each event it stored; a key already stored (or
#: repeated in the batch) returns nothing. The events' jobs are the job runner's to add
#: (`jobs.queue.queue_stored_events`), as for every other path.
_MANY_KEYS = ("tenant_id", "helpdesk", "dedupe_key", "source", "event_type", "kind", "ticket_id", "status",
              "previous_status", "occurred_at", "received_at", "payload")
_PG_INGEST_MANY = """
INSERT INTO webhook_events (tenant_id, helpdesk, dedupe_key, source, event_type, kind, ticket_id,
                            status, previous_status, occurred_at, received_at, payload, duplicates)
VALUES {rows}
ON CONFLICT (tenant_id, helpdesk, dedupe_key) DO NOTHING
RETURNING id, tenant_id, helpdesk, dedupe_key
"""


@functools.cache
def _pg_ingest_many(size: int) -> str:
    """`_PG_INGEST_MANY` for `size` rows (one text per batch size, so the server prepares each once), with
    PostgreSQL's numbered placeholders ($1, $2 …) for a `RawCursor`."""
    width = len(_MANY_KEYS)
    rows = ("(" + ", ".join(f"${row * width + column + 1}" for column in range(width)) + ", 0)"
            for row in range(size))
    return _PG_INGEST_MANY.replace("{rows}", ",\n           ".join(rows))


@functools.cache
def _insert_event_statement(dialect: str) -> Any:
    """The event insert, returning its id (no row for a repeat), built once per backend. INSERT … ON CONFLICT DO
    NOTHING: a repeated delivery is a no-op instead of an error, so storing one needs no SAVEPOINTs and no ORM
    unit of work (bench/RESULTS.md, webhook ingest)."""
    events = WebhookEvent.__table__
    return insert_on_conflict(dialect)(events).on_conflict_do_nothing(
        index_elements=["tenant_id", "helpdesk", "dedupe_key"]).returning(events.c.id)


def store_event(
    session: Session | Connection, tenant_id: str, helpdesk: str, event: TicketEvent, *, source: str, now: Any
) -> int | None:
    """Insert the event; None if this delivery was seen before (its duplicate counter bumped).

    A Core statement rather than an ORM add in a savepoint: the same row and the same answer to a
    duplicate. Its processing job is added by the job runner (`jobs.queue.queue_stored_events`), as
    for a webhook. For reconciliation, inside its caller's transaction; the webhook request stores
    the same row through `ingest_event`.
    """
    bind = session.get_bind() if isinstance(session, Session) else session
    event_id = session.execute(_insert_event_statement(bind.dialect.name),
                               _event_row(tenant_id, helpdesk, event, source, now)).scalar()
    if event_id is None:
        _count_duplicate(session, tenant_id, helpdesk, fit_key(event.dedupe_key))
        return None
    return int(event_id)


def _event_row(tenant_id: str, helpdesk: str, event: TicketEvent, source: str, now: Any) -> dict[str, Any]:
    """The webhook_events row of one delivery (ids and text cut to their columns)."""
    return {
        "tenant_id": tenant_id, "helpdesk": helpdesk, "dedupe_key": fit_key(event.dedupe_key), "source": source,
        "event_type": event.event_type[:120], "kind": event.kind, "ticket_id": event.ticket_id,
        "status": event.status, "previous_status": event.previous_status, "occurred_at": event.occurred_at,
        "received_at": now, "payload": event_payload(event), "duplicates": 0,
    }


def _count_duplicate(executor: Session | Connection, tenant_id: str, helpdesk: str, dedupe_key: str) -> None:
    """A repeated delivery only bumps the stored event's counter."""
    executor.execute(
        update(WebhookEvent)
        .where(
            WebhookEvent.tenant_id == tenant_id,
            WebhookEvent.helpdesk == helpdesk,
            WebhookEvent.dedupe_key == dedupe_key,
        )
        .values(duplicates=WebhookEvent.duplicates + 1)
    )


def event_payload(event: TicketEvent) -> dict[str, Any]:
    """The neutral event as JSON, so processing never re-parses vendor bodies."""
    return {
        "kind": event.kind,
        "status": event.status,
        "previous_status": event.previous_status,
        "requester_id": event.requester_id,
        "assignee_id": event.assignee_id,
        "group_id": event.group_id,
        "brand_id": event.brand_id,
        "organization_id": event.organization_id,
        "channel": event.channel,
        "ticket_type": event.ticket_type,
        "subject": event.subject,
        "tags": list(event.tags),
        "updated_at": event.updated_at.isoformat() if event.updated_at else None,
        "actor_id": event.actor_id,
        "extra": dict(event.extra),
    }


def find_event(session: Session, tenant_id: str, event_id: int) -> WebhookEvent | None:
    return session.scalars(
        select(WebhookEvent).where(WebhookEvent.tenant_id == tenant_id, WebhookEvent.id == event_id)
    ).one_or_none()
