"""POST /api/v1/decisions: the AI agent's decision log, and who resolved a ticket.

The agent logs every step it takes on a ticket (classify, retrieve, check policy, act, reply),
one decision object or a batch of up to 500. Validation is strict and all-or-nothing: one bad
field refuses the whole request with a 422 that names every bad field, so the agent never has
to work out which half of a batch was stored. Storing is idempotent on `decision_id` (unique
per tenant): a retry, or two processes racing, store a decision once and answer `duplicate`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackloop.core.errors import BadRequest, FeedbackloopError
from feedbackloop.store.db import session_scope, utcnow
from feedbackloop.store.models import AiDecision, Override
from feedbackloop.wiring.adminauth import current_tenant
from feedbackloop.wiring.services import services_of

bp = Blueprint("decisions", __name__)

STEPS = ("intent_classification", "retrieval", "policy_check", "action", "reply")
MAX_BATCH = 500
#: 500 decisions with long drafts exceed the app-wide 1 MiB limit; this route allows more.
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_CONTEXT_BYTES = 64 * 1024
MAX_POLICY_REFS = 50
MAX_ERRORS_LISTED = 100
#: Zendesk ids are 64-bit; PostgreSQL BIGINT stops here.
MAX_TICKET_ID = 2**63 - 1
MAX_INT32 = 2**31 - 1
#: An agent's clock may run a little ahead of ours; further ahead is a bug worth refusing.
MAX_CLOCK_SKEW = timedelta(minutes=5)
#: No AI agent decided anything before this; an earlier time is a unit mix-up (seconds vs ms).
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
TIME_FORMAT = "must be an ISO-8601 time with a timezone, e.g. 2025-05-01T12:00:00Z"

Resolver = Literal["ai", "human", "ai_then_human", "ai_overridden"]
#: A stored decision, as the answer names it: (row id, decision_id, ticket_id).
RowRef = tuple[int, str, int]


class FieldInvalid(ValueError):
    """One field's value is refused; the message completes "<field> ..."."""


@dataclass(frozen=True)
class FieldError:
    """A refused field, as reported to the client."""

    index: int | None
    field: str | None
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"index": self.index, "field": self.field, "message": self.message}


class DecisionsInvalid(FeedbackloopError):
    """The request held at least one bad decision: nothing is stored, every problem is named."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} invalid field(s)")
        self.errors = errors


@dataclass(frozen=True)
class Stored:
    """What happened to one decision of the request."""

    status: Literal["created", "duplicate"]
    id: int
    decision_id: str
    ticket_id: int

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "id": self.id, "decision_id": self.decision_id,
                "ticket_id": self.ticket_id}


# --- the route ---------------------------------------------------------------------------------


@bp.post("/decisions")
def post_decisions() -> ResponseReturnValue:
    """Log one decision (an object) or many (`{"decisions": [...]}`); 201 with each one's fate."""
    body = read_json_body(MAX_BODY_BYTES)
    items, is_batch = split_batch(body)
    now = utcnow()
    cleaned = validate_decisions(items, now)
    with session_scope(services_of(current_app).factory) as session:
        results = store_decisions(session, current_tenant(), cleaned, now)
    if not is_batch:
        return jsonify(results[0].as_json()), 201
    return jsonify(
        created=sum(r.status == "created" for r in results),
        duplicates=sum(r.status == "duplicate" for r in results),
        results=[{"index": i, **r.as_json()} for i, r in enumerate(results)],
    ), 201


@bp.errorhandler(DecisionsInvalid)
def _invalid(exc: DecisionsInvalid) -> ResponseReturnValue:
    listed = exc.errors[:MAX_ERRORS_LISTED]
    more = f" (first {len(listed)} listed)" if len(listed) < len(exc.errors) else ""
    message = f"{len(exc.errors)} invalid field(s){more}; nothing was stored"
    return jsonify(error="invalid", message=message, errors=[e.as_json() for e in listed]), 422


# --- reading the body ----------------------------------------------------------------------------


def read_json_body(limit: int) -> Any:
    """The request body as JSON, refusing oversized (413), empty, non-UTF-8 or malformed (400) bodies."""
    if request.content_length is not None and request.content_length > limit:
        raise BadRequest(f"body larger than {limit} bytes", 413)
    # A chunked body has no Content-Length: werkzeug then stops reading at the cap without
    # complaint, so read one byte past the limit to tell "exactly at" from "over".
    request.max_content_length = limit + 1
    raw = request.get_data(cache=False)
    if len(raw) > limit:
        raise BadRequest(f"body larger than {limit} bytes", 413)
    if not raw.strip():
        raise BadRequest("body is empty: send a decision object or {\"decisions\": [...]}")
    return parse_json(raw)


def parse_json(raw: bytes) -> Any:
    """Strict JSON: UTF-8, no NaN/Infinity, no repeated keys (which parsers resolve differently)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("body is not UTF-8 text") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_refuse_repeated_keys)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"body is not valid JSON: {exc}") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _refuse_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"key {key!r} appears twice in one object")
        seen.add(key)
    return dict(pairs)


def split_batch(body: Any) -> tuple[list[Any], bool]:
    """The decisions a body holds, and whether it used the batch form."""
    if not isinstance(body, dict):
        raise _refused(None, 'the body must be a decision object or {"decisions": [...]}')
    if "decisions" not in body:
        return [body], False
    extra = sorted(set(body) - {"decisions"})
    if extra:
        raise DecisionsInvalid([FieldError(None, name, 'unknown field beside "decisions"') for name in extra])
    items = body["decisions"]
    if not isinstance(items, list) or not items:
        raise _refused("decisions", "must be a non-empty list of decision objects")
    if len(items) > MAX_BATCH:
        raise _refused("decisions", f"must hold at most {MAX_BATCH} decisions per request")
    return items, True


def _refused(field: str | None, message: str) -> DecisionsInvalid:
    """A refusal of the request's shape, not of one decision (so no index)."""
    return DecisionsInvalid([FieldError(None, field, message)])


# --- validation ----------------------------------------------------------------------------------

Check = Callable[[Any], Any]


def check_text(limit: int) -> Callable[[Any], str]:
    """A string of at most `limit` characters that every database can store."""

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise FieldInvalid("must be a string")
        if len(value) > limit:
            raise FieldInvalid(f"must be at most {limit} characters")
        check_storable(value)
        return value

    return check


def check_storable(text: str) -> None:
    """PostgreSQL text refuses NUL, and a lone surrogate ("\\ud800" in JSON) cannot become UTF-8:
    refused here as a 422 rather than failing the insert with a 500."""
    if "\x00" in text:
        raise FieldInvalid("must not contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise FieldInvalid("must be valid Unicode text (no lone surrogates)") from None


def check_key(value: Any) -> str:
    """A non-blank string of at most 200 characters (the idempotency key)."""
    text = check_text(200)(value)
    if not text.strip():
        raise FieldInvalid("must be a non-empty string")
    return text


def check_ticket_id(value: Any) -> int:
    """A positive integer; a string of digits is accepted (Zendesk's event envelopes use strings)."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_TICKET_ID:
        raise FieldInvalid("must be a positive integer (the helpdesk ticket id)")
    return value


def check_step(value: Any) -> str:
    if value not in STEPS:
        raise FieldInvalid(f"must be one of {', '.join(STEPS)}")
    return str(value)


def _number(value: Any) -> float | None:
    """A finite JSON number as float, else None (bool is not a number here, despite Python)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer like 10**400: valid JSON, no float holds it
        return None
    return number if math.isfinite(number) else None


def check_confidence(value: Any) -> float:
    number = _number(value)
    if number is None or not 0.0 <= number <= 1.0:
        raise FieldInvalid("must be a number between 0 and 1")
    return number


def check_cost(value: Any) -> float:
    number = _number(value)
    if number is None or number < 0:
        raise FieldInvalid("must be a number of at least 0")
    return number


def check_count(limit: int) -> Callable[[Any], int]:
    """A whole number from 0 to `limit`."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            raise FieldInvalid(f"must be a whole number from 0 to {limit}")
        return value

    return check


def check_context(value: Any) -> list[Any] | dict[str, Any]:
    """Retrieved documents: a list (ids, or objects with id/snippet) or an object; at most 64 KiB."""
    if not isinstance(value, (list, dict)):
        raise FieldInvalid("must be a list of retrieved documents (ids or objects) or an object")
    for text in json_strings(value):
        check_storable(text)
    if len(json.dumps(value, ensure_ascii=False).encode("utf-8")) > MAX_CONTEXT_BYTES:
        raise FieldInvalid(f"must be at most {MAX_CONTEXT_BYTES} bytes of JSON")
    return value


def json_strings(value: Any) -> Iterator[str]:
    """Every string in a parsed JSON value, object keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def check_policy_refs(value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_POLICY_REFS:
        raise FieldInvalid(f"must be a list of at most {MAX_POLICY_REFS} strings")
    if not all(isinstance(ref, str) and 0 < len(ref) <= 200 for ref in value):
        raise FieldInvalid("must hold only non-empty strings of at most 200 characters")
    for ref in value:
        check_storable(ref)
    return list(value)


def check_time(value: Any) -> datetime:
    """An ISO-8601 time with a timezone (a time without one is ambiguous, so refused), in UTC."""
    if not isinstance(value, str) or len(value) > 64:
        raise FieldInvalid(TIME_FORMAT)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise FieldInvalid(TIME_FORMAT) from None
    if moment.tzinfo is None:
        raise FieldInvalid("must include a timezone (e.g. a trailing Z for UTC)")
    try:
        moment = moment.astimezone(timezone.utc)
    except OverflowError:  # year 1 or 9999 pushed off the calendar by its offset
        raise FieldInvalid(f"must be a time from {EARLIEST.date().isoformat()} to now") from None
    if moment < EARLIEST:
        raise FieldInvalid(f"must not be before {EARLIEST.date().isoformat()}")
    return moment


MODES = ("live", "shadow")


def check_mode(value: Any) -> str:
    """`live` (the AI acted; the default) or `shadow` (logged beside a human who handles the ticket:
    compared with what the human did, never counted as the AI's resolution)."""
    if value not in MODES:
        raise FieldInvalid(f"must be one of {', '.join(MODES)} (shadow: the AI only suggested; a human acts)")
    return str(value)


#: field → (required, check). The keys are the accepted fields, and AiDecision's attribute names.
FIELDS: dict[str, tuple[bool, Check]] = {
    "ticket_id": (True, check_ticket_id),
    "decision_id": (True, check_key),
    "step": (True, check_step),
    "intent": (False, check_text(120)),
    "confidence": (False, check_confidence),
    "action": (False, check_text(4000)),
    "draft_reply": (False, check_text(20000)),
    "context": (False, check_context),
    "policy_refs": (False, check_policy_refs),
    "model": (False, check_text(120)),
    "prompt_version": (False, check_text(120)),
    "trace_id": (False, check_text(200)),
    "latency_ms": (False, check_count(86_400_000)),
    "tokens_in": (False, check_count(MAX_INT32)),
    "tokens_out": (False, check_count(MAX_INT32)),
    "cost": (False, check_cost),
    "created_at": (False, check_time),
    "mode": (False, check_mode),
}


def validate_decisions(items: list[Any], now: datetime) -> list[dict[str, Any]]:
    """Every item cleaned, or DecisionsInvalid naming every bad field of every item."""
    cleaned: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    for index, item in enumerate(items):
        values, item_errors = validate_decision(index, item, now)
        cleaned.append(values)
        errors.extend(item_errors)
    if errors:
        raise DecisionsInvalid(errors)
    return cleaned


def validate_decision(index: int, item: Any, now: datetime) -> tuple[dict[str, Any], list[FieldError]]:
    """One decision's clean values (absent and null optional fields are None) and its errors."""
    if not isinstance(item, dict):
        return {}, [FieldError(index, None, "must be a JSON object")]
    errors = [FieldError(index, name, "unknown field") for name in sorted(set(item) - set(FIELDS))]
    values: dict[str, Any] = {}
    for name, (required, check) in FIELDS.items():
        raw = item.get(name)
        if raw is None:
            if required:
                errors.append(FieldError(index, name, "is required"))
            values[name] = None
            continue
        try:
            values[name] = check(raw)
        except FieldInvalid as exc:
            errors.append(FieldError(index, name, str(exc)))
    decided_at = values.get("created_at")
    if isinstance(decided_at, datetime) and decided_at > now + MAX_CLOCK_SKEW:
        errors.append(FieldError(index, "created_at", "must not be in the future"))
    return values, errors


# --- storing -------------------------------------------------------------------------------------


def store_decisions(
    session: Session, tenant_id: str, decisions: list[dict[str, Any]], now: datetime
) -> list[Stored]:
    """Insert each new decision once; a known `decision_id` (earlier or in this batch) is a duplicate.

    Inserts go in `decision_id` order, whatever the request's order: two racing batches that
    share keys then wait on each other's unique-index entries in the same order, so PostgreSQL
    cannot deadlock them. Results are reported in the request's order.
    """
    known = existing_decisions(session, tenant_id, [d["decision_id"] for d in decisions])
    created: set[str] = set()
    for values in sorted(decisions, key=lambda d: str(d["decision_id"])):
        key = values["decision_id"]
        if key not in known:
            known[key], is_new = insert_decision(session, tenant_id, values, now)
            if is_new:
                created.add(key)
    return [report_stored(values["decision_id"], known, created) for values in decisions]


def report_stored(key: str, known: dict[str, RowRef], created: set[str]) -> Stored:
    """The first mention of a key this request created is "created"; every other is "duplicate"."""
    if key in created:
        created.discard(key)
        return Stored("created", *known[key])
    return Stored("duplicate", *known[key])


def existing_decisions(session: Session, tenant_id: str, keys: Iterable[str]) -> dict[str, RowRef]:
    """The stored decisions among `keys`, by decision_id."""
    rows = session.execute(
        select(AiDecision.id, AiDecision.decision_id, AiDecision.ticket_id)
        .where(AiDecision.tenant_id == tenant_id, AiDecision.decision_id.in_(set(keys)))
    )
    return {key: (row_id, key, ticket_id) for row_id, key, ticket_id in rows}


def insert_decision(
    session: Session, tenant_id: str, values: dict[str, Any], now: datetime
) -> tuple[RowRef, bool]:
    """Insert in a savepoint: the stored row, and False if a racing request stored it first."""
    row = AiDecision(tenant_id=tenant_id, received_at=now, **values)
    row.created_at = values["created_at"] or now
    row.policy_refs = values["policy_refs"] or []
    row.mode = values["mode"] or "live"
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        found = existing_decisions(session, tenant_id, [row.decision_id])
        if row.decision_id not in found:
            raise  # not our unique key: a real fault, and it must fail loudly
        return found[row.decision_id], False
    return (row.id, row.decision_id, row.ticket_id), True


# --- who resolved the ticket ------------------------------------------------------------------------


def resolver_of(session: Session, tenant_id: str, ticket_id: int) -> Resolver:
    """Who resolved a ticket, judged from the AI decision log and the recorded overrides.

    Strongest evidence first:
    1. an override that corrects the AI (any kind but `handoff`: a sidebar or macro override,
       edit_to_final, intent_changed, status_reverted) → "ai_overridden";
    2. else a `handoff` override (the AI passed the ticket to a person, uncorrected) → "ai_then_human";
    3. else any logged live AI decision → "ai";
    4. else → "human": no trace of the AI acting on this ticket (shadow decisions never act).
    An override implies the AI acted even when its decisions were never logged (a macro applied
    to a bot's reply), so rules 1 and 2 do not require a decision row.
    """
    kinds = set(session.scalars(
        select(Override.kind).distinct()
        .where(Override.tenant_id == tenant_id, Override.ticket_id == ticket_id)
    ))
    if kinds - {"handoff"}:
        return "ai_overridden"
    if kinds:
        return "ai_then_human"
    decided = session.scalar(
        select(AiDecision.id).where(AiDecision.tenant_id == tenant_id, AiDecision.ticket_id == ticket_id,
                                    AiDecision.mode == "live")
        .limit(1)
    )
    return "ai" if decided is not None else "human"
