"""Who and what a rating, survey or signal is about, frozen at the moment it happened.

Reports attribute a rating to the agent, group, resolver and issue type of the moment the customer
rated, not to whoever holds the ticket when the report runs: a ticket reassigned after a bad rating
must not move the bad rating onto its new owner. So the rating row carries a copy, taken here; a
survey carries one taken at the solve (response, reopen and override rates per segment), a signal
one taken when it was recorded (re-contacts, first-contact resolution, time to resolution, verdicts).

Model and prompt version are the decision log's, at the moment of the decision: a solve (its survey)
carries those of the ticket's latest live decision logged at or before the solve, a signal those of
the latest at or before the signal, and a rating those of the solve it rates (its survey's moment),
so a ticket whose later decisions ran on another model keeps the model of the decision that handled
it. When no live decision is that old (the agent's clock runs behind the helpdesk's), the ticket's
first live decision stands in. Shadow decisions (`"mode": "shadow"`) are never attribution: the AI
did not act on those tickets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.loop.decisions import resolver_of
from feedbackloop.store.models import AiDecision, Rating, Signal, Survey, TicketState

#: A Zendesk dropdown field's options set tags; name the options `product_<name>` / `language_<code>`
#: (as `category_<name>` names the issue category) and reports can segment by them.
PRODUCT_TAG_PREFIX = "product_"
LANGUAGE_TAG_PREFIX = "language_"


#: The segment columns every attributed row (ratings, surveys, signals) carries.
SEGMENT_COLUMNS = ("assignee_id", "group_id", "brand_id", "category", "channel", "product", "language",
                   "resolver", "intent", "model", "prompt_version")


def segment_of(session: Session, tenant_id: str, ticket_id: int, state: TicketState | None,
               at: datetime | None = None) -> dict[str, Any]:
    """The ticket's owner, resolver, intent and fields right now, and the model and prompt version
    of the live decision in force at `at` (None: the latest), as segment column values."""
    tags = list(state.tags or []) if state is not None else []
    category = state.category if state is not None else None
    return {
        "assignee_id": state.assignee_id if state is not None else None,
        "group_id": state.group_id if state is not None else None,
        "brand_id": state.brand_id if state is not None else None,
        "category": category,
        "channel": state.channel if state is not None else None,
        "product": tag_value(tags, PRODUCT_TAG_PREFIX, 80),
        "language": tag_value(tags, LANGUAGE_TAG_PREFIX, 16),
        "resolver": resolver_of(session, tenant_id, ticket_id),
        "intent": ai_intent(session, tenant_id, ticket_id) or category,
        **decision_version(session, tenant_id, ticket_id, at),
    }


def snapshot(session: Session, row: Rating | Survey | Signal, state: TicketState | None) -> None:
    """Copy the ticket's current segment onto a rating, survey or signal (a channel the row
    already knows, such as the survey's delivery channel, is kept)."""
    for name, value in segment_of(session, row.tenant_id, row.ticket_id, state, moment_of(session, row)).items():
        if name == "channel" and getattr(row, "channel", None):
            continue
        setattr(row, name, value)


def snapshot_attribution(session: Session, rating: Rating, state: TicketState | None) -> None:
    """Copy the ticket's current owner, resolver, intent and fields onto the rating."""
    snapshot(session, rating, state)


def tag_value(tags: list[str], prefix: str, limit: int) -> str | None:
    """The value of the first `<prefix><value>` tag, cut to the column's width."""
    for tag in tags:
        if tag.startswith(prefix) and len(tag) > len(prefix):
            return tag[len(prefix):][:limit]
    return None


def ai_intent(session: Session, tenant_id: str, ticket_id: int) -> str | None:
    """The intent the AI last classified the ticket as; humans' tickets fall back to the category,
    so AI and human ratings can be compared within the same issue types."""
    intent: str | None = session.scalar(
        select(AiDecision.intent)
        .where(
            AiDecision.tenant_id == tenant_id,
            AiDecision.ticket_id == ticket_id,
            AiDecision.intent.is_not(None),
            AiDecision.mode == LIVE,
        )
        .order_by(AiDecision.created_at.desc(), AiDecision.id.desc())
        .limit(1)
    )
    return intent[:120] if intent else None


LIVE = "live"


def moment_of(session: Session, row: Rating | Survey | Signal) -> datetime | None:
    """The moment whose decision a row is attributed to: a survey's solve, a signal's occurrence,
    a rating's solve (the survey it answers)."""
    if isinstance(row, Survey):
        return row.solved_at
    if isinstance(row, Signal):
        return row.occurred_at
    if row.survey_id is None:
        return None
    solved: datetime | None = session.scalar(select(Survey.solved_at).where(Survey.id == row.survey_id))
    return solved


def decision_version(session: Session, tenant_id: str, ticket_id: int, at: datetime | None) -> dict[str, Any]:
    """`model` and `prompt_version` of the latest live decision logged at or before `at` that names
    either (else of the ticket's first such decision); both None when the AI never acted."""
    query = select(AiDecision.model, AiDecision.prompt_version).where(
        AiDecision.tenant_id == tenant_id, AiDecision.ticket_id == ticket_id, AiDecision.mode == LIVE,
        (AiDecision.model.is_not(None)) | (AiDecision.prompt_version.is_not(None)),
    )
    row = None
    if at is not None:
        row = session.execute(query.where(AiDecision.created_at <= at)
                              .order_by(AiDecision.created_at.desc(), AiDecision.id.desc()).limit(1)).first()
    if row is None:
        newest_first = at is None
        order = (AiDecision.created_at.desc(), AiDecision.id.desc()) if newest_first else (
            AiDecision.created_at.asc(), AiDecision.id.asc())
        row = session.execute(query.order_by(*order).limit(1)).first()
    model, prompt_version = row if row is not None else (None, None)
    return {"model": model, "prompt_version": prompt_version}
