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

from collections import defaultdict
from collections.abc import Callable, Generator, Sequence
from typing import Any, cast

from sqlalchemy import Row, Select, String, and_, exists, null, or_, select, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from feedbackloop.core.redact import Identity
from feedbackloop.learn.exports.rating_lines import NO_DECISIONS, Item, TicketFacts
from feedbackloop.learn.exports.source import HANDOFF, TicketKey, Window, rating_filter
from feedbackloop.store.models import AiDecision, Override, Rating, Survey, TicketState

#: Rows per chunk: one batch of decision and override look-ups each (parameters stay far below
#: SQLite's 32 766 and the chunk's rows a few hundred kB).
CHUNK = 500

IdentityOf = Callable[[str, int | None], Identity | None]


def rating_rows(window: Window, *, with_requester: bool = True) -> Select[Any]:
    """Ratings in the window and score bounds, oldest first, each with its survey and requester.

    Without a requester directory (`with_requester` false) the ticket row is not read at all: its
    requester id would go unused, and that join is two of the five page reads a row costs.
    The last column says whether the ticket has decisions or overrides (two index probes in the
    database), so only those tickets are looked up. Times come as text in SQLite's form (`raw_time`).
    The survey is the rating's own when it belongs to the same ticket (as the bundle looked it up),
    the ticket row is unique per (tenant, ticket); both outer joins keep a rating that lacks them.
    """
    ai = or_(
        exists().where(AiDecision.tenant_id == Rating.tenant_id, AiDecision.ticket_id == Rating.ticket_id,
                       AiDecision.mode == "live"),
        exists().where(Override.tenant_id == Rating.tenant_id, Override.ticket_id == Rating.ticket_id))
    query = cast("Select[Any]", (  # the columns' own types are not needed: rows are read by position
        select(Rating.tenant_id, Rating.ticket_id, Rating.score, Rating.scale, Rating.reason, Rating.comment,
               Rating.source, Rating.version, Rating.channel, Rating.category, Rating.group_id,
               Rating.assignee_id, *(raw_time(c) for c in (Rating.created_at, Rating.updated_at, Survey.solved_at,
                                                          Survey.sent_at)),
               TicketState.requester_id if with_requester else null(), ai)
        .outerjoin(Survey, and_(Survey.id == Rating.survey_id, Survey.tenant_id == Rating.tenant_id,
                                Survey.ticket_id == Rating.ticket_id))
    ))
    if with_requester:
        query = query.outerjoin(TicketState, and_(TicketState.tenant_id == Rating.tenant_id,
                                                  TicketState.ticket_id == Rating.ticket_id))
    return query.where(*rating_filter(window)).order_by(Rating.tenant_id, Rating.created_at, Rating.id)


class StoredTime(FunctionElement[str]):
    """A UTC time column as SQLite stores it, "YYYY-MM-DD HH:MM:SS.ffffff", on either database.

    `iso` rewrites that text into ISO 8601 without parsing it. On SQLite it is the column as
    stored (no UTCDateTime result processing: 4 columns × 2 layers a row saved); PostgreSQL
    formats it with `to_char` in UTC, so the driver builds no datetime, the worker processes
    are sent a string instead of a pickled aware datetime, and nothing calls `astimezone`.
    """

    type = String()
    inherit_cache = True
    name = "stored_time"


@compiles(StoredTime)
def _stored_time(element: StoredTime, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(StoredTime, "postgresql")
def _stored_time_postgresql(element: StoredTime, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"


def raw_time(column: Any) -> Any:
    """A UTC time column as text in SQLite's stored form (`StoredTime`), for `iso`."""
    return StoredTime(type_coerce(column, String))


def stream_rating_rows(session: Session, window: Window, size: int | None = None, *,
                       with_requester: bool = True) -> Generator[Sequence[Row[Any]], None, None]:
    """The window's rating rows in chunks, read through one server-side cursor."""
    size = size or CHUNK
    query = rating_rows(window, with_requester=with_requester)
    with session.execute(query.execution_options(yield_per=size)) as result:  # closes the cursor if the export stops
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
        .where(AiDecision.tenant_id == tenant_id, AiDecision.ticket_id.in_(ticket_ids), AiDecision.mode == "live")
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


def chunk_items(session: Session, rows: Sequence[Sequence[Any]], identity_of: IdentityOf) -> list[Item]:
    """The chunk's rows in order, each with its ticket's facts (all loaded at once) and, when it has a
    comment or an intent to redact, its requester's identity. What needs the database or the
    helpdesk happens here, in the export's own process; what is left is pure CPU."""
    facts = load_facts(session, {(row[0], row[1]) for row in rows if row[-1]})
    items: list[Item] = []
    for row in rows:
        values: tuple[Any, ...] = tuple(row)
        fact = facts.get((values[0], values[1]), NO_DECISIONS)
        text = values[5] is not None or fact.intent is not None
        items.append((values, fact, identity_of(values[0], values[16]) if text else None))
    return items
