"""The job runner's heartbeat in the database, so any process (a gunicorn web worker with no runner
of its own) can tell whether some runner is alive.

One row in `sync_cursors` under a tenant id no tenant can have (tenant ids start with a letter or
digit), so no migration is needed; the latest runner to tick names itself in `cursor`. Written at
most every `BEAT_EVERY` seconds per runner, best effort: a failed beat is logged, never raised.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from feedbackloop.store.db import session_scope
from feedbackloop.store.models import SyncCursor

log = logging.getLogger(__name__)

HEARTBEAT_TENANT = "~runner"
HEARTBEAT_NAME = "heartbeat"
BEAT_EVERY = 10.0

_last_beats: dict[str, float] = {}
_lock = threading.Lock()


def beat(factory: sessionmaker[Session], worker_id: str, now: datetime) -> None:
    """Record that `worker_id` ticked at `now` (skipped if it did so under `BEAT_EVERY` s ago)."""
    with _lock:
        due = time.monotonic() - _last_beats.get(worker_id, float("-inf")) >= BEAT_EVERY
        if due:
            _last_beats[worker_id] = time.monotonic()
    if not due:
        return
    try:
        with session_scope(factory) as session:
            _upsert(session, worker_id, now)
    except SQLAlchemyError as exc:  # best effort: the runner goes on; /healthz will show it stale
        log.warning("could not record the job runner heartbeat: %s", type(exc).__name__)


def _upsert(session: Session, worker_id: str, now: datetime) -> None:
    changed = session.execute(
        update(SyncCursor)
        .where(SyncCursor.tenant_id == HEARTBEAT_TENANT, SyncCursor.name == HEARTBEAT_NAME)
        .values(cursor=worker_id[:200], since=now, updated_at=now)
    )
    if getattr(changed, "rowcount", 0):
        return
    try:
        with session.begin_nested():
            session.add(SyncCursor(tenant_id=HEARTBEAT_TENANT, name=HEARTBEAT_NAME, cursor=worker_id[:200],
                                   since=now, updated_at=now))
    except IntegrityError:  # another runner inserted it first: its beat is as good as ours
        pass


def last_beat(session: Session) -> datetime | None:
    """When some job runner last ticked; None if none ever did."""
    row = session.get(SyncCursor, (HEARTBEAT_TENANT, HEARTBEAT_NAME))
    return row.updated_at if row is not None else None
