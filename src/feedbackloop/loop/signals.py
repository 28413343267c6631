"""Implicit signals that need a look at the helpdesk: is a reopen a real failure, or a reply to our survey?

A customer's email reply to the survey comment reopens a solved Zendesk ticket. Counting every
such reply as a failed resolution would punish the tickets customers liked enough to answer.
We read the reply: a short thanks or a bare score is a survey reply (a bare 1–5 is recorded as
the rating); anything else is a real reopen.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import REOPEN_STATUSES, Comment
from feedbackloop.jobs.step import StepContext
from feedbackloop.loop import overrides, records
from feedbackloop.store.models import AiDecision, Signal, Survey, TicketState, WebhookEvent

SCORE_REPLY = re.compile(r"^\s*([1-5])\s*(?:/\s*5|stars?|out of 5)?\s*[.!]*\s*$", re.IGNORECASE)
THANKS_REPLY = re.compile(
    r"^\s*(?:many\s+|thank\s*(?:s|you)|thx|ty|cheers|great|perfect|awesome|all good|sounds good|ok(?:ay)?|"
    r"👍|🙏|😊)[\s\w,.!'’:)(-]{0,80}$",
    re.IGNORECASE,
)
MAX_REPLY_CHARS = 160


def is_survey_reply(text: str) -> tuple[bool, int | None]:
    """(True, score or None) when a reply only thanks us or gives a score."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_REPLY_CHARS or "?" in cleaned:
        return False, None
    score = SCORE_REPLY.match(cleaned)
    if score:
        return True, int(score.group(1))
    return bool(THANKS_REPLY.match(cleaned)), None


def _customer_replies(comments: list[Comment], requester_id: int | None, after: datetime) -> list[Comment]:
    return [c for c in comments if c.public and requester_id is not None and c.author_id == requester_id
            and (c.created_at is None or c.created_at >= after)]


def classify_reply(session: Session, step: StepContext, survey_id: int, reopen_key: str, solved_at: datetime,
                   reopened_at: datetime) -> str:
    """Decide whether a reopen after our survey is the customer answering it."""
    settings, client, tenant_id, ticket_id, now = step.settings, step.client, step.tenant_id, step.ticket, step.now
    survey = session.get(Survey, survey_id)
    state = records.get_ticket_state(session, tenant_id, ticket_id, now)
    sent_at = survey.sent_at if survey and survey.sent_at else solved_at
    replies = _customer_replies(client.list_comments(ticket_id), state.requester_id, sent_at)
    details = {"solved_at": solved_at.isoformat(), "reopened_at": reopened_at.isoformat()}
    if replies:
        reply, score = is_survey_reply(replies[-1].body)
        if reply:
            details["reply"] = replies[-1].body[:MAX_REPLY_CHARS]
            records.record_signal(session, tenant_id, ticket_id, "survey_reply", score, "email",
                                    f"survey_reply:{reopen_key}", reopened_at, details, now)
            if score is not None and survey is not None and survey.state == "sent":
                from feedbackloop.loop import answers
                from feedbackloop.loop.ratings import record_rating

                answers.lock_survey(session, tenant_id, survey.id)  # as every change of its answers does
                answers.record_form(session, survey, score, "", now, kind="email")
                record_rating(session, survey, score, None, None, now, source="email_reply")
            return f"reopen was a reply to the survey{f' with score {score}' if score else ''}"
    if (reopened_at - solved_at).total_seconds() <= settings.reopen_window:
        records.failed_resolution(session, tenant_id, ticket_id, reopen_key, reopened_at, details, now)
        return "real reopen within the window: failed resolution"
    return "real reopen, outside the reopen window"


# --- implicit signals from the event history (no API calls) --------------------------------------


def ticket_opened_at(events: list[WebhookEvent]) -> datetime | None:
    """When the ticket was created: its `created` event, else the first thing we heard."""
    created = [e.occurred_at for e in events if e.payload.get("kind") == "created"]
    if created:
        return min(created)
    return min((e.occurred_at for e in events), default=None)


def check_recontact(session: Session, settings: Settings, tenant_id: str, state: TicketState,
                    events: list[WebhookEvent], now: datetime) -> None:
    """The same requester writing in again soon, about the same thing, means the earlier ticket's
    resolution did not hold: a negative signal on the earlier ticket, linked to the new one.

    "The same thing" is the same category, or the same AI intent. Checked on every run while the
    new ticket is young, because its category is often set after creation.
    """
    opened = ticket_opened_at(events)
    if state.requester_id is None or opened is None or not settings.recontact_window:
        return
    intent = _first_intent(session, tenant_id, state.ticket_id)
    if state.category is None and intent is None:
        return
    window_start = opened - timedelta(seconds=settings.recontact_window)
    earlier = session.scalars(
        select(TicketState).where(
            TicketState.tenant_id == tenant_id, TicketState.requester_id == state.requester_id,
            TicketState.ticket_id != state.ticket_id, TicketState.is_review_task.is_(False),
            TicketState.solved_at.is_not(None), TicketState.solved_at >= window_start, TicketState.solved_at <= opened,
        ).order_by(TicketState.solved_at.desc()).limit(20)
    ).all()
    for previous in earlier:
        matched = None
        if state.category is not None and previous.category == state.category:
            matched = "category"
        elif intent is not None and _first_intent(session, tenant_id, previous.ticket_id) == intent:
            matched = "intent"
        if matched is None:
            continue
        assert previous.solved_at is not None
        gap = (opened - previous.solved_at).total_seconds()
        records.record_signal(
            session, tenant_id, previous.ticket_id, "recontact", 1.0, "webhook",
            f"recontact:{previous.ticket_id}:{state.ticket_id}", opened,
            {"new_ticket_id": state.ticket_id, "matched_on": matched,
             "value": state.category if matched == "category" else intent, "seconds_after_solve": int(gap)}, now)
        return  # link to the most recent matching ticket only


def _first_intent(session: Session, tenant_id: str, ticket_id: int) -> str | None:
    return session.scalar(
        select(AiDecision.intent).where(AiDecision.tenant_id == tenant_id, AiDecision.ticket_id == ticket_id,
                                        AiDecision.intent.is_not(None), AiDecision.mode == "live")
        .order_by(AiDecision.created_at.asc(), AiDecision.id.asc()).limit(1)
    )


def resolution_signals(session: Session, settings: Settings, tenant_id: str, state: TicketState,
                       events: list[WebhookEvent], transitions: list[Any], now: datetime) -> None:
    """At close: time to resolution, agent replies, first-contact resolution, and whether the
    resolution held (closed without a reopen). One row each in the signals table.

    Its parameters are the fold's own state: it runs inside process_ticket, not as a job step."""
    opened = ticket_opened_at(events)
    solves = [t.at for t in transitions if t.status == "solved"]
    reopened = any(t.status in REOPEN_STATUSES and (t.previous == "solved") for t in transitions) or \
        session.scalar(select(Signal.id).where(Signal.tenant_id == tenant_id, Signal.ticket_id == state.ticket_id,
                                               Signal.type.in_(("reopen", "failed_resolution"))).limit(1)) is not None
    replies = sum(1 for e in events if e.payload.get("kind") == "comment_added"
                  and (e.payload.get("extra") or {}).get("is_public")
                  and (e.payload.get("extra") or {}).get("author_is_staff")
                  and not overrides.is_our_comment(settings, str((e.payload.get("extra") or {}).get("body") or "")))
    at = state.closed_at or state.status_at or now
    key = state.ticket_id
    if opened is not None and solves:
        records.record_signal(session, tenant_id, key, "time_to_resolution",
                                max(0.0, (solves[0] - opened).total_seconds()), "webhook", f"ttr:{key}", at,
                                {"opened_at": opened.isoformat(), "solved_at": solves[0].isoformat()}, now)
    records.record_signal(session, tenant_id, key, "agent_replies", float(replies), "webhook",
                            f"agent_replies:{key}", at, {}, now)
    records.record_signal(session, tenant_id, key, "first_contact_resolution",
                            1.0 if replies <= 1 and not reopened and len(solves) == 1 else 0.0, "webhook",
                            f"fcr:{key}", at, {"agent_replies": replies, "reopened": reopened}, now)
    records.record_signal(session, tenant_id, key, "resolution_confirmed", 0.0 if reopened else 1.0, "webhook",
                            f"resolution_confirmed:{key}", at, {"reopened": reopened}, now)
