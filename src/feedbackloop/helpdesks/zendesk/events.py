"""Zendesk webhook bodies → neutral `TicketEvent`s.

Two kinds of body reach ``POST /webhooks/zendesk``; `parse` tells them apart by the ``type`` key.

1. **Events-API envelope** (webhook subscribed to ``zen:event-type:ticket.*``). Fixed shape, set
   by Zendesk::

       {"account_id": 22129848,                      # int
        "id": "cbe4028c-7239-495d-b020-f22348516046", # event id: the dedupe key
        "type": "zen:event-type:ticket.status_changed",
        "subject": "zen:ticket:5158",
        "time": "2025-01-08T10:12:07.672717030Z",     # nanoseconds
        "zendesk_event_version": "2022-11-06",
        "detail": {"id": "5158", "status": "SOLVED", "requester_id": "8447388090494", ...},
        "event": {"previous": "OPEN", "current": "SOLVED"}}

   Ids in ``detail`` are strings, enums are UPPER-CASE, ``event`` depends on ``type``. Routing is
   the `EVENT_PARSERS` table; `IGNORED_EVENTS` are real events we deliberately drop (None);
   anything else raises `UnsupportedEvent` (answered 200, logged once).

2. **Trigger body** (webhook connected to our installed triggers). We define it; the installer
   takes it from `trigger_body` so the two cannot drift. Placeholders render as plain text, so
   every value is quoted and parsed from text::

       {"event": "status_changed",                    # or "tag_added"; see TRIGGER_KINDS
        "ticket_id": "{{ticket.id}}",
        "status": "{{ticket.status}}",                # a display label: "Solved", "Gelöst" → "solved"
                                                      # (the solved trigger sends the literal "solved")
        "previous_status": "solved",                  # literal, reopen trigger only (optional)
        "added_tags": "csat_requested",               # literal, tag_added triggers only (optional)
        "requester_id": "{{ticket.requester.id}}",
        "assignee_id": "{{ticket.assignee.id}}",
        "group_id": "{{ticket.group.id}}",
        "ticket_type": "{{ticket.ticket_type}}",
        "via": "{{ticket.via}}",                      # a label: "Web Form" → "web", "Mail" → "email"
        "tags": "{{ticket.tags}}",                    # one space-separated string (a list is accepted)
        "updated_at": "{{ticket.updated_at_with_timestamp}}",
        "current_user_id": "{{current_user.id}}"}

   Ids may be ints or digit strings; an empty string means unknown (a placeholder with nothing to
   render). The body must not carry a ``type`` key: that is what marks an envelope. No free text
   (subject, comments) is sent: a quote or newline in it would break the JSON.

   ``{{ticket.status}}`` renders the status's display label, in the account's language, or the name of
   a custom status; ``{{ticket.via}}`` renders a label too. Both are mapped to the API's values
   (`STATUS_LABELS`, `VIA_CHANNELS`); a label we cannot map is logged (once per label and process)
   and the event is kept: the reopen trigger's status becomes "open" (it fires only when a solved
   ticket moves to a status other than closed), any other keeps no status and the label in
   ``extra["raw_status"]``. Our solved trigger sends the literal "solved" instead of the label.

Dedupe keys are stable across redeliveries: ``event:<envelope id>``, else
``invocation:<X-Zendesk-Webhook-Invocation-Id>``, else (trigger bodies only)
``content:<sha256 of event, ticket id, status and updated_at>``.

Every refusal is a `BadRequest` naming the field, so the 4xx says what was wrong.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TypeVar

from feedbackloop.core.errors import BadRequest, UnsupportedEvent
from feedbackloop.helpdesks.base import STATUSES, TicketEvent
from feedbackloop.helpdesks.zendesk.signature import TIMESTAMP_HEADER

T = TypeVar("T")

INVOCATION_ID_HEADER = "X-Zendesk-Webhook-Invocation-Id"
EVENT_TYPE_PREFIX = "zen:event-type:"
TICKET_SUBJECT_PREFIX = "zen:ticket:"
#: `TicketEvent.event_type` of a trigger body, e.g. "trigger:status_changed".
TRIGGER_EVENT_TYPE = "trigger:{event}"

#: Zendesk UI spellings of a status that differ from the API enum once lower-cased.
STATUS_ALIASES: Mapping[str, str] = {"on-hold": "hold", "on hold": "hold", "on_hold": "hold"}
#: `{{ticket.status}}` renders the status's display label in the account's language. English labels
#: ("New", "Open", "Pending", "On-hold", "Solved", "Closed") lower-case to the API's values (with
#: STATUS_ALIASES); these are the labels of the other languages Zendesk's agent interface is most
#: used in, lower-cased. A custom status renders its own name, which no table can map.
STATUS_LABELS: Mapping[str, str] = {
    # German
    "neu": "new", "offen": "open", "wartend": "pending", "angehalten": "hold", "gelöst": "solved",
    "geschlossen": "closed",
    # French
    "nouveau": "new", "ouvert": "open", "en attente": "pending", "en pause": "hold", "résolu": "solved",
    "clos": "closed", "fermé": "closed",
    # Spanish
    "nuevo": "new", "abierto": "open", "pendiente": "pending", "en espera": "hold", "resuelto": "solved",
    "cerrado": "closed",
    # Portuguese (Brazil)
    "novo": "new", "aberto": "open", "pendente": "pending", "em espera": "hold", "resolvido": "solved",
    "fechado": "closed",
    # Italian
    "nuovo": "new", "aperto": "open", "in sospeso": "pending", "in attesa": "hold", "risolto": "solved",
    "chiuso": "closed",
    # Dutch
    "nieuw": "new", "in afwachting": "pending", "in de wacht": "hold", "opgelost": "solved",
    "gesloten": "closed",
}
#: A via type, or the label `{{ticket.via}}` renders for it (lower-cased, non-alphanumerics as "_"),
#: → the `via.channel` the REST API reports for tickets made that way ("Ticket created by" in
#: Zendesk's Via types reference). Events-API envelopes carry via types ("web_service" where REST
#: says "api"): they are mapped the same way, so one ticket counts under one channel in reports.
VIA_CHANNELS: Mapping[str, str] = {
    "web_form": "web", "web": "web", "mail": "email", "email": "email", "web_service": "api",
    "web_service_api": "api", "api": "api", "rule": "rule", "trigger_automation": "rule", "dropbox": "web",
    "feedback_tab": "web", "batch": "web", "closed_ticket": "web", "topic": "forum", "forum": "forum",
    "chat": "chat", "twitter": "twitter", "twitter_dm": "twitter", "twitter_favorite": "twitter",
    "twitter_like": "twitter", "x": "twitter", "x_dm": "twitter", "ticket_sharing": "api", "voicemail": "voice",
    "phone_call_inbound": "voice", "phone_call_incoming": "voice", "phone_call_outbound": "voice",
    "voice": "voice", "blog": "api", "facebook_post": "facebook", "facebook_message": "facebook",
    "facebook": "facebook", "import": "api", "github": "api",
}
#: Labels already logged as unknown (once per process, not once per delivery).
_UNMAPPED: set[tuple[str, str]] = set()
log = logging.getLogger(__name__)
#: Placeholder renderings that mean "no value".
EMPTY_TEXT = frozenset({"", "-"})
#: Zendesk ids are signed 64-bit; a larger number names nothing and would overflow a BIGINT column.
MAX_ID = 2**63 - 1
#: Longest enum-like word (channel) and status/ticket type we accept: the widths of the columns they
#: land in. Zendesk's own values are far shorter; anything longer is not from Zendesk.
MAX_WORD = 40
MAX_STATUS = 16
#: What no database stores as text: NUL (PostgreSQL refuses it) and lone UTF-16 surrogates
#: ("\ud800" in JSON, which cannot become UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

_ID_PATTERN = re.compile(r"-?[0-9]{1,20}")
#: What a label's slug replaces with "_" ("Web Form" -> "web_form").
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_TIME_PATTERN = re.compile(
    r"(?P<main>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)"
    r"(?:[.,](?P<fraction>\d+))?"
    r"(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
)


# --- value converters: raise ValueError; callers add the field name --------------------------


def to_id(value: object) -> int | None:
    """A Zendesk id from an int or digit string.

    None for null and "" (nothing rendered), for 0 (user events send "0" for "no group") and for
    negative numbers (Zendesk's system user is -1): none of them name a record we could fetch.
    """
    if type(value) is int and 0 < value <= MAX_ID:  # the usual case, first: ten ids per webhook
        return value
    if type(value) is str and value.isdigit() and value.isascii() and len(value) <= 20:  # envelopes' "8447388090494"
        number = int(value)
        if 0 < number <= MAX_ID:
            return number
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, bool):
        raise ValueError("expected an id, got a boolean")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ID_PATTERN.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise ValueError(f"expected an id, got {_describe(value)}")
    if number > MAX_ID:
        raise ValueError(f"expected an id, got a number past 64 bits: {_describe(value)}")
    return number if number > 0 else None


def to_time(value: object) -> datetime | None:
    """An aware UTC datetime from Zendesk's ISO-8601 text.

    Events-API times carry nanoseconds, which `datetime.fromisoformat` refuses: the fraction is
    cut to microseconds. ``{{ticket.updated_at_with_timestamp}}`` has no seconds ("2013-12-12T05:35Z").
    """
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO-8601 time, got {_describe(value)}")
    match = _TIME_PATTERN.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"expected an ISO-8601 time, got {value[:40]!r}")
    text = match["main"] + (f".{match['fraction'][:6]:0<6}" if match["fraction"] else "")
    moment = datetime.fromisoformat(text + _iso_offset(match["zone"]))
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # year 1 or 9999 pushed off the calendar by its offset
        raise ValueError(f"expected an ISO-8601 time, got {value[:40]!r} (out of range)") from None


def to_status(value: object) -> str | None:
    """Lower-case status ("SOLVED", "Solved" → "solved"); unknown words pass through lower-cased."""
    word = to_short_word(value)
    return STATUS_ALIASES.get(word, word) if word is not None else None


#: A rendered status label longer than this is cut (a custom status's name can be long; it is only kept
#: in extra.raw_status, never stored as a status).
MAX_LABEL = 80


def to_api_status(value: object) -> str | None:
    """A status or its display label as the API's value ("Gelöst" → "solved"); other labels lower-cased
    (and cut to MAX_LABEL): a custom status's name is not refused, it is only not a status."""
    text = to_text(value)
    if text is None or text.strip() in EMPTY_TEXT:
        return None
    word = " ".join(text.split()).lower()[:MAX_LABEL]
    word = STATUS_ALIASES.get(word, word)
    return STATUS_LABELS.get(word, word)


def to_via_channel(value: object) -> str | None:
    """A via type or `{{ticket.via}}` label as the API's channel ("Web Form" → "web", "Mail" → "email");
    a label we do not know is kept as its slug and logged once."""
    label = to_label(value)
    if label is None:
        return None
    channel = VIA_CHANNELS.get(label)
    if channel is None:
        note_unmapped("via", label, "kept as it is; reports list it as its own channel")
        return label
    return channel


def note_unmapped(kind: str, label: str, outcome: str) -> None:
    """Log a trigger label we cannot map, once per label and process."""
    if (kind, label) in _UNMAPPED:
        return
    _UNMAPPED.add((kind, label))
    log.warning("trigger webhook: %s label %r is not one we can map to Zendesk's API values; %s", kind, label,
                outcome)


def to_short_word(value: object) -> str | None:
    """`to_word` of at most MAX_STATUS characters (a status, a ticket type)."""
    word = to_word(value)
    if word is not None and len(word) > MAX_STATUS:
        raise ValueError(f"expected a word of at most {MAX_STATUS} characters, got {_describe(value)}")
    return word


def to_word(value: object) -> str | None:
    """A lower-case enum-like word (ticket type, channel); None for empty and "-"."""
    if type(value) is str and value.isascii() and value.isalnum() and len(value) <= MAX_WORD:  # "SOLVED"
        return value.lower()  # what the steps below make of it: nothing to strip, drop or refuse
    text = to_text(value)
    if text is None:
        return None
    text = text.strip()
    if text in EMPTY_TEXT:
        return None
    if len(text) > MAX_WORD:
        raise ValueError(f"expected a word of at most {MAX_WORD} characters, got {_describe(value)}")
    return text.lower()


def to_label(value: object) -> str | None:
    """A human label ("Web Form") as a slug ("web_form")."""
    word = to_word(value)
    if word is None:
        return None
    return _NON_SLUG.sub("_", word).strip("_") or None


def to_text(value: object) -> str | None:
    """A string as sent, but storable: NUL dropped, a lone surrogate replaced (U+FFFD); None for null and ""."""
    if type(value) is str and value.isascii() and "\x00" not in value:  # nearly all: storable as it is
        return value or None
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {_describe(value)}")
    return _storable_text(value) or None


def _storable_text(text: str) -> str:
    """`text` without NUL and lone surrogates; ASCII text without NUL (nearly all) as it is, unscanned."""
    if text.isascii() and "\x00" not in text:  # isascii is O(1) in CPython; surrogates are not ASCII
        return text
    return _UNSTORABLE.sub(_storable, text)


def _storable(match: re.Match[str]) -> str:
    return "" if match.group() == "\x00" else "\ufffd"


def to_bool(value: object) -> bool | None:
    """A JSON boolean, or its rendering as the text "true"/"false"."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"expected a boolean, got {_describe(value)}")


def to_tags(value: object) -> tuple[str, ...]:
    """Tags from a list or from ``{{ticket.tags}}``'s one space-separated string; order kept, no repeats."""
    if value is None:
        return ()
    if isinstance(value, str):
        words: Sequence[object] = value.split()
    elif isinstance(value, list):
        words = value
    else:
        raise ValueError(f"expected a list of tags or a space-separated string, got {_describe(value)}")
    if not all(isinstance(word, str) for word in words):
        raise ValueError("every tag must be a string")
    cleaned = (_storable_text(str(word)).strip() for word in words)
    return tuple(dict.fromkeys(word for word in cleaned if word))


def to_channel(value: object) -> str | None:
    """``via.channel`` of a REST ticket or an envelope's detail, as the REST API spells it (an
    envelope's "web_service" is REST's "api"; see VIA_CHANNELS)."""
    if value is None:
        return None
    if type(value) is not dict and not isinstance(value, Mapping):
        raise ValueError(f"expected an object with a channel, got {_describe(value)}")
    channel = value.get("channel")
    if type(channel) is str and channel in VIA_CHANNELS:  # "web_service": a key is its own slug (tests check)
        return VIA_CHANNELS[channel]
    word = to_word(channel)
    if word is None:
        return None
    return VIA_CHANNELS.get(_NON_SLUG.sub("_", word).strip("_"), word)


def _iso_offset(zone: str | None) -> str:
    """The UTC offset in the form fromisoformat takes; no zone means UTC (Zendesk times are UTC)."""
    if zone is None or zone in ("Z", "z"):
        return "+00:00"
    digits = zone[1:].replace(":", "")
    return f"{zone[0]}{digits[:2]}:{digits[2:4] or '00'}"


def _describe(value: object) -> str:
    """Short type-and-value text for an error message (never the whole value)."""
    return f"{type(value).__name__} {str(value)[:40]!r}"


# --- body and field access ------------------------------------------------------------------


def load_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or BadRequest saying why not."""
    if not body.strip():
        raise BadRequest("empty body")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("body is not valid UTF-8") from None
    try:
        if text.startswith("\ufeff"):  # as json.loads says it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        payload = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"body is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"body is not acceptable JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise BadRequest(f"body must be a JSON object, not {_json_kind(payload)}")
    return payload


def _refuse_constant(name: str) -> None:
    """NaN and Infinity are not JSON; Python's parser would take them."""
    raise ValueError(f"{name} is not a JSON value")


#: json.loads(text, parse_constant=_refuse_constant) without a new decoder (and scanner) per body.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def _json_kind(value: object) -> str:
    """JSON's name for a parsed value's type."""
    kinds = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return kinds.get(type(value), "null")


def field(source: Mapping[str, Any], key: str, convert: Callable[[Any], T], where: str) -> T:
    """`convert(source[key])`, turning a ValueError into a BadRequest that names the field."""
    try:
        return convert(source.get(key))
    except ValueError as exc:
        raise BadRequest(f"{where}.{key} is invalid: {exc}") from None


def member(source: Mapping[str, Any], key: str, where: str, required: bool = True) -> Mapping[str, Any]:
    """A nested JSON object; {} when optional and absent."""
    value = source.get(key)
    if type(value) is dict:  # what JSON gives, without the ABC check
        return value
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping):
        raise BadRequest(f"{where}.{key} must be an object")
    return value


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Header value whatever the mapping's case handling; None when absent or blank."""
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    if value is None:
        return None
    return value.strip() or None


# --- the Events-API envelope ----------------------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    """An Events-API body whose ticket id, time and dedupe key have been checked."""

    type: str
    ticket_id: int
    dedupe_key: str
    occurred_at: datetime
    account_id: int | None
    detail: Mapping[str, Any]
    event: Mapping[str, Any]


#: TicketEvent field ← (detail key, converter): the properties every ticket event's detail carries.
DETAIL_FIELDS: Mapping[str, tuple[str, Callable[[Any], Any]]] = {
    "status": ("status", to_status),
    "requester_id": ("requester_id", to_id),
    "assignee_id": ("assignee_id", to_id),
    "group_id": ("group_id", to_id),
    "brand_id": ("brand_id", to_id),
    "organization_id": ("organization_id", to_id),
    "channel": ("via", to_channel),
    "ticket_type": ("type", to_short_word),
    "subject": ("subject", to_text),
    "tags": ("tags", to_tags),
    "updated_at": ("updated_at", to_time),
    "actor_id": ("actor_id", to_id),
}


def read_envelope(headers: Mapping[str, str], payload: Mapping[str, Any], event_type: str) -> Envelope:
    """Check the parts every supported envelope needs."""
    detail = member(payload, "detail", "body")
    occurred_at = field(payload, "time", to_time, "body")
    if occurred_at is None:
        raise BadRequest("body.time is missing")
    return Envelope(
        type=event_type,
        ticket_id=ticket_id_of(payload, detail),
        dedupe_key=envelope_dedupe_key(headers, payload),
        occurred_at=occurred_at,
        account_id=field(payload, "account_id", to_id, "body"),
        detail=detail,
        event=member(payload, "event", "body", required=False),
    )


def ticket_id_of(payload: Mapping[str, Any], detail: Mapping[str, Any]) -> int:
    """The ticket id from ``detail.id``, cross-checked with ``subject`` ("zen:ticket:<id>")."""
    from_detail = field(detail, "id", to_id, "detail")
    from_subject = subject_ticket_id(payload.get("subject"))
    if from_detail and from_subject and from_detail != from_subject:
        raise BadRequest(f"detail.id {from_detail} and subject zen:ticket:{from_subject} disagree")
    ticket_id = from_detail or from_subject
    if ticket_id is None:
        raise BadRequest("no ticket id: detail.id and subject are both missing")
    return ticket_id


def subject_ticket_id(subject: object) -> int | None:
    """The id in a "zen:ticket:<id>" subject; None for other subjects."""
    if not (isinstance(subject, str) and subject.startswith(TICKET_SUBJECT_PREFIX)):
        return None
    try:
        return to_id(subject.removeprefix(TICKET_SUBJECT_PREFIX))
    except ValueError:
        raise BadRequest(f"body.subject {subject[:60]!r} does not name a ticket") from None


def envelope_dedupe_key(headers: Mapping[str, str], payload: Mapping[str, Any]) -> str:
    """The envelope's own event id; the invocation id header when an envelope lacks one."""
    event_id = field(payload, "id", to_text, "body")
    if event_id is not None and event_id.strip():
        return f"event:{event_id.strip()}"
    invocation = header(headers, INVOCATION_ID_HEADER)
    if invocation is None:
        raise BadRequest(f"no event id: body.id and the {INVOCATION_ID_HEADER} header are both missing")
    return f"invocation:{invocation}"


def detail_fields(envelope: Envelope) -> dict[str, Any]:
    """The TicketEvent fields every ticket envelope's detail gives (`DETAIL_FIELDS`, in that order), and
    the account id in ``extra``; each parser refines them and builds its event once (`ticket_event`)."""
    detail = envelope.detail
    fields: dict[str, Any] = {}
    try:  # `field` for each, inline: a dozen calls fewer per delivery
        for name, (key, to) in DETAIL_FIELDS.items():
            fields[name] = to(detail.get(key))
    except ValueError as exc:
        raise BadRequest(f"detail.{key} is invalid: {exc}") from None
    fields["extra"] = {"account_id": envelope.account_id} if envelope.account_id is not None else {}
    return fields


def ticket_event(envelope: Envelope, kind: str, fields: Mapping[str, Any]) -> TicketEvent:
    """The envelope's event of `kind` with `fields` (`detail_fields`, refined)."""
    return TicketEvent(kind=kind, ticket_id=envelope.ticket_id, dedupe_key=envelope.dedupe_key,
                       occurred_at=envelope.occurred_at, event_type=envelope.type, **fields)


def parse_status_changed(envelope: Envelope) -> TicketEvent:
    """Any status move: solve (→SOLVED), reopen (SOLVED→OPEN), close (→CLOSED, by automation)."""
    fields = detail_fields(envelope)
    status = field(envelope.event, "current", to_status, "event") or fields["status"]
    if status is None:
        raise BadRequest("status_changed without a status: event.current and detail.status are missing")
    fields["status"] = status
    fields["previous_status"] = field(envelope.event, "previous", to_status, "event")
    return ticket_event(envelope, "status_changed", fields)


def parse_created(envelope: Envelope) -> TicketEvent:
    """A new ticket; its status is detail.status (usually NEW or OPEN). ``extra["description"]`` is
    detail.description, the customer's opening message (Zendesk: the first comment's text), which
    may arrive only here."""
    fields = detail_fields(envelope)
    description = field(envelope.detail, "description", to_text, "detail")
    if description:
        fields["extra"] = {**fields["extra"], "description": description}
    return ticket_event(envelope, "created", fields)


def parse_comment_added(envelope: Envelope) -> TicketEvent:
    """A comment; ``extra`` carries body, is_public, author_id, author_is_staff and comment_id."""
    fields = detail_fields(envelope)
    comment = member(envelope.event, "comment", "event")
    author = member(comment, "author", "event.comment", required=False)
    fields["extra"] = {
        **fields["extra"],
        "comment_id": field(comment, "id", to_id, "event.comment"),
        "body": field(comment, "body", to_text, "event.comment") or "",
        "is_public": field(comment, "is_public", to_bool, "event.comment"),
        "author_id": field(author, "id", to_id, "event.comment.author"),
        "author_is_staff": field(author, "is_staff", to_bool, "event.comment.author"),
    }
    return ticket_event(envelope, "comment_added", fields)


def parse_tags_changed(envelope: Envelope) -> TicketEvent:
    """Tags added/removed (``extra["added"]``/``["removed"]``); ``tags`` is the full set after.

    Accepts ``tags_added``/``tags_removed`` lists and the ``added.tags``/``removed.tags`` nesting
    Zendesk uses for user tag events.
    """
    fields = detail_fields(envelope)
    added = changed_tags(envelope.event, "added")
    removed = changed_tags(envelope.event, "removed")
    fields["extra"] = {**fields["extra"], "added": added, "removed": removed}
    return ticket_event(envelope, "tags_changed", fields)


def changed_tags(event: Mapping[str, Any], change: str) -> tuple[str, ...]:
    """``event.tags_<change>``, or ``event.<change>.tags``."""
    flat = f"tags_{change}"
    if flat in event:
        return field(event, flat, to_tags, "event")
    return field(member(event, change, "event", required=False), "tags", to_tags, f"event.{change}")


def parse_agent_assignment_changed(envelope: Envelope) -> TicketEvent:
    """Reassignment; ``assignee_id`` is the new agent, ``extra["previous_assignee_id"]`` the old one."""
    fields = detail_fields(envelope)
    if "current" in envelope.event:  # "current": null means the ticket was unassigned
        fields["assignee_id"] = field(envelope.event, "current", to_id, "event")
    fields["extra"] = {**fields["extra"], "previous_assignee_id": field(envelope.event, "previous", to_id, "event")}
    return ticket_event(envelope, "assignee_changed", fields)


EVENT_PARSERS: dict[str, Callable[[Envelope], TicketEvent]] = {
    "zen:event-type:ticket.status_changed": parse_status_changed,
    "zen:event-type:ticket.created": parse_created,
    "zen:event-type:ticket.comment_added": parse_comment_added,
    "zen:event-type:ticket.tags_changed": parse_tags_changed,
    "zen:event-type:ticket.agent_assignment_changed": parse_agent_assignment_changed,
}
SUPPORTED_EVENTS = frozenset(EVENT_PARSERS)

#: Real events we know and deliberately drop (answered 200, no effect, not logged as unsupported).
#: Ticket deletion, merge and spam are left out on purpose: they stay "unsupported" so they show in
#: the logs until we decide what they should do to a pending survey.
IGNORED_EVENTS = frozenset(
    {
        # users and organizations: not ticket activity
        "zen:event-type:user.active_changed", "zen:event-type:user.alias_changed",
        "zen:event-type:user.created", "zen:event-type:user.custom_field_changed",
        "zen:event-type:user.custom_role_changed", "zen:event-type:user.default_group_changed",
        "zen:event-type:user.deleted", "zen:event-type:user.details_changed",
        "zen:event-type:user.external_id_changed", "zen:event-type:user.group_membership_created",
        "zen:event-type:user.group_membership_deleted", "zen:event-type:user.identity_changed",
        "zen:event-type:user.identity_created", "zen:event-type:user.identity_deleted",
        "zen:event-type:user.last_login_changed", "zen:event-type:user.merged",
        "zen:event-type:user.name_changed", "zen:event-type:user.notes_changed",
        "zen:event-type:user.only_private_comments_changed",
        "zen:event-type:user.organization_membership_created",
        "zen:event-type:user.organization_membership_deleted", "zen:event-type:user.password_changed",
        "zen:event-type:user.photo_changed", "zen:event-type:user.role_changed",
        "zen:event-type:user.suspended_changed", "zen:event-type:user.tags_changed",
        "zen:event-type:user.time_zone_changed",
        "zen:event-type:organization.created", "zen:event-type:organization.custom_field_changed",
        "zen:event-type:organization.deleted", "zen:event-type:organization.external_id_changed",
        "zen:event-type:organization.name_changed", "zen:event-type:organization.tags_changed",
        # ticket changes that neither start nor stop a survey
        "zen:event-type:ticket.attachment_linked_to_comment",
        "zen:event-type:ticket.attachment_redacted_from_comment", "zen:event-type:ticket.brand_changed",
        "zen:event-type:ticket.comment_made_private", "zen:event-type:ticket.comment_redacted",
        "zen:event-type:ticket.custom_field_changed", "zen:event-type:ticket.custom_status_changed",
        "zen:event-type:ticket.description_changed", "zen:event-type:ticket.external_id_changed",
        "zen:event-type:ticket.email_ccs_changed", "zen:event-type:ticket.followers_changed",
        "zen:event-type:ticket.form_changed", "zen:event-type:ticket.group_assignment_changed",
        "zen:event-type:ticket.organization_changed", "zen:event-type:ticket.priority_changed",
        "zen:event-type:ticket.problem_link_changed", "zen:event-type:ticket.requester_changed",
        "zen:event-type:ticket.subject_changed", "zen:event-type:ticket.submitter_changed",
        "zen:event-type:ticket.task_due_at_changed", "zen:event-type:ticket.type_changed",
    }
)


def parse_envelope(headers: Mapping[str, str], payload: Mapping[str, Any]) -> TicketEvent | None:
    """Route an Events-API envelope through `EVENT_PARSERS`."""
    event_type = field(payload, "type", to_text, "body")
    if event_type is None:
        raise BadRequest("body.type is empty")
    if event_type in IGNORED_EVENTS:
        return None
    parser = EVENT_PARSERS.get(event_type)
    if parser is None:
        raise UnsupportedEvent(event_type)
    return parser(read_envelope(headers, payload, event_type))


# --- the trigger body -----------------------------------------------------------------------

#: Trigger body "event" → TicketEvent.kind.
TRIGGER_KINDS: Mapping[str, str] = {"status_changed": "status_changed", "tag_added": "tags_changed",
                                    "satisfaction_changed": "satisfaction_changed"}
#: The satisfaction trigger's extra placeholder (issue 23): `{{satisfaction.current_rating}}` renders the
#: rating's label (e.g. "Good, I'm satisfied"), a hint kept in `extra["satisfaction"]`. The rating itself
#: (score, comment, reason) is read through the API (native.py): a comment in the body could break its JSON.
SATISFACTION_PLACEHOLDER = "{{satisfaction.current_rating}}"
MAX_HINT = 80

#: The placeholder part of every trigger body (see the module docstring). Only ids and enum-like
#: placeholders: they render without quotes or newlines, so the body stays valid JSON.
TRIGGER_PLACEHOLDERS: Mapping[str, str] = {
    "ticket_id": "{{ticket.id}}",
    "status": "{{ticket.status}}",
    "requester_id": "{{ticket.requester.id}}",
    "assignee_id": "{{ticket.assignee.id}}",
    "group_id": "{{ticket.group.id}}",
    "ticket_type": "{{ticket.ticket_type}}",
    "via": "{{ticket.via}}",
    "tags": "{{ticket.tags}}",
    "updated_at": "{{ticket.updated_at_with_timestamp}}",
    "current_user_id": "{{current_user.id}}",
}

#: TicketEvent field ← (body key, converter) for a trigger body.
TRIGGER_FIELDS: Mapping[str, tuple[str, Callable[[Any], Any]]] = {
    "previous_status": ("previous_status", to_api_status),
    "requester_id": ("requester_id", to_id),
    "assignee_id": ("assignee_id", to_id),
    "group_id": ("group_id", to_id),
    "ticket_type": ("ticket_type", to_short_word),
    "channel": ("via", to_via_channel),
    "tags": ("tags", to_tags),
    "updated_at": ("updated_at", to_time),
    "actor_id": ("current_user_id", to_id),
}


def trigger_body(event: str, *, previous_status: str | None = None, added_tags: Sequence[str] = (),
                 status: str | None = None) -> str:
    """The JSON body, with placeholders, that an installed trigger sends for `event`.

    `status` replaces the ``{{ticket.status}}`` label with a literal API value, for a trigger whose
    conditions fix the status (the solved trigger): a label may be localised or a custom status.
    """
    if event not in TRIGGER_KINDS:
        raise ValueError(f"unknown trigger event {event!r}; expected one of {sorted(TRIGGER_KINDS)}")
    if status is not None and status not in STATUSES:
        raise ValueError(f"status {status!r} is not one of Zendesk's statuses")
    body: dict[str, str] = {"event": event, **TRIGGER_PLACEHOLDERS}
    if status is not None:
        body["status"] = status
    if previous_status is not None:
        body["previous_status"] = previous_status
    if added_tags:
        body["added_tags"] = " ".join(added_tags)
    if event == "satisfaction_changed":
        body["satisfaction"] = SATISFACTION_PLACEHOLDER
    return json.dumps(body, indent=2)


def parse_trigger_body(headers: Mapping[str, str], payload: Mapping[str, Any]) -> TicketEvent:
    """A body our installed triggers send (see the module docstring)."""
    name = field(payload, "event", to_word, "body")
    if name is None:
        raise BadRequest("body.event is missing: a trigger body names its event")
    kind = TRIGGER_KINDS.get(name)
    if kind is None:
        raise UnsupportedEvent(TRIGGER_EVENT_TYPE.format(event=name))
    ticket_id = field(payload, "ticket_id", to_id, "body")
    if ticket_id is None:
        raise BadRequest("body.ticket_id is missing")
    fields = {name: field(payload, key, to, "body") for name, (key, to) in TRIGGER_FIELDS.items()}
    raw_status = field(payload, "status", to_api_status, "body")
    status = trigger_status(raw_status, fields["previous_status"])
    return TicketEvent(
        kind=kind,
        ticket_id=ticket_id,
        dedupe_key=trigger_dedupe_key(headers, name, ticket_id, status or raw_status, fields["updated_at"]),
        occurred_at=fields["updated_at"] or sent_at(headers),
        event_type=TRIGGER_EVENT_TYPE.format(event=name),
        status=status,
        extra=trigger_extra(payload, raw_status, status),
        **fields,
    )


def trigger_status(label: str | None, previous: str | None) -> str | None:
    """The API status of a rendered `{{ticket.status}}`; for a label we cannot map, "open" when the
    body says the ticket left solved (our reopen trigger: any status but closed counts as a reopen),
    else none. Either way the label is logged once."""
    if label is None or label in STATUSES:
        return label
    if previous == "solved":
        note_unmapped("status", label, "kept as a reopen ('open'): the ticket left solved for a status other "
                      "than closed")
        return "open"
    note_unmapped("status", label, "the event is kept without a status (its label is in extra.raw_status); "
                  "map it in STATUS_LABELS or use a trigger body with a literal status")
    return None


def trigger_extra(payload: Mapping[str, Any], raw_status: str | None, status: str | None) -> dict[str, Any]:
    """Tag changes, and the status text when it was not a status we know (e.g. a localised label)."""
    extra: dict[str, Any] = {}
    if "added_tags" in payload:
        extra["added"] = field(payload, "added_tags", to_tags, "body")
        extra["removed"] = ()
    if raw_status is not None and status != raw_status:
        extra["raw_status"] = raw_status
    if "satisfaction" in payload:
        hint = payload.get("satisfaction")
        extra["satisfaction"] = hint[:MAX_HINT] if isinstance(hint, str) else None
    return extra


def trigger_dedupe_key(
    headers: Mapping[str, str], event: str, ticket_id: int, status: str | None, updated_at: datetime | None
) -> str:
    """Invocation id header, else a content key.

    The content key includes the event name: one agent update can fire a "solved" and a
    "tag added" trigger with the same ticket, status and updated_at.
    """
    invocation = header(headers, INVOCATION_ID_HEADER)
    if invocation is not None:
        return f"invocation:{invocation}"
    if updated_at is None:
        raise BadRequest(f"no dedupe key: body.updated_at is empty and {INVOCATION_ID_HEADER} is missing")
    content = "|".join((event, str(ticket_id), status or "", updated_at.isoformat()))
    return "content:" + hashlib.sha256(content.encode("utf-8")).hexdigest()


def sent_at(headers: Mapping[str, str]) -> datetime:
    """When Zendesk sent the request (signature timestamp), else now."""
    try:
        stamp = to_time(header(headers, TIMESTAMP_HEADER))
    except ValueError:
        stamp = None
    return stamp or datetime.now(timezone.utc)


# --- entry point ----------------------------------------------------------------------------


def parse(headers: Mapping[str, str], body: bytes) -> TicketEvent | None:
    """The event in a (verified) webhook body; None for a deliberately ignored one.

    Raises UnsupportedEvent for an event type we do not know, BadRequest for anything malformed.
    """
    payload = load_object(body)
    if "type" in payload:
        return parse_envelope(headers, payload)
    if "ticket_id" in payload:
        return parse_trigger_body(headers, payload)
    raise BadRequest("body is neither an event envelope (no 'type') nor a trigger body (no 'ticket_id')")
