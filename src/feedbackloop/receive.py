"""POST /webhooks/zendesk: raw body → verify → parse → store event + enqueue, one transaction → 200.

Nothing here calls the helpdesk: Zendesk gives up after ~10 s and does not retry a 500, so the
only work in the request is a verified insert. Duplicates (same event id or invocation id) hit
a unique key and are acknowledged without a second effect.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackloop import jobs
from feedbackloop.db import session_scope, utcnow
from feedbackloop.errors import BadRequest, ConfigError, UnsupportedEvent
from feedbackloop.helpdesks.base import TicketEvent
from feedbackloop.models import DEFAULT_TENANT, WebhookEvent
from feedbackloop.services import services_of

log = logging.getLogger(__name__)
bp = Blueprint("receive", __name__)

#: Zendesk caps trigger payloads at 16,000 characters; event envelopes are small. Anything
#: far larger is not from Zendesk.
MAX_WEBHOOK_BYTES = 256 * 1024
WEBHOOK_ID_HEADER = "X-Zendesk-Webhook-Id"


@bp.post("/webhooks/zendesk")
def zendesk_webhook() -> ResponseReturnValue:
    """The env-configured account (the default tenant)."""
    return receive_webhook(DEFAULT_TENANT)


@bp.post("/webhooks/zendesk/<tenant_id>")
def tenant_webhook(tenant_id: str) -> ResponseReturnValue:
    """One tenant's account: verified with that tenant's secret only, stored under that tenant."""
    if len(tenant_id) > 64:
        return jsonify(error="unknown_account", message="no such tenant"), 404
    return receive_webhook(tenant_id)


def receive_webhook(tenant_id: str) -> ResponseReturnValue:
    """Verify, parse and durably store one delivery; answer with a JSON outcome."""
    services = services_of(current_app)
    length = request.content_length
    if length is not None and length > MAX_WEBHOOK_BYTES:
        raise BadRequest(f"body larger than {MAX_WEBHOOK_BYTES} bytes", 413)
    body = request.get_data(cache=False)
    if len(body) > MAX_WEBHOOK_BYTES:
        raise BadRequest(f"body larger than {MAX_WEBHOOK_BYTES} bytes", 413)
    try:
        account = services.account_for(tenant_id)
    except ConfigError:
        return jsonify(error="unknown_account", message=f"no helpdesk account for tenant {tenant_id!r}"), 404
    headers = dict(request.headers.items())
    now = utcnow()
    secret = account.webhook_secret
    webhook_id = request.headers.get(WEBHOOK_ID_HEADER, "").strip()
    if webhook_id:  # an installed webhook: verify with its own secret
        secret = services.webhook_secret_for(tenant_id, webhook_id[:100]) or secret
    services.helpdesk.verify(headers, body, secret, now, services.settings.webhook_max_skew)
    try:
        event = services.helpdesk.parse(headers, body)
    except UnsupportedEvent as exc:
        log.info("acknowledged unsupported event type %s", exc.event_type)
        return jsonify(status="ignored", reason=str(exc)), 200
    if event is None:
        return jsonify(status="ignored", reason="event type deliberately ignored"), 200
    with session_scope(services.factory) as session:
        stored = store_event(session, tenant_id, services.helpdesk.name, event, source="webhook", now=now)
    if stored is None:
        return jsonify(status="duplicate", ticket_id=event.ticket_id), 200
    return jsonify(status="accepted", event_id=stored, ticket_id=event.ticket_id), 200


def store_event(
    session: Session, tenant_id: str, helpdesk: str, event: TicketEvent, *, source: str, now: Any
) -> int | None:
    """Insert the event and its processing job; None if this delivery was seen before."""
    row = WebhookEvent(
        tenant_id=tenant_id,
        helpdesk=helpdesk,
        dedupe_key=event.dedupe_key[:200],
        source=source,
        event_type=event.event_type[:120],
        kind=event.kind,
        ticket_id=event.ticket_id,
        status=event.status,
        previous_status=event.previous_status,
        occurred_at=event.occurred_at,
        received_at=now,
        payload=event_payload(event),
        duplicates=0,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        session.execute(
            update(WebhookEvent)
            .where(
                WebhookEvent.tenant_id == tenant_id,
                WebhookEvent.helpdesk == helpdesk,
                WebhookEvent.dedupe_key == event.dedupe_key[:200],
            )
            .values(duplicates=WebhookEvent.duplicates + 1)
        )
        return None
    jobs.enqueue(
        session, "process_ticket", f"process:{row.id}", {"event_id": row.id},
        now=now, tenant_id=tenant_id, ticket_id=event.ticket_id,
    )
    return row.id


def event_payload(event: TicketEvent) -> dict[str, Any]:
    """The neutral event as JSON, so processing never re-parses vendor bodies."""
    return {
        "kind": event.kind,
        "status": event.status,
        "previous_status": event.previous_status,
        "requester_id": event.requester_id,
        "assignee_id": event.assignee_id,
        "group_id": event.group_id,
        "brand_id": event.brand_id,
        "organization_id": event.organization_id,
        "channel": event.channel,
        "ticket_type": event.ticket_type,
        "subject": event.subject,
        "tags": list(event.tags),
        "updated_at": event.updated_at.isoformat() if event.updated_at else None,
        "actor_id": event.actor_id,
        "extra": dict(event.extra),
    }


def find_event(session: Session, tenant_id: str, event_id: int) -> WebhookEvent | None:
    return session.scalars(
        select(WebhookEvent).where(WebhookEvent.tenant_id == tenant_id, WebhookEvent.id == event_id)
    ).one_or_none()
