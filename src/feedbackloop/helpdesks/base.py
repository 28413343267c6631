"""The helpdesk seam: neutral types and the two protocols every helpdesk folder implements.

Core modules speak only these types; nothing above `helpdesks/<vendor>/` sees a vendor object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

#: Statuses in the neutral, lower-case spelling (Zendesk REST spelling).
STATUSES = frozenset({"new", "open", "pending", "hold", "solved", "closed", "deleted", "archived", "scrubbed"})
#: Leaving `solved` for one of these is a reopen.
REOPEN_STATUSES = frozenset({"new", "open", "pending", "hold"})


@dataclass(frozen=True)
class Account:
    """Where and how to reach one helpdesk account (one tenant)."""

    subdomain: str
    email: str
    api_token: str
    webhook_secret: str
    api_url: str | None = None  # overrides https://<subdomain>.zendesk.com (sandbox, proxy)

    def __repr__(self) -> str:  # secrets never reach a log line through repr()
        return f"Account(subdomain={self.subdomain!r}, email={self.email!r}, api_url={self.api_url!r})"


@dataclass(frozen=True)
class TicketEvent:
    """One thing that happened to a ticket, as the helpdesk told us, normalised.

    `kind` is neutral: "status_changed", "created", "comment_added", "tags_changed".
    `dedupe_key` is stable across redeliveries of the same event.
    """

    kind: str
    ticket_id: int
    dedupe_key: str
    occurred_at: datetime
    event_type: str  # the vendor's own name, e.g. zen:event-type:ticket.status_changed
    status: str | None = None  # current status, lower-case
    previous_status: str | None = None
    requester_id: int | None = None
    assignee_id: int | None = None
    group_id: int | None = None
    brand_id: int | None = None
    organization_id: int | None = None
    channel: str | None = None
    ticket_type: str | None = None
    subject: str | None = None
    tags: tuple[str, ...] = ()
    updated_at: datetime | None = None
    actor_id: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NativeRating:
    """The helpdesk's own satisfaction rating of a ticket (Zendesk's legacy CSAT, issue 23).

    `score` is Zendesk's: "offered" (the survey went out, no answer yet), "unoffered", "good" or
    "bad". `reason` (Zendesk's words) and `reason_id` come only with "bad" (when the account has reasons on).
    """

    ticket_id: int
    score: str
    id: int | None = None
    comment: str | None = None
    reason: str | None = None
    reason_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class NativeRatingPage:
    """One page of the helpdesk's satisfaction ratings; `cursor` reads the next (None: no more)."""

    ratings: list[NativeRating]
    cursor: str | None


@dataclass(frozen=True)
class Ticket:
    """A ticket as read from the helpdesk API."""

    id: int
    status: str
    requester_id: int | None
    updated_at: datetime | None
    tags: tuple[str, ...] = ()
    subject: str | None = None
    channel: str | None = None
    ticket_type: str | None = None
    assignee_id: int | None = None
    group_id: int | None = None
    brand_id: int | None = None
    organization_id: int | None = None
    external_id: str | None = None
    created_at: datetime | None = None
    custom_fields: Mapping[int, Any] = field(default_factory=dict)
    satisfaction: NativeRating | None = None  # the ticket's `satisfaction_rating`, when it has one


@dataclass(frozen=True)
class Comment:
    """One comment on a ticket."""

    id: int
    author_id: int | None
    body: str
    public: bool
    created_at: datetime | None = None
    html_body: str | None = None


@dataclass(frozen=True)
class User:
    """A helpdesk user (requester or agent)."""

    id: int
    name: str | None
    email: str | None
    role: str | None = None
    organization_id: int | None = None
    locale: str | None = None  # the user's language, e.g. "de" or "pt-BR" (survey language, i18n.py)


@dataclass(frozen=True)
class TicketUpdate:
    """Everything we change on a ticket, sent as ONE update (per-ticket update limits).

    Zendesk's single-ticket update replaces the whole tag list, so `tags` is the full new
    set, computed from the tags we last saw, and `updated_stamp` (the `updated_at` we saw
    them at) turns on collision protection: the helpdesk answers Conflict if the ticket
    changed since, and the caller re-reads and recomputes. Tags set by others survive.
    """

    comment_body: str | None = None
    comment_html: str | None = None
    comment_public: bool = False
    tags: tuple[str, ...] | None = None
    custom_fields: Mapping[int, Any] = field(default_factory=dict)
    updated_stamp: datetime | None = None
    status: str | None = None  # e.g. "solved" for a review task that is no longer needed


@dataclass(frozen=True)
class NewTicket:
    """A ticket we create (review tasks). No requester: the API user is the requester."""

    subject: str
    comment_body: str
    comment_public: bool = False
    ticket_type: str = "task"
    due_at: datetime | None = None
    group_id: int | None = None
    tags: tuple[str, ...] = ()
    external_id: str | None = None
    custom_fields: Mapping[int, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BulkUpdate:
    """The same change to up to 100 tickets, as one helpdesk job.

    Zendesk's documented bulk form (``update_many?ids=`` with one ``ticket`` object) takes the same
    change for every ticket; its docs disagree on whether ``additional_tags``/``remove_tags`` work in
    the per-ticket list form, so that form is not used. Tags are added and removed, never replaced.
    Zendesk safe-updates every bulk job: a ticket changed after the job was queued fails in the
    job's results, and the caller falls back to a single update for it.
    """

    ticket_ids: tuple[int, ...]
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    custom_fields: Mapping[int, Any] = field(default_factory=dict)
    comment_body: str | None = None
    comment_public: bool = False


@dataclass(frozen=True)
class BatchStatus:
    """A bulk update as the helpdesk reports it: finished or not, and each ticket's outcome
    (None = updated, else the error)."""

    done: bool
    results: Mapping[int, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class TicketPage:
    """One page of tickets changed since a point in time, for reconciliation."""

    tickets: Sequence[Ticket]
    cursor: str | None
    end_of_stream: bool


class HelpdeskClient(Protocol):
    """The API calls core code makes. Errors are errors.Retryable / Conflict / Permanent."""

    def get_ticket(self, ticket_id: int) -> Ticket: ...

    def list_comments(self, ticket_id: int) -> list[Comment]: ...

    def get_user(self, user_id: int) -> User: ...

    def update_ticket(self, ticket_id: int, update: TicketUpdate) -> Ticket: ...

    def create_ticket(self, ticket: NewTicket) -> Ticket: ...

    def find_tickets_by_external_id(self, external_id: str) -> list[Ticket]: ...

    def changed_tickets(self, since: datetime, cursor: str | None = None) -> TicketPage: ...

    def satisfaction_ratings(self, start: datetime, end: datetime, cursor: str | None = None) -> NativeRatingPage:
        """The helpdesk's own satisfaction ratings changed in [start, end), a page at a time (issue 23)."""
        ...

    def satisfaction_rating(self, rating_id: int) -> NativeRating:
        """One of the helpdesk's own satisfaction ratings, whole."""
        ...

    def update_many(self, update: BulkUpdate) -> str:
        """Queue one bulk update of up to 100 tickets; return the helpdesk's job id."""
        ...

    def batch_status(self, job_id: str) -> BatchStatus: ...

    def ticket_url(self, ticket_id: int) -> str: ...


class Helpdesk(Protocol):
    """A helpdesk integration: verify and parse its webhooks, build its API client."""

    name: str

    def verify(self, headers: Mapping[str, str], body: bytes, secret: str, now: datetime, max_skew: float) -> None:
        """Raise errors.SignatureInvalid unless the request is signed by the account's secret."""
        ...

    def parse(self, headers: Mapping[str, str], body: bytes) -> TicketEvent | None:
        """Return the event, None for a deliberately ignored one; raise UnsupportedEvent / BadRequest."""
        ...

    def client_for(self, account: Account, timeout: float = 10.0) -> HelpdeskClient:
        """An API client; `timeout` bounds each HTTP call (a slow answer is retried later)."""
        ...
