"""The sandbox Zendesk's memory: tickets, comments, users, admin records, webhooks, jobs, logs.

One lock (`SandboxState._lock`, re-entrant) guards everything; public methods take it, private
ones (leading underscore) expect it held. Every answer is a deep copy, so callers can never see
a record change under them.

``updated_at`` is written like Zendesk's, to the second (``2024-05-01T10:00:00Z``). Two changes
to one ticket within the same second would then carry the same stamp, and ``safe_update`` could
not tell them apart, so a change that would reuse the previous stamp gets the previous stamp plus
one second instead. Stamps therefore stay unique and increasing per ticket; under a burst of
updates they may run a few seconds ahead of the clock (``generated_timestamp`` follows them).

The clock is the wall clock plus an offset that `advance` moves, so tests can age records (for
example past the incremental export's one-minute horizon) without sleeping.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import hmac
import itertools
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from feedbackloop.helpdesks.sandbox import satisfaction as native
from feedbackloop.helpdesks.sandbox import search as search_syntax
from feedbackloop.helpdesks.sandbox.deliver import (
    TICKET_EVENT,
    Deliverer,
    DeliveryRecord,
    Target,
    ticket_envelope,
)
from feedbackloop.helpdesks.sandbox.limits import Allowance, Fault, FaultList, KeyedWindow, WindowBudget
from feedbackloop.helpdesks.sandbox.paging import paginate
from feedbackloop.helpdesks.sandbox.resources import (
    CONDITIONAL_SUBSCRIPTION,
    RESOURCE_KINDS,
    Invalid,
    normalise_webhook,
    public_webhook,
)
from feedbackloop.helpdesks.sandbox.shapes import (
    API_VIA,
    CUSTOM_STATUS_IDS,
    EXPORT_RATE_LIMITED,
    JSON,
    NOT_FOUND,
    PRIORITIES,
    RATE_LIMITED,
    STATUS_ORDER,
    TICKET_TYPES,
    UPDATE_CONFLICT,
    closed_ticket,
    comment_json,
    decode_cursor,
    encode_cursor,
    iso,
    job_id,
    job_status_json,
    new_signing_secret,
    parse_iso,
    record_invalid,
    signing_secret_json,
    tag_list,
    ulid,
    user_json,
    webhook_error,
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


class SandboxState:
    """Everything the sandbox Zendesk knows, behind one lock."""

    def __init__(self, config: SandboxConfig | None = None, **overrides: Any) -> None:
        self._defaults = replace(config or SandboxConfig(), **overrides)
        self._lock = threading.RLock()
        self.base_url = f"https://{self._defaults.subdomain}.zendesk.com"
        self.deliverer = Deliverer(account_id=self._defaults.account_id, clock=self.now)
        self._offset = timedelta(0)
        self._reset_locked()

    # --- lifecycle, clock, configuration -------------------------------------------------

    def _reset_locked(self) -> None:
        self.config = self._defaults
        self._counters = {kind: itertools.count(start) for kind, start in ID_STARTS.items()}
        self._tickets: dict[int, JSON] = {}
        self._comments: dict[int, list[JSON]] = {}
        self._audits: dict[int, list[JSON]] = {}
        self._users: dict[int, JSON] = {}
        self._user_ids_by_email: dict[str, int] = {}
        self._resources: dict[str, dict[int, JSON]] = {kind: {} for kind in RESOURCE_KINDS}
        self._webhooks: dict[str, JSON] = {}
        self._satisfaction: dict[int, JSON] = {}  # ticket id → its native rating (satisfaction.py)
        self._secrets: dict[str, str] = {}
        self._target_id: str | None = None
        self._jobs: dict[str, JSON] = {}
        self._log: list[RequestRecord] = []
        self._refusals: list[tuple[datetime, int]] = []
        self._update_refusals: list[tuple[datetime, int]] = []
        self._agent_updates = 0
        self._foreign = {"allowed": 0, "refused": 0}
        self._faults = FaultList()
        self._fault_ids = itertools.count(1)
        self._offset = timedelta(0)
        self._build_limits()
        self._seed()
        self._foreign_updates = {"allowed": 0}

    def reset(self) -> None:
        """Back to a fresh account (seed users and group), defaults restored, logs and queue emptied."""
        with self._lock:
            self.deliverer.reset()
            self._reset_locked()

    def close(self) -> None:
        """Stop the delivery thread."""
        self.deliverer.close()

    def configure(self, *, persist: bool = False, **changes: Any) -> SandboxConfig:
        """Change limits or credentials live (e.g. rate_limit=200, export_lag=0).

        With `persist`, `reset` keeps the change too (it otherwise restores the defaults).
        """
        with self._lock:
            self.config = replace(self.config, **changes)
            if persist:
                self._defaults = replace(self._defaults, **changes)
            if "email" in changes:
                api_user = self._users[self.api_user_id]
                old = (api_user["email"] or "").lower()
                if self._user_ids_by_email.get(old) == self.api_user_id:
                    del self._user_ids_by_email[old]
                api_user["email"] = self.config.email
                self._index_email(self.api_user_id)
            self.deliverer.account_id = self.config.account_id
            self._build_limits()
            return self.config

    def _build_limits(self) -> None:
        # Budgets run on the sandbox's clock, so `advance` moves their windows along too.
        clock = self._clock_seconds
        self._budget = WindowBudget(self.config.rate_limit, clock=clock)
        self._export_budget = WindowBudget(self.config.export_rate_limit, clock=clock)
        self._update_budget = WindowBudget(self.ticket_update_rate_limit, clock=clock)
        self._webhooks_budget = WindowBudget(self.config.webhooks_rate_limit, clock=clock)
        self._ticket_updates = KeyedWindow(self.config.ticket_update_limit, self.config.ticket_update_window,
                                           clock=clock)

    def _clock_seconds(self) -> float:
        return time.monotonic() + self._offset.total_seconds()

    def now(self) -> datetime:
        """The sandbox's time: wall clock plus whatever `advance` added."""
        return datetime.now(timezone.utc) + self._offset

    def advance(self, seconds: float) -> datetime:
        """Move the sandbox clock forward (records made earlier become that much older)."""
        with self._lock:
            self._offset += timedelta(seconds=seconds)
            return self.now()

    def _next(self, kind: str) -> int:
        return next(self._counters[kind])

    def _seed(self) -> None:
        """The account every test starts from: the API user (admin), one agent, a default group."""
        now = iso(self.now())
        group = RESOURCE_KINDS["groups"].normalise(None, {"name": "Support", "default": True}, now,
                                                  lambda: self._next("group"))
        self._resources["groups"][group["id"]] = group
        self.support_group_id: int = group["id"]
        self.api_user_id = self._add_user("Sandbox API", self.config.email, "admin")
        self.agent_id = self._add_user("Sam Agent", "sam.agent@sandbox.example", "agent")

    def _add_user(self, name: str, email: str | None, role: str) -> int:
        user_id = self._next("user")
        group = self.support_group_id if role in ("agent", "admin") else None
        self._users[user_id] = user_json(user_id, name, email, role, iso(self.now()), default_group_id=group)
        self._index_email(user_id)
        return user_id

    def _index_email(self, user_id: int) -> None:
        """Index a user by lower-cased email: finding a customer by email must not scan every user
        (the economy bench opens 10 000 tickets, each from a new customer)."""
        email = self._users[user_id]["email"]
        if email:
            self._user_ids_by_email.setdefault(email.lower(), user_id)

    def _user_id_by_email(self, email: str) -> int | None:
        """The first user with this email, case-insensitively, as Zendesk matches emails."""
        return self._user_ids_by_email.get(email.lower())

    # --- auth, limits, faults, request log -----------------------------------------------

    @property
    def ticket_update_rate_limit(self) -> int:
        """The Update Ticket limit in force: 20 on a trial account, else the configured figure."""
        return TRIAL_TICKET_UPDATE_LIMIT if self.config.trial else self.config.ticket_update_rate_limit

    def credentials_ok(self, email: str, token: str) -> bool:
        """Whether ``{email}/token:{token}`` is the API user's token (constant-time compare)."""
        return self.user_for_token(email, token) == self.api_user_id

    def user_for_token(self, email: str, token: str) -> int | None:
        """The user an API token belongs to: the API user (an admin), or the seeded agent when
        `agent_api_token` is configured; None for anything else (constant-time compares)."""
        config = self.config
        with self._lock:
            agent_email = self._users[self.agent_id]["email"] or ""
        pairs = [(config.email, config.api_token, self.api_user_id)]
        if config.agent_api_token:
            pairs.append((agent_email, config.agent_api_token, self.agent_id))
        found = None
        for known_email, known_token, user_id in pairs:
            same = hmac.compare_digest(email.lower().encode(), known_email.lower().encode())
            same = hmac.compare_digest(token.encode(), known_token.encode()) and same
            if same:
                found = user_id
        return found

    def role_of(self, user_id: int) -> str:
        """A user's role ("admin", "agent", "end-user")."""
        with self._lock:
            return str(self._users[user_id]["role"])

    def spend_request(self, path: str) -> tuple[Allowance, Refusal | None]:
        """Count one authenticated API request against the account (and export) budget.

        Returns the budget the rate-limit headers report (the account's; the webhooks API reports its
        own) and, when a budget is spent, the 429 to answer with.
        """
        with self._lock:
            account = self._budget.spend()
            if not account.allowed:
                self._refusals.append((self.now(), account.retry_after))
                return account, Refusal(RATE_LIMITED, account.retry_after)
            if path.startswith("/api/v2/incremental/"):
                export = self._export_budget.spend()
                if not export.allowed:
                    return account, Refusal(EXPORT_RATE_LIMITED, export.retry_after)
            if path == "/api/v2/webhooks" or path.startswith("/api/v2/webhooks/"):
                hooks = self._webhooks_budget.spend()
                if not hooks.allowed:
                    return hooks, Refusal(RATE_LIMITED, hooks.retry_after)
                return hooks, None
            return account, None

    def peek_webhooks_budget(self) -> Allowance:
        """The webhooks API's own budget, without counting a request."""
        with self._lock:
            return self._webhooks_budget.peek()

    def spend_ticket_update_budget(self) -> Allowance:
        """Count one Update Ticket request against the account's Update Ticket budget."""
        with self._lock:
            allowance = self._update_budget.spend()
            if not allowance.allowed:
                self._update_refusals.append((self.now(), allowance.retry_after))
            return allowance

    def peek_ticket_update_budget(self) -> Allowance:
        """The Update Ticket budget as it stands."""
        with self._lock:
            return self._update_budget.peek()

    def spend_agent_updates(self, count: int = 1) -> int:
        """Agents update tickets in the Zendesk UI: `count` of the Update Ticket budget, never refused
        (the agents' own updates are not throttled here), only counted; returns how many fitted."""
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            fitted = sum(self._update_budget.spend().allowed for _ in range(count))
            self._foreign_updates["allowed"] += fitted
            self._agent_updates += count
            return fitted

    def update_refusals(self) -> list[tuple[datetime, int]]:
        """Every 429 the Update Ticket budget gave an API request: when, and its Retry-After."""
        with self._lock:
            return list(self._update_refusals)

    def agent_updates(self) -> int:
        """Ticket updates made by (simulated) agents in the UI so far."""
        with self._lock:
            return self._agent_updates

    def spend_foreign(self, count: int = 1) -> tuple[int, Allowance]:
        """Another integration on the same account spends `count` requests of the account budget.

        Zendesk's per-minute limit is per account: the agents' tools and other apps spend it too,
        and they are not in this request log. Benches and tests use this to leave the service less
        than the whole budget. Returns how many were allowed and the budget after the last one.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            allowed = 0
            for _ in range(count):
                allowance = self._budget.spend()
                allowed += allowance.allowed
            self._foreign["allowed"] += allowed
            self._foreign["refused"] += count - allowed
            return allowed, allowance

    def foreign_calls(self) -> dict[str, int]:
        """What `spend_foreign` was granted and refused so far."""
        with self._lock:
            return dict(self._foreign)

    def rate_refusals(self) -> list[tuple[datetime, int]]:
        """Every 429 the account budget gave a logged API request: when, and its Retry-After seconds."""
        with self._lock:
            return list(self._refusals)

    def peek_budget(self) -> Allowance:
        """The account budget as it stands, without counting a request."""
        with self._lock:
            return self._budget.peek()

    def spend_ticket_update(self, ticket_id: int) -> Allowance:
        """Count one update of a ticket by the API user (Zendesk: 30 per 10 minutes)."""
        with self._lock:
            return self._ticket_updates.spend((self.api_user_id, ticket_id))

    def inject(self, status: int | None = None, *, count: int | None = 1, retry_after: float | None = None,
               delay: float = 0.0, reset: bool = False, path_prefix: str | None = None,
               method: str | None = None, body: Any = None, after: bool = False) -> Fault:
        """Make the next `count` matching API requests fail (status), stall (delay) or drop (reset).

        `path_prefix` "/tickets" means "/api/v2/tickets"; `count=None` lasts until `clear_faults`.
        With `after`, the request is carried out first and only its answer is replaced (or its
        connection dropped): the case where a client must not simply send the write again.
        """
        with self._lock:
            return self._faults.add(Fault(next(self._fault_ids), status=status, count=count,
                                          retry_after=retry_after, delay=delay, reset=reset,
                                          path_prefix=path_prefix, method=method, body=body, after=after))

    def clear_faults(self) -> None:
        """Forget every injected fault."""
        with self._lock:
            self._faults.clear()

    def faults(self) -> list[Fault]:
        """The injected faults not used up yet."""
        with self._lock:
            return [copy.copy(f) for f in self._faults.active()]

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The injected fault for this request, if any (used up as it is taken)."""
        with self._lock:
            fault = self._faults.take(method, path)
            return copy.copy(fault) if fault is not None else None

    def log_request(self, record: RequestRecord) -> None:
        """Add one API request to the log."""
        with self._lock:
            self._log.append(record)

    def api_calls(self, method: str | None = None, path_prefix: str | None = None) -> list[RequestRecord]:
        """Logged API requests, oldest first, optionally one method and/or under one path."""
        prefix = None
        if path_prefix:
            prefix = path_prefix if path_prefix.startswith("/api/") else "/api/v2/" + path_prefix.lstrip("/")
        with self._lock:
            return [r for r in self._log if (method is None or r.method == method.upper())
                    and (prefix is None or r.path.startswith(prefix))]

    def api_call_count(self, method: str | None = None, path_prefix: str | None = None) -> int:
        """How many API requests were made (every attempt counts, failures included)."""
        return len(self.api_calls(method, path_prefix))

    @property
    def request_log(self) -> list[RequestRecord]:
        """Every logged API request, oldest first."""
        return self.api_calls()

    @property
    def updates(self) -> list[RequestRecord]:
        """Successful single-ticket updates (``PUT /api/v2/tickets/{id}.json``)."""
        return [r for r in self.api_calls("PUT", "/tickets/") if 200 <= r.status < 300
                and r.path.removesuffix(".json").rsplit("/", 1)[-1].isdigit()]

    @property
    def deliveries(self) -> list[DeliveryRecord]:
        """Every webhook delivery attempt so far."""
        return self.deliverer.records()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait for queued webhook deliveries to be sent (False on timeout)."""
        return self.deliverer.flush(timeout)

    def configure_delivery(self, **options: Any) -> None:
        """duplicate_share, drop_share, shuffle, shuffle_window, timeout, retry_delay, seed."""
        self.deliverer.configure(**options)

    # --- rendering ---------------------------------------------------------------------------

    def _base(self, base: str | None) -> str:
        return (base or self.base_url).rstrip("/")

    def _custom_field_ids(self, values: Mapping[int, Any]) -> list[int]:
        defined = [f["id"] for f in self._resources["ticket_fields"].values() if f["active"]]
        return defined + [k for k in values if k not in defined]

    def _render_ticket(self, ticket: JSON, base: str | None = None) -> JSON:
        """The REST ticket: every custom field listed (null when unset), as Zendesk does."""
        values = ticket["custom_fields"]
        fields = [{"id": fid, "value": copy.deepcopy(values.get(fid))} for fid in self._custom_field_ids(values)]
        body = {key: copy.deepcopy(value) for key, value in ticket.items() if key != "custom_fields"}
        return {"url": f"{self._base(base)}/api/v2/tickets/{ticket['id']}.json", **body,
                "custom_fields": fields, "fields": copy.deepcopy(fields)}

    def _render_user(self, user: JSON, base: str | None = None) -> JSON:
        return {"url": f"{self._base(base)}/api/v2/users/{user['id']}.json", **copy.deepcopy(user)}

    def _render_resource(self, kind: str, record: JSON, base: str | None = None) -> JSON:
        return {"url": f"{self._base(base)}/api/v2/{kind}/{record['id']}.json", **copy.deepcopy(record)}

    # --- reading (Python API for tests and the demo) --------------------------------------------

    def ticket(self, ticket_id: int) -> JSON:
        """A ticket in REST shape; KeyError if there is none."""
        with self._lock:
            return self._render_ticket(self._tickets[ticket_id])

    def tickets(self) -> list[JSON]:
        """Every ticket in REST shape, by id."""
        with self._lock:
            return [self._render_ticket(t) for t in self._tickets.values()]

    def ticket_comments(self, ticket_id: int) -> list[JSON]:
        """A ticket's comments, oldest first; KeyError if there is no such ticket."""
        with self._lock:
            self._tickets[ticket_id]
            return copy.deepcopy(self._comments.get(ticket_id, []))

    def ticket_audits(self, ticket_id: int) -> list[JSON]:
        """A ticket's audits, oldest first; KeyError if there is no such ticket."""
        with self._lock:
            self._tickets[ticket_id]
            return copy.deepcopy(self._audits.get(ticket_id, []))

    def user(self, user_id: int) -> JSON:
        """A user in REST shape; KeyError if there is none."""
        with self._lock:
            return self._render_user(self._users[user_id])

    def users(self) -> list[JSON]:
        """Every user (the API user and the agent come first)."""
        with self._lock:
            return [self._render_user(u) for u in self._users.values()]

    def webhooks(self) -> list[JSON]:
        """Every webhook as the API shows it (no credentials)."""
        with self._lock:
            return [public_webhook(w) for w in self._webhooks.values()]

    def snapshot(self) -> JSON:
        """Counts and records for /__sandbox/state."""
        with self._lock:
            return {
                "now": iso(self.now()), "config": dataclasses.asdict(self.config) | {"api_token": "***"},
                "tickets": [self._render_ticket(t) for t in self._tickets.values()],
                "users": [self._render_user(u) for u in self._users.values()],
                "webhooks": [public_webhook(w) for w in self._webhooks.values()],
                "api_calls": len(self._log), "deliveries": len(self.deliverer.records()),
                "faults": [f.to_json() for f in self._faults.active()],
            }

    # --- tickets: the one place changes happen ------------------------------------------------

    def _ticket(self, ticket_id: int) -> JSON:
        ticket = self._tickets.get(ticket_id)
        if ticket is None:
            raise ApiError(404, NOT_FOUND)
        return ticket

    def _user(self, user_id: int | None, field_name: str) -> JSON:
        user = self._users.get(user_id) if user_id is not None else None
        if user is None:
            raise ApiError(422, record_invalid(field_name, f"{field_name}: no user with id {user_id}"))
        return user

    def _stamp(self, ticket: JSON) -> datetime:
        """A new ``updated_at``: now to the second, but always later than the previous stamp."""
        moment = self.now().replace(microsecond=0)
        previous = parse_iso(ticket["updated_at"]) if ticket.get("updated_at") else None
        if previous is not None and moment <= previous:
            moment = previous + timedelta(seconds=1)
        ticket["updated_at"] = iso(moment)
        ticket["generated_timestamp"] = int(moment.timestamp())
        return moment

    def _blank_ticket(self, ticket_id: int, via: Mapping[str, Any]) -> JSON:
        return {
            "id": ticket_id, "external_id": None, "via": copy.deepcopy(dict(via)), "created_at": None,
            "updated_at": None, "generated_timestamp": 0, "type": None, "subject": None,
            "raw_subject": None, "description": None, "priority": None, "status": "new", "recipient": None,
            "requester_id": None, "submitter_id": None, "assignee_id": None, "organization_id": None,
            "group_id": None, "collaborator_ids": [], "follower_ids": [], "email_cc_ids": [],
            "forum_topic_id": None, "problem_id": None, "has_incidents": False, "is_public": True,
            "due_at": None, "tags": [], "custom_fields": {}, "satisfaction_rating": None,
            "sharing_agreement_ids": [], "custom_status_id": CUSTOM_STATUS_IDS["new"], "followup_ids": [],
            "ticket_form_id": TICKET_FORM_ID, "brand_id": BRAND_ID, "allow_channelback": False,
            "allow_attachments": True, "from_messaging_channel": via.get("channel") == "native_messaging",
        }

    def _check_scalar(self, ticket: JSON, name: str, value: Any) -> Any:
        """A validated value for one scalar field, as Zendesk would refuse a bad one (422)."""
        if name == "status":
            if value not in STATUS_ORDER:
                raise ApiError(422, record_invalid("status", f"Status: {value!r} is not a valid status"))
            if value == "new" and ticket["status"] != "new":
                raise ApiError(422, record_invalid("status", "Status: cannot be set back to new"))
            return value
        if name == "priority" and value is not None and value not in PRIORITIES:
            raise ApiError(422, record_invalid("priority", f"Priority: {value!r} is not valid"))
        if name == "type" and value is not None and value not in TICKET_TYPES:
            raise ApiError(422, record_invalid("type", f"Type: {value!r} is not valid"))
        if name in ID_FIELDS:
            return self._check_id(name, _as_id(name, value))
        if name == "due_at" and value is not None:
            try:
                return iso(parse_iso(str(value)))
            except ValueError:
                raise ApiError(422, record_invalid("due_at", "Due date: is not a valid time")) from None
        if name in ("subject", "external_id") and value is not None and not isinstance(value, str):
            return str(value)
        return value

    def _check_id(self, name: str, value: int | None) -> int | None:
        if value is None:
            if name == "requester_id":
                raise ApiError(422, record_invalid("requester", "Requester: cannot be blank"))
            return None
        if name in ("requester_id", "assignee_id"):
            user = self._user(value, name)
            if name == "assignee_id" and user["role"] == "end-user":
                raise ApiError(422, record_invalid("assignee", "Assignee: is not an agent"))
        if name == "group_id" and value not in self._resources["groups"]:
            raise ApiError(422, record_invalid("group", f"Group: no group with id {value}"))
        return value

    def _apply_fields(self, draft: JSON, changes: Mapping[str, Any], actor_id: int) -> None:
        """Set scalars, custom fields and tags on a draft (validation may still refuse it)."""
        for name in SCALAR_FIELDS:
            if name in changes:
                draft[name] = self._check_scalar(draft, name, changes[name])
        if "subject" in changes:
            draft["raw_subject"] = draft["subject"]
        try:
            tags = tag_list(changes["tags"]) if "tags" in changes else list(draft["tags"])
            tags += [t for t in tag_list(changes.get("additional_tags")) if t not in tags]
            removed = set(tag_list(changes.get("remove_tags")))
        except ValueError as exc:
            raise ApiError(422, record_invalid("tags", str(exc))) from None
        tags = [t for t in tags if t not in removed]
        for field_id, value in _custom_pairs(changes.get("custom_fields", changes.get("fields"))):
            tags = self._sync_field_tags(field_id, draft["custom_fields"].get(field_id), value, tags)
            draft["custom_fields"][field_id] = value
        draft["tags"] = tags
        if draft["status"] in ("solved", "closed") and draft["assignee_id"] is None:
            actor = self._users.get(actor_id)
            draft["assignee_id"] = actor_id if actor and actor["role"] != "end-user" else self.agent_id
        draft["custom_status_id"] = CUSTOM_STATUS_IDS[draft["status"]]

    def _sync_field_tags(self, field_id: int, old: Any, new: Any, tags: list[str]) -> list[str]:
        """Dropdown options and checkboxes set tags in Zendesk; mirror that."""
        definition = self._resources["ticket_fields"].get(field_id)
        if definition is None:
            return tags
        if definition["type"] == "tagger":
            values = {o["value"] for o in definition.get("custom_field_options", [])}
            if new is not None and new not in values:
                raise ApiError(422, record_invalid("custom_fields", f"{definition['title']}: {new!r} is not an option"))
            tags = [t for t in tags if t != old]
            return tags + [new] if new is not None and new not in tags else tags
        if definition["type"] == "checkbox" and definition.get("tag"):
            tag = definition["tag"]
            tags = [t for t in tags if t != tag]
            return tags + [tag] if new else tags
        return tags

    def _diff(self, before: JSON, after: JSON, creating: bool) -> _Change:
        """Audit events (Change, or Create when creating) and webhook notices for one update."""
        change = _Change()
        for name in (*SCALAR_FIELDS, "tags"):
            old, new = before.get(name), after.get(name)
            if old == new and not (creating and new not in (None, [], "")):
                continue
            if creating:
                change.events.append({"id": self._next("event"), "type": "Create", "field_name": name,
                                      "value": _audit_value(name, new)})
                continue
            change.events.append({"id": self._next("event"), "type": "Change", "field_name": name,
                                  "value": _audit_value(name, new), "previous_value": _audit_value(name, old)})
            if name in NOTICE_FIELDS:
                change.notices.append((NOTICE_FIELDS[name], {"current": _notice_value(name, new),
                                                             "previous": _notice_value(name, old)}))
            if name == "tags":
                added, removed = [t for t in new or [] if t not in (old or [])], [t for t in old or [] if t not in (new or [])]
                change.notices.append(("tags_changed", {"tags_added": added, "tags_removed": removed}))
        for field_id, new in after["custom_fields"].items():
            old = before["custom_fields"].get(field_id)
            if old != new:
                change.events.append({"id": self._next("event"), "type": "Create" if creating else "Change",
                                      "field_name": str(field_id), "value": new}
                                     | ({} if creating else {"previous_value": old}))
        return change

    def _comment_spec(self, raw: Any, actor_id: int) -> JSON | None:
        """The comment an update carries, validated; None when there is none."""
        if raw is None:
            return None
        if isinstance(raw, str):
            raw = {"body": raw}
        if not isinstance(raw, Mapping):
            raise ApiError(422, record_invalid("comment", "Comment: must be an object"))
        body, markup = raw.get("body"), raw.get("html_body")
        if not (isinstance(body, str) and body.strip()) and not (isinstance(markup, str) and markup.strip()):
            raise ApiError(422, record_invalid("comment", "Comment: value can't be blank"))
        author = _as_id("author_id", raw.get("author_id")) or actor_id
        self._user(author, "author_id")
        public = raw.get("public", True)
        return {"body": body if isinstance(body, str) and body.strip() else None,
                "html_body": markup if isinstance(markup, str) and markup.strip() else None,
                "public": _truthy(public) if isinstance(public, str) else bool(public), "author_id": author}

    def _update(self, ticket: JSON, changes: Mapping[str, Any], actor_id: int, via: Mapping[str, Any],
                *, creating: bool = False,
                client: Mapping[str, Any] | None = None) -> tuple[_Change, JSON]:
        """Apply `changes` to `ticket` all-or-nothing; returns what changed and the audit."""
        if ticket["status"] == "closed":
            raise ApiError(422, closed_ticket())
        spec = self._comment_spec(changes.get("comment"), actor_id)
        draft = copy.deepcopy(ticket)
        self._apply_fields(draft, changes, actor_id)
        audit_id = self._next("event")
        change = self._diff(ticket, draft, creating)
        if spec is not None or change.changed:
            moment = self._stamp(draft)
            if creating:
                draft["created_at"] = draft["updated_at"]
            if spec is not None:
                change.comment = self._add_comment(draft, spec, via, audit_id, iso(moment), client)
                change.events.insert(0, self._comment_event(change.comment))
                change.notices.insert(0, ("comment_added", self._comment_notice(change.comment)))
        ticket.clear()
        ticket.update(draft)
        audit = self._audit(ticket, audit_id, change.events, actor_id, via, client)
        return change, audit

    def _add_comment(self, ticket: JSON, spec: JSON, via: Mapping[str, Any], audit_id: int, created_at: str,
                     client: Mapping[str, Any] | None = None) -> JSON:
        comment = comment_json(self._next("event"), spec["author_id"], spec["body"], spec["html_body"],
                               spec["public"], created_at, via, audit_id, system=client or UI_CLIENT)
        comments = self._comments.setdefault(ticket["id"], [])
        comments.append(comment)
        if len(comments) == 1:
            ticket["description"] = comment["body"]
        ticket["is_public"] = any(c["public"] for c in comments)
        return comment

    @staticmethod
    def _comment_event(comment: JSON) -> JSON:
        keys = ("id", "type", "author_id", "body", "html_body", "plain_body", "public", "attachments", "audit_id")
        return {key: copy.deepcopy(comment[key]) for key in keys}

    def _comment_notice(self, comment: JSON) -> JSON:
        author = self._users.get(comment["author_id"]) or {}
        return {"comment": {"id": str(comment["id"]), "body": comment["body"], "is_public": comment["public"],
                            "author": {"id": str(comment["author_id"]), "is_staff": author.get("role") != "end-user",
                                       "name": author.get("name")}}}

    def _audit(self, ticket: JSON, audit_id: int, events: list[JSON], actor_id: int, via: Mapping[str, Any],
               client: Mapping[str, Any] | None) -> JSON:
        audit = {
            "id": audit_id, "ticket_id": ticket["id"], "created_at": ticket["updated_at"] or iso(self.now()),
            "author_id": actor_id, "metadata": {"system": dict(client or {}), "custom": {}},
            "events": copy.deepcopy(events), "via": copy.deepcopy(dict(via)),
        }
        if events:
            self._audits.setdefault(ticket["id"], []).append(audit)
        return copy.deepcopy(audit)

    def _emit(self, ticket: JSON, notices: Iterable[tuple[str, JSON]], actor_id: int) -> None:
        """Queue the Events-API envelopes subscribed webhooks want for these notices."""
        targets = self._targets()
        notices = list(notices)
        if not targets or not notices:
            return
        rendered = self._render_ticket(ticket)
        moment = self.now()
        for name, event in notices:
            event_type = TICKET_EVENT.format(name=name)
            wanted = [t for t in targets if t.wants(event_type)]
            if wanted:
                envelope = ticket_envelope(self.config.account_id, name, rendered, event, actor_id, moment)
                for target in wanted:
                    self.deliverer.enqueue(target, envelope)

    # --- tickets: API operations -----------------------------------------------------------------

    def _requester(self, data: Mapping[str, Any], actor_id: int) -> int:
        """``requester_id``, or ``requester: {name, email}`` (found or created), else the API user."""
        if data.get("requester_id") is not None:
            return int(self._user(_as_id("requester_id", data["requester_id"]), "requester_id")["id"])
        requester = data.get("requester")
        if isinstance(requester, Mapping) and (requester.get("email") or requester.get("name")):
            return self._find_or_create_end_user(requester.get("name"), requester.get("email"))
        return actor_id

    def _find_or_create_end_user(self, name: str | None, email: str | None) -> int:
        if email and (known := self._user_id_by_email(email)) is not None:
            return known
        return self._add_user(name or (email or "Customer").split("@")[0], email, "end-user")

    def _followup(self, data: Mapping[str, Any], via: JSON) -> JSON | None:
        """The closed ticket a follow-up continues; only closed tickets can have follow-ups."""
        if data.get("via_followup_source_id") is None:
            return None
        source = self._tickets.get(_as_id("via_followup_source_id", data["via_followup_source_id"]) or 0)
        if source is None or source["status"] != "closed":
            raise ApiError(422, record_invalid("via_followup_source_id",
                                               "Follow-up source: must be a closed ticket"))
        via["source"] = {"from": {"ticket_id": source["id"], "subject": source["subject"]}, "to": {},
                         "rel": "follow_up"}
        return source

    def _create(self, data: Mapping[str, Any], actor_id: int, via: Mapping[str, Any],
                client: Mapping[str, Any] | None) -> tuple[JSON, JSON]:
        """A new ticket: the first comment becomes the description; ``ticket.created`` is raised."""
        if not isinstance(data.get("comment"), (Mapping, str)):
            raise ApiError(422, record_invalid("description", "Description: cannot be blank"))
        own_via: JSON = copy.deepcopy(dict(via))
        source = self._followup(data, own_via)
        requester = self._requester(data, actor_id)
        submitter = self._user(_as_id("submitter_id", data.get("submitter_id")) or actor_id, "submitter_id")["id"]
        comment = dict(data["comment"]) if isinstance(data["comment"], Mapping) else {"body": data["comment"]}
        comment.setdefault("author_id", submitter)
        changes = {k: v for k, v in data.items() if k in SCALAR_FIELDS or k in ("tags", "custom_fields", "fields")}
        changes.update(requester_id=requester, comment=comment)
        changes.setdefault("status", "open" if changes.get("assignee_id") else "new")
        changes.setdefault("organization_id", self._users[requester]["organization_id"])
        if source is not None and "tags" not in changes:
            changes["tags"] = list(source["tags"])
        ticket = self._blank_ticket(self._next("ticket"), own_via)
        ticket["submitter_id"] = submitter
        _, audit = self._update(ticket, changes, actor_id, own_via, creating=True, client=client)
        self._tickets[ticket["id"]] = ticket
        if source is not None:
            source["followup_ids"].append(ticket["id"])
        self._emit(ticket, [("created", {})], actor_id)
        return ticket, audit

    def create_ticket(self, payload: Any, *, base: str | None = None,
                      client: Mapping[str, Any] | None = None, actor_id: int | None = None) -> JSON:
        """``POST /tickets.json``: ``{"ticket": ..., "audit": ...}``."""
        with self._lock:
            data = self._object(payload, "ticket")
            ticket, audit = self._create(data, actor_id or self.api_user_id, API_VIA, client)
            return {"ticket": self._render_ticket(ticket, base), "audit": audit}

    @staticmethod
    def _object(payload: Any, key: str) -> Mapping[str, Any]:
        data = payload.get(key) if isinstance(payload, Mapping) else None
        if not isinstance(data, Mapping):
            raise ApiError(400, {"error": "InvalidParameter", "description": f"Request body must contain a {key!r} object"})
        return data

    def _check_safe_update(self, ticket: JSON, data: Mapping[str, Any]) -> None:
        """409 when ``safe_update`` is on and ``updated_stamp`` is not the ticket's ``updated_at``."""
        if not _truthy(data.get("safe_update")):
            return
        stamp = data.get("updated_stamp")
        try:
            sent = parse_iso(str(stamp)).replace(microsecond=0) if stamp else None
        except ValueError:
            sent = None
        if sent is None:
            raise ApiError(422, record_invalid("updated_stamp", "updated_stamp: must be a time when safe_update is set"))
        if sent != parse_iso(ticket["updated_at"]):
            raise ApiError(409, UPDATE_CONFLICT)

    def get_ticket(self, ticket_id: int, *, base: str | None = None) -> JSON:
        """``GET /tickets/{id}.json``."""
        with self._lock:
            return {"ticket": self._render_ticket(self._ticket(ticket_id), base)}

    def update_ticket(self, ticket_id: int, payload: Any, *, base: str | None = None,
                      client: Mapping[str, Any] | None = None, actor_id: int | None = None) -> JSON:
        """``PUT /tickets/{id}.json``; ``tags`` replaces all tags, as in Zendesk."""
        actor = actor_id or self.api_user_id
        with self._lock:
            ticket = self._ticket(ticket_id)
            data = self._object(payload, "ticket")
            if ticket["status"] == "closed":
                raise ApiError(422, closed_ticket())
            self._check_safe_update(ticket, data)
            changes = {k: v for k, v in data.items() if k not in ("id", "url", "safe_update", "updated_stamp")}
            change, audit = self._update(ticket, changes, actor, API_VIA, client=client)
            self._emit(ticket, change.notices, actor)
            return {"ticket": self._render_ticket(ticket, base), "audit": audit}

    def ticket_tags(self, ticket_id: int) -> JSON:
        """``GET /tickets/{id}/tags.json``."""
        with self._lock:
            return {"tags": list(self._ticket(ticket_id)["tags"])}

    def change_tags(self, ticket_id: int, mode: str, payload: Any,
                    client: Mapping[str, Any] | None = None) -> JSON:
        """Tags endpoint: "add" (PUT), "set" (POST), "remove" (DELETE); closed tickets refuse all three."""
        key = {"add": "additional_tags", "set": "tags", "remove": "remove_tags"}[mode]
        with self._lock:
            ticket = self._ticket(ticket_id)
            data = payload if isinstance(payload, Mapping) else {}
            if ticket["status"] == "closed":
                raise ApiError(422, closed_ticket())
            self._check_safe_update(ticket, data)
            change, _ = self._update(ticket, {key: data.get("tags") or []}, self.api_user_id, API_VIA, client=client)
            self._emit(ticket, change.notices, self.api_user_id)
            return {"tags": list(ticket["tags"])}

    def find_tickets(self, external_id: str | None = None, *, base: str | None = None) -> list[JSON]:
        """All tickets, or those with this ``external_id``, by id."""
        with self._lock:
            return [self._render_ticket(t, base) for t in self._tickets.values()
                    if external_id is None or t["external_id"] == external_id]

    def show_many_tickets(self, ids: Sequence[int], *, base: str | None = None) -> list[JSON]:
        """The tickets among `ids` that exist, in the order asked."""
        with self._lock:
            return [self._render_ticket(self._tickets[i], base) for i in ids if i in self._tickets]

    def list_comments(self, ticket_id: int) -> list[JSON]:
        """A ticket's comments, oldest first (404 for an unknown ticket)."""
        with self._lock:
            self._ticket(ticket_id)
            return copy.deepcopy(self._comments.get(ticket_id, []))

    def list_audits(self, ticket_id: int) -> list[JSON]:
        """A ticket's audits, oldest first (404 for an unknown ticket)."""
        with self._lock:
            self._ticket(ticket_id)
            return copy.deepcopy(self._audits.get(ticket_id, []))

    # --- bulk updates and job statuses -------------------------------------------------------

    def update_many(self, ids: Sequence[int] | None, payload: Any, *, base: str | None = None,
                    client: Mapping[str, Any] | None = None, actor_id: int | None = None) -> JSON:
        """``PUT /tickets/update_many.json``: bulk (``?ids=`` + ``ticket``) or batch (``tickets``)."""
        with self._lock:
            work = self._bulk_work(ids, payload)
            if len(work) > MAX_BULK:
                raise ApiError(400, {"error": "TooManyValues", "description": "Parameter ids cannot specify more "
                                     f"than {MAX_BULK} values", "max_count": MAX_BULK})  # recorded shape
            running = sum(1 for j in self._jobs.values() if j["status"] != "completed")
            if running >= self.config.job_queue_limit:
                raise ApiError(429, TOO_MANY_JOBS, {"Retry-After": "5"})
            # Zendesk safe-updates every bulk job from the moment it is queued: a ticket changed since
            # fails in the results. The stamps are what "changed" is measured against.
            stamps = {ticket_id: self._tickets[ticket_id]["updated_at"] for _, ticket_id, _ in work
                      if ticket_id in self._tickets}
            job: JSON = {"id": job_id(), "job_type": "bulk_update", "total": len(work), "progress": None,
                   "status": "queued", "message": None, "results": None, "_work": work, "_stamps": stamps,
                   "_created": time.monotonic(), "_actor": actor_id or self.api_user_id,
                   "_client": dict(client or {})}
            self._jobs[job["id"]] = job
            return {"job_status": job_status_json(job, self._base(base))}

    @staticmethod
    def _bulk_work(ids: Sequence[int] | None, payload: Any) -> list[tuple[int, int, JSON]]:
        if isinstance(payload, Mapping) and isinstance(payload.get("tickets"), list):
            work = []
            for index, item in enumerate(payload["tickets"]):
                if not isinstance(item, Mapping) or _as_id("id", item.get("id")) is None:
                    raise ApiError(400, {"error": "InvalidParameter", "description": "every ticket needs an id"})
                work.append((index, int(item["id"]), {k: v for k, v in item.items() if k != "id"}))
            return work
        if ids:
            changes = dict(SandboxState._object(payload, "ticket"))
            return [(index, ticket_id, changes) for index, ticket_id in enumerate(ids)]
        raise ApiError(400, {"error": "InvalidParameter", "description": "Pass ?ids= with a ticket, or a tickets list"})

    def _run_job(self, job: JSON) -> None:
        """Do a bulk job's work now; each ticket succeeds or fails on its own: a missing ticket, a
        closed one (as in a single update) and one changed after the job was queued all fail."""
        results = []
        for index, ticket_id, changes in job["_work"]:
            result = {"id": ticket_id, "index": index, "action": "update"}
            try:
                ticket = self._ticket(ticket_id)
                if ticket["updated_at"] != job["_stamps"].get(ticket_id):
                    raise ApiError(409, {"error": "TicketUpdateConflict", "description": JOB_CONFLICT})
                change, _ = self._update(ticket, changes, job["_actor"], API_VIA, client=job["_client"])
                self._emit(ticket, change.notices, job["_actor"])
                result.update(status="Updated", success=True)
            except ApiError as exc:
                body = exc.body if isinstance(exc.body, Mapping) else {}
                result.update(status="Failed", success=False, error=body.get("error", "Error"),
                              details=str(body.get("details") or body.get("description") or ""))
            results.append(result)
        job.update(status="completed", progress=job["total"], results=results,
                   message=f"Completed at {self.now():%Y-%m-%d %H:%M:%S} +0000")

    def _advance_job(self, job: JSON) -> None:
        """queued → working → completed, one step per poll."""
        if job["status"] == "queued":
            first = job["_work"][0][1] if job["_work"] else None
            job.update(status="working", progress=job["total"] // 2,
                       message=f"Updating ticket #{first}" if first else None)
        elif job["status"] == "working":
            self._run_job(job)

    def job_status(self, job_id_: str, *, base: str | None = None) -> JSON:
        """``GET /job_statuses/{id}.json``; each poll moves the job one step on."""
        with self._lock:
            job = self._jobs.get(job_id_)
            if job is None:
                raise ApiError(404, NOT_FOUND)
            self._advance_job(job)
            return {"job_status": job_status_json(job, self._base(base))}

    def job_statuses(self, ids: Sequence[str] | None = None, *, base: str | None = None) -> list[JSON]:
        """Job statuses (all, or those in `ids`) without moving them on."""
        with self._lock:
            return [job_status_json(j, self._base(base)) for j in self._jobs.values() if ids is None or j["id"] in ids]

    def settle_jobs(self) -> None:
        """Complete bulk jobs nobody polled once they are old enough (Zendesk runs them anyway)."""
        with self._lock:
            limit = time.monotonic() - self.config.job_settle_seconds
            for job in self._jobs.values():
                if job["status"] != "completed" and job["_created"] <= limit:
                    self._run_job(job)

    def run_jobs(self) -> None:
        """Complete every pending bulk job now."""
        with self._lock:
            for job in self._jobs.values():
                if job["status"] != "completed":
                    self._run_job(job)

    # --- incremental export and search -------------------------------------------------------

    def export_tickets(self, *, start_time: int | None = None, cursor: str | None = None,
                       per_page: int = EXPORT_PER_PAGE, base: str | None = None) -> JSON:
        """Cursor-based incremental ticket export, oldest change first, the last minute left out."""
        with self._lock:
            # Stamps bumped past the clock (see the module docstring) must not hide from a lag-free export.
            horizon = int(self.now().timestamp() - self.config.export_lag) if self.config.export_lag > 0 else 2**62
            position = self._export_position(start_time, cursor, horizon)
            ready = sorted((t for t in self._tickets.values()
                            if (t["generated_timestamp"], t["id"]) > position and t["generated_timestamp"] <= horizon),
                           key=lambda t: (t["generated_timestamp"], t["id"]))
            page = ready[:max(1, min(per_page, EXPORT_PER_PAGE))]
            last = (page[-1]["generated_timestamp"], page[-1]["id"]) if page else position
            after = encode_cursor(f"{last[0]}.0||{last[1]}|")
            return {
                "tickets": [self._render_ticket(t, base) for t in page],
                "after_url": f"{self._base(base)}/api/v2/incremental/tickets/cursor.json?cursor={after}",
                "after_cursor": after, "before_url": None, "before_cursor": None,
                "end_of_stream": len(ready) <= len(page),
            }

    def _export_position(self, start_time: int | None, cursor: str | None, horizon: int) -> tuple[int, int]:
        """(generated_timestamp, id) after which the page starts.

        A request with both a start_time and a cursor that is not one (node-zendesk 6.0.1 sends
        ``cursor=undefined`` with its first request) is read by its start_time: Zendesk's answer to it is
        not recorded, and a call that works for one client must not fail for another without cause.
        """
        if start_time is None and cursor is None:
            raise ApiError(400, {"error": "InvalidValue", "description": "Send either start_time or cursor"})
        if cursor is not None:
            try:
                stamp, _, rest = decode_cursor(cursor).partition("||")
                return int(float(stamp)), int(rest.strip("|") or 0)
            except ValueError:
                if start_time is None:
                    raise ApiError(400, {"error": "InvalidValue", "description": "Invalid cursor"}) from None
        assert start_time is not None
        if self.config.export_lag > 0 and start_time > horizon:
            raise ApiError(400, {"error": "InvalidValue",
                                 "description": f"start_time must be at least {self.config.export_lag:g} seconds "
                                                "in the past"})
        return start_time, 0

    def search(self, query: str, *, sort_by: str | None = None, sort_order: str | None = None,
               base: str | None = None) -> list[JSON]:
        """``GET /search.json``: tickets matching the query (see `search` for the syntax), as results."""
        terms = search_syntax.parse_query(query)
        if search_syntax.result_type(terms) != "ticket":
            return []
        with self._lock:
            now = self.now()
            found = [dict(self._render_ticket(t, base), result_type="ticket") for t in self._tickets.values()]
        matches = [t for t in found if search_syntax.ticket_matches(t, terms, now)]
        key = {"updated_at": "updated_at", "created_at": "created_at", "status": "status",
               "priority": "priority", "ticket_type": "type"}.get(sort_by or "", None)
        if key is not None:
            matches.sort(key=lambda t: (t.get(key) or ""), reverse=(sort_order or "desc") == "desc")
        return matches

    # --- users -----------------------------------------------------------------------------------

    def get_user(self, user_id: int, *, base: str | None = None) -> JSON:
        """``GET /users/{id}.json``."""
        with self._lock:
            user = self._users.get(user_id)
            if user is None:
                raise ApiError(404, NOT_FOUND)
            return {"user": self._render_user(user, base)}

    def me(self, *, base: str | None = None, user_id: int | None = None) -> JSON:
        """``GET /users/me.json``: the user the credentials belong to (the API user by default)."""
        return self.get_user(user_id or self.api_user_id, base=base)

    def list_users(self, ids: Sequence[int] | None = None, *, base: str | None = None) -> list[JSON]:
        """Users (all, or those in `ids`), by id."""
        with self._lock:
            return [self._render_user(u, base) for uid, u in self._users.items() if ids is None or uid in ids]

    def create_user(self, payload: Any, *, base: str | None = None) -> JSON:
        """``POST /users.json``: a new user; an email already in use is refused (422)."""
        with self._lock:
            data = self._object(payload, "user")
            name, email, role = data.get("name"), data.get("email"), data.get("role", "end-user")
            if not isinstance(name, str) or not name.strip():
                raise ApiError(422, record_invalid("name", "Name: is too short (minimum one character)"))
            if role not in ("end-user", "agent", "admin"):
                raise ApiError(422, record_invalid("role", f"Role: {role!r} is not valid"))
            if email and self._user_id_by_email(str(email)) is not None:
                raise ApiError(422, record_invalid("email", f"Email: {email} is already being used by another user"))
            user_id = self._add_user(name, email, role)
            return {"user": self._render_user(self._users[user_id], base)}

    # --- admin records: groups, ticket fields, triggers, views, macros ---------------------------

    def _resource(self, kind: str, record_id: int) -> JSON:
        record = self._resources[kind].get(record_id)
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return record

    def list_resources(self, kind: str, *, base: str | None = None) -> list[JSON]:
        """One admin collection, by id."""
        with self._lock:
            return [self._render_resource(kind, r, base) for r in self._resources[kind].values()]

    def get_resource(self, kind: str, record_id: int, *, base: str | None = None) -> JSON:
        """One admin record under its singular key (404 if missing)."""
        with self._lock:
            return {RESOURCE_KINDS[kind].singular: self._render_resource(kind, self._resource(kind, record_id), base)}

    def save_resource(self, kind: str, record_id: int | None, payload: Any, *, base: str | None = None) -> JSON:
        """Create (record_id None) or update one admin record; 422 ``RecordInvalid`` when refused."""
        spec = RESOURCE_KINDS[kind]
        with self._lock:
            existing = self._resource(kind, record_id) if record_id is not None else None
            data = self._object(payload, spec.singular)
            try:
                record = spec.normalise(existing, data, iso(self.now()), lambda: self._next("resource"))
            except Invalid as exc:
                raise ApiError(422, record_invalid(exc.field, exc.message)) from None
            if kind == "groups" and existing is None:
                record["id"] = self._next("group")
            self._resources[kind][record["id"]] = record
            return {spec.singular: self._render_resource(kind, record, base)}

    def delete_resource(self, kind: str, record_id: int) -> None:
        """Delete one admin record (404 if missing)."""
        with self._lock:
            self._resource(kind, record_id)
            del self._resources[kind][record_id]

    # --- webhooks ----------------------------------------------------------------------------

    def _webhook(self, webhook_id: str) -> JSON:
        webhook = self._webhooks.get(webhook_id)
        if webhook is None:
            raise ApiError(404, webhook_error("WebhookNotFound", "Not Found", f"Webhook {webhook_id} not found"))
        return webhook

    def _save_webhook(self, existing: JSON | None, data: Mapping[str, Any]) -> JSON:
        try:
            record = normalise_webhook(existing, data, iso(self.now()), self.api_user_id, ulid())
        except Invalid as exc:
            raise ApiError(400, webhook_error("InvalidValue", f"Invalid {exc.field}", exc.message)) from None
        self._webhooks[record["id"]] = record
        self._secrets.setdefault(record["id"], new_signing_secret())
        return record

    def create_webhook(self, payload: Any) -> JSON:
        """``POST /webhooks`` (201); a signing secret is made with it."""
        with self._lock:
            return {"webhook": public_webhook(self._save_webhook(None, self._object(payload, "webhook")))}

    def update_webhook(self, webhook_id: str, payload: Any, *, partial: bool) -> None:
        """``PUT`` (whole) or ``PATCH`` (partial) ``/webhooks/{id}``; both answer 204."""
        with self._lock:
            existing = self._webhook(webhook_id)
            data = self._object(payload, "webhook")
            if not partial:
                existing = {key: existing[key] for key in ("id", "created_at", "created_by", "subscriptions")}
            self._save_webhook(existing, data)

    def delete_webhook(self, webhook_id: str) -> None:
        """Delete a webhook and its secret; deliveries to it stop."""
        with self._lock:
            self._webhook(webhook_id)
            del self._webhooks[webhook_id]
            self._secrets.pop(webhook_id, None)
            if self._target_id == webhook_id:
                self._target_id = None

    def get_webhook(self, webhook_id: str) -> JSON:
        """One webhook, without credentials."""
        with self._lock:
            return {"webhook": public_webhook(self._webhook(webhook_id))}

    def list_webhooks(self, name_contains: str | None = None) -> list[JSON]:
        """Webhooks whose name contains `name_contains` (all when None)."""
        with self._lock:
            return [public_webhook(w) for w in self._webhooks.values()
                    if not name_contains or name_contains.lower() in w["name"].lower()]

    def signing_secret(self, webhook_id: str, *, reset: bool = False) -> JSON:
        """Show (GET) or reset (POST) a webhook's signing secret."""
        with self._lock:
            self._webhook(webhook_id)
            if reset:
                self._secrets[webhook_id] = new_signing_secret()
            return signing_secret_json(self._secrets[webhook_id])

    def set_webhook_target(self, url: str, secret: str, subscriptions: Sequence[str] | None = None) -> str:
        """Deliver ticket events to `url`, signed with `secret` (a webhook record, like an installed one).

        Replaces the target set before. `subscriptions` defaults to the ticket events feedbackloop
        understands; the webhook id is returned (it is the X-Zendesk-Webhook-Id header).
        """
        events = list(subscriptions or DEFAULT_SUBSCRIPTIONS)
        with self._lock:
            if self._target_id is not None:
                self._webhooks.pop(self._target_id, None)
            record = self._save_webhook(None, {"name": "sandbox webhook target", "endpoint": url,
                                               "http_method": "POST", "request_format": "json",
                                               "subscriptions": events, "status": "active"})
            self._secrets[record["id"]] = secret
            self._target_id = record["id"]
            return str(record["id"])

    def _targets(self) -> list[Target]:
        """Active event-subscribed webhooks, as delivery targets."""
        targets = []
        for webhook in self._webhooks.values():
            if webhook["status"] != "active" or CONDITIONAL_SUBSCRIPTION in webhook["subscriptions"]:
                continue
            targets.append(Target(webhook["id"], webhook["endpoint"], self._secrets[webhook["id"]],
                                  frozenset(webhook["subscriptions"]), _auth_headers(webhook)))
        return targets

    # --- native satisfaction (Zendesk's legacy CSAT, satisfaction.py) ---------------------------

    def simulate_satisfaction(self, ticket_id: int, score: str, *, comment: str | None = None,
                              reason_code: int | None = None) -> JSON:
        """Zendesk's own survey on a ticket: "offered" (sent, no answer yet), or the requester's "good"
        or "bad" (with a comment, and a reason with bad). A change runs the satisfaction triggers."""
        with self._lock:
            ticket = self._ticket(ticket_id)
            if score not in ("offered", "good", "bad"):
                raise ApiError(422, record_invalid("score", f"Score: {score!r} is not valid (offered, good, bad)"))
            if ticket["status"] not in ("solved", "closed"):
                raise ApiError(422, record_invalid("satisfaction_rating",
                                                   "Satisfaction rating: only a solved ticket can be rated"))
            if reason_code is not None and (score != "bad" or reason_code not in native.REASONS):
                raise ApiError(422, record_invalid("reason_code", "Reason code: can only be set on a bad rating, "
                                                                  f"one of {sorted(native.REASONS)}"))
            now = iso(self.now())
            rating = self._satisfaction.get(ticket_id)
            before = dict(rating) if rating is not None else None
            if rating is None:
                rating = {"id": self._next("satisfaction"), "assignee_id": ticket["assignee_id"],
                          "group_id": ticket["group_id"], "requester_id": ticket["requester_id"],
                          "ticket_id": ticket_id, "score": "offered", "comment": None, "reason": None,
                          "reason_code": None, "reason_id": None, "created_at": now, "updated_at": now}
                self._satisfaction[ticket_id] = rating
            rating.update(score=score, comment=comment if score != "offered" else None,
                          reason=native.REASONS[reason_code] if reason_code is not None else None,
                          reason_code=reason_code,
                          reason_id=native.REASON_ID_BASE + reason_code if reason_code is not None else None)
            if before is not None and {k: before[k] for k in ("score", "comment", "reason_code")} == {
                    k: rating[k] for k in ("score", "comment", "reason_code")}:
                return copy.deepcopy(rating)  # nothing changed: no update, no trigger
            rating["updated_at"] = now
            ticket["satisfaction_rating"] = native.on_ticket(rating)
            self._stamp(ticket)
            actor = ticket["requester_id"] if score != "offered" else -1
            self._fire_satisfaction_triggers(ticket, rating, actor)
            return copy.deepcopy(rating)

    def _fire_satisfaction_triggers(self, ticket: JSON, rating: JSON, actor_id: int) -> None:
        """Every active trigger with a `satisfaction_score` condition that holds posts its webhook body."""
        for trigger in self._resources["triggers"].values():
            if not native.fires(trigger, ticket, rating["score"]):
                continue
            for action in trigger.get("actions") or []:
                value = action.get("value")
                if action.get("field") != "notification_webhook" or not isinstance(value, list) or len(value) != 2:
                    continue
                webhook = self._webhooks.get(str(value[0]))
                if webhook is None or webhook["status"] != "active":
                    continue
                body = native.render(str(value[1]), ticket, rating, actor_id).encode("utf-8")
                target = Target(webhook["id"], webhook["endpoint"], self._secrets[webhook["id"]],
                                frozenset(webhook["subscriptions"]), _auth_headers(webhook))
                self.deliverer.enqueue_raw(target, body, f"trigger:{trigger['id']}", ticket["id"])

    def list_satisfaction_ratings(self, args: Mapping[str, str], url: str, *, base: str | None = None) -> JSON:
        """``GET /satisfaction_ratings``: filtered by score and time window, one page."""
        def seconds(name: str) -> int | None:
            raw = args.get(name)
            if raw in (None, ""):
                return None
            try:
                return int(str(raw))
            except ValueError:
                raise ApiError(400, {"error": "InvalidParameter",
                                     "description": f"{name} must be a Unix time in seconds"}) from None
        start, end = seconds("start_time"), seconds("end_time")
        with self._lock:
            items = [native.rating_json(r, self._base(base)) for r in sorted(self._satisfaction.values(),
                                                                                  key=lambda r: r["id"])
                     if native.wanted(r, args.get("score"), start, end)]
        return paginate("satisfaction_ratings", items, args, url)

    def get_satisfaction_rating(self, rating_id: int, *, base: str | None = None) -> JSON:
        """``GET /satisfaction_ratings/{id}``."""
        with self._lock:
            for rating in self._satisfaction.values():
                if rating["id"] == rating_id:
                    return {"satisfaction_rating": native.rating_json(rating, self._base(base))}
        raise ApiError(404, NOT_FOUND)

    # --- simulation: what customers and agents do in Zendesk ---------------------------------

    def _via(self, channel: str, requester: JSON | None) -> JSON:
        channel = CHANNEL_ALIASES.get(channel, channel)
        if channel == "email" and requester is not None:
            return {"channel": "email", "source": {
                "from": {"address": requester["email"], "name": requester["name"]},
                "to": {"address": f"support@{self.config.subdomain}.zendesk.com", "name": "Support"}, "rel": None}}
        return {"channel": channel, "source": {"from": {}, "to": {}, "rel": None}}

    def simulate_customer_ticket(self, *, subject: str, body: str, name: str | None = None,
                                 email: str | None = None, requester_id: int | None = None,
                                 channel: str = "email", tags: Sequence[str] = (),
                                 custom_fields: Mapping[int, Any] | Sequence[Mapping[str, Any]] | None = None,
                                 priority: str | None = None, ticket_type: str | None = None,
                                 group_id: int | None = None, external_id: str | None = None) -> int:
        """A customer writes in (a new end-user unless `requester_id`); returns the ticket id."""
        with self._lock:
            requester = requester_id if requester_id is not None else self._find_or_create_end_user(name, email)
            user = self._user(requester, "requester_id")
            data: JSON = {"subject": subject, "comment": {"body": body, "public": True}, "requester_id": requester,
                          "submitter_id": requester, "tags": list(tags), "priority": priority, "type": ticket_type,
                          "group_id": group_id, "external_id": external_id}
            if custom_fields is not None:
                data["custom_fields"] = custom_fields
            via = self._via(channel, user)
            ticket, _ = self._create(data, requester, via, None)
            if via["channel"] == "email":
                ticket["recipient"] = f"support@{self.config.subdomain}.zendesk.com"
            return int(ticket["id"])

    def simulate_user_locale(self, user_id: int, locale: str) -> None:
        """A user (or an agent for them) picks a language in Zendesk: the user's `locale` ("de",
        "pt-BR"; Zendesk answers the locale name, `locale_id` is its number and is left as it was)."""
        with self._lock:
            self._users[user_id]["locale"] = locale

    def simulate_agent_update(self, ticket_id: int, changes: Mapping[str, Any], *,
                              author_id: int | None = None) -> JSON:
        """An agent edits a ticket in the agent UI (any REST ticket properties); the ticket after."""
        with self._lock:
            ticket = self._ticket(ticket_id)
            agent = author_id or self.agent_id
            self.spend_agent_updates(1)  # agents' updates in the UI count against the Update Ticket limit
            update = dict(changes)
            if ticket["status"] == "new" and "status" not in update:
                update["status"] = "open"
            if ticket["assignee_id"] is None and "assignee_id" not in update:
                update["assignee_id"] = agent
            if "comment" in update and isinstance(update["comment"], Mapping):
                update["comment"] = {"author_id": agent, **update["comment"]}
            change, _ = self._update(ticket, update, agent, self._via("web", None))
            self._emit(ticket, change.notices, agent)
            return self._render_ticket(ticket)

    def simulate_agent_reply(self, ticket_id: int, body: str, *, public: bool = True,
                             author_id: int | None = None, status: str | None = None) -> int:
        """An agent answers (public by default); a new ticket becomes open. Returns the comment id."""
        changes: JSON = {"comment": {"body": body, "public": public}}
        if status is not None:
            changes["status"] = status
        with self._lock:
            self.simulate_agent_update(ticket_id, changes, author_id=author_id)
            return int(self._comments[ticket_id][-1]["id"])

    def simulate_status(self, ticket_id: int, status: str, *, author_id: int | None = None) -> None:
        """An agent sets the status (solving assigns the agent if nobody is assigned).

        ``closed`` is what Zendesk's automation does to solved tickets, so only a solved ticket closes.
        """
        with self._lock:
            ticket = self._ticket(ticket_id)
            if status == "closed" and ticket["status"] not in ("solved", "closed"):
                raise ApiError(422, record_invalid("status", "Status: only solved tickets can be closed"))
            self.simulate_agent_update(ticket_id, {"status": status}, author_id=author_id)

    def simulate_solve(self, ticket_id: int) -> None:
        """An agent solves the ticket."""
        self.simulate_status(ticket_id, "solved")

    def simulate_close(self, ticket_id: int) -> None:
        """The "close solved tickets" automation runs on this ticket (its actor is the system, -1)."""
        with self._lock:
            ticket = self._ticket(ticket_id)
            if ticket["status"] != "solved":
                raise ApiError(422, record_invalid("status", "Status: only solved tickets can be closed"))
            change, _ = self._update(ticket, {"status": "closed"}, -1, {"channel": "rule", "source": {
                "from": {"id": 1, "title": "Close ticket 4 days after status is set to solved"}, "to": {},
                "rel": "automation"}})
            self._emit(ticket, change.notices, -1)

    def simulate_customer_reply(self, ticket_id: int, body: str) -> int:
        """The requester writes back: a public comment that reopens a pending or solved ticket.

        A reply to a closed ticket makes a follow-up ticket, as Zendesk's email channel does; the id
        of the ticket the comment landed on is returned.
        """
        with self._lock:
            ticket = self._ticket(ticket_id)
            requester = self._user(ticket["requester_id"], "requester_id")
            via = self._via(ticket["via"].get("channel") or "email", requester)
            if ticket["status"] == "closed":
                followup, _ = self._create({"subject": f"Re: {ticket['subject'] or ''}".strip(),
                                            "comment": {"body": body}, "requester_id": requester["id"],
                                            "submitter_id": requester["id"],
                                            "via_followup_source_id": ticket_id}, requester["id"], via, None)
                return int(followup["id"])
            changes: JSON = {"comment": {"body": body, "public": True, "author_id": requester["id"]}}
            if ticket["status"] in ("pending", "solved"):
                changes["status"] = "open"
            change, _ = self._update(ticket, changes, requester["id"], via)
            self._emit(ticket, change.notices, requester["id"])
            return ticket_id

    def simulate_tags(self, ticket_id: int, add: Sequence[str] = (), remove: Sequence[str] = ()) -> list[str]:
        """An agent adds/removes tags; the tags after."""
        ticket = self.simulate_agent_update(ticket_id, {"additional_tags": list(add), "remove_tags": list(remove)})
        return list(ticket["tags"])


#: What `set_webhook_target` subscribes to by default: the ticket events feedbackloop parses.
DEFAULT_SUBSCRIPTIONS = tuple(TICKET_EVENT.format(name=name) for name in (
    "status_changed", "created", "comment_added", "tags_changed", "agent_assignment_changed"))


def _auth_headers(webhook: Mapping[str, Any]) -> dict[str, str]:
    """Headers a webhook's authentication and custom headers add to each delivery."""
    headers = {str(k): str(v) for k, v in (webhook.get("custom_headers") or {}).items()}
    auth = webhook.get("authentication") or {}
    data = auth.get("data") or {}
    if auth.get("type") == "basic_auth":
        pair = f"{data.get('username', '')}:{data.get('password', '')}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    elif auth.get("type") == "bearer_token":
        headers["Authorization"] = f"Bearer {data.get('token', '')}"
    elif auth.get("type") == "api_key" and data.get("name"):
        headers[str(data["name"])] = str(data.get("value", ""))
    return headers
