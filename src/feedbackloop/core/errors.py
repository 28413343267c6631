"""Typed errors, one family per boundary; translated once, rendered centrally."""

from __future__ import annotations


class FeedbackloopError(Exception):
    """Base of every error this package raises on purpose."""


class ConfigError(FeedbackloopError):
    """A setting is missing or invalid; the message names it."""


class BadRequest(FeedbackloopError):
    """Input we refuse with a 4xx and a reason."""

    status_code = 400

    def __init__(self, reason: str, status_code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        if status_code is not None:
            self.status_code = status_code


class SignatureInvalid(BadRequest):
    """Webhook signature or timestamp refused (401)."""

    status_code = 401


class UnsupportedEvent(FeedbackloopError):
    """A signed event we do not handle: acknowledged with 200 so the sender does not retry."""

    def __init__(self, event_type: str) -> None:
        super().__init__(f"unsupported event type: {event_type}")
        self.event_type = event_type


class HelpdeskError(FeedbackloopError):
    """A call to the helpdesk failed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Retryable(HelpdeskError):
    """Try again later; `retry_after` seconds when the helpdesk said so (429 Retry-After).

    `scope` says which budget ran out: "account" (the account's per-minute limit: every job of the
    tenant waits) or "ticket_updates" (Zendesk's Update Ticket endpoint limit, or our own pacing of
    it: only jobs that update tickets wait).
    """

    def __init__(self, reason: str, retry_after: float | None = None, rate_limited: bool = False,
                 scope: str = "account") -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.rate_limited = rate_limited
        self.scope = scope


class Conflict(HelpdeskError):
    """The ticket changed since we read it (409 on safe_update): re-read, then decide again."""


class Permanent(HelpdeskError):
    """Retrying will not help (closed ticket, deleted ticket, validation error)."""

    def __init__(self, reason: str, code: str = "permanent") -> None:
        super().__init__(reason)
        self.code = code


class TicketClosed(Permanent):
    """Zendesk answers 422 to any update of a closed ticket."""

    def __init__(self, reason: str = "ticket is closed and cannot be updated") -> None:
        super().__init__(reason, code="closed")


class TicketNotFound(Permanent):
    """The ticket was deleted (404)."""

    def __init__(self, reason: str = "ticket not found") -> None:
        super().__init__(reason, code="not_found")
