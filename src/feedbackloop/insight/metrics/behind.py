"""The tickets behind a figure: the ratings a segment's number was counted from, for the drill-down."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from feedbackloop.insight.metrics.counts import NONE_LABEL, Key, MetricsQuery, filter_clauses, tenant_clause
from feedbackloop.insight.metrics.outcome_rates import _count
from feedbackloop.insight.segments import DIMENSION_NAMES as DIMENSION_NAMES
from feedbackloop.insight.segments import MIN_N as MIN_N
from feedbackloop.insight.segments import PERIODS as PERIODS
from feedbackloop.store.models import Rating, TicketState

if TYPE_CHECKING:
    pass


# --- the tickets behind a figure ---------------------------------------------------------------------


@dataclass(frozen=True)
class RatedTicket:
    """One rating as the drill-down lists it (the comment is customer-written: escape it)."""

    rating_id: int
    ticket_id: int
    tenant_id: str
    score: int
    scale: str
    reason: str | None
    comment: str | None
    rated_at: datetime
    intent: str | None
    channel: str | None
    resolver: str | None
    assignee_id: int | None
    group_id: int | None
    subject: str | None


SCORE_BANDS = {"bad": (1, 2), "neutral": (3, 3), "good": (4, 5)}


def ratings_behind(
    session: Session, query: MetricsQuery, *, band: str | None = None, limit: int = 200, count: bool = True
) -> tuple[list[RatedTicket], int | None]:
    """The ratings behind a figure (worst first, newest first among equals), and how many there are.

    One query per score, each reading the (tenant, score, created_at) index backwards and stopping
    at the limit: the worst ten of a million ratings without sorting the million.
    """
    low, high = SCORE_BANDS[band] if band is not None else (1, 5)
    where = [
        *tenant_clause(query, Rating.tenant_id),
        Rating.created_at >= query.since,
        Rating.created_at < query.until,
        *filter_clauses(query),
    ]
    found: list[RatedTicket] = []
    for score in range(low, high + 1):
        if len(found) >= limit:
            break
        statement = (
            select(Rating, TicketState.subject)
            .outerjoin(
                TicketState,
                and_(TicketState.tenant_id == Rating.tenant_id, TicketState.ticket_id == Rating.ticket_id),
            )
            .where(*where, Rating.score == score)
            .order_by(Rating.created_at.desc(), Rating.id.desc())
            .limit(limit - len(found))
        )
        found += [_rated(rating, subject) for rating, subject in session.execute(statement)]
    if not count:
        return found, None
    total = _count(
        session, select(func.count(Rating.id)).where(*where, Rating.score >= low, Rating.score <= high)
    )
    return found, total


def _rated(rating: Rating, subject: str | None) -> RatedTicket:
    return RatedTicket(
        rating_id=rating.id,
        ticket_id=rating.ticket_id,
        tenant_id=rating.tenant_id,
        score=rating.score,
        scale=rating.scale,
        reason=rating.reason,
        comment=rating.comment,
        rated_at=rating.created_at,
        intent=rating.intent,
        channel=rating.channel,
        resolver=rating.resolver,
        assignee_id=rating.assignee_id,
        group_id=rating.group_id,
        subject=subject,
    )


def segment_label(by: Sequence[str], key: Key) -> str:
    """`intent=billing, channel=email`: how a segment is named in tasks, alerts and logs."""
    return (
        ", ".join(f"{name}={value if value is not None else NONE_LABEL}" for name, value in zip(by, key))
        or "all"
    )
