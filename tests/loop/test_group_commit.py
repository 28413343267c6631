"""Group commit of webhook deliveries (receive.GroupCommit), on the real database (SQLite, or PostgreSQL
with TEST_DATABASE_URL): concurrent deliveries share a transaction, each answered after its commit;
duplicates inside one batch have one effect; a failed batch fails every member and stores nothing;
a delivery whose answer was lost after the commit is a duplicate when Zendesk retries it."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from conftest import count_jobs, count_rows, signed_headers, signed_post
from factories import body, envelope
from feedbackloop.loop import receive
from feedbackloop.store.models import DEFAULT_TENANT, WebhookEvent


def _row(ticket: int, event_id: str) -> dict[str, Any]:
    """The webhook_events row one signed Events-API delivery makes (parsed as the receiver parses it)."""
    from feedbackloop.helpdesks.zendesk import ZendeskHelpdesk

    raw = body(envelope(ticket, "open", "solved", datetime.now(timezone.utc), event_id=event_id))
    event = ZendeskHelpdesk().parse(signed_headers(raw), raw)
    assert event is not None
    return receive._event_row(DEFAULT_TENANT, "zendesk", event, "webhook", datetime.now(timezone.utc))


class HeldFirstBatch:
    """Wraps store_batch so that the first batch waits until `release()`: the deliveries submitted
    meanwhile queue, and commit together as the second batch."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = receive.store_batch
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.sizes: list[int] = []
        monkeypatch.setattr(receive, "store_batch", self)

    def __call__(self, engine: Engine, rows: Any, held: Any = None) -> list[int | None]:
        self.sizes.append(len(rows))
        if len(self.sizes) == 1:
            self.entered.set()
            self.gate.wait(10)
        return self.real(engine, rows, held)

    def release(self) -> None:
        self.gate.set()


def _submit_all(group: receive.GroupCommit, rows: list[dict[str, Any]], held: HeldFirstBatch
                ) -> list[Any]:
    """The first row commits alone (held); the others are submitted while it is held, then it is let go."""
    outcomes: list[Any] = [None] * len(rows)
    group.max_leaders = 1  # one batch at a time: the others queue behind the held one

    def submit(index: int) -> None:
        try:
            outcomes[index] = group.submit(rows[index])
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            outcomes[index] = exc

    first = threading.Thread(target=submit, args=(0,))
    first.start()
    assert held.entered.wait(10)
    others = [threading.Thread(target=submit, args=(i,)) for i in range(1, len(rows))]
    for thread in others:
        thread.start()
    deadline = time.monotonic() + 10
    while len(group._queue) < len(rows) - 1 and time.monotonic() < deadline:  # all queued behind the first
        time.sleep(0.005)
    held.release()
    for thread in [first, *others]:
        thread.join(20)
    return outcomes


def test_deliveries_arriving_during_a_commit_share_the_next_transaction(engine: Engine,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    held = HeldFirstBatch(monkeypatch)
    group = receive.GroupCommit(engine)
    rows = [_row(500 + n, f"batch-{n}") for n in range(12)]
    outcomes = _submit_all(group, rows, held)
    assert held.sizes == [1, 11]  # one transaction for the eleven that waited
    assert all(isinstance(event_id, int) for event_id in outcomes) and len(set(outcomes)) == 12
    assert count_rows(engine, WebhookEvent) == 12 and count_jobs(engine) == 12
    with Session(engine) as session:
        stored = dict(session.execute(select(WebhookEvent.dedupe_key, WebhookEvent.id)).all())
    for row, event_id in zip(rows, outcomes):  # each caller got the id of its own row
        assert stored[row["dedupe_key"]] == event_id


def test_duplicates_inside_one_batch_have_one_effect(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    held = HeldFirstBatch(monkeypatch)
    group = receive.GroupCommit(engine)
    rows = [_row(600, "first"), *[_row(601, "same") for _ in range(5)], _row(602, "other")]
    outcomes = _submit_all(group, rows, held)
    assert held.sizes == [1, 6]
    same = outcomes[1:6]
    assert sum(isinstance(o, int) for o in same) == 1 and same.count(None) == 4  # one accepted, four duplicates
    assert isinstance(outcomes[0], int) and isinstance(outcomes[6], int)
    assert count_rows(engine, WebhookEvent) == 3 and count_jobs(engine) == 3
    with Session(engine) as session:
        repeated = session.scalars(select(WebhookEvent).where(WebhookEvent.ticket_id == 601)).one()
    assert repeated.duplicates == 4


REAL_RAW_CURSOR = receive._raw_cursor


class FailingCommit:
    """A DBAPI connection whose COMMIT fails (after rolling back), as a database that went away at commit time."""

    def __init__(self, inner: Any, error: type[Exception]) -> None:
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_error", error)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._inner, name, value)

    def commit(self) -> None:
        self._inner.rollback()
        raise self._error("commit failed: no space left on device (test)")

    def cursor(self) -> Any:
        return self.failing(self._inner.cursor())

    def raw_cursor(self) -> Any:
        """What `receive._raw_cursor` gives for this connection (the test puts it in place)."""
        return self.failing(REAL_RAW_CURSOR(self._inner))

    def failing(self, cursor: Any) -> Any:
        fail = self.commit

        class Cursor:
            def __getattr__(self, name: str) -> Any:
                return getattr(cursor, name)

            def __enter__(self) -> Any:
                return self

            def __exit__(self, *_exc: object) -> None:
                cursor.close()

            def execute(self, sql: str, *args: Any) -> Any:
                # SQLite commits with COMMIT; a PostgreSQL batch is one statement in autocommit mode,
                # committed as it runs, so its failure there is the commit failing
                if sql == "COMMIT" or sql.startswith(receive._PG_INGEST_MANY[:40]):
                    fail()
                return cursor.execute(sql, *args)

        return Cursor()


def test_a_batch_whose_commit_fails_fails_every_member_and_stores_nothing(engine: Engine,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    error = engine.dialect.loaded_dbapi.OperationalError
    held = HeldFirstBatch(monkeypatch)
    group = receive.GroupCommit(engine)
    real_raw = engine.raw_connection
    calls: list[int] = []

    class Raw:
        def __init__(self, raw: Any) -> None:
            self.raw, self.driver_connection = raw, FailingCommit(raw.driver_connection, error)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.raw, name)

    taking: list[bool] = []

    def raw_connection() -> Any:
        if taking:  # the group commit opening the connection it holds: counted by `take` below
            return real_raw()
        calls.append(1)
        return real_raw() if len(calls) == 1 else Raw(real_raw())  # the held first batch commits

    monkeypatch.setattr(engine, "raw_connection", raw_connection)
    if group.held is not None:  # a file: the batches after the first fail on the group commit's own connection
        real_take, real_give_back = group.held.take, group.held.give_back

        def take(engine: Engine) -> Any:
            calls.append(1)
            taking.append(True)
            try:
                connection = real_take(engine)
            finally:
                taking.clear()
            return connection if len(calls) == 1 else FailingCommit(connection, error)

        monkeypatch.setattr(group.held, "take", take)
        monkeypatch.setattr(group.held, "give_back", lambda c: real_give_back(getattr(c, "_inner", c)))
    monkeypatch.setattr(receive, "_raw_cursor",
                        lambda connection: connection.raw_cursor() if isinstance(connection, FailingCommit)
                        else REAL_RAW_CURSOR(connection))
    rows = [_row(700 + n, f"fails-{n}") for n in range(6)]
    outcomes = _submit_all(group, rows, held)
    assert held.sizes == [1, 5]
    assert isinstance(outcomes[0], int)
    assert all(isinstance(o, error) for o in outcomes[1:])  # each member sees the failure: 503 to Zendesk
    assert count_rows(engine, WebhookEvent) == 1 and count_jobs(engine) == 1  # nothing of the failed batch

    monkeypatch.setattr(engine, "raw_connection", real_raw)
    if group.held is not None:
        monkeypatch.setattr(group.held, "take", real_take)
    retried = [group.submit(row) for row in rows]  # Zendesk retries: now stored, the first a duplicate
    assert retried[0] is None and all(isinstance(o, int) for o in retried[1:])
    assert count_rows(engine, WebhookEvent) == 6 and count_jobs(engine) == 6


def test_an_unavailable_database_is_a_503_with_retry_after(app: Flask, engine: Engine,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    error = engine.dialect.loaded_dbapi.OperationalError

    def down(*_args: Any) -> Any:
        raise error("could not connect to server (test)")

    monkeypatch.setattr(receive, "store_batch", down)
    answer = signed_post(app.test_client(), body(envelope(800, "open", "solved", datetime.now(timezone.utc))))
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert count_rows(engine, WebhookEvent) == 0


def test_an_answer_lost_after_the_commit_is_a_duplicate_on_retry(app: Flask, engine: Engine,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker dies between the commit and the 200 (here: the answer is never written); Zendesk
    retries the delivery, which is acknowledged as a duplicate: one event, one job."""
    raw = body(envelope(900, "open", "solved", datetime.now(timezone.utc), event_id="lost-answer"))
    real = receive.GroupCommit._commit

    def commit_then_crash(self: receive.GroupCommit, batch: Any) -> None:
        real(self, batch)
        raise SystemExit("worker killed after the commit, before the answer (test)")

    monkeypatch.setattr(receive.GroupCommit, "_commit", commit_then_crash)
    with pytest.raises(SystemExit):
        signed_post(app.test_client(), raw)
    monkeypatch.setattr(receive.GroupCommit, "_commit", real)
    receive._GROUP_COMMITS.clear()  # a new worker process: a fresh committer
    retry = signed_post(app.test_client(), raw)
    assert retry.status_code == 200 and retry.get_json()["status"] == "duplicate"
    assert count_rows(engine, WebhookEvent) == 1 and count_jobs(engine) == 1


def test_many_threads_through_the_app_are_each_committed_once(app: Flask, engine: Engine) -> None:
    """16 threads × 10 distinct deliveries and a repeat of each, through the door: all accepted once."""
    results: list[str] = []
    barrier = threading.Barrier(16)

    def post(thread: int) -> None:
        client = app.test_client()
        barrier.wait()
        for n in range(10):
            raw = body(envelope(2000 + thread * 20 + n, "open", "solved", datetime.now(timezone.utc),
                                event_id=f"many-{thread}-{n}"))
            for _ in range(2):
                answer = client.post("/webhooks/zendesk", data=raw, headers=signed_headers(raw))
                results.append(f"{answer.status_code}:{answer.get_json()['status']}")

    threads = [threading.Thread(target=post, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(set(results)) == ["200:accepted", "200:duplicate"]
    assert results.count("200:accepted") == 160 and results.count("200:duplicate") == 160
    assert count_rows(engine, WebhookEvent) == 160 and count_jobs(engine) == 160


def _deliveries(tag: str, now: datetime) -> list[tuple[str, bytes, dict[str, str]]]:
    """Good and bad deliveries, with ids of their own per `tag`: path, body, headers."""
    from datetime import timedelta

    from conftest import load_fixture

    good = body(envelope(3000, "open", "solved", now, event_id=f"{tag}-good"))
    future = body(envelope(3001, "open", "solved", now + timedelta(days=2), event_id=f"{tag}-future"))
    ignored = load_fixture("zendesk/webhooks/user.deleted__end_user.json")
    garbage = b'{"type": "zen:event-type:ticket.status_changed", "detail": '
    return [
        ("/webhooks/zendesk", good, signed_headers(good)),
        ("/webhooks/zendesk", good, signed_headers(good)),  # the same again: duplicate
        ("/webhooks/zendesk", ignored, signed_headers(ignored)),
        ("/webhooks/zendesk", good, signed_headers(good, secret="not-the-secret")),
        ("/webhooks/zendesk", garbage, signed_headers(garbage)),
        ("/webhooks/zendesk", future, signed_headers(future)),
        ("/webhooks/zendesk/no-such-tenant", good, signed_headers(good)),
        ("/webhooks/zendesk/bad%00name", good, signed_headers(good)),
    ]


def test_the_door_and_the_flask_route_answer_every_delivery_alike(app: Flask, engine: Engine) -> None:
    """One code path: the same deliveries, good and bad, through the door (app.wsgi_app) and through
    Flask's route alone (the door's inner app) get the same status and the same JSON (ids aside)."""
    from werkzeug.test import Client

    from feedbackloop.loop.receive import WebhookDoor

    door = app.wsgi_app
    assert isinstance(door, WebhookDoor)
    answers: dict[str, list[tuple[int, Any]]] = {}
    now = datetime.now(timezone.utc)
    for tag, wsgi_app in (("door", door), ("route", door.inner)):
        client = Client(wsgi_app)
        answers[tag] = []
        for path, raw, headers in _deliveries(tag, now):
            answer = client.post(path, data=raw, headers=headers)
            payload = answer.get_json()
            if isinstance(payload, dict):
                payload.pop("event_id", None)
                payload.pop("request_id", None)
            answers[tag].append((answer.status_code, payload))
    assert answers["door"] == answers["route"]
    statuses = [status for status, _ in answers["door"]]
    assert statuses == [200, 200, 200, 401, 400, 400, 404, 400], statuses
    assert [payload["status"] for _, payload in answers["door"][:3]] == ["accepted", "duplicate", "ignored"]
    assert count_rows(engine, WebhookEvent) == 2 and count_jobs(engine) == 2  # one per path's good delivery


@pytest.mark.parametrize("leaders", [1, 2])
def test_concurrent_submitters_with_repeats_get_one_accepted_each(engine: Engine, leaders: int) -> None:
    """24 threads each submit the same 8 deliveries (and 4 of their own), with one or two batches
    committing at once: each delivery is accepted exactly once, every other copy is a duplicate."""
    group = receive.GroupCommit(engine)
    group.max_leaders = leaders
    shared = [_row(4000 + n, f"shared-{n}") for n in range(8)]
    outcomes: dict[str, list[int | None]] = {}
    guard = threading.Lock()
    barrier = threading.Barrier(24)

    def submit(thread: int) -> None:
        own = [_row(5000 + thread * 10 + n, f"own-{thread}-{n}") for n in range(4)]
        barrier.wait()
        for row in [*shared, *own]:
            result = group.submit(row)
            with guard:
                outcomes.setdefault(row["dedupe_key"], []).append(result)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(outcomes) == 8 + 24 * 4
    for key, results in outcomes.items():
        accepted = [r for r in results if r is not None]
        assert len(accepted) == 1, key
    assert count_rows(engine, WebhookEvent) == 8 + 96 and count_jobs(engine) == 8 + 96
    assert group.members == 24 * 12 and group.batches < group.members  # some deliveries shared a commit
