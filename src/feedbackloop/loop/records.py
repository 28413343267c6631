"""What several steps of the loop write: a ticket's state row, signals, review requests, and why a
ticket gets no survey.

Below lifecycle, survey, ratings, signals, overrides, verdicts and writeback, which all record
signals or read a ticket's state: keeping these here is what lets lifecycle call the later steps
without any of them importing lifecycle back (issue 21 broke that cycle).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackloop.core.settings import Settings
from feedbackloop.jobs import queue as jobs
from feedbackloop.loop import attribution, csat_sources
from feedbackloop.store import rollups
from feedbackloop.store.models import Signal, Survey, TicketState, fit_key

NO_SURVEY_TAGS = frozenset({"feedback_review", "csat_skip"})


def get_ticket_state(session: Session, tenant_id: str, ticket_id: int, now: datetime) -> TicketState:
    """The ticket's row, created on first sight (a unique key makes concurrent creation safe)."""
    query = select(TicketState).where(TicketState.tenant_id == tenant_id, TicketState.ticket_id == ticket_id)
    state = session.scalars(query).one_or_none()
    if state is not None:
        return state
    state = TicketState(tenant_id=tenant_id, ticket_id=ticket_id, tags=[], final=False, is_review_task=False,
                        created_at=now, updated_at=now)
    try:
        with session.begin_nested():
            session.add(state)
    except IntegrityError:
        state = session.scalars(query).one()
    return state


def survey_exclusion(session: Session, settings: Settings, tenant_id: str, state: TicketState, now: datetime) -> str | None:
    """Why this ticket gets no survey, or None. Checked at scheduling and again at sending."""
    tags = set(state.tags or [])
    source = csat_sources.ours_exclusion(session, settings, tenant_id, state)  # Zendesk's own survey asks
    if source is not None:
        return source
    if state.is_review_task or "feedback_review" in tags:
        return "ticket is tagged feedback_review (a feedback review task)"
    if tags & NO_SURVEY_TAGS:
        return f"ticket is tagged {sorted(tags & NO_SURVEY_TAGS)[0]}"
    if state.organization_id is not None and state.organization_id in settings.exclude_organization_ids:
        return f"requester's organization {state.organization_id} is excluded"
    if state.requester_id is not None and settings.survey_cooldown > 0:
        since = now - timedelta(seconds=settings.survey_cooldown)
        recent = session.scalar(
            select(Survey.id).where(
                Survey.tenant_id == tenant_id, Survey.requester_id == state.requester_id,
                Survey.state == "sent", Survey.sent_at >= since, Survey.ticket_id != state.ticket_id,
            ).limit(1)
        )
        if recent is not None:
            return f"requester was surveyed within the cooldown (survey {recent})"
    return None


def failed_resolution(
    session: Session, tenant_id: str, ticket_id: int, reopen_key: str, at: datetime, details: dict[str, Any],
    now: datetime,
) -> None:
    """Record the signal, tag the ticket `feedback_reopened`, and ask for a review.

    Its parameters are the signal's facts; called from the fold and from job steps alike, so no StepContext.
    """
    if not record_signal(session, tenant_id, ticket_id, "failed_resolution", 1.0, "webhook",
                         f"failed_resolution:{reopen_key}", at, details, now):
        return
    jobs.enqueue(session, "tag_ticket", f"tag:feedback_reopened:{reopen_key}",
                 {"add": ["feedback_reopened"]}, now=now, tenant_id=tenant_id, ticket_id=ticket_id)
    request_review(session, tenant_id, ticket_id, "reopened", f"reopen:{reopen_key}", details, now)


def request_review(
    session: Session, tenant_id: str, ticket_id: int, reason: str, key: str, details: dict[str, Any], now: datetime
) -> None:
    """Queue a review task (or a note on the open one) for a bad signal on a ticket.

    Its parameters are the review request's facts; called from the fold, pages and job steps alike, so no StepContext.
    """
    jobs.enqueue(session, "review_task", f"review:{key}", {"reason": reason, "details": details},
                 now=now, tenant_id=tenant_id, ticket_id=ticket_id)


def record_signal(
    session: Session, tenant_id: str, ticket_id: int, type_: str, value: float | None, source: str, key: str,
    at: datetime, details: dict[str, Any], now: datetime,
) -> bool:
    """Insert a signal once; True if this call inserted it.

    Its parameters are the signal row's columns; called from the fold, pages and job steps alike, so no StepContext.
    """
    signal = Signal(tenant_id=tenant_id, ticket_id=ticket_id, type=type_, value=value, source=source,
                    dedupe_key=fit_key(key), details=details, occurred_at=at, created_at=now)
    state = session.scalars(
        select(TicketState).where(TicketState.tenant_id == tenant_id, TicketState.ticket_id == ticket_id)
    ).one_or_none()
    attribution.snapshot(session, signal, state)  # the segment as of the signal, for outcome rates
    try:
        with session.begin_nested():
            session.add(signal)
    except IntegrityError:
        return False
    rollups.add_signal(session, signal)  # counted once: only the call that inserted it gets here
    return True
