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
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from feedbackloop.helpdesks.sandbox import satisfaction as native
from feedbackloop.helpdesks.sandbox.bulk import BulkJobs
from feedbackloop.helpdesks.sandbox.common import BRAND_ID as BRAND_ID
from feedbackloop.helpdesks.sandbox.common import CHANNEL_ALIASES as CHANNEL_ALIASES
from feedbackloop.helpdesks.sandbox.common import EXPORT_PER_PAGE as EXPORT_PER_PAGE
from feedbackloop.helpdesks.sandbox.common import FORBIDDEN as FORBIDDEN
from feedbackloop.helpdesks.sandbox.common import ID_FIELDS as ID_FIELDS
from feedbackloop.helpdesks.sandbox.common import ID_STARTS as ID_STARTS
from feedbackloop.helpdesks.sandbox.common import JOB_CONFLICT as JOB_CONFLICT
from feedbackloop.helpdesks.sandbox.common import MAX_BULK as MAX_BULK
from feedbackloop.helpdesks.sandbox.common import NOTICE_FIELDS as NOTICE_FIELDS
from feedbackloop.helpdesks.sandbox.common import SCALAR_FIELDS as SCALAR_FIELDS
from feedbackloop.helpdesks.sandbox.common import TICKET_FORM_ID as TICKET_FORM_ID
from feedbackloop.helpdesks.sandbox.common import TICKET_UPDATE_LIMITED as TICKET_UPDATE_LIMITED
from feedbackloop.helpdesks.sandbox.common import TOO_MANY_JOBS as TOO_MANY_JOBS
from feedbackloop.helpdesks.sandbox.common import TRIAL_TICKET_UPDATE_LIMIT as TRIAL_TICKET_UPDATE_LIMIT
from feedbackloop.helpdesks.sandbox.common import UI_CLIENT as UI_CLIENT
from feedbackloop.helpdesks.sandbox.common import UPPER_FIELDS as UPPER_FIELDS
from feedbackloop.helpdesks.sandbox.common import ApiError as ApiError
from feedbackloop.helpdesks.sandbox.common import Refusal as Refusal
from feedbackloop.helpdesks.sandbox.common import RequestRecord as RequestRecord
from feedbackloop.helpdesks.sandbox.common import SandboxConfig as SandboxConfig
from feedbackloop.helpdesks.sandbox.common import _as_id as _as_id
from feedbackloop.helpdesks.sandbox.common import _audit_value as _audit_value
from feedbackloop.helpdesks.sandbox.common import _Change as _Change
from feedbackloop.helpdesks.sandbox.common import _custom_pairs as _custom_pairs
from feedbackloop.helpdesks.sandbox.common import _notice_value as _notice_value
from feedbackloop.helpdesks.sandbox.common import _truthy as _truthy
from feedbackloop.helpdesks.sandbox.common import _upper as _upper
from feedbackloop.helpdesks.sandbox.common import payload_object
from feedbackloop.helpdesks.sandbox.deliver import (
    TICKET_EVENT,
    Deliverer,
    DeliveryRecord,
    Target,
    ticket_envelope,
)
from feedbackloop.helpdesks.sandbox.export import ExportAndSearch
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
    iso,
    new_signing_secret,
    parse_iso,
    record_invalid,
    signing_secret_json,
    tag_list,
    ulid,
    user_json,
    webhook_error,
)
from feedbackloop.helpdesks.sandbox.simulate import Simulation


class SandboxState(BulkJobs, ExportAndSearch, Simulation):
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
        self.generation = getattr(self, "generation", 0)  # reset() counts up: see log_request
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
            # a request in flight across the reset (a delayed answer) belongs to the account before it
            self.generation += 1

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
        Its parameters describe one fault as a test states it, all keywords.
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

    def log_request(self, record: RequestRecord, generation: int | None = None) -> None:
        """Add one API request to the log; not when it began before a `reset` (`generation` then is an
        older one): a fault's delayed answer must not land in the next test's fresh log."""
        with self._lock:
            if generation is not None and generation != self.generation:
                return
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
        return payload_object(payload, key)

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
