"""POST /webhooks/zendesk: raw body → verify → parse → store event + enqueue, one transaction → 200.

Nothing here calls the helpdesk: Zendesk gives up after ~10 s and does not retry a 500, so the
only work in the request is a verified insert. Duplicates (same event id or invocation id) hit
a unique key and are acknowledged without a second effect.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from feedbackloop import logs, prom
from feedbackloop.db import session_scope, utcnow
from feedbackloop.errors import BadRequest, ConfigError, SignatureInvalid, UnsupportedEvent
from feedbackloop.helpdesks.base import TicketEvent
from feedbackloop.models import DEFAULT_TENANT, Job, WebhookEvent
from feedbackloop.ratelimit import count_failed_signature
from feedbackloop.services import services_of
from feedbackloop.tenants import TENANT_ID

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
    if tenant_id != DEFAULT_TENANT and not TENANT_ID.fullmatch(tenant_id):  # no such name can exist; and
        return jsonify(error="unknown_account", message="no such tenant"), 404  # NUL would fail the lookup
    return receive_webhook(tenant_id)


def receive_webhook(tenant_id: str) -> ResponseReturnValue:
    """Verify, parse and durably store one delivery; answer with a JSON outcome.

    Operability: each outcome is logged with the tenant, ticket and event ids and counted in
    /metrics (feedbackloop_webhooks_total), here only, so the steps below stay as they were.
    """
    try:
        answer = _receive_webhook(tenant_id)
    except (BadRequest, HTTPException) as exc:
        status = exc.status_code if isinstance(exc, BadRequest) else (exc.code or 500)
        _record_outcome("refused" if status < 500 else "error", f"HTTP {status}: {exc}")
        raise
    except Exception:
        _record_outcome("error", "unexpected error")
        raise
    response = current_app.make_response(answer)
    outcome = (response.get_json(silent=True) or {}).get("status") if response.status_code == 200 else None
    _record_outcome(outcome or "refused", f"HTTP {response.status_code}")
    return response


def _record_outcome(outcome: str, detail: str) -> None:
    """Log and count one delivery's outcome; the tenant label is set only once its account was found."""
    log.info("webhook %s (%s)", outcome, detail[:160])
    prom.count_webhook(str(logs.current().get("tenant_id") or prom.NO_TENANT), outcome)


def _receive_webhook(tenant_id: str) -> ResponseReturnValue:
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
    logs.annotate(tenant_id=tenant_id)  # operability: a known tenant from here on
    headers = dict(request.headers.items())
    now = utcnow()
    secret = account.webhook_secret
    webhook_id = request.headers.get(WEBHOOK_ID_HEADER, "").strip()
    if webhook_id:  # an installed webhook: verify with its own secret
        secret = services.webhook_secret_for(tenant_id, webhook_id[:100]) or secret
    try:
        services.helpdesk.verify(headers, body, secret, now, services.settings.webhook_max_skew)
    except SignatureInvalid:
        count_failed_signature(tenant_id)  # a flood of bad signatures turns into 429s; valid ones never count
        raise
    try:
        event = services.helpdesk.parse(headers, body)
    except UnsupportedEvent as exc:
        log.info("acknowledged unsupported event type %s", exc.event_type)
        return jsonify(status="ignored", reason=str(exc)), 200
    if event is None:
        return jsonify(status="ignored", reason="event type deliberately ignored"), 200
    logs.annotate(ticket_id=event.ticket_id)  # operability
    with session_scope(services.factory) as session:
        stored = store_event(session, tenant_id, services.helpdesk.name, event, source="webhook", now=now)
    logs.annotate(event_id=stored)  # operability
    if stored is None:
        return jsonify(status="duplicate", ticket_id=event.ticket_id), 200
    return jsonify(status="accepted", event_id=stored, ticket_id=event.ticket_id), 200


#: INSERT … ON CONFLICT DO NOTHING per backend: a repeated delivery is a no-op instead of an error,
#: so storing one needs no SAVEPOINTs and no ORM unit of work (bench/RESULTS.md, webhook ingest).
_INSERT_IGNORING: dict[str, Any] = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}


@functools.cache
def _ingest_statements(dialect: str) -> tuple[Any, Any]:
    """The event insert (returning its id) and the job insert, built once per backend."""
    insert = _INSERT_IGNORING[dialect]
    events, job_rows = WebhookEvent.__table__, Job.__table__
    insert_event = insert(events).on_conflict_do_nothing(
        index_elements=["tenant_id", "helpdesk", "dedupe_key"]).returning(events.c.id)
    insert_job = insert(job_rows).on_conflict_do_nothing(index_elements=["tenant_id", "dedupe_key"])
    return insert_event, insert_job


def store_event(
    session: Session, tenant_id: str, helpdesk: str, event: TicketEvent, *, source: str, now: Any
) -> int | None:
    """Insert the event and its processing job; None if this delivery was seen before.

    Two Core statements rather than ORM adds in savepoints: the same rows and the same answer to a
    duplicate (counted, nothing enqueued), at about a third of the database work per webhook.
    The job row is the one `jobs.enqueue` would add.
    """
    insert_event, insert_job = _ingest_statements(session.get_bind().dialect.name)
    dedupe_key = event.dedupe_key[:200]
    event_id = session.execute(insert_event, {
        "tenant_id": tenant_id, "helpdesk": helpdesk, "dedupe_key": dedupe_key, "source": source,
        "event_type": event.event_type[:120], "kind": event.kind, "ticket_id": event.ticket_id,
        "status": event.status, "previous_status": event.previous_status, "occurred_at": event.occurred_at,
        "received_at": now, "payload": event_payload(event), "duplicates": 0,
    }).scalar()
    if event_id is None:
        session.execute(
            update(WebhookEvent)
            .where(
                WebhookEvent.tenant_id == tenant_id,
                WebhookEvent.helpdesk == helpdesk,
                WebhookEvent.dedupe_key == dedupe_key,
            )
            .values(duplicates=WebhookEvent.duplicates + 1)
        )
        return None
    session.execute(insert_job, {
        "tenant_id": tenant_id, "kind": "process_ticket", "dedupe_key": f"process:{event_id}",
        "ticket_id": event.ticket_id, "args": {"event_id": event_id}, "state": "pending", "run_after": now,
        "attempts": 0, "rate_limited": 0, "lease_until": None, "locked_by": None, "last_error": None,
        "result": None, "created_at": now, "updated_at": now,
    })
    return int(event_id)


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
