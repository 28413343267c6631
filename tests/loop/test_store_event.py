"""store_event's INSERT … ON CONFLICT path (the webhook hot path), and the feeder that gives stored events their
processing jobs (jobs.queue.queue_stored_events), on both databases."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

from sqlalchemy import Engine, false, func, select
from sqlalchemy.orm import Session

from factories import body, envelope
from feedbackloop.helpdesks.base import TicketEvent
from feedbackloop.helpdesks.zendesk.events import parse
from feedbackloop.jobs.queue import queue_stored_events
from feedbackloop.loop.receive import store_event
from feedbackloop.store.models import Job, WebhookEvent

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def _event(event_id: str, ticket_id: int = 71) -> TicketEvent:
    event = parse({}, body(envelope(ticket_id, "open", "solved", NOW, event_id=event_id)))
    assert event is not None
    return event


def test_a_new_event_is_stored_unqueued_and_a_repeat_only_counts(engine: Engine) -> None:
    with Session(engine) as session:
        first = store_event(session, "default", "zendesk", _event("ev-1"), source="webhook", now=NOW)
        again = store_event(session, "default", "zendesk", _event("ev-1"), source="reconcile", now=NOW)
        session.commit()
        (event,) = session.scalars(select(WebhookEvent)).all()
        assert session.scalar(select(func.count()).select_from(Job)) == 0  # the job runner adds it
    assert first == event.id and again is None and event.duplicates == 1 and event.source == "webhook"
    assert event.queued is False


def test_the_feeder_gives_each_stored_event_one_job(engine: Engine) -> None:
    with Session(engine) as session:
        ids = [store_event(session, "default", "zendesk", _event(f"ev-{n}", 70 + n), source="webhook", now=NOW)
               for n in range(5)]
        session.commit()
        assert queue_stored_events(session, limit=3) == 3  # a batch at a time, oldest first
        session.commit()
        assert queue_stored_events(session) == 2
        session.commit()
        assert queue_stored_events(session) == 0  # each event once
        rows = session.scalars(select(Job).order_by(Job.id)).all()
        assert all(session.scalars(select(WebhookEvent.queued)).all())
    assert [(j.kind, j.dedupe_key, j.args, j.state, j.attempts, j.ticket_id) for j in rows] == [
        ("process_ticket", f"process:{i}", {"event_id": i}, "pending", 0, 70 + n) for n, i in enumerate(ids)]
    assert all(j.run_after == NOW and j.created_at == NOW and j.lease_until is None for j in rows)


def test_a_feed_rolled_back_leaves_the_events_to_the_next(engine: Engine) -> None:
    """The mark and the jobs are one transaction: a crash between them undoes both."""
    with Session(engine) as session:
        store_event(session, "default", "zendesk", _event("ev-1"), source="webhook", now=NOW)
        session.commit()
        assert queue_stored_events(session) == 1
        session.rollback()
        assert session.scalar(select(func.count()).select_from(Job)) == 0
        assert queue_stored_events(session) == 1
        session.commit()
        assert session.scalar(select(func.count()).select_from(Job)) == 1


def test_a_job_already_holding_the_key_is_kept(engine: Engine) -> None:
    """SQLite may reuse the id of a deleted last row: the stale job stays, the event is still stored."""
    with Session(engine) as session:
        stored = store_event(session, "default", "zendesk", _event("ev-2"), source="webhook", now=NOW)
        queue_stored_events(session)
        session.commit()
        session.execute(WebhookEvent.__table__.delete())
        session.commit()
        again = store_event(session, "default", "zendesk", _event("ev-3"), source="webhook", now=NOW)
        assert queue_stored_events(session) == 1
        session.commit()
        count = session.scalar(select(func.count()).select_from(Job))
    assert stored is not None and again is not None
    assert count == (1 if again == stored else 2)


def test_feeders_racing_each_other_and_the_receiver_give_every_event_one_job(engine: Engine) -> None:
    """Four runners feeding at once while events keep arriving: every event ends with exactly one job."""
    stored: list[int | None] = []
    errors: list[BaseException] = []
    arriving = threading.Event()
    arriving.set()

    def receive() -> None:
        try:
            for n in range(120):
                with Session(engine) as session:
                    stored.append(store_event(session, "default", "zendesk", _event(f"race-{n}", 100 + n % 7),
                                              source="webhook", now=NOW))
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            arriving.clear()

    def feed() -> None:
        try:
            while True:
                last_round = not arriving.is_set()
                with Session(engine) as session:
                    fed = queue_stored_events(session, limit=7)
                    session.commit()
                if last_round and not fed:
                    return
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=receive)] + [threading.Thread(target=feed) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with Session(engine) as session:
        jobs = session.scalars(select(Job.dedupe_key).where(Job.kind == "process_ticket")).all()
        waiting = session.scalar(select(func.count()).where(WebhookEvent.queued == false()))
    assert waiting == 0
    assert sorted(jobs) == sorted(f"process:{event_id}" for event_id in stored) and len(set(jobs)) == 120
