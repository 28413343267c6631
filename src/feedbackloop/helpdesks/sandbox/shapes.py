"""Zendesk's documented JSON shapes and error bodies, as the sandbox writes them.

Everything here is pure: builders take plain values and return the dicts Zendesk would put on
the wire. Sources: developer.zendesk.com API reference (Tickets, Ticket Comments, Users, Groups,
Ticket Fields, Triggers, Views, Macros, Job Statuses, Webhooks) and the recorded exchanges quoted
in /work/shared/zendesk-notes.md. Where a body is not documented the choice is marked
"unverified" so nobody mistakes it for Zendesk's word.
"""

from __future__ import annotations

import base64
import html
import os
import re
import secrets
import time
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Any

JSON = dict[str, Any]

#: Ticket statuses in Zendesk's order (search's ``status<solved`` compares by this order).
STATUS_ORDER = ("new", "open", "pending", "hold", "solved", "closed")
PRIORITIES = ("low", "normal", "high", "urgent")
TICKET_TYPES = ("problem", "incident", "question", "task")
#: Zendesk's built-in custom statuses, one per status category (ids are the sandbox's own).
CUSTOM_STATUS_IDS = {status: 9000 + index for index, status in enumerate(STATUS_ORDER, start=1)}
API_VIA: JSON = {"channel": "api", "source": {"from": {}, "to": {}, "rel": None}}

# --- error bodies ---------------------------------------------------------------------------

#: 404 for a missing record [cassette].
NOT_FOUND: JSON = {"error": "RecordNotFound", "description": "Not found"}
#: 404 for a path Zendesk does not serve.
INVALID_ENDPOINT: JSON = {"error": "InvalidEndpoint", "description": "Not found"}
#: 401 for missing or wrong credentials.
AUTH_FAILED: JSON = {"error": "Couldn't authenticate you"}
#: 409 from safe_update when updated_stamp is stale (Tickets API, "Protecting against ticket
#: update collisions"; tests/fixtures/zendesk/api/409_update_conflict.json).
UPDATE_CONFLICT: JSON = {
    "error": "UpdateConflict",
    "description": "Safe Update prevented the update due to outdated ticket data. "
                   "Please fetch the latest ticket data and try again.",
}
#: 429 once the account's per-minute budget is spent.
RATE_LIMITED: JSON = {"error": "APIRateLimitExceeded", "description": "Number of allowed API requests per minute exceeded"}
#: 429 from the incremental exports' own 10-a-minute limit (body as seen in a real log).
EXPORT_RATE_LIMITED: JSON = {
    "error": "APIRateLimitExceeded",
    "description": "Number of allowed incremental export API requests per minute exceeded",
}
#: 429 from the per-ticket update limit (wording unverified).
TICKET_UPDATES_LIMITED: JSON = {
    "error": "TooManyRequests",
    "description": "Rate limit for ticket updates exceeded, please wait before updating this ticket again",
}
CLOSED_TICKET_REASON = "Status: closed prevents ticket update"


def endpoint_limit_header(allowance: Any) -> str:
    """An endpoint's own limit as Zendesk writes it: ``total=20; remaining=19; resets=59`` (recorded)."""
    return f"total={allowance.limit}; remaining={allowance.remaining}; resets={allowance.resets_in}"


def record_invalid(field: str, description: str) -> JSON:
    """Zendesk's 422 body: ``RecordInvalid`` with per-field details."""
    return {
        "error": "RecordInvalid",
        "description": "Record validation errors",
        "details": {field: [{"description": description}]},
    }


def closed_ticket() -> JSON:
    """422 for any update to a closed ticket (tests/fixtures/zendesk/api/422_closed_ticket.json)."""
    return record_invalid("status", CLOSED_TICKET_REASON)


def webhook_error(code: str, title: str, detail: str) -> JSON:
    """The newer APIs' error list (webhooks); the exact codes are unverified."""
    return {"errors": [{"code": code, "title": title, "detail": detail}]}


def gateway_page(status: int) -> str:
    """5xx from Zendesk's edge comes as an HTML page, not JSON."""
    reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
              504: "Gateway Timeout"}.get(status, "Error")
    return f"<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1></body></html>"


# --- times and ids --------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    """Zendesk's REST time: ISO-8601 UTC with a Z, to the second."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    """An aware UTC datetime from ISO-8601 text (a bare date means midnight UTC)."""
    text = value.strip().replace("z", "Z")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        text += "T00:00:00Z"
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def event_time(moment: datetime) -> str:
    """The Events-API ``time``: nanosecond precision (the last three digits are filler)."""
    utc = moment.astimezone(timezone.utc)
    nanos = utc.microsecond * 1000 + time.time_ns() % 1000
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{nanos:09d}Z"


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid() -> str:
    """A ULID, the form of webhook and invocation ids (``01HAN96XNH1J7DY8D7RZ22QMT9``)."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def new_signing_secret() -> str:
    """A webhook signing secret in Zendesk's form: base64 of 32 random bytes."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def job_id() -> str:
    """A job status id in the form seen in real answers (``V3-47ed1567...``)."""
    return "V3-" + uuid.uuid4().hex


# --- comment bodies -------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, turning block ends into newlines."""

    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        """Keep text as it comes."""
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A <br> is a line break."""
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """A block ends with a paragraph or line break."""
        if tag in self.BLOCKS and tag != "br":
            self.parts.append("\n\n" if tag in ("p", "div") else "\n")


def text_from_html(markup: str) -> str:
    """Plain text of an ``html_body``, as Zendesk derives ``body`` from it."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    text = "".join(extractor.parts)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_from_text(text: str) -> str:
    """``html_body`` for a plain ``body``: Zendesk's zd-comment wrapper, one <p> per paragraph."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p] or [""]
    inner = "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return f'<div class="zd-comment" dir="auto">{inner}</div>'


# --- records --------------------------------------------------------------------------------


def comment_json(comment_id: int, author_id: int, body: str | None, html_body: str | None, public: bool,
                 created_at: str, via: Mapping[str, Any], audit_id: int,
                 system: Mapping[str, Any] | None = None) -> JSON:
    """A ticket comment; ``body``/``html_body``/``plain_body`` are derived from whichever was sent.

    Its parameters are the fields of Zendesk's comment object, one each.
    """
    text = body if body is not None else text_from_html(html_body or "")
    markup = html_body if html_body is not None else html_from_text(text)
    return {
        "id": comment_id,
        "type": "Comment",
        "author_id": author_id,
        "body": text,
        "html_body": markup,
        "plain_body": text_from_html(markup),
        "public": public,
        "attachments": [],
        "audit_id": audit_id,
        "via": dict(via),
        "created_at": created_at,
        "metadata": {"system": dict(system or {}), "custom": {}},
    }


def user_json(user_id: int, name: str, email: str | None, role: str, created_at: str,
              default_group_id: int | None = None, organization_id: int | None = None) -> JSON:
    """A user with every documented property (see tests/fixtures/zendesk/api/user_show.json).

    Its parameters are the fields of Zendesk's user object, one each.
    """
    agent = role in ("agent", "admin")
    return {
        "id": user_id, "name": name, "email": email, "created_at": created_at, "updated_at": created_at,
        "time_zone": "UTC", "iana_time_zone": "Etc/UTC", "phone": None, "shared_phone_number": None,
        "photo": None, "locale_id": 1, "locale": "en-US", "organization_id": organization_id,
        "role": role, "verified": True, "external_id": None, "tags": [], "alias": "", "active": True,
        "shared": False, "shared_agent": False, "last_login_at": None, "two_factor_auth_enabled": None,
        "signature": None, "details": "", "notes": "", "role_type": None, "custom_role_id": None,
        "moderator": agent, "ticket_restriction": None if agent else "requested",
        "only_private_comments": False, "restricted_agent": not agent, "suspended": False,
        "default_group_id": default_group_id if agent else None, "report_csv": agent, "user_fields": {},
    }


def job_status_json(job: Mapping[str, Any], base: str) -> JSON:
    """A job status: queued/working carry no results, completed carries one per ticket."""
    return {
        "id": job["id"],
        "url": f"{base}/api/v2/job_statuses/{job['id']}.json",
        "job_type": job["job_type"],
        "total": job["total"],
        "progress": job["progress"],
        "status": job["status"],
        "message": job["message"],
        "results": job["results"],
    }


def signing_secret_json(secret: str) -> JSON:
    """``GET|POST /webhooks/{id}/signing_secret`` [cassette]."""
    return {"signing_secret": {"secret": secret, "algorithm": "SHA256"}}


def offset_page(key: str, items: list[JSON], count: int, next_page: str | None = None,
                previous_page: str | None = None) -> JSON:
    """Offset pagination: ``next_page``/``previous_page`` URLs and a ``count``."""
    return {key: items, "next_page": next_page, "previous_page": previous_page, "count": count}


def cursor_page(key: str, items: list[JSON], has_more: bool, after: str | None, before: str | None,
                next_url: str | None, prev_url: str | None) -> JSON:
    """Cursor pagination: ``meta`` (has_more, cursors) and ``links`` (next, prev).

    Its parameters are the parts of Zendesk's cursor-paginated answer.
    """
    return {
        key: items,
        "meta": {"has_more": has_more, "after_cursor": after, "before_cursor": before},
        "links": {"next": next_url, "prev": prev_url},
    }


def encode_cursor(text: str) -> str:
    """Opaque cursor text, base64 like Zendesk's (``MTU3NjYxMzUzOS4wfHw0Njd8``)."""
    return base64.urlsafe_b64encode(text.encode()).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The text inside a cursor; ValueError if it is not one of ours."""
    try:
        return base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeError) as exc:
        raise ValueError(f"not a cursor: {cursor[:40]!r}") from exc


def tag_list(value: object) -> list[str]:
    """Tags from a list or a space-separated string; a tag with spaces becomes several, as in Zendesk."""
    if value is None:
        return []
    words = [value] if isinstance(value, str) else value
    if not isinstance(words, (list, tuple)) or not all(isinstance(word, str) for word in words):
        raise ValueError("tags must be a list of strings or a space-separated string")
    result: list[str] = []
    for word in words:
        for tag in word.split():
            if tag not in result:
                result.append(tag)
    return result
