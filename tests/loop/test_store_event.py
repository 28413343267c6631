"""store_event's INSERT … ON CONFLICT path (the webhook hot path), on both databases."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from factories import body, envelope
from feedbackloop.helpdesks.base import TicketEvent
from feedbackloop.helpdesks.zendesk.events import parse
from feedbackloop.loop.receive import store_event
from feedbackloop.store.models import Job, WebhookEvent

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def _event(event_id: str, ticket_id: int = 71) -> TicketEvent:
    event = parse({}, body(envelope(ticket_id, "open", "solved", NOW, event_id=event_id)))
    assert event is not None
    return event


def test_a_new_event_gets_one_job_and_a_repeat_only_counts(engine: Engine) -> None:
    with Session(engine) as session:
        first = store_event(session, "default", "zendesk", _event("ev-1"), source="webhook", now=NOW)
        again = store_event(session, "default", "zendesk", _event("ev-1"), source="reconcile", now=NOW)
        session.commit()
        (event,) = session.scalars(select(WebhookEvent)).all()
        (job,) = session.scalars(select(Job)).all()
    assert first == event.id and again is None and event.duplicates == 1 and event.source == "webhook"
    assert (job.kind, job.dedupe_key, job.args, job.state, job.attempts) == (
        "process_ticket", f"process:{event.id}", {"event_id": event.id}, "pending", 0)
    assert job.ticket_id == 71 and job.run_after == NOW and job.lease_until is None


def test_a_job_already_holding_the_key_is_kept(engine: Engine) -> None:
    """SQLite may reuse the id of a deleted last row: the stale job stays, the event is still stored."""
    with Session(engine) as session:
        stored = store_event(session, "default", "zendesk", _event("ev-2"), source="webhook", now=NOW)
        session.commit()
        session.execute(WebhookEvent.__table__.delete())
        session.commit()
        again = store_event(session, "default", "zendesk", _event("ev-3"), source="webhook", now=NOW)
        session.commit()
        count = session.scalar(select(func.count()).select_from(Job))
    assert stored is not None and again is not None
    assert count == (1 if again == stored else 2)
