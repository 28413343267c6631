"""Zendesk behind the `Helpdesk` protocol: signature.py verifies, events.py parses, client.py calls.

zenpy is imported only by client.py, and only when `client_for` is first called, so the webhook
receiver never loads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from feedbackloop.helpdesks.base import Account, TicketEvent
from feedbackloop.helpdesks.zendesk import events, signature

if TYPE_CHECKING:
    from feedbackloop.helpdesks.zendesk.client import ZendeskClient


class ZendeskHelpdesk:
    """The Zendesk integration."""

    name = "zendesk"

    def verify(
        self, headers: Mapping[str, str], body: bytes, secret: str, now: datetime, max_skew: float
    ) -> None:
        """Raise SignatureInvalid unless Zendesk signed this body with `secret`, recently."""
        signature.verify(headers, body, secret, now, max_skew)

    def parse(self, headers: Mapping[str, str], body: bytes) -> TicketEvent | None:
        """The event in a verified body; None when deliberately ignored."""
        return events.parse(headers, body)

    def client_for(self, account: Account, timeout: float = 10.0) -> ZendeskClient:
        """A REST client for `account`; it may be shared by worker threads."""
        from feedbackloop.helpdesks.zendesk.client import ZendeskClient

        return ZendeskClient(account, timeout=timeout)


__all__ = ["ZendeskHelpdesk"]
