"""Agent overrides of AI decisions: three ways in (sidebar, macro + tag, automatic), one record.

The failure this module exists to prevent is an override logged without its corrective context.
Every override row carries the triad — the AI's decision and confidence, the human's final
action and rationale, and the policy clause behind the correction — and whatever nobody gave is
listed in `missing`, so a review task can ask for it instead of the gap passing unnoticed.

Automatic detection reads only what webhooks already carry (comment bodies, assignee changes,
status changes, tags), so it costs no Zendesk calls; the macro path costs one (the internal note
that holds the rationale).
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import Comment, Ticket
from feedbackloop.jobs import queue as jobs
from feedbackloop.jobs.step import StepContext
from feedbackloop.store.models import AiDecision, Override, TicketState, WebhookEvent, fit_key

log = logging.getLogger(__name__)

#: The parts of an override; those nobody gave are listed in `Override.missing`.
PARTS = ("ai_decision", "final_action", "rationale", "policy_clause")
#: Kinds a human chose to record; a missing part of these opens a review that asks for it.
MANUAL_KINDS = frozenset({"override"})
#: An agent's reply at least this similar to the AI draft counts as sent unchanged.
UNCHANGED_SIMILARITY = 0.98
OVERRIDE_REASON_TAG_PREFIX = "override_reason_"
MAX_TEXT = 5000

#: The macro "Override AI decision" (installed by `feedbackloop install`): it tags the ticket,
#: sets the reason field when one is configured, and opens an internal note for the three parts.
MACRO_TITLE = "Override AI decision"
MACRO_NOTE = "Override AI decision\nFinal action: \nRationale: \nPolicy clause: "

LABELS = {
    "final_action": re.compile(r"^\s*(?:final\s+action|action(?:\s+taken)?)\s*[:：]\s*(.*)$", re.IGNORECASE),
    "rationale": re.compile(r"^\s*(?:rationale|why|reason)\s*[:：]\s*(.*)$", re.IGNORECASE),
    "policy_clause": re.compile(r"^\s*(?:policy(?:\s+clause)?|policy\s+ref(?:erence)?|clause)\s*[:：]\s*(.*)$",
                                re.IGNORECASE),
}


def macro_actions(settings: Settings) -> list[dict[str, Any]]:
    """The macro's actions in Zendesk's macro JSON: tag, reason field (if configured), note template."""
    actions: list[dict[str, Any]] = [
        {"field": "current_tags", "value": settings.override_tag},
        {"field": "comment_mode_is_public", "value": "false"},
        {"field": "comment_value", "value": MACRO_NOTE},
    ]
    if settings.override_reason_field_id:
        actions.insert(1, {"field": f"custom_fields_{settings.override_reason_field_id}",
                           "value": f"{OVERRIDE_REASON_TAG_PREFIX}other"})
    return actions


@dataclass(frozen=True)
class Parts:
    """What a human wrote about an override, split into the parts we record."""

    final_action: str | None = None
    rationale: str | None = None
    policy_clause: str | None = None


def parse_note(text: str) -> Parts:
    """Read `Final action:`, `Rationale:` and `Policy clause:` lines from an agent's note.

    A note without any of those labels is taken whole as the rationale: agents write prose, and
    prose explaining a correction is exactly the rationale.
    """
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        label = next((name for name, pattern in LABELS.items() if pattern.match(line)), None)
        if label is not None:
            current = label
            match = LABELS[label].match(line)
            found.setdefault(label, []).append(match.group(1) if match else "")
        elif current is not None and line.strip():
            found[current].append(line.strip())
        elif line.strip() and line.strip() != "Override AI decision":
            found.setdefault("_prose", []).append(line.strip())
    values = {name: _clean(" ".join(lines)) for name, lines in found.items()}
    if not any(values.get(name) for name in LABELS):
        return Parts(rationale=values.get("_prose"))
    return Parts(final_action=values.get("final_action"), rationale=values.get("rationale"),
                 policy_clause=values.get("policy_clause"))


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text[:MAX_TEXT] or None


def similarity(draft: str, final: str) -> float:
    """0..1, how much of the AI draft survived into what the agent sent (whitespace/case-blind)."""
    def norm(text: str) -> str:
        return " ".join(text.lower().split())

    return round(difflib.SequenceMatcher(None, norm(draft), norm(final), autojunk=False).ratio(), 4)


def latest_decision(session: Session, tenant_id: str, ticket_id: int, before: datetime | None = None,
                    with_draft: bool = False) -> AiDecision | None:
    """The AI's most recent logged step on a ticket (optionally only those with a draft reply)."""
    query = select(AiDecision).where(AiDecision.tenant_id == tenant_id, AiDecision.ticket_id == ticket_id,
                                     AiDecision.mode == "live")  # a human never overrides a shadow suggestion
    if before is not None:
        query = query.where(AiDecision.created_at <= before)
    if with_draft:
        query = query.where(AiDecision.draft_reply.is_not(None))
    return session.scalars(query.order_by(AiDecision.created_at.desc(), AiDecision.id.desc()).limit(1)).first()


def describe_decision(decision: AiDecision) -> str:
    """One line a reviewer can read: what the AI decided, from its most telling fields."""
    parts = [decision.action, f"intent {decision.intent}" if decision.intent else None]
    text = "; ".join(p for p in parts if p) or decision.step
    return text[:MAX_TEXT]


def record_override(
    session: Session, tenant_id: str, ticket_id: int, *, source: str, kind: str, dedupe_key: str,
    occurred_at: datetime, now: datetime, ai_decision: str | None = None, ai_confidence: float | None = None,
    final_action: str | None = None, rationale: str | None = None, policy_clause: str | None = None,
    agent_id: int | None = None, similarity_: float | None = None, details: dict[str, Any] | None = None,
) -> Override | None:
    """Store one override (once per dedupe key), the AI side filled from the decision log when not
    given, the missing parts listed; also a signal, and for manual overrides with gaps a review.

    Its parameters are the override row's columns, keywords past the ticket: the sidebar, the macro and the automatic path each fill different ones."""
    from feedbackloop.loop import records

    decision = latest_decision(session, tenant_id, ticket_id, before=occurred_at) or latest_decision(
        session, tenant_id, ticket_id)
    if ai_decision is None and decision is not None:
        ai_decision = describe_decision(decision)
    if ai_confidence is None and decision is not None:
        ai_confidence = decision.confidence
    values = {"ai_decision": _clean(ai_decision), "final_action": _clean(final_action),
              "rationale": _clean(rationale), "policy_clause": _clean(policy_clause)}
    missing = [part for part in PARTS if not values[part]]
    row = Override(
        tenant_id=tenant_id, ticket_id=ticket_id, source=source, kind=kind,
        ai_decision_id=decision.id if decision is not None else None, ai_confidence=ai_confidence,
        agent_id=agent_id, missing=missing, similarity=similarity_, details=details or {}, dedupe_key=fit_key(dedupe_key),
        occurred_at=occurred_at, created_at=now, **values,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    records.record_signal(session, tenant_id, ticket_id, "override" if kind != "handoff" else "handoff",
                            1.0, source, f"override:{dedupe_key}", occurred_at,
                            {"kind": kind, "missing": missing}, now)
    if kind in MANUAL_KINDS and missing:
        records.request_review(session, tenant_id, ticket_id, "override", f"override:{dedupe_key}",
                                 {"kind": kind, "missing": missing, "source": source}, now)
    return row


# --- automatic detection, from stored events (no API calls) -------------------------------------


def detect_from_events(session: Session, settings: Settings, tenant_id: str, ticket_id: int,
                       events: list[WebhookEvent], now: datetime) -> None:
    """Edit-to-final, handoff, AI-resolution bookkeeping and the override tag, from the events."""
    for event in events:
        kind = event.payload.get("kind")
        if kind == "comment_added":
            check_edit_to_final(session, settings, tenant_id, ticket_id, event, now)
        elif kind == "assignee_changed":
            check_handoff(session, settings, tenant_id, ticket_id, event, now)
        if settings.override_tag in _added_tags(event):
            jobs.enqueue(session, "capture_override", f"override:macro:{event.dedupe_key}",
                         {"event_key": event.dedupe_key, "occurred_at": event.occurred_at.isoformat(),
                          "ticket_updated_at": event.payload.get("updated_at"),
                          "actor_id": event.payload.get("actor_id"),
                          "tags": list(event.payload.get("tags") or [])},
                         now=now, tenant_id=tenant_id, ticket_id=ticket_id)
        if settings.ai_resolved_tag in _added_tags(event) or (
            event.status == "solved" and event.payload.get("actor_id") in settings.ai_user_ids
            and settings.ai_user_ids
        ):
            note_ai_resolution(session, tenant_id, ticket_id, event, now)


def _added_tags(event: WebhookEvent) -> tuple[str, ...]:
    extra = event.payload.get("extra") or {}
    return tuple(extra.get("added") or ())


def is_our_comment(settings: Settings, body: str) -> bool:
    """Our own survey and reminder comments are public staff comments too: never an 'edit'."""
    return f"{settings.public_url.rstrip('/')}/s/" in body or "— feedbackloop ·" in body


def check_edit_to_final(session: Session, settings: Settings, tenant_id: str, ticket_id: int,
                        event: WebhookEvent, now: datetime) -> None:
    """A human's public reply after an AI draft: store both and their similarity."""
    extra = event.payload.get("extra") or {}
    author = extra.get("author_id")
    body = str(extra.get("body") or "")
    if not extra.get("is_public") or not extra.get("author_is_staff") or not body.strip():
        return
    if author in settings.ai_user_ids or is_our_comment(settings, body):
        return
    draft = latest_decision(session, tenant_id, ticket_id, before=event.occurred_at, with_draft=True)
    if draft is None or not draft.draft_reply:
        return
    if customer_wrote_between(session, tenant_id, ticket_id, draft.created_at, event.occurred_at):
        return  # the reply answers the customer's later message, not the one the draft answered
    if draft_posted_before(session, tenant_id, ticket_id, draft.draft_reply, event):
        return  # the draft went out as written; this reply comes on top of it
    from feedbackloop.loop import records

    score = similarity(draft.draft_reply, body)
    details = {"draft": draft.draft_reply[:MAX_TEXT], "final": body[:MAX_TEXT], "comment_id": extra.get("comment_id")}
    # Both rows are keyed by the draft, so a comment seen again (each run re-reads the history)
    # adds nothing: the unique keys decide, no lookup first.
    records.record_signal(session, tenant_id, ticket_id, "edit_to_final", score, "automatic",
                            f"edit_to_final:{draft.id}", event.occurred_at, details, now)
    if score >= UNCHANGED_SIMILARITY:
        return
    record_override(session, tenant_id, ticket_id, source="automatic", kind="edit_to_final",
                    dedupe_key=f"edit_to_final:{draft.id}", occurred_at=event.occurred_at, now=now,
                    ai_decision=draft.draft_reply, ai_confidence=draft.confidence, final_action=body,
                    agent_id=author, similarity_=score, details=details)


def customer_wrote_between(session: Session, tenant_id: str, ticket_id: int, start: datetime,
                           end: datetime) -> bool:
    """Whether a public customer comment arrived after `start` and before `end` (a new customer turn)."""
    events = session.scalars(select(WebhookEvent.payload).where(
        WebhookEvent.tenant_id == tenant_id, WebhookEvent.ticket_id == ticket_id,
        WebhookEvent.kind == "comment_added", WebhookEvent.occurred_at > start, WebhookEvent.occurred_at < end))
    for payload in events:
        extra = payload.get("extra") or {}
        if extra.get("is_public") is not False and not extra.get("author_is_staff") and str(extra.get("body") or "").strip():
            return True
    return False


def draft_posted_before(session: Session, tenant_id: str, ticket_id: int, draft: str, event: WebhookEvent) -> bool:
    """Whether a public staff comment before `event` carries the draft's text (the AI posted it)."""
    wanted = " ".join(draft.lower().split())
    bodies = session.scalars(select(WebhookEvent.payload).where(
        WebhookEvent.tenant_id == tenant_id, WebhookEvent.ticket_id == ticket_id,
        WebhookEvent.kind == "comment_added", WebhookEvent.occurred_at <= event.occurred_at,
        WebhookEvent.id != event.id))
    for payload in bodies:
        extra = payload.get("extra") or {}
        if extra.get("author_is_staff") and " ".join(str(extra.get("body") or "").lower().split()) == wanted:
            return True
    return False


def check_handoff(session: Session, settings: Settings, tenant_id: str, ticket_id: int, event: WebhookEvent,
                  now: datetime) -> None:
    """The assignee moved from the AI's user to a human: the AI handed the ticket over."""
    extra = event.payload.get("extra") or {}
    previous = extra.get("previous_assignee_id")
    current = event.payload.get("assignee_id")
    if not settings.ai_user_ids or previous not in settings.ai_user_ids:
        return
    if current is None or current in settings.ai_user_ids:
        return
    record_override(session, tenant_id, ticket_id, source="automatic", kind="handoff",
                    dedupe_key=f"handoff:{event.dedupe_key}", occurred_at=event.occurred_at, now=now,
                    final_action=f"handed over to agent {current}", agent_id=current,
                    details={"from": previous, "to": current})


def note_ai_resolution(session: Session, tenant_id: str, ticket_id: int, event: WebhookEvent, now: datetime) -> None:
    """A bot that only writes into Zendesk (tag `ai_resolved`, or solved by the AI's user) gets a
    decision row, so the ticket's resolver is the AI even without a decision log."""
    decision_id = fit_key(f"zendesk:{ticket_id}:resolved:{event.dedupe_key}")
    row = AiDecision(tenant_id=tenant_id, ticket_id=ticket_id, decision_id=decision_id, step="action",
                     action="resolved the ticket", policy_refs=[], model="zendesk", created_at=event.occurred_at,
                     received_at=now)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        pass


def check_status_reverted(session: Session, settings: Settings, tenant_id: str, ticket_id: int, *,
                          solve_at: datetime, reopen_at: datetime, status: str, actor_id: int | None, key: str,
                          now: datetime) -> None:
    """A human (not the customer, not the AI) reopened a ticket the AI had resolved.

    Its parameters are the reopen's facts, keywords past the ticket.
    """
    state = session.scalars(select(TicketState).where(TicketState.tenant_id == tenant_id,
                                                      TicketState.ticket_id == ticket_id)).one_or_none()
    if actor_id is None or actor_id in settings.ai_user_ids or (state is not None and actor_id == state.requester_id):
        return
    ai_resolved = session.scalar(select(AiDecision.id).where(
        AiDecision.tenant_id == tenant_id, AiDecision.ticket_id == ticket_id, AiDecision.step == "action",
        AiDecision.mode == "live", AiDecision.created_at <= reopen_at).limit(1))
    if ai_resolved is None:
        return
    record_override(session, tenant_id, ticket_id, source="automatic", kind="status_reverted",
                    dedupe_key=fit_key(f"status_reverted:{key}"), occurred_at=reopen_at, now=now,
                    final_action=f"reopened ({status}) after the AI resolved it", agent_id=actor_id,
                    details={"solved_at": solve_at.isoformat(), "status": status})


# --- reads that cost a call: the macro's note, the intent field ----------------------------------


#: Reports of one tag change by different paths (a trigger body's minute, reconciliation's second) lie
#: this close together; a real second override needs the tag removed and added again.
SAME_TAG_CHANGE = timedelta(minutes=2)


def capture_override(session: Session, step: StepContext, args: dict[str, Any]) -> str:
    """The macro/tag path: the latest internal note by a human is the rationale (one call)."""
    settings, client, tenant_id, ticket_id, now = step.settings, step.client, step.tenant_id, step.ticket, step.now
    occurred_at = datetime.fromisoformat(args["occurred_at"])
    actor = args.get("actor_id")
    twin = session.scalar(select(Override.id).where(
        Override.tenant_id == tenant_id, Override.ticket_id == ticket_id, Override.source == "macro",
        Override.occurred_at.between(occurred_at - SAME_TAG_CHANGE, occurred_at + SAME_TAG_CHANGE)).limit(1))
    if twin is not None:  # the same tag change by another path (trigger, Events API, reconciliation)
        return f"override already recorded (override {twin}, the same tag change by another path)"
    # Comment times are on the helpdesk's clock: bound them by the ticket's updated_at at the tag
    # change (same clock), so a note written after the override is not taken for its rationale.
    bound = datetime.fromisoformat(args["ticket_updated_at"]) if args.get("ticket_updated_at") else occurred_at
    note = latest_internal_note(client.list_comments(ticket_id), settings, actor, bound)
    parts = parse_note(note.body) if note is not None else Parts()
    reason = next((t[len(OVERRIDE_REASON_TAG_PREFIX):] for t in args.get("tags") or []
                   if t.startswith(OVERRIDE_REASON_TAG_PREFIX)), None)
    details = {"reason": reason, "note_id": note.id if note else None}
    row = record_override(session, tenant_id, ticket_id, source="macro", kind="override",
                          dedupe_key=f"macro:{args['event_key']}", occurred_at=occurred_at, now=now,
                          final_action=parts.final_action or (f"override: {reason}" if reason else None),
                          rationale=parts.rationale, policy_clause=parts.policy_clause,
                          agent_id=actor if actor is not None else (note.author_id if note else None),
                          details=details)
    if row is None:
        return "override already recorded"
    return f"override recorded (missing: {', '.join(row.missing) or 'nothing'})"


def latest_internal_note(comments: list[Comment], settings: Settings, actor: int | None,
                         before: datetime) -> Comment | None:
    """The newest private comment by a human up to the override (the actor's, when known)."""
    notes = [c for c in comments if not c.public and c.author_id not in settings.ai_user_ids
             and not is_our_comment(settings, c.body)
             and (c.created_at is None or c.created_at <= before.replace(microsecond=0) + _SLACK)]
    mine = [c for c in notes if actor is not None and c.author_id == actor]
    chosen = mine or notes
    return chosen[-1] if chosen else None


_SLACK = timedelta(seconds=2)  # comment times have whole seconds; the tag event may be a moment earlier


def check_ticket_fields(session: Session, settings: Settings, tenant_id: str, ticket: Ticket, now: datetime) -> None:
    """On any ticket we read anyway: bot fields become decision rows; an intent a human changed
    (the field no longer says what the AI logged) becomes an `intent_changed` override."""
    if not settings.intent_field_id:
        return
    field_intent = ticket.custom_fields.get(settings.intent_field_id)
    if field_intent in (None, ""):
        return
    field_intent = str(field_intent)
    confidence = _confidence(ticket.custom_fields.get(settings.confidence_field_id)) \
        if settings.confidence_field_id else None
    logged = session.scalars(
        select(AiDecision).where(AiDecision.tenant_id == tenant_id, AiDecision.ticket_id == ticket.id,
                                 AiDecision.intent.is_not(None), AiDecision.mode == "live")
        .order_by(AiDecision.created_at.asc(), AiDecision.id.asc()).limit(1)
    ).first()
    if logged is None:
        row = AiDecision(tenant_id=tenant_id, ticket_id=ticket.id, decision_id=f"zendesk:{ticket.id}:intent",
                         step="intent_classification", intent=field_intent[:120], confidence=confidence,
                         policy_refs=[], model="zendesk", created_at=ticket.created_at or now, received_at=now)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            pass
        return
    if logged.intent != field_intent:
        record_override(session, tenant_id, ticket.id, source="automatic", kind="intent_changed",
                        dedupe_key=fit_key(f"intent_changed:{ticket.id}:{field_intent}"),
                        occurred_at=ticket.updated_at or now, now=now,
                        ai_decision=f"intent {logged.intent}", ai_confidence=logged.confidence,
                        final_action=f"intent {field_intent}", details={"from": logged.intent, "to": field_intent})


def _confidence(raw: Any) -> float | None:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    if value > 1:
        value = value / 100  # a percentage field
    return value if 0 <= value <= 1 else None
