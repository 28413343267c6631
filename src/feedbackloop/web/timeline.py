"""GET /api/v1/tickets/<id>/feedback: everything known about one ticket, in the order it happened.

Webhook events, AI decisions, surveys, ratings, signals, overrides and review tasks are read from
their own tables and merged by time. Each entry is `{"at": <ISO-8601>, "type": ..., ...}`; the
fields are chosen one by one so nothing internal or secret (raw payloads, dedupe keys, survey
links) leaks. Every query is scoped by tenant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TypeVar

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from feedbackloop.loop.decisions import MAX_TICKET_ID, resolver_of
from feedbackloop.store.db import session_scope
from feedbackloop.store.models import (
    AiDecision,
    Override,
    Rating,
    ReviewTask,
    Signal,
    Survey,
    SurveyAnswer,
    TicketState,
    WebhookEvent,
)
from feedbackloop.wiring.adminauth import current_tenant
from feedbackloop.wiring.services import services_of

bp = Blueprint("timeline", __name__)
T = TypeVar("T")

#: A ticket with more rows of one kind than this shows the newest ones and says so.
MAX_PER_KIND = 1000
#: Same-instant entries are shown in flow order: what happened, what the AI did, what people
#: changed, then the feedback and the signals derived from it.
TYPE_ORDER = ("event", "ai_decision", "override", "survey", "survey_sent", "survey_answer", "rating", "signal",
              "review_task")
#: The parts of a stored event payload worth showing; the rest (subjects, comment text) stays out.
EVENT_PAYLOAD_FIELDS = ("actor_id", "assignee_id", "group_id", "channel", "tags")


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    at: datetime
    type: str
    row_id: int
    fields: dict[str, Any]

    def sort_key(self) -> tuple[datetime, int, int]:
        return self.at, TYPE_ORDER.index(self.type), self.row_id

    def as_json(self) -> dict[str, Any]:
        return {"at": iso(self.at), "type": self.type, **self.fields}


@dataclass
class Timeline:
    """A ticket's merged history, plus the kinds cut at MAX_PER_KIND."""

    entries: list[Entry] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat() if moment is not None else None


@bp.get("/tickets/<int:ticket_id>/feedback")
def ticket_feedback(ticket_id: int) -> ResponseReturnValue:
    """The ticket's timeline, its resolver and our latest snapshot of it; 404 when we know nothing."""
    tenant_id = current_tenant()
    unknown = jsonify(error="not_found", message=f"nothing is known about ticket {ticket_id}"), 404
    if ticket_id > MAX_TICKET_ID:  # no such id can be stored; the database would refuse the query
        return unknown
    with session_scope(services_of(current_app).factory) as session:
        state = ticket_state(session, tenant_id, ticket_id)
        history = build_timeline(session, tenant_id, ticket_id)
        if state is None and not history.entries:
            return unknown
        return jsonify(
            tenant_id=tenant_id,
            ticket_id=ticket_id,
            resolver=resolver_of(session, tenant_id, ticket_id),
            ticket=describe_ticket(state) if state is not None else None,
            timeline=[entry.as_json() for entry in history.entries],
            truncated=history.truncated,
        ), 200


def build_timeline(session: Session, tenant_id: str, ticket_id: int) -> Timeline:
    """Every source's entries for the ticket, merged in time order."""
    history = Timeline()
    for name, read in SOURCES:
        entries, cut = read(session, tenant_id, ticket_id)
        history.entries.extend(entries)
        if cut:
            history.truncated.append(name)
    history.entries.sort(key=Entry.sort_key)
    return history


def _newest(session: Session, model: type[T], at: InstrumentedAttribute[datetime],
            row_id: InstrumentedAttribute[int], *where: ColumnElement[bool]) -> tuple[Sequence[T], bool]:
    """The newest MAX_PER_KIND rows of `model` matching `where`, and whether there were more."""
    query = select(model).where(*where).order_by(at.desc(), row_id.desc()).limit(MAX_PER_KIND + 1)
    rows = session.scalars(query).all()
    return rows[:MAX_PER_KIND], len(rows) > MAX_PER_KIND


def read_events(session: Session, tenant_id: str, ticket_id: int) -> tuple[list[Entry], bool]:
    rows, cut = _newest(session, WebhookEvent, WebhookEvent.occurred_at, WebhookEvent.id,
                        WebhookEvent.tenant_id == tenant_id, WebhookEvent.ticket_id == ticket_id)
    return [event_entry(row) for row in rows], cut


def event_entry(row: WebhookEvent) -> Entry:
    shown = {name: row.payload[name] for name in EVENT_PAYLOAD_FIELDS if row.payload.get(name) is not None}
    return Entry(row.occurred_at, "event", row.id, {
        "id": row.id, "event_type": row.event_type, "kind": row.kind, "status": row.status,
        "previous_status": row.previous_status, "source": row.source, "received_at": iso(row.received_at),
        "duplicates": row.duplicates, **shown,
    })


def read_decisions(session: Session, tenant_id: str, ticket_id: int) -> tuple[list[Entry], bool]:
    rows, cut = _newest(session, AiDecision, AiDecision.created_at, AiDecision.id,
                        AiDecision.tenant_id == tenant_id, AiDecision.ticket_id == ticket_id)
    return [decision_entry(row) for row in rows], cut


def decision_entry(row: AiDecision) -> Entry:
    return Entry(row.created_at, "ai_decision", row.id, {
        "id": row.id, "decision_id": row.decision_id, "step": row.step, "intent": row.intent,
        "confidence": row.confidence, "action": row.action, "draft_reply": row.draft_reply,
        "context": row.context, "policy_refs": row.policy_refs, "model": row.model,
        "prompt_version": row.prompt_version, "trace_id": row.trace_id, "latency_ms": row.latency_ms,
        "tokens_in": row.tokens_in, "tokens_out": row.tokens_out, "cost": row.cost,
        "received_at": iso(row.received_at), "mode": row.mode,
    })


def read_overrides(session: Session, tenant_id: str, ticket_id: int) -> tuple[list[Entry], bool]:
    rows, cut = _newest(session, Override, Override.occurred_at, Override.id,
                        Override.tenant_id == tenant_id, Override.ticket_id == ticket_id)
    return [override_entry(row) for row in rows], cut


def override_entry(row: Override) -> Entry:
    return Entry(row.occurred_at, "override", row.id, {
        "id": row.id, "source": row.source, "kind": row.kind, "ai_decision_id": row.ai_decision_id,
        "ai_decision": row.ai_decision, "ai_confidence": row.ai_confidence, "final_action": row.final_action,
        "rationale": row.rationale, "policy_clause": row.policy_clause, "agent_id": row.agent_id,
        "missing": row.missing, "similarity": row.similarity, "details": row.details,
        "recorded_at": iso(row.created_at),
    })


def read_signals(session: Session, tenant_id: str, ticket_id: int) -> tuple[list[Entry], bool]:
    rows, cut = _newest(session, Signal, Signal.occurred_at, Signal.id,
                        Signal.tenant_id == tenant_id, Signal.ticket_id == ticket_id)
    return [signal_entry(row) for row in rows], cut


def signal_entry(row: Signal) -> Entry:
    return Entry(row.occurred_at, "signal", row.id, {
        "id": row.id, "signal": row.type, "value": row.value, "source": row.source, "details": row.details,
    })


def read_surveys(session: Session, tenant_id: str, ticket_id: int) -> tuple[list[Entry], bool]:
    """A survey is two moments: scheduled (with its current state) and, once it went out, sent."""
    rows, cut = _newest(session, Survey, Survey.created_at, Survey.id,
                        Survey.tenant_id == tenant_id, Survey.ticket_id == ticket_id)
    entries = [survey_entry(row) for row in rows]
    entries += [Entry(row.sent_at, "survey_sent", row.id, {"survey_id": row.id, "channel": row.channel})
                for row in rows if row.sent_at is not None]
    return entries, cut


def survey_entry(row: Survey) -> Entry:
    return Entry(row.created_at, "survey", row.id, {
        "id": row.id, "state": row.state, "reason": row.reason, "scale": row.scale,
        "solved_at": iso(row.solved_at), "scheduled_for": iso(row.scheduled_for), "sent_at": iso(row.sent_at),
        "reminder_sent_at": iso(row.reminder_sent_at), "expires_at": iso(row.expires_at),
        "channel": row.channel,
    })


def read_ratings(session: Session, tenant_id: str, ticket_id: int) -> tuple[list[Entry], bool]:
    rows, cut = _newest(session, Rating, Rating.created_at, Rating.id,
                        Rating.tenant_id == tenant_id, Rating.ticket_id == ticket_id)
    return [rating_entry(row) for row in rows], cut


def rating_entry(row: Rating) -> Entry:
    return Entry(row.created_at, "rating", row.id, {
        "id": row.id, "survey_id": row.survey_id, "score": row.score, "scale": row.scale,
        "reason": row.reason, "comment": row.comment, "source": row.source, "version": row.version,
        "updated_at": iso(row.updated_at),
    })


def read_answers(session: Session, tenant_id: str, ticket_id: int) -> tuple[list[Entry], bool]:
    """Every click, scanner fetch and form post of the ticket's surveys (answers.py), for audit."""
    rows, cut = _newest(session, SurveyAnswer, SurveyAnswer.created_at, SurveyAnswer.id,
                        SurveyAnswer.tenant_id == tenant_id, SurveyAnswer.ticket_id == ticket_id)
    return [answer_entry(row) for row in rows], cut


def answer_entry(row: SurveyAnswer) -> Entry:
    return Entry(row.created_at, "survey_answer", row.id, {
        "survey_id": row.survey_id, "kind": row.kind, "score": row.score, "verdict": row.verdict,
        "counted": row.verdict == "counted", "bot_reason": row.bot_reason, "settled_at": iso(row.settled_at),
    })


def read_review_tasks(session: Session, tenant_id: str, ticket_id: int) -> tuple[list[Entry], bool]:
    """Review tasks about this ticket, and the one this ticket is (when it is a task itself)."""
    rows, cut = _newest(
        session, ReviewTask, ReviewTask.created_at, ReviewTask.id, ReviewTask.tenant_id == tenant_id,
        or_(ReviewTask.source_ticket_id == ticket_id, ReviewTask.task_ticket_id == ticket_id),
    )
    return [review_task_entry(row, ticket_id) for row in rows], cut


def review_task_entry(row: ReviewTask, ticket_id: int) -> Entry:
    return Entry(row.created_at, "review_task", row.id, {
        "id": row.id, "role": "source" if row.source_ticket_id == ticket_id else "task",
        "source_ticket_id": row.source_ticket_id, "task_ticket_id": row.task_ticket_id,
        "generation": row.generation, "state": row.state, "reasons": row.reasons, "due_at": iso(row.due_at),
        "updated_at": iso(row.updated_at),
        "verdict": {"root_cause": row.verdict, "notes": row.verdict_notes, "by": row.verdict_by,
                    "at": iso(row.verdict_at)} if row.verdict_at is not None else None,
    })


Reader = Callable[[Session, str, int], tuple[list[Entry], bool]]
SOURCES: tuple[tuple[str, Reader], ...] = (
    ("events", read_events),
    ("ai_decisions", read_decisions),
    ("overrides", read_overrides),
    ("signals", read_signals),
    ("surveys", read_surveys),
    ("survey_answers", read_answers),
    ("ratings", read_ratings),
    ("review_tasks", read_review_tasks),
)


def ticket_state(session: Session, tenant_id: str, ticket_id: int) -> TicketState | None:
    return session.scalars(
        select(TicketState).where(TicketState.tenant_id == tenant_id, TicketState.ticket_id == ticket_id)
    ).one_or_none()


def describe_ticket(state: TicketState) -> dict[str, Any]:
    """Our latest snapshot of the ticket (from its newest event or API answer)."""
    return {
        "status": state.status, "requester_id": state.requester_id, "assignee_id": state.assignee_id,
        "group_id": state.group_id, "brand_id": state.brand_id, "organization_id": state.organization_id,
        "channel": state.channel, "ticket_type": state.ticket_type, "category": state.category,
        "tags": state.tags, "solved_at": iso(state.solved_at), "closed_at": iso(state.closed_at),
        "final": state.final, "is_review_task": state.is_review_task, "updated_at": iso(state.updated_at),
    }
