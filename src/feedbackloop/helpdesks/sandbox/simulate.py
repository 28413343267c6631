"""What customers and agents do in the sandbox Zendesk (new tickets, replies, status changes, tags):
the test and demo driver, apart from the API behaviour (a mixin of SandboxState)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

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
from feedbackloop.helpdesks.sandbox.shapes import (
    JSON,
    record_invalid,
)


class Simulation:
    """Part of SandboxState: the methods below expect its lock and records (declared here for mypy)."""

    if TYPE_CHECKING:
        config: SandboxConfig
        agent_id: int
        _users: dict[int, JSON]
        _lock: threading.RLock
        _comments: dict[int, list[JSON]]
        def _create(self, data: Mapping[str, Any], actor_id: int, via: Mapping[str, Any],
                    client: Mapping[str, Any] | None) -> tuple[JSON, JSON]: ...
        def _emit(self, ticket: JSON, notices: Iterable[tuple[str, JSON]], actor_id: int) -> None: ...
        def _find_or_create_end_user(self, name: str | None, email: str | None) -> int: ...
        def _render_ticket(self, ticket: JSON, base: str | None = None) -> JSON: ...
        def _ticket(self, ticket_id: int) -> JSON: ...
        def _update(self, ticket: JSON, changes: Mapping[str, Any], actor_id: int, via: Mapping[str, Any],
                    *, creating: bool = False,
                    client: Mapping[str, Any] | None = None) -> tuple[_Change, JSON]: ...
        def _user(self, user_id: int | None, field_name: str) -> JSON: ...
        def spend_agent_updates(self, count: int = 1) -> int: ...

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
        """A customer writes in (a new end-user unless `requester_id`); returns the ticket id.

        Its parameters are what a customer's new ticket may carry, keywords past the subject and body.
        """
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
