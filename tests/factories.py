"""Plain builders for test data."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any

from feedbackloop.helpdesks.base import TicketEvent


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def status_event(ticket_id: int, previous: str | None, current: str, at: datetime, *, requester_id: int = 9001,
                 tags: tuple[str, ...] = (), key: str | None = None, channel: str = "email") -> TicketEvent:
    """A neutral status change, as the Zendesk parser would produce it."""
    return TicketEvent(
        kind="status_changed", ticket_id=ticket_id, dedupe_key=key or str(uuid.uuid4()), occurred_at=at,
        event_type="zen:event-type:ticket.status_changed", status=current, previous_status=previous,
        requester_id=requester_id, channel=channel, tags=tags, updated_at=at,
    )


def envelope(ticket_id: int, previous: str, current: str, at: datetime, *, requester_id: int = 9001,
             tags: list[str] | None = None, event_id: str | None = None, account_id: int = 22129848,
             channel: str = "email", ticket_type: str | None = "QUESTION") -> dict[str, Any]:
    """An Events-API ticket.status_changed envelope in Zendesk's documented shape."""
    return {
        "account_id": account_id,
        "detail": {
            "actor_id": "8447388090494",
            "assignee_id": "8447388090494",
            "brand_id": "8447346621310",
            "created_at": iso(at),
            "custom_status": "8447320465790",
            "description": "My order never arrived",
            "external_id": None,
            "form_id": "8646151517822",
            "group_id": "8447320466430",
            "id": str(ticket_id),
            "is_public": True,
            "organization_id": None,
            "priority": "LOW",
            "requester_id": str(requester_id),
            "status": current.upper(),
            "subject": "Where is my order?",
            "submitter_id": str(requester_id),
            "tags": tags or [],
            "type": ticket_type,
            "updated_at": iso(at),
            "via": {"channel": channel},
        },
        "event": {"current": current.upper(), "previous": previous.upper()},
        "id": event_id or str(uuid.uuid4()),
        "subject": f"zen:ticket:{ticket_id}",
        "time": at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") + "123Z",  # nanoseconds, as Zendesk
        "type": "zen:event-type:ticket.status_changed",
        "zendesk_event_version": "2022-11-06",
    }


def body(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()
