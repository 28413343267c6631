"""The part of Zendesk's search syntax that reconciliation and people at a console use.

Supported: ``type:ticket``; ``status:solved``, ``status<solved``, ``status>=pending`` (Zendesk's
status order); ``priority``; ``ticket_type:task``; ``tags:x`` / ``-tags:x``; ``requester:``,
``assignee:`` (``none``), ``group:``, ``organization:``, ``brand:``, ``submitter:`` by id;
``via:email``; ``external_id:``; ``subject:``/``description:`` (substring); ``created``,
``updated`` and ``due_date`` with ``:``, ``<``, ``>``, ``<=``, ``>=`` against an ISO time, a date,
or a relative ``4hours``/``2days``; ``custom_field_<id>:value``; bare words match subject,
description and tags. Anything else is an unknown key and matches nothing, as in Zendesk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from feedbackloop.helpdesks.sandbox.shapes import PRIORITIES, STATUS_ORDER, parse_iso

TOKEN = re.compile(r'(-?)(?:([a-z_0-9]+)(<=|>=|:|<|>))?("[^"]*"|\S+)')
RELATIVE = re.compile(r"(\d+)(minute|hour|day|week|month|year)s?")
UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400, "week": 604800, "month": 2592000, "year": 31536000}
ID_KEYS = {"requester": "requester_id", "assignee": "assignee_id", "group": "group_id", "submitter": "submitter_id",
           "organization": "organization_id", "brand": "brand_id", "requester_id": "requester_id",
           "assignee_id": "assignee_id", "group_id": "group_id"}
TIME_KEYS = {"created": "created_at", "updated": "updated_at", "due_date": "due_at"}
ORDERS: Mapping[str, tuple[str, ...]] = {"status": STATUS_ORDER, "priority": PRIORITIES}


@dataclass(frozen=True)
class Term:
    """One search term: ``[-]key op value`` or a bare word (key None)."""

    key: str | None
    op: str
    value: str
    negate: bool


def parse_query(query: str) -> list[Term]:
    """Split a query into terms; quoted values keep their spaces."""
    terms = []
    for negate, key, op, value in TOKEN.findall(query.strip()):
        terms.append(Term(key or None, op or ":", value.strip('"'), negate == "-"))
    return terms


def result_type(terms: list[Term]) -> str:
    """What the query searches for (``type:``); tickets unless said otherwise."""
    kinds = [t.value.lower() for t in terms if t.key == "type" and not t.negate]
    return kinds[-1] if kinds else "ticket"


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is None or right is None:
        return op == ":" and left == right
    return bool({":": left == right, "<": left < right, ">": left > right, "<=": left <= right,
                 ">=": left >= right}[op])


def _when(value: str, now: datetime) -> datetime:
    """An ISO time, a date, or "4hours"-style time ago."""
    relative = RELATIVE.fullmatch(value.lower())
    if relative:
        return now - timedelta(seconds=int(relative.group(1)) * UNIT_SECONDS[relative.group(2)])
    return parse_iso(value)


def _ordered(term: Term, ticket: Mapping[str, Any]) -> bool:
    order = ORDERS[term.key or ""]
    current = ticket.get(term.key or "")
    if term.value.lower() not in order:
        return False
    rank = order.index(current) if current in order else None
    return _compare(term.op, rank, order.index(term.value.lower()))


def _identified(term: Term, ticket: Mapping[str, Any]) -> bool:
    value = ticket.get(ID_KEYS[term.key or ""])
    wanted = None if term.value.lower() == "none" else (int(term.value) if term.value.isdigit() else term.value)
    return _compare(term.op, value, wanted)


def _timed(term: Term, ticket: Mapping[str, Any], now: datetime) -> bool:
    stamp = ticket.get(TIME_KEYS[term.key or ""])
    if stamp is None:
        return False
    moment, bound = parse_iso(stamp), _when(term.value, now)
    if term.op == ":" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", term.value):
        return moment.date() == bound.date()
    return _compare(term.op, moment, bound)


def _custom(term: Term, ticket: Mapping[str, Any]) -> bool:
    field_id = int((term.key or "").removeprefix("custom_field_") or 0)
    values = {f["id"]: f["value"] for f in ticket.get("custom_fields") or []}
    return str(values.get(field_id)).lower() == term.value.lower()


def _text(term: Term, ticket: Mapping[str, Any]) -> bool:
    needle = term.value.lower()
    haystack = " ".join(str(ticket.get(k) or "") for k in ("subject", "description")).lower()
    return needle in haystack or needle in (ticket.get("tags") or [])


SIMPLE: Mapping[str, Callable[[Term, Mapping[str, Any]], bool]] = {
    "tags": lambda t, tk: t.value in (tk.get("tags") or []),
    "tag": lambda t, tk: t.value in (tk.get("tags") or []),
    "ticket_type": lambda t, tk: (tk.get("type") or "") == t.value.lower(),
    "via": lambda t, tk: ((tk.get("via") or {}).get("channel") or "") == t.value.lower(),
    "external_id": lambda t, tk: (tk.get("external_id") or "") == t.value,
    "subject": lambda t, tk: t.value.lower() in (tk.get("subject") or "").lower(),
    "description": lambda t, tk: t.value.lower() in (tk.get("description") or "").lower(),
}


def _matches_term(term: Term, ticket: Mapping[str, Any], now: datetime) -> bool:
    key = term.key
    if key is None:
        return _text(term, ticket)
    if key == "type":
        return True
    if key in ORDERS:
        return _ordered(term, ticket)
    if key in ID_KEYS:
        return _identified(term, ticket)
    if key in TIME_KEYS:
        return _timed(term, ticket, now)
    if key in SIMPLE:
        return SIMPLE[key](term, ticket)
    if key.startswith("custom_field_"):
        return _custom(term, ticket)
    return False


def ticket_matches(ticket: Mapping[str, Any], terms: list[Term], now: datetime) -> bool:
    """Whether a REST-shaped ticket satisfies every term (a ``-`` term must not match)."""
    for term in terms:
        try:
            matched = _matches_term(term, ticket, now)
        except ValueError:
            matched = False
        if matched == term.negate:
            return False
    return True
