"""Reconciliation: Zendesk drops webhooks (circuit breaker, best effort), so we periodically read
the incremental ticket export and turn any status we did not hear about into a synthetic event
that flows through the same pipeline as a webhook."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.helpdesks.base import HelpdeskClient, Ticket, TicketEvent
from feedbackloop.loop.csat_sources import queue_record
from feedbackloop.loop.receive import store_event
from feedbackloop.store.models import SyncCursor, TicketState

CURSOR_NAME = "tickets"
FIRST_LOOKBACK = timedelta(days=2)
MAX_PAGES_PER_RUN = 20


def reconcile(session: Session, client: HelpdeskClient, tenant_id: str, helpdesk: str, now: datetime,
              watched_tags: tuple[str, ...] = (), native_ratings: bool = False) -> str:
    """Read changed tickets since the saved cursor; store events for statuses and watched tags
    (the `ai_override` tag) we missed; with `native_ratings`, record each ticket's own satisfaction
    rating (Zendesk's CSAT, native.py) in a job of its own.

    Seven parameters: the job step's context unpacked by its one caller (runner/tasks.py), plus the
    two switches that say what to watch; a context object here would hide which of them it reads."""
    cursor_row = session.get(SyncCursor, (tenant_id, CURSOR_NAME))
    if cursor_row is None:
        cursor_row = SyncCursor(tenant_id=tenant_id, name=CURSOR_NAME, cursor=None, since=now - FIRST_LOOKBACK,
                                updated_at=now)
        session.add(cursor_row)
    synthesized = seen = 0
    for _ in range(MAX_PAGES_PER_RUN):
        page = client.changed_tickets(cursor_row.since or now - FIRST_LOOKBACK, cursor_row.cursor)
        for ticket in page.tickets:
            seen += 1
            state = session.scalars(
                select(TicketState).where(TicketState.tenant_id == tenant_id, TicketState.ticket_id == ticket.id)
            ).one_or_none()
            synthesized += _reconcile_ticket(session, tenant_id, helpdesk, ticket, state, now)
            synthesized += _reconcile_tags(session, tenant_id, helpdesk, ticket, state, watched_tags, now)
            if native_ratings and ticket.satisfaction is not None and ticket.satisfaction.score != "unoffered":
                queue_record(session, tenant_id, ticket.satisfaction, now)
        cursor_row.cursor = page.cursor or cursor_row.cursor
        cursor_row.updated_at = now
        if page.end_of_stream:
            break
    return f"checked {seen} changed tickets, found {synthesized} missed status or tag changes"


def _reconcile_ticket(session: Session, tenant_id: str, helpdesk: str, ticket: Ticket, state: TicketState | None,
                      now: datetime) -> int:
    known = state.status if state else None
    if ticket.status == known or ticket.updated_at is None:
        return 0
    if state is not None and state.status_at is not None and ticket.updated_at <= state.status_at:
        return 0
    if known is None and ticket.status not in ("solved", "closed"):
        return 0  # never seen and not solved: nothing to survey yet
    key = f"reconcile:{ticket.id}:{ticket.status}:{ticket.updated_at.isoformat()}"
    event = ticket_event(ticket, "status_changed", key, previous_status=known)
    return 1 if store_event(session, tenant_id, helpdesk, event, source="reconcile", now=now) else 0


def ticket_event(ticket: Ticket, kind: str, dedupe_key: str, previous_status: str | None = None,
                 extra: dict[str, Any] | None = None) -> TicketEvent:
    """The event a webhook would have carried, from the ticket as the export shows it (at its `updated_at`)."""
    assert ticket.updated_at is not None
    return TicketEvent(
        kind=kind, ticket_id=ticket.id, dedupe_key=dedupe_key, occurred_at=ticket.updated_at,
        event_type="reconcile:incremental_export", status=ticket.status, previous_status=previous_status,
        requester_id=ticket.requester_id, assignee_id=ticket.assignee_id, group_id=ticket.group_id,
        brand_id=ticket.brand_id, organization_id=ticket.organization_id, channel=ticket.channel,
        ticket_type=ticket.ticket_type, subject=ticket.subject, tags=ticket.tags, updated_at=ticket.updated_at,
        extra=extra or {},
    )


def _reconcile_tags(session: Session, tenant_id: str, helpdesk: str, ticket: Ticket, state: TicketState | None,
                    watched: tuple[str, ...], now: datetime) -> int:
    """A watched tag on the ticket that our snapshot lacks was added while its webhook was lost: store
    the tag change a trigger would have sent (overrides.capture_override records one override per tag
    change, so a late delivery of the real webhook adds nothing).

    Its parameters are the reconciliation pass's state for one ticket."""
    if not watched or ticket.updated_at is None or state is None:
        return 0  # never seen: nothing of ours to override, and no snapshot to compare with
    if state.snapshot_at is not None and ticket.updated_at <= state.snapshot_at:
        return 0
    added = tuple(tag for tag in watched if tag in ticket.tags and tag not in (state.tags or []))
    if not added:
        return 0
    event = ticket_event(ticket, "tags_changed",
                         f"reconcile:{ticket.id}:tags:{','.join(added)}:{ticket.updated_at.isoformat()}",
                         extra={"added": list(added), "removed": []})
    return 1 if store_event(session, tenant_id, helpdesk, event, source="reconcile", now=now) else 0
