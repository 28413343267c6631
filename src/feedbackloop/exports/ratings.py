"""The ratings export on Core rows: one streamed query, no ORM objects, a few batched look-ups.

A ratings row reads the rating, its survey's two times and the ticket's requester (joined in the
one streamed query), and four facts per ticket from the decision log and the overrides (loaded a
chunk of tickets at a time, as tuples). The ORM path built three objects per row (rating, survey,
ticket) and a bundle per ticket: about 100 µs of CPU a row, twice the whole budget of a
20 000 rows/s export (bench/README.md, exports). Records are the same, key for key.

One query streams the whole export (a server-side cursor on PostgreSQL, SQLite's own stepping),
so it reads one snapshot: pages fetched by separate keyset queries would each see the database
as it is then, under SQLite's autocommit reads.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Row, Select, String, and_, exists, null, or_, select, type_coerce
from sqlalchemy.orm import Session

from feedbackloop.exports.source import HANDOFF, TicketKey, Window, rating_filter
from feedbackloop.models import AiDecision, Override, Rating, Survey, TicketState
from feedbackloop.redact import Identity, redact

#: Rows per chunk: one batch of decision and override look-ups each (parameters stay far below
#: SQLite's 32 766 and the chunk's rows a few hundred kB).
CHUNK = 500

IdentityOf = Callable[[str, int | None], Identity | None]


@dataclass(frozen=True, slots=True)
class TicketFacts:
    """What a ratings row reads from a ticket's decision log and overrides."""

    intent: str | None = None
    model: str | None = None
    prompt_version: str | None = None
    resolver: str = "human"


NO_DECISIONS = TicketFacts()


def rating_rows(window: Window, *, with_requester: bool = True) -> Select[Any]:
    """Ratings in the window and score bounds, oldest first, each with its survey and requester.

    Without a requester directory (`with_requester` false) the ticket row is not read at all: its
    requester id would go unused, and that join is two of the five page reads a row costs.
    The last column says whether the ticket has decisions or overrides (two index probes in the
    database), so only those tickets are looked up. Times come as the driver gives them (`iso`).
    The survey is the rating's own when it belongs to the same ticket (as the bundle looked it up),
    the ticket row is unique per (tenant, ticket); both outer joins keep a rating that lacks them.
    """
    ai = or_(
        exists().where(AiDecision.tenant_id == Rating.tenant_id, AiDecision.ticket_id == Rating.ticket_id),
        exists().where(Override.tenant_id == Rating.tenant_id, Override.ticket_id == Rating.ticket_id))
    query = (
        select(Rating.tenant_id, Rating.ticket_id, Rating.score, Rating.scale, Rating.reason, Rating.comment,
               Rating.source, Rating.version, Rating.channel, Rating.category, Rating.group_id,
               Rating.assignee_id, *(raw_time(c) for c in (Rating.created_at, Rating.updated_at, Survey.solved_at,
                                                          Survey.sent_at)),
               TicketState.requester_id if with_requester else null(), ai)
        .outerjoin(Survey, and_(Survey.id == Rating.survey_id, Survey.tenant_id == Rating.tenant_id,
                                Survey.ticket_id == Rating.ticket_id))
    )
    if with_requester:
        query = query.outerjoin(TicketState, and_(TicketState.tenant_id == Rating.tenant_id,
                                                  TicketState.ticket_id == Rating.ticket_id))
    return query.where(*rating_filter(window)).order_by(Rating.tenant_id, Rating.created_at, Rating.id)


def raw_time(column: Any) -> Any:
    """A UTC time column without the UTCDateTime result processing: `iso` formats the driver's
    value directly (SQLite's text, PostgreSQL's aware datetime), 4 columns × 2 layers a row saved."""
    return type_coerce(column, String)


def stream_rating_rows(session: Session, window: Window, size: int | None = None, *,
                       with_requester: bool = True) -> Iterator[Sequence[Row[Any]]]:
    """The window's rating rows in chunks, read through one server-side cursor."""
    size = size or CHUNK
    query = rating_rows(window, with_requester=with_requester)
    result = session.execute(query.execution_options(yield_per=size))
    yield from result.partitions(size)


def load_facts(session: Session, keys: set[TicketKey]) -> dict[TicketKey, TicketFacts]:
    """Each ticket's facts, two queries per tenant for the whole chunk; tickets with none are left out."""
    by_tenant: dict[str, list[int]] = defaultdict(list)
    for tenant_id, ticket_id in keys:
        by_tenant[tenant_id].append(ticket_id)
    facts: dict[TicketKey, TicketFacts] = {}
    for tenant_id, ticket_ids in by_tenant.items():
        facts.update(facts_of_tenant(session, tenant_id, sorted(ticket_ids)))
    return facts


def facts_of_tenant(session: Session, tenant_id: str, ticket_ids: list[int]) -> dict[TicketKey, TicketFacts]:
    decisions: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in session.execute(
        select(AiDecision.ticket_id, AiDecision.intent, AiDecision.draft_reply, AiDecision.model,
               AiDecision.prompt_version)
        .where(AiDecision.tenant_id == tenant_id, AiDecision.ticket_id.in_(ticket_ids))
        .order_by(AiDecision.created_at, AiDecision.id)
    ):
        decisions[row[0]].append(tuple(row))
    kinds: dict[int, set[str]] = defaultdict(set)
    for ticket_id, kind in session.execute(
        select(Override.ticket_id, Override.kind).distinct()
        .where(Override.tenant_id == tenant_id, Override.ticket_id.in_(ticket_ids))
    ):
        kinds[ticket_id].add(kind)
    return {(tenant_id, ticket): facts_from(decisions.get(ticket, []), kinds.get(ticket, set()))
            for ticket in decisions.keys() | kinds.keys()}


def facts_from(decisions: list[tuple[Any, ...]], override_kinds: set[str]) -> TicketFacts:
    """The rules of `records.build_rating`: the newest non-null intent; model and prompt of the
    last drafted reply, else of the last decision; the resolver as `records.resolver_from` names it."""
    intent = next((d[1] for d in reversed(decisions) if d[1] is not None), None)
    replies = [d for d in decisions if d[2] and d[2].strip()]
    decision = replies[-1] if replies else (decisions[-1] if decisions else None)
    if override_kinds - {HANDOFF}:
        resolver = "ai_overridden"
    elif override_kinds:
        resolver = "ai_then_human"
    else:
        resolver = "ai" if decisions else "human"
    return TicketFacts(intent, decision[3] if decision else None, decision[4] if decision else None, resolver)


def iso(value: str | datetime | None) -> str | None:
    """`records.iso` of the time UTCDateTime would have read: SQLite's text is parsed as SQLAlchemy
    parses it (`fromisoformat`); a naive time is UTC, so "+00:00" is what `isoformat` would add."""
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 26 and value[10] == " " and value[19] == ".":
        # SQLite's stored form, "YYYY-MM-DD HH:MM:SS.ffffff", always with microseconds: rewritten
        # as isoformat would print it (no fraction when it is zero), at half the cost of parsing.
        if value.endswith("000000"):
            return f"{value[:10]}T{value[11:19]}+00:00"
        return f"{value[:10]}T{value[11:]}+00:00"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        return moment.isoformat() + "+00:00"
    return moment.astimezone(timezone.utc).isoformat()


class RatingRecords:
    """Turns rating rows into the export's records: hash, split, redaction, as `records.build_rating`."""

    def __init__(self, salt: bytes, test_fraction: float | None, identity_of: IdentityOf) -> None:
        self._keyed = hmac.new(salt, digestmod=hashlib.sha256)  # keyed once; each row copies it
        self._test_fraction = test_fraction
        self._identity_of = identity_of

    def ticket_hash(self, tenant_id: str, ticket_id: int) -> str:
        """`records.ticket_hash`, from a copy of the HMAC keyed once (3.1 µs a row, where keying it
        again each time, as `hmac.new` or the one-shot `hmac.digest` do, costs 4.6 µs)."""
        keyed = self._keyed.copy()
        keyed.update(f"{tenant_id}\x00{ticket_id}".encode())
        return keyed.hexdigest()[:32]

    def split(self, hashed: str) -> str | None:
        if self._test_fraction is None:
            return None
        return "test" if int(hashed[:8], 16) / 0x1_0000_0000 < self._test_fraction else "train"

    def record(self, row: Row[Any] | tuple[Any, ...], facts: TicketFacts) -> dict[str, Any]:
        (tenant_id, ticket_id, score, scale, reason, comment, source, version, channel, category, group_id,
         assignee_id, created_at, updated_at, solved_at, sent_at, requester_id, _) = row
        hashed = self.ticket_hash(tenant_id, ticket_id)
        intent = facts.intent
        if comment is not None or intent is not None:
            identity = self._identity_of(tenant_id, requester_id)
            comment = redact(comment, identity) if comment is not None else None
            intent = redact(intent, identity) if intent is not None else None
        return {
            "ticket": hashed, "tenant": tenant_id, "split": self.split(hashed),
            "score": score, "scale": scale, "satisfied": score >= 4, "reason": reason,
            "comment": comment, "source": source, "version": version,
            "channel": channel, "category": category, "group_id": group_id,
            "assignee_id": assignee_id, "resolver": facts.resolver, "intent": intent,
            "model": facts.model, "prompt_version": facts.prompt_version,
            "solved_at": iso(solved_at), "survey_sent_at": iso(sent_at),
            "rated_at": iso(created_at), "updated_at": iso(updated_at),
        }


def chunk_records(session: Session, builder: RatingRecords, rows: Sequence[Row[Any]]) -> Iterator[dict[str, Any]]:
    """The chunk's records in row order, with the facts of all its tickets loaded at once."""
    facts = load_facts(session, {(row[0], row[1]) for row in rows if row[-1]})
    for row in rows:
        yield builder.record(row, facts.get((row[0], row[1]), NO_DECISIONS))

