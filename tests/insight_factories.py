"""Builders for insight tests: sent surveys and ratings with their attribution, written as rows."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session

from feedbackloop.loop.attribution import SEGMENT_COLUMNS
from feedbackloop.store import rollups
from feedbackloop.store.models import Base, Rating, Signal, Survey

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday
_ids = itertools.count(1)
HOSTILE = "<script>alert(1)</script>"


def sent_survey(session: Session, ticket_id: int, sent_at: datetime, *, tenant_id: str = "default",
                channel: str | None = "email", **attribution: Any) -> Survey:
    """A survey that went out (answered or not), with its segment as of the solve."""
    survey = Survey(
        tenant_id=tenant_id, ticket_id=ticket_id, requester_id=9000 + ticket_id, solve_key=f"solve-{next(_ids)}",
        solved_at=sent_at - timedelta(hours=1), state="sent", scale="five", scheduled_for=sent_at, sent_at=None,
        channel=channel, created_at=sent_at - timedelta(hours=1), updated_at=sent_at, **attribution,
    )
    session.add(survey)
    session.flush()
    rollups.add_solve(session, survey)  # as lifecycle.py does when it schedules one
    rollups.add_sent(survey, sent_at)  # as survey.py does when it sends one
    survey.sent_at = sent_at
    session.flush()
    return survey


def rated(session: Session, ticket_id: int, score: int, at: datetime, *, tenant_id: str = "default",
          channel: str | None = "email", intent: str | None = None, sent_at: datetime | None = None,
          scale: str = "five", **attribution: Any) -> Rating:
    """A sent survey and its rating, attributed as given (intent, resolver, assignee_id, comment …);
    `scale` "thumbs" for a good/bad rating (stored as 5 or 1)."""
    segment = {name: value for name, value in attribution.items() if name in SEGMENT_COLUMNS}
    survey = sent_survey(session, ticket_id, sent_at or at - timedelta(minutes=30), tenant_id=tenant_id,
                         channel=channel, intent=intent, **segment)
    rating = Rating(
        tenant_id=tenant_id, survey_id=survey.id, ticket_id=ticket_id, score=score, scale=scale,
        source="link", version=1, written_version=1, channel=channel, intent=intent,
        created_at=at, updated_at=at, **attribution,
    )
    session.add(rating)
    session.flush()
    rollups.add_rating(session, rating)  # as ratings.py does when it records one
    return rating


def signalled(session: Session, ticket_id: int, kind: str, at: datetime, value: float | None = 1.0, *,
              tenant_id: str = "default", key: str | None = None, **segment: Any) -> Signal:
    """A signal with its segment as given, counted in the daily rollup as lifecycle.record_signal does."""
    row = Signal(tenant_id=tenant_id, ticket_id=ticket_id, type=kind, value=value, source="webhook",
                 dedupe_key=key or f"{kind}:{ticket_id}:{at.isoformat()}", details={}, occurred_at=at,
                 created_at=at, **segment)
    session.add(row)
    session.flush()
    rollups.add_signal(session, row)
    return row


Snapshot = dict[str, list[dict[str, Any]]]


def snapshot(engine: Engine) -> Snapshot:
    """Every non-empty table's rows: seeded once through the real write path (ORM, rollup upserts),
    then put back by `restore` for each test, which costs one INSERT per table instead of seconds."""
    with engine.connect() as conn:
        rows = {table.name: [dict(row._mapping) for row in conn.execute(select(table))]
                for table in Base.metadata.sorted_tables}
    return {name: found for name, found in rows.items() if found}


def restore(engine: Engine, rows: Snapshot) -> None:
    """Put a snapshot back into emptied tables; on PostgreSQL the id sequences move past it, so a
    test that adds rows after it gets fresh ids."""
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name not in rows:
                continue
            conn.execute(insert(table), rows[table.name])
            if conn.dialect.name == "postgresql" and "id" in table.c and table.c.id.autoincrement is not False:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                  f"(SELECT max(id) FROM {table.name}))"))
