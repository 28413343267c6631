"""Who and what a rating is about, frozen at the moment the customer rated.

Reports attribute a rating to the agent, group, resolver and issue type of that moment, not to
whoever holds the ticket when the report runs: a ticket reassigned after a bad rating must not
move the bad rating onto its new owner. So the rating row carries a copy, taken here.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.decisions import resolver_of
from feedbackloop.models import AiDecision, Rating, TicketState

#: A Zendesk dropdown field's options set tags; name the options `product_<name>` / `language_<code>`
#: (as `category_<name>` names the issue category) and reports can segment by them.
PRODUCT_TAG_PREFIX = "product_"
LANGUAGE_TAG_PREFIX = "language_"


def snapshot_attribution(session: Session, rating: Rating, state: TicketState | None) -> None:
    """Copy the ticket's current owner, resolver, intent and fields onto the rating."""
    tags = list(state.tags or []) if state is not None else []
    rating.assignee_id = state.assignee_id if state is not None else None
    rating.group_id = state.group_id if state is not None else None
    rating.brand_id = state.brand_id if state is not None else None
    rating.category = state.category if state is not None else None
    rating.channel = rating.channel or (state.channel if state is not None else None)
    rating.product = tag_value(tags, PRODUCT_TAG_PREFIX, 80)
    rating.language = tag_value(tags, LANGUAGE_TAG_PREFIX, 16)
    rating.resolver = resolver_of(session, rating.tenant_id, rating.ticket_id)
    rating.intent = ai_intent(session, rating.tenant_id, rating.ticket_id) or rating.category


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
        )
        .order_by(AiDecision.created_at.desc(), AiDecision.id.desc())
        .limit(1)
    )
    return intent[:120] if intent else None
