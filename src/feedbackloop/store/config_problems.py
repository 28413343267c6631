"""Configuration problems found while running (Zendesk refused the credentials, a bad API URL), kept in
the database so `/healthz` in any process reports them, not only the worker that hit them.

One row in `sync_cursors` per tenant under the name `PROBLEM_NAME` (no migration): `cursor` holds the
message for the admin, `since` when it was first seen. A job of that tenant that succeeds clears it
(checked at most every `CLEAR_EVERY` seconds per process). Best effort: a failure here is logged,
never raised into the job.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from feedbackloop.store.db import session_scope
from feedbackloop.store.models import SyncCursor

log = logging.getLogger(__name__)

PROBLEM_NAME = "~config_problem"
CLEAR_EVERY = 30.0
#: Permanent error codes (helpdesks/zendesk/client.py) that mean the settings are wrong, with the fix.
FIXES = {
    "auth": "Zendesk refused the API credentials: check ZENDESK_SUBDOMAIN, ZENDESK_EMAIL and ZENDESK_API_TOKEN "
            "(Admin Center > Apps and integrations > APIs > Zendesk API), then run `feedbackloop doctor`",
    "config": "the Zendesk API address is not a valid URL: check ZENDESK_SUBDOMAIN (e.g. acme) and ZENDESK_API_URL, "
              "then run `feedbackloop config check`",
}

_cleared: dict[str, float] = {}
_lock = threading.Lock()


def problem_for(code: str | None) -> str | None:
    """The admin's message for a helpdesk error code, or None when it is no configuration problem."""
    return FIXES.get(code or "")


def record(factory: sessionmaker[Session], tenant_id: str, message: str, detail: str, now: datetime) -> None:
    """Remember that `tenant_id`'s configuration failed a job (the first sighting's time is kept)."""
    text = f"{message} (last error: {detail[:300]})"
    try:
        with session_scope(factory) as session:
            row = session.get(SyncCursor, (tenant_id, PROBLEM_NAME))
            if row is None:
                session.add(SyncCursor(tenant_id=tenant_id, name=PROBLEM_NAME, cursor=text, since=now, updated_at=now))
            else:
                row.cursor, row.updated_at = text, now
        with _lock:
            _cleared.pop(tenant_id, None)
    except SQLAlchemyError as exc:
        log.warning("could not record a configuration problem: %s", type(exc).__name__)


def clear(factory: sessionmaker[Session], tenant_id: str) -> None:
    """A job of `tenant_id` worked: its configuration problem, if any, is over."""
    with _lock:
        due = time.monotonic() - _cleared.get(tenant_id, float("-inf")) >= CLEAR_EVERY
        if due:
            _cleared[tenant_id] = time.monotonic()
    if not due:
        return
    try:
        with session_scope(factory) as session:
            session.execute(delete(SyncCursor).where(SyncCursor.tenant_id == tenant_id,
                                                     SyncCursor.name == PROBLEM_NAME))
    except SQLAlchemyError as exc:
        log.warning("could not clear a configuration problem: %s", type(exc).__name__)


def current(session: Session) -> list[dict[str, str]]:
    """Every recorded problem: tenant, message, since (ISO-8601)."""
    rows = session.scalars(select(SyncCursor).where(SyncCursor.name == PROBLEM_NAME).order_by(SyncCursor.tenant_id))
    return [{"tenant": row.tenant_id, "problem": row.cursor or "",
             "since": row.since.isoformat() if row.since is not None else ""} for row in rows]
