"""Fold a ticket's stored events, in the order they happened, into surveys and signals.

Zendesk delivers out of order and sometimes twice, so nothing here trusts arrival order: each
run re-reads the ticket's whole event history sorted by event time and derives the same
effects, each guarded by a unique key. A reopen that arrives before its solve is handled when
the solve arrives; the survey of a solve that was later reopened is cancelled, not sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import REOPEN_STATUSES
from feedbackloop.jobs import queue as jobs
from feedbackloop.loop import attribution, overrides, signals
from feedbackloop.loop.records import NO_SURVEY_TAGS as NO_SURVEY_TAGS
from feedbackloop.loop.records import failed_resolution as failed_resolution
from feedbackloop.loop.records import get_ticket_state as get_ticket_state
from feedbackloop.loop.records import record_signal as record_signal
from feedbackloop.loop.records import request_review as request_review
from feedbackloop.loop.records import survey_exclusion as survey_exclusion
from feedbackloop.store import rollups
from feedbackloop.store.models import ReviewTask, Survey, TicketState, WebhookEvent

log = logging.getLogger(__name__)

#: Tags that keep a ticket out of surveys: our own review tasks, and an admin's opt-out.
CATEGORY_TAG_PREFIX = "category_"
MAX_CATEGORY = 80  # the column's width; Zendesk's own tag limit is not documented
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Transition:
    """One status change in event time."""

    key: str
    at: datetime
    status: str
    previous: str | None
    actor_id: int | None = None  # who made the change, when the event says


def process_ticket(session: Session, settings: Settings, tenant_id: str, ticket_id: int, now: datetime) -> str:
    """Bring surveys, signals and review tasks in line with everything known about a ticket."""
    state = lock_ticket(session, tenant_id, ticket_id, now)
    events = _status_events(session, tenant_id, ticket_id)
    upsert_ticket_state(state, events, now)
    if state.is_review_task or _is_review_task(session, tenant_id, ticket_id):
        state.is_review_task = True
        return _track_review_task(session, tenant_id, ticket_id, state, now)
    overrides.detect_from_events(session, settings, tenant_id, ticket_id, events, now)
    signals.check_recontact(session, settings, tenant_id, state, events, now)
    transitions = status_transitions(events)
    last_solve: Transition | None = None
    for index, transition in enumerate(transitions):
        previous = transition.previous or (transitions[index - 1].status if index else None)
        if transition.status == "solved":
            last_solve = transition
        elif transition.status in REOPEN_STATUSES and previous in ("solved", None) and last_solve is not None:
            handle_reopen(session, settings, tenant_id, ticket_id, transition, last_solve, now, transitions)
            last_solve = None
        elif transition.status in REOPEN_STATUSES and previous == "solved":
            record_signal(session, tenant_id, ticket_id, "reopen", 1.0, "webhook", f"reopen:{transition.key}",
                          transition.at, {"solved_at": None}, now)
    if not transitions:
        return "no status events"
    latest = transitions[-1]
    if latest.status == "solved" and last_solve is not None:
        return schedule_survey(session, settings, tenant_id, state, last_solve, now, transitions)
    if latest.status == "closed":
        result = close_ticket(session, tenant_id, state, now)
        signals.resolution_signals(session, settings, tenant_id, state, events, transitions, now)
        return result
    return f"status {latest.status}"


def lock_ticket(session: Session, tenant_id: str, ticket_id: int, now: datetime) -> TicketState:
    """The ticket's row, held until this transaction ends, so two workers folding the same ticket
    (two deliveries of one solve, processed at once) take turns: the second sees the first's survey.
    SQLite needs nothing more: its writers already hold the database's one write lock (BEGIN IMMEDIATE)."""
    state = get_ticket_state(session, tenant_id, ticket_id, now)
    session.refresh(state, with_for_update=True)
    return state


def status_transitions(events: list[WebhookEvent]) -> list[Transition]:
    """The status changes among a ticket's events, in event time.

    Most events (a comment, a tag change, our own survey update) also carry the ticket's current
    status; that is a snapshot, not a change. An event counts as a transition when it says it is
    one (previous status present and different) or when its status differs from the last
    transition's, so a solved ticket that gets comments is solved once, not once per comment.

    One Zendesk update emits several events with the same time (comment_added, status_changed,
    ...), and they arrive in any order. A transition's key is therefore its status and time, not
    an event id: whichever of those events we see first, the survey and signals it leads to are
    keyed the same, and the later ones add nothing.
    """
    transitions: list[Transition] = []
    minute_solves = [e.occurred_at for e in events if e.status == "solved" and is_minute_precision(e)]
    for event in events:
        if not event.status or event.previous_status == event.status:
            continue
        if minute_solves and _shadowed(event, events, minute_solves):
            continue
        key = f"{event.status}@{event.occurred_at.isoformat()}"
        actor = event.payload.get("actor_id")
        if transitions and transitions[-1].key == key:
            last = transitions[-1]
            transitions[-1] = Transition(key, last.at, event.status, last.previous or event.previous_status,
                                         last.actor_id if last.actor_id is not None else actor)
            continue
        if event.previous_status is None and transitions and transitions[-1].status == event.status:
            continue
        transitions.append(Transition(key, event.occurred_at, event.status, event.previous_status, actor))
    return transitions


def is_minute_precision(event: WebhookEvent) -> bool:
    """A trigger body's time (`{{ticket.updated_at_with_timestamp}}`) has no seconds: it names a minute."""
    at = event.occurred_at
    return event.event_type.startswith("trigger:") and at.second == 0 and at.microsecond == 0


def _shadowed(event: WebhookEvent, events: list[WebhookEvent], minute_solves: list[datetime]) -> bool:
    """Whether `event` must not count as a transition because a minute-precision solve blurs its order.

    - The trigger's solve itself, once another path told us the same solve to the second (a solved
      event in that minute): the precise one stands for both.
    - A status snapshot (no previous status: a comment, a tag change) inside the minute of a trigger
      solve: whether it came before or after the solve is unknown, so it proves no reopen.
    """
    if event.status == "solved" and is_minute_precision(event):
        start, end = event.occurred_at, event.occurred_at + MINUTE
        for other in events:  # in event time: the first precise change in the minute decides
            if not start <= other.occurred_at < end or is_minute_precision(other) or not other.status:
                continue
            if other.status == "solved":
                return True
            if other.previous_status is not None:  # a real reopen first: this solve may be before it
                return False
        return False
    if event.previous_status is None and event.status != "solved":
        return any(at <= event.occurred_at < at + MINUTE for at in minute_solves)
    return False


def _status_events(session: Session, tenant_id: str, ticket_id: int) -> list[WebhookEvent]:
    return list(
        session.scalars(
            select(WebhookEvent)
            .where(WebhookEvent.tenant_id == tenant_id, WebhookEvent.ticket_id == ticket_id)
            .order_by(WebhookEvent.occurred_at, WebhookEvent.id)
        )
    )


def _updated_at(event: WebhookEvent) -> datetime:
    raw = event.payload.get("updated_at")
    return datetime.fromisoformat(raw) if raw else event.occurred_at


def upsert_ticket_state(state: TicketState, events: list[WebhookEvent], now: datetime) -> TicketState:
    """Our snapshot of the ticket, from the newest event that carries one."""
    for event in events:
        stamp = _updated_at(event)
        if state.snapshot_at is not None and stamp < state.snapshot_at:
            continue
        apply_event_snapshot(state, event.payload, stamp)
        if event.status:
            state.status = event.status
            state.status_at = event.occurred_at
        if event.status == "solved":
            state.solved_at = event.occurred_at
    state.updated_at = now
    return state


def apply_event_snapshot(state: TicketState, payload: dict[str, Any], stamp: datetime) -> None:
    """Copy the ticket fields an event carries; unknown (None) fields keep what we had."""
    for name in ("requester_id", "assignee_id", "group_id", "brand_id", "organization_id", "channel",
                 "ticket_type", "subject"):
        value = payload.get(name)
        if value is not None:
            setattr(state, name, value)
    tags = payload.get("tags")
    if tags is not None and payload.get("kind") != "comment_added":
        state.tags = list(tags)
        state.snapshot_at = stamp
    state.category = category_of(state.tags or [], state.ticket_type) or state.category


def category_of(tags: list[str], ticket_type: str | None) -> str | None:
    """The issue category: a `category_<name>` tag (a Zendesk dropdown field whose option values
    carry the prefix sets one), else the ticket type."""
    for tag in tags:
        if tag.startswith(CATEGORY_TAG_PREFIX) and len(tag) > len(CATEGORY_TAG_PREFIX):
            return tag[len(CATEGORY_TAG_PREFIX):][:MAX_CATEGORY]
    return ticket_type[:MAX_CATEGORY] if ticket_type else ticket_type


def _is_review_task(session: Session, tenant_id: str, ticket_id: int) -> bool:
    return (
        session.scalar(
            select(ReviewTask.id).where(ReviewTask.tenant_id == tenant_id, ReviewTask.task_ticket_id == ticket_id)
        )
        is not None
    )


def _track_review_task(session: Session, tenant_id: str, ticket_id: int, state: TicketState, now: datetime) -> str:
    """A review task we created changed status: solved/closed means the review is done."""
    task = session.scalars(
        select(ReviewTask).where(ReviewTask.tenant_id == tenant_id, ReviewTask.task_ticket_id == ticket_id)
    ).one_or_none()
    if task is not None and state.status in ("solved", "closed") and task.state == "open":
        task.state = "solved"
        task.updated_at = now
        # The verdict (root cause + notes) is the label the exports learn from: read it once.
        jobs.enqueue(session, "capture_verdict", f"verdict:{task.id}", {"review_task_id": task.id,
                     "tags": list(state.tags or [])}, now=now, tenant_id=tenant_id, ticket_id=ticket_id)
        return "review task solved"
    return "review task event"


def schedule_survey(
    session: Session, settings: Settings, tenant_id: str, state: TicketState, solve: Transition, now: datetime,
    transitions: list[Transition] | None = None,
) -> str:
    """One survey per solve episode, due `survey_delay` after it, unless this ticket must not be surveyed.

    The same solve reaches us by up to three paths (an Events-API envelope timed to the nanosecond,
    a trigger body timed to the minute, a reconciliation snapshot timed by the ticket's last update),
    so their keys differ: a survey belongs to an *episode* (solved, with no reopen in between), and
    any survey already made for this episode, whichever path made it, is the episode's survey.
    Its parameters are the fold's own state: it runs inside process_ticket, not as a job step with a StepContext.
    """
    existing = _episode_survey(session, tenant_id, state.ticket_id, solve, transitions or [solve])
    if existing is not None:
        return f"survey {existing.id} already {existing.state}"
    skip = survey_exclusion(session, settings, tenant_id, state, now)
    survey = Survey(
        tenant_id=tenant_id, ticket_id=state.ticket_id, requester_id=state.requester_id, solve_key=solve.key,
        solved_at=solve.at, state="skipped" if skip else "scheduled", reason=skip,
        scale="ces" if settings.survey_kind == "ces" else settings.survey_scale,  # issue 24: a CES-only survey
        scheduled_for=solve.at + timedelta(seconds=settings.survey_delay), sent_at=None, reminder_sent_at=None,
        expires_at=None, channel=state.channel, created_at=now, updated_at=now,
    )
    attribution.snapshot(session, survey, state)  # the segment as of the solve, for outcome rates
    try:
        with session.begin_nested():
            session.add(survey)
    except IntegrityError:
        return "survey already scheduled by another worker"
    rollups.add_solve(session, survey)  # solves per day and segment, for outcome rates
    if skip:
        return f"survey skipped: {skip}"
    jobs.enqueue(session, "send_survey", f"survey:{survey.id}", {"survey_id": survey.id}, now=now,
                 tenant_id=tenant_id, ticket_id=state.ticket_id, run_after=max(now, survey.scheduled_for))
    return f"survey {survey.id} scheduled for {survey.scheduled_for.isoformat()}"


def _episode_survey(
    session: Session, tenant_id: str, ticket_id: int, solve: Transition, transitions: list[Transition]
) -> Survey | None:
    """A survey of this ticket made for the same solve episode as `solve`, if there is one."""
    surveys = session.scalars(
        select(Survey).where(Survey.tenant_id == tenant_id, Survey.ticket_id == ticket_id).order_by(Survey.id)
    ).all()
    for survey in surveys:
        if survey.solve_key == solve.key or same_episode(transitions, survey.solved_at, solve.at):
            return survey
    return None


def same_episode(transitions: list[Transition], first: datetime, second: datetime) -> bool:
    """Whether two solves of a ticket lie in one episode: no reopen (a move away from solved) between them."""
    low, high = sorted((_snap(transitions, first), _snap(transitions, second)))
    return not any(low < t.at < high for t in transitions if t.status in REOPEN_STATUSES)


def _snap(transitions: list[Transition], at: datetime) -> datetime:
    """A minute-precision solve time (a trigger body's `updated_at_with_timestamp`) as the precise
    time of the solve it reports, when another path told us that time: the first solve in that
    minute with no reopen before it in the minute (after a reopen, which solve it was is unknown,
    and the earlier one is assumed)."""
    if at.second or at.microsecond:
        return at
    for transition in transitions:
        if not at <= transition.at < at + MINUTE:
            continue
        if transition.status in REOPEN_STATUSES:
            return at
        if transition.status == "solved" and transition.at != at:
            return transition.at
    return at


def handle_reopen(
    session: Session, settings: Settings, tenant_id: str, ticket_id: int, reopen: Transition, solve: Transition,
    now: datetime, transitions: list[Transition] | None = None,
) -> None:
    """Cancel the solve's pending survey; judge whether the reopen is a failed resolution.

    Its parameters are the fold's own state: it runs inside process_ticket, not as a job step with a StepContext.
    """
    survey = _episode_survey(session, tenant_id, ticket_id, solve, transitions or [solve, reopen])
    details = {"solved_at": solve.at.isoformat(), "reopened_at": reopen.at.isoformat(), "status": reopen.status}
    record_signal(session, tenant_id, ticket_id, "reopen", 1.0, "webhook", f"reopen:{reopen.key}", reopen.at, details, now)
    overrides.check_status_reverted(session, settings, tenant_id, ticket_id, solve_at=solve.at, reopen_at=reopen.at,
                                    status=reopen.status, actor_id=reopen.actor_id, key=reopen.key, now=now)
    if survey is not None and survey.state == "scheduled":
        survey.state = "cancelled"
        survey.reason = f"ticket reopened ({reopen.status}) before the survey went out"
        survey.updated_at = now
        jobs.cancel(session, tenant_id, f"survey:{survey.id}", "ticket reopened", now)
    if survey is not None and survey.state == "sent" and survey.sent_at is not None and survey.sent_at <= reopen.at:
        # The customer may simply have answered the survey email ("thanks!", "5"): look first.
        jobs.enqueue(session, "classify_reply", f"classify:{reopen.key}",
                     {"reopen_key": reopen.key, "survey_id": survey.id, "reopened_at": reopen.at.isoformat(),
                      "solved_at": solve.at.isoformat()},
                     now=now, tenant_id=tenant_id, ticket_id=ticket_id)
        return
    if (reopen.at - solve.at).total_seconds() <= settings.reopen_window:
        failed_resolution(session, tenant_id, ticket_id, reopen.key, reopen.at, details, now)


def close_ticket(session: Session, tenant_id: str, state: TicketState, now: datetime) -> str:
    """Closed is final: a survey not yet sent can no longer be delivered (Zendesk answers 422)."""
    state.final = True
    state.closed_at = state.closed_at or state.status_at
    pending = session.scalars(
        select(Survey).where(Survey.tenant_id == tenant_id, Survey.ticket_id == state.ticket_id,
                             Survey.state == "scheduled")
    ).all()
    for survey in pending:
        survey.state = "undeliverable"
        survey.reason = "ticket was closed before the survey was due (closed tickets cannot be updated)"
        survey.updated_at = now
        jobs.cancel(session, tenant_id, f"survey:{survey.id}", "ticket closed", now)
    record_signal(session, tenant_id, state.ticket_id, "resolution_final", 1.0, "webhook",
                  f"closed:{state.ticket_id}", state.status_at or now, {}, now)
    return "ticket closed; feedback final"
