"""Rating write-backs in bulk when the queue is long: one `update_many` for up to 100 tickets.

After an outage, or when a big batch of surveys is answered at once, hundreds of write-backs are
due. One update per ticket would spend hundreds of API calls; Zendesk's bulk update takes 100
tickets in one call (plus a few job-status polls). Bulk updates have no collision check, so the
tags are added and removed rather than replaced.

Exactly once, even across crashes: before the bulk call, the member jobs are marked `batched` and
held back (committed). If we die or the bulk job is slow, each member later runs on its own and,
being marked, first looks for its note on the ticket — a note the bulk job may have written —
so nothing is written twice.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from feedbackloop.errors import Retryable
from feedbackloop.helpdesks.base import BatchUpdate, HelpdeskClient
from feedbackloop.models import Job, Rating
from feedbackloop.settings import Settings
from feedbackloop.writeback import CSAT_TAGS, note_for, rating_tags

log = logging.getLogger(__name__)

#: Due write-backs of one tenant from which on we write in bulk.
BULK_THRESHOLD = 20
MAX_BULK = 100
POLL_SECONDS = 1.0
POLL_TRIES = 30
#: Members wait this long for the bulk job before they run on their own.
HOLD_SECONDS = 120


def due_write_backs(session: Session, tenant_id: str, now: datetime) -> int:
    """How many write-backs of a tenant are due, claimed by a runner or not."""
    return session.scalar(
        select(func.count()).select_from(Job).where(*_due(tenant_id, now))
    ) or 0


def _due(tenant_id: str, now: datetime) -> tuple[Any, ...]:
    # Claimed-but-not-started jobs count too: a runner claims a batch of jobs at once. One that
    # has started holds its row locked (PostgreSQL) or its transaction excludes ours (SQLite), so
    # it is never taken over; one taken over finds its lease gone and skips.
    return (Job.tenant_id == tenant_id, Job.kind == "write_rating", Job.state == "pending", Job.run_after <= now,
            or_(Job.locked_by.is_(None), ~Job.locked_by.startswith("bulk:")))


def should_bulk(session: Session, job: Job, now: datetime) -> bool:
    """Bulk only on a job's first try (a retry checks its own note instead) and a long queue."""
    return job.attempts <= 1 and not job.args.get("batched") and due_write_backs(session, job.tenant_id, now) \
        >= BULK_THRESHOLD


def members_for(session: Session, leader: Job, now: datetime) -> list[Job]:
    """Up to 100 due write-backs of the leader's tenant, one per ticket, the leader first."""
    query = select(Job).where(*_due(leader.tenant_id, now), Job.id != leader.id) \
        .order_by(Job.run_after, Job.id).limit(MAX_BULK * 2)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    chosen, tickets = [leader], {leader.ticket_id}
    for job in session.scalars(query):
        if job.ticket_id in tickets or job.args.get("batched"):
            # Once in a bulk update (a leader whose marks are committed, or one back in the queue
            # after a rate-limited poll), a write-back may already be on its ticket: it runs alone,
            # after a look for its note, never in a second bulk update.
            continue
        chosen.append(job)
        tickets.add(job.ticket_id)
        if len(chosen) >= MAX_BULK:
            break
    return chosen


def write_in_bulk(session: Session, settings: Settings, client: HelpdeskClient, leader: Job,
                  now: datetime) -> tuple[str, list[tuple[int, int]]]:
    """Write the leader's and up to 99 other ratings back in one bulk update.

    Returns a summary and the (rating id, version) pairs written, for per-rating follow-ups.
    """
    members = members_for(session, leader, now)
    work: list[tuple[Job, Rating]] = []
    for job in members:
        rating = session.get(Rating, job.args["rating_id"])
        if rating is None or rating.written_version >= rating.version or job.args["version"] < rating.version:
            if job is not leader:
                _done(job, "a newer write-back covers this rating", now)
            continue
        job.args = {**job.args, "batched": True}
        if job is not leader:  # held by the bulk update: the runner that claimed it skips it
            job.locked_by = f"bulk:{leader.id}"
            job.lease_until = now + timedelta(seconds=HOLD_SECONDS)
        job.updated_at = now
        work.append((job, rating))
    session.commit()  # the marks must outlive a crash during the bulk call
    if not work:
        return "nothing left to write back", []
    updates = [BatchUpdate(ticket_id=rating.ticket_id, add_tags=rating_tags(rating.score),
                           remove_tags=tuple(sorted(CSAT_TAGS - set(rating_tags(rating.score)))),
                           custom_fields={settings.csat_field_id: rating.score} if settings.csat_field_id else {},
                           comment_body=note_for(rating), comment_public=False)
               for _, rating in work]
    bulk_id = client.update_many(updates)
    status = client.batch_status(bulk_id)
    for _ in range(POLL_TRIES):
        if status.done:
            break
        time.sleep(POLL_SECONDS)
        status = client.batch_status(bulk_id)
    if not status.done:
        raise Retryable(f"bulk update {bulk_id} still running; its tickets are checked one by one",
                        retry_after=HOLD_SECONDS)
    written: list[tuple[int, int]] = []
    for job, rating in work:
        error = status.results.get(rating.ticket_id, "missing from the bulk job's results")
        if error is None:
            rating.written_version = rating.version
            written.append((rating.id, rating.version))
            if job is not leader:
                _done(job, f"written back in bulk update {bulk_id}", now)
        elif job is leader:
            raise Retryable(f"bulk update {bulk_id} failed for ticket {rating.ticket_id}: {error}")
        else:
            _release(job, now)  # on its own, after a look for its note
    log.info("bulk update %s wrote %d of %d ratings back", bulk_id, len(written), len(work))
    return f"wrote {len(written)} of {len(work)} ratings back in bulk update {bulk_id}", written


def _done(job: Job, result: str, now: datetime) -> None:
    job.state = "done"
    job.result = result
    job.lease_until = None
    job.updated_at = now


def _release(job: Job, now: datetime) -> None:
    job.locked_by = None
    job.lease_until = None
    job.run_after = now
    job.updated_at = now
