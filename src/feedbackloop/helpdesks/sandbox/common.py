"""What every part of the sandbox Zendesk's state shares: ids, limits, the configuration, request
records, refusals and the field rules of a ticket change (state.py holds the state itself)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from feedbackloop.helpdesks.sandbox.shapes import (
    JSON,
    iso,
    record_invalid,
)

BRAND_ID = 9900000000001
TICKET_FORM_ID = 9900000000101
ID_STARTS = {"ticket": 1, "user": 9100000000001, "group": 9200000000001, "event": 9300000000001,
             "resource": 9400000000001, "satisfaction": 9500000000001}
MAX_BULK = 100
EXPORT_PER_PAGE = 1000
#: Fields a ticket update may set directly (tags, custom fields and the comment are handled apart).
SCALAR_FIELDS = ("subject", "status", "priority", "type", "requester_id", "assignee_id", "group_id",
                 "organization_id", "brand_id", "due_at", "external_id", "problem_id", "ticket_form_id")
ID_FIELDS = frozenset({"requester_id", "assignee_id", "group_id", "organization_id", "brand_id",
                       "problem_id", "ticket_form_id"})
#: A comment's `metadata.system` when it was not made through the API (a simulated agent or customer).
UI_CLIENT: JSON = {"client": "Mozilla/5.0 (sandbox; a simulated person in the Zendesk UI)", "ip_address": "127.0.0.1"}
#: The Update Ticket limit of trial and sandbox accounts (header `total=20`, recorded).
TRIAL_TICKET_UPDATE_LIMIT = 20
#: 403 for an endpoint the caller's role may not use (agents on admin-only endpoints). Zendesk's exact
#: wording here is unverified; the status is what matters (access.py, doctor).
FORBIDDEN: JSON = {"error": "Forbidden",
                   "description": "You do not have access to this page. Please contact the account owner of this "
                                  "help desk for further help."}
#: 429 from the Update Ticket endpoint's own limit (wording unverified).
TICKET_UPDATE_LIMITED: JSON = {"error": "APIRateLimitExceeded",
                               "description": "Number of allowed ticket update API requests per minute exceeded"}
#: 429 when the account's background-job queue is full (wording unverified).
TOO_MANY_JOBS: JSON = {"error": "TooManyJobs",
                       "description": "Number of allowed queued or running background jobs exceeded"}
#: The result of a bulk-job ticket changed after the job was queued (wording unverified).
JOB_CONFLICT = "The ticket was updated after this job was queued"
#: Ticket property → the Events-API event its change raises.
NOTICE_FIELDS = {"status": "status_changed", "assignee_id": "agent_assignment_changed",
                 "group_id": "group_assignment_changed", "priority": "priority_changed",
                 "subject": "subject_changed", "type": "type_changed"}
UPPER_FIELDS = frozenset({"status", "priority", "type"})
CHANNEL_ALIASES = {"messaging": "native_messaging", "web_form": "web", "mail": "email"}


class ApiError(Exception):
    """An answer other than success, in Zendesk's words (status, JSON body, extra headers)."""

    def __init__(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(f"HTTP {status}: {body}")
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class SandboxConfig:
    """Credentials and limits of the sandbox account; `SandboxState.configure` changes them live."""

    email: str = "sandbox-api@example.com"
    api_token: str = "sandbox-api-token"
    subdomain: str = "sandbox"
    account_id: int = 10000001
    rate_limit: int = 700  # account requests per minute (Enterprise; Team plans get 200)
    export_rate_limit: int = 10  # incremental export requests per minute
    ticket_update_limit: int = 30  # updates per ticket per user ...
    ticket_update_window: float = 600.0  # ... per 10 minutes
    # Zendesk's Update Ticket limit, per account, shared with the agents' updates in the UI: 100 a
    # minute (300 with the High Volume add-on); trial and sandbox accounts get 20 (`trial`).
    ticket_update_rate_limit: int = 100
    trial: bool = False
    webhooks_rate_limit: int = 100  # the webhooks API's own requests per minute (x-rate-limit: 100, recorded)
    job_queue_limit: int = 30  # background jobs queued or running at once per account
    agent_api_token: str | None = None  # when set, the seeded agent (Sam) may call the API with it
    export_lag: float = 60.0  # the export leaves out the last minute and refuses a start_time in it
    job_settle_seconds: float = 2.0  # an unpolled bulk job completes on its own after this long


@dataclass(frozen=True)
class RequestRecord:
    """One API request as the sandbox saw it: for tests to count and inspect calls."""

    method: str
    path: str
    query: Mapping[str, str]
    body: Any
    status: int  # 0: the connection was dropped on purpose
    at: datetime
    fault: str | None = None

    def to_json(self) -> JSON:
        """The record as /__sandbox/requests reports it."""
        return {"method": self.method, "path": self.path, "query": dict(self.query), "body": self.body,
                "status": self.status, "at": iso(self.at), "fault": self.fault}


@dataclass(frozen=True)
class Refusal:
    """A 429: the body and the Retry-After seconds."""

    body: JSON
    retry_after: int


@dataclass
class _Change:
    """What one update did: audit events for the answer, notices for webhooks."""

    events: list[JSON] = field(default_factory=list)
    notices: list[tuple[str, JSON]] = field(default_factory=list)
    comment: JSON | None = None

    @property
    def changed(self) -> bool:
        """Whether the update changed anything besides adding a comment."""
        return bool(self.events)


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def _notice_value(name: str, value: Any) -> Any:
    """Event payload values are upper-case enums and string ids, like ``detail``."""
    if name in UPPER_FIELDS:
        return _upper(value)
    return str(value) if name in ID_FIELDS and value is not None else value


def _audit_value(name: str, value: Any) -> Any:
    """An audit event's value: ids as strings, as recorded ("value": "6130907993114" for requester_id)."""
    if name in ID_FIELDS and value is not None:
        return str(value)
    return copy.deepcopy(value)


def _truthy(value: Any) -> bool:
    """``safe_update`` arrives as true or "true"."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _as_id(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise ApiError(422, record_invalid(name, f"{name}: is not a valid id"))
    return int(value)


def _custom_pairs(value: Any) -> list[tuple[int, Any]]:
    """``custom_fields`` as [{"id", "value"}] or {id: value}."""
    if value is None:
        return []
    items = value.items() if isinstance(value, Mapping) else (
        (item.get("id"), item.get("value")) for item in value if isinstance(item, Mapping))
    pairs = []
    for field_id, field_value in items:
        number = _as_id("custom_fields", field_id)
        if number is None:
            raise ApiError(422, record_invalid("custom_fields", "custom_fields: every entry needs an id"))
        pairs.append((number, field_value))
    return pairs


def payload_object(payload: Any, key: str) -> Mapping[str, Any]:
    """The `key` object of a request body, or Zendesk's 400 for a body without one."""
    data = payload.get(key) if isinstance(payload, Mapping) else None
    if not isinstance(data, Mapping):
        raise ApiError(400, {"error": "InvalidParameter", "description": f"Request body must contain a {key!r} object"})
    return data
