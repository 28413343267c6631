"""Reading the feedback store for an export: a streamed list of keys, then one bundle per ticket.

The key stream (tickets, ratings or overrides, in a stable order) comes through a server-side
cursor (`yield_per`), and keys are taken a chunk at a time; each chunk's tickets get their rows
from the other tables in one query per table. Memory is bounded by the chunk, whatever the size
of the store; `session.expunge_all()` between chunks lets the loaded rows go.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, cast

from sqlalchemy import Select, func, or_, select, union
from sqlalchemy.orm import Session

from feedbackloop.store.models import AiDecision, Override, Rating, Signal, Survey, TicketState, WebhookEvent

CHUNK = 200
#: The newest customer/agent messages kept per ticket (a bot loop can post thousands).
MAX_MESSAGES = 50
#: Signals that say an AI resolution failed. Re-contact signals are recognised by prefix.
BAD_SIGNALS = ("reopen", "failed_resolution")
RECONTACT_PREFIX = "recontact"
#: An agent's review verdict on a ticket (details: verdict = the root cause, notes); the eval label.
VERDICT_SIGNAL = "review_verdict"
#: Overrides that correct the AI; a handoff is the AI passing the ticket on, uncorrected.
HANDOFF = "handoff"
#: Overrides that may pair two replies to one customer turn (records.build_dpo checks that they
#: do). A reverted status or a changed intent says the AI was wrong, not what it should have written.
DPO_KINDS = ("edit_to_final", "override")
LOW_SCORE = 2


@dataclass(frozen=True)
class Window:
    """Which feedback to export: by tenant, by when it arrived, by rating score."""

    tenant: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    min_score: int | None = None
    max_score: int | None = None

    def score_ok(self, score: int | None) -> bool:
        """Whether a ticket with this latest score passes the score bounds (no bounds: any, even none)."""
        if self.min_score is None and self.max_score is None:
            return True
        if score is None:
            return False
        return (self.min_score or 1) <= score <= (self.max_score or 5)


@dataclass(frozen=True)
class Message:
    """A public comment on the ticket, from its comment_added webhook event."""

    at: datetime
    body: str
    staff: bool
    author_id: int | None
    comment_id: str | None = None


@dataclass
class TicketBundle:
    """Everything an export reads about one ticket."""

    tenant_id: str
    ticket_id: int
    state: TicketState | None = None
    decisions: list[AiDecision] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    surveys: dict[int, Survey] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    #: The ticket's description from its `created` event (Zendesk: the first comment's text).
    opening: Message | None = None

    @property
    def latest_rating(self) -> Rating | None:
        return max(self.ratings, key=lambda r: (r.created_at, r.id)) if self.ratings else None

    @property
    def replies(self) -> list[AiDecision]:
        """The AI's drafted replies, in the order it decided them."""
        return [d for d in self.decisions if d.draft_reply and d.draft_reply.strip()]


TicketKey = tuple[str, int]


# --- key streams -----------------------------------------------------------------------------------


def _in_window(column: Any, window: Window) -> list[Any]:
    where = []
    if window.since is not None:
        where.append(column >= window.since)
    if window.until is not None:
        where.append(column < window.until)
    return where


def _tenant(column: Any, window: Window) -> list[Any]:
    return [column == window.tenant] if window.tenant is not None else []


def eval_keys(window: Window) -> Select[Any]:
    """Tickets with a bad outcome in the window: a low rating, a reopen or re-contact, a correction."""
    low = select(Rating.tenant_id, Rating.ticket_id).where(
        Rating.score <= LOW_SCORE, *_tenant(Rating.tenant_id, window), *_in_window(Rating.created_at, window))
    bad = select(Signal.tenant_id, Signal.ticket_id).where(
        or_(Signal.type.in_(BAD_SIGNALS), Signal.type.startswith(RECONTACT_PREFIX)),
        *_tenant(Signal.tenant_id, window), *_in_window(Signal.occurred_at, window))
    corrected = select(Override.tenant_id, Override.ticket_id).where(
        Override.kind != HANDOFF, *_tenant(Override.tenant_id, window), *_in_window(Override.occurred_at, window))
    keys = union(low, bad, corrected).subquery()
    query = select(keys.c.tenant_id, keys.c.ticket_id).order_by(keys.c.tenant_id, keys.c.ticket_id)
    return cast("Select[Any]", query)


def rated_keys(window: Window) -> Select[Any]:
    """Tickets rated in the window (the SFT candidates; each is checked whole afterwards)."""
    query = (
        select(Rating.tenant_id, Rating.ticket_id).distinct()
        .where(*_tenant(Rating.tenant_id, window), *_in_window(Rating.created_at, window))
        .order_by(Rating.tenant_id, Rating.ticket_id)
    )
    return cast("Select[Any]", query)


def dpo_keys(window: Window) -> Select[Any]:
    """Tickets with a correction in the window that may pair two replies (the DPO candidates)."""
    query = (
        select(Override.tenant_id, Override.ticket_id).distinct()
        .where(Override.kind.in_(DPO_KINDS), *_tenant(Override.tenant_id, window),
               *_in_window(Override.occurred_at, window))
        .order_by(Override.tenant_id, Override.ticket_id)
    )
    return cast("Select[Any]", query)


def rating_filter(window: Window) -> list[Any]:
    """The conditions on a rating: tenant, time window, score bounds."""
    where = [*_tenant(Rating.tenant_id, window), *_in_window(Rating.created_at, window)]
    if window.min_score is not None:
        where.append(Rating.score >= window.min_score)
    if window.max_score is not None:
        where.append(Rating.score <= window.max_score)
    return where


def rating_ids(window: Window) -> Select[Any]:
    """Ratings in the window and score bounds, oldest first (counted for the progress bar; the
    export itself streams `ratings.rating_rows`, on the same filter)."""
    return select(Rating.id).where(*rating_filter(window)).order_by(Rating.tenant_id, Rating.created_at, Rating.id)


def count(session: Session, query: Select[Any]) -> int:
    """How many rows a key stream will yield (for the progress bar)."""
    return int(session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)


def stream(session: Session, query: Select[Any], size: int | None = None) -> Iterator[list[Any]]:
    """The query's rows in chunks of `size` (default CHUNK), read through a server-side cursor."""
    size = size or CHUNK
    rows = session.execute(query.execution_options(yield_per=size))
    while chunk := list(islice(rows, size)):
        yield [tuple(row) for row in chunk]


# --- bundles ---------------------------------------------------------------------------------------


#: The parts of a bundle, one table each. A kind whose records read fewer asks for fewer: a ratings
#: row needs no signals, no other ratings and no conversation (bench/RESULTS.md, exports).
ALL_PARTS = frozenset({"state", "decisions", "overrides", "signals", "ratings", "surveys", "messages"})


def load_bundles(session: Session, keys: Sequence[TicketKey],
                 parts: frozenset[str] = ALL_PARTS) -> dict[TicketKey, TicketBundle]:
    """One bundle per ticket key, each table of `parts` read once per tenant for the whole chunk."""
    bundles = {key: TicketBundle(*key) for key in keys}
    by_tenant: dict[str, list[int]] = defaultdict(list)
    for tenant_id, ticket_id in keys:
        by_tenant[tenant_id].append(ticket_id)
    for tenant_id, ticket_ids in by_tenant.items():
        fill_bundles(session, bundles, tenant_id, ticket_ids, parts)
    return bundles


def fill_bundles(session: Session, bundles: dict[TicketKey, TicketBundle], tenant_id: str,
                 ticket_ids: list[int], parts: frozenset[str] = ALL_PARTS) -> None:
    def rows(part: str, model: Any, *order: Any) -> Iterable[Any]:
        if part not in parts:
            return ()
        return session.scalars(select(model).where(model.tenant_id == tenant_id, model.ticket_id.in_(ticket_ids))
                               .order_by(*order))

    for state in rows("state", TicketState, TicketState.id):
        bundles[(tenant_id, state.ticket_id)].state = state
    for decision in rows("decisions", AiDecision, AiDecision.created_at, AiDecision.id):
        if decision.mode != "live":
            continue  # a shadow decision never acted: not the AI's turn in any export
        bundles[(tenant_id, decision.ticket_id)].decisions.append(decision)
    for override in rows("overrides", Override, Override.occurred_at, Override.id):
        bundles[(tenant_id, override.ticket_id)].overrides.append(override)
    for signal in rows("signals", Signal, Signal.occurred_at, Signal.id):
        bundles[(tenant_id, signal.ticket_id)].signals.append(signal)
    for rating in rows("ratings", Rating, Rating.created_at, Rating.id):
        bundles[(tenant_id, rating.ticket_id)].ratings.append(rating)
    for survey in rows("surveys", Survey, Survey.id):
        bundles[(tenant_id, survey.ticket_id)].surveys[survey.id] = survey
    if "messages" in parts:
        fill_messages(session, bundles, tenant_id, ticket_ids)


def fill_messages(session: Session, bundles: dict[TicketKey, TicketBundle], tenant_id: str,
                  ticket_ids: list[int]) -> None:
    """Public comments from comment_added events, once per comment id, newest MAX_MESSAGES kept; the
    description of the earliest `created` event that carries one."""
    events = session.scalars(
        select(WebhookEvent)
        .where(WebhookEvent.tenant_id == tenant_id, WebhookEvent.ticket_id.in_(ticket_ids),
               WebhookEvent.kind.in_(("comment_added", "created")))
        .order_by(WebhookEvent.ticket_id, WebhookEvent.occurred_at, WebhookEvent.id)
    )
    seen: set[tuple[int, Any]] = set()
    for event_row in events:
        if event_row.kind == "created":
            opening = opening_of(event_row)
            bundle = bundles[(tenant_id, event_row.ticket_id)]
            if opening is not None and bundle.opening is None:
                bundle.opening = opening
            continue
        message = message_of(event_row.payload)
        comment_id = (event_row.payload.get("extra") or {}).get("comment_id") or event_row.dedupe_key
        if message is None or (event_row.ticket_id, comment_id) in seen:
            continue
        seen.add((event_row.ticket_id, comment_id))
        bundle = bundles[(tenant_id, event_row.ticket_id)]
        bundle.messages.append(Message(event_row.occurred_at, message[0], message[1], message[2], str(comment_id)))
        del bundle.messages[:-MAX_MESSAGES]


def message_of(payload: dict[str, Any]) -> tuple[str, bool, int | None] | None:
    """(body, by staff, author id) of a public comment event; None for private notes and empty bodies."""
    extra = payload.get("extra") or {}
    body = extra.get("body")
    if not isinstance(body, str) or not body.strip() or extra.get("is_public") is False:
        return None
    author = extra.get("author_id")
    return body, bool(extra.get("author_is_staff")), author if isinstance(author, int) else None


def opening_of(event_row: WebhookEvent) -> Message | None:
    """The description a `created` event carries (`detail.description`), as the customer's first message."""
    payload = event_row.payload
    body = (payload.get("extra") or {}).get("description")
    if not isinstance(body, str) or not body.strip():
        return None
    requester = payload.get("requester_id")
    return Message(event_row.occurred_at, body, False, requester if isinstance(requester, int) else None,
                   "description")


def load_overrides(session: Session, ids: Sequence[int]) -> list[Override]:
    return list(session.scalars(select(Override).where(Override.id.in_(ids)).order_by(
        Override.tenant_id, Override.occurred_at, Override.id)))
