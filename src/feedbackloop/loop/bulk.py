"""Rating write-backs in bulk when the queue is long: one `update_many` for up to 100 tickets.

After an outage, or when a big batch of surveys is answered at once, hundreds of write-backs are
due. One update per ticket would spend hundreds of calls of Zendesk's Update Ticket budget (100 a
minute per account, shared with the agents); one bulk job takes 100 tickets (plus a few job-status
polls) and is not an Update Ticket call.

The form is the one Zendesk documents without contradiction: ``update_many.json?ids=...`` with one
``ticket`` object, the same change for every ticket (tags added and removed, never replaced; the
score field; an internal note). Whether additional_tags/remove_tags work in the per-ticket list
form is contradicted by an older version of Zendesk's tags article, so that form is not used. A
shared change means shared content: only ratings whose note is the same (same scale and score, no
reason, no comment: a one-click rating) go out together, one bulk job per score; a rating with a
reason or a comment is written back on its own, as is a group too small to be worth a job.

Zendesk safe-updates every bulk job: a ticket changed after the job was queued fails in the job's
results, as does a closed ticket. Each failed (or missing) ticket falls back to a single update,
which re-reads the ticket when it must and reports a closed one as not written back.

Exactly once, even across crashes: before the bulk call, the member jobs are marked `batched` with
the job's marker and held back (committed) for up to HOLD_SECONDS, as the bulk job may still be running
at Zendesk: a member let go early looks for the bulk note, could miss it if the job lands afterwards,
and would write a second note. The hold lasts only as long as that doubt. As soon as `update_many`
returns, the bulk job's id is committed with the leader and its members (`bulk_id`); if the leader's
worker dies while polling (or the job is still running after POLL_TRIES), the leader's re-run polls
that job and settles it exactly as the first run would (`resume_bulk`, `settle_bulk`): members
written are done, failed or missing ones are released at once to run on their own. Only if the
leader dies before `update_many` returns do we not know whether Zendesk got the job: then the
members stay held until HOLD_SECONDS runs out, and each then runs on its own and first looks for its
note on the ticket (its own marker, or the bulk job's), so nothing is written twice. So does a member
whose hold ran out before its leader came back, or whose bulk job Zendesk no longer knows. The other
way round, a write-back going out on its own commits a mark first (`writing_alone`), and no leader
takes it as a member from then on: its update may be on the ticket already.

We hold at most FEEDBACKLOOP_BULK_JOB_LIMIT bulk jobs at once (Zendesk runs 30 queued or running jobs
per account); past it, write-backs go one by one.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from feedbackloop.core.errors import Retryable, TicketNotFound
from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import BatchStatus, BulkUpdate, HelpdeskClient
from feedbackloop.jobs.step import StepContext
from feedbackloop.loop import writeback
from feedbackloop.loop.writeback import CSAT_TAGS, rating_tags
from feedbackloop.store.models import Job, Rating

log = logging.getLogger(__name__)

MAX_BULK = 100
#: Fewer ratings than this with the leader's note go out one by one: a bulk job is one call plus its
#: status polls (account calls), which pays off in Update Ticket calls (the scarce budget) from here on.
MIN_GROUP = 5
#: Due write-backs of one tenant from which on we look for a group to write in bulk.
BULK_THRESHOLD = MIN_GROUP
POLL_SECONDS = 1.0
POLL_TRIES = 30
#: Members wait at most this long for the bulk job before they run on their own (when its leader was lost
#: before it learnt the job's id, or did not come back in time).
HOLD_SECONDS = 120
HOLD_PREFIX = "bulk:"
#: In a write-back's args once its own (single) update may have gone out (`writing_alone`).
ALONE = "alone"


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
            or_(Job.locked_by.is_(None), ~Job.locked_by.startswith(HOLD_PREFIX)))


def bulk_jobs_in_flight(session: Session, tenant_id: str, now: datetime) -> int:
    """Our bulk jobs queued or running at Zendesk: one per leader whose members are still held."""
    return session.scalar(
        select(func.count(func.distinct(Job.locked_by))).where(
            Job.tenant_id == tenant_id, Job.kind == "write_rating", Job.state == "pending",
            Job.locked_by.startswith(HOLD_PREFIX), Job.lease_until > now)
    ) or 0


def groupable(rating: Rating) -> bool:
    """Whether the rating's note is the same as every other rating's of its scale and score."""
    return not rating.reason and not rating.comment


def group_of(rating: Rating) -> tuple[str, int]:
    """Ratings that can share one bulk change."""
    return rating.scale, rating.score


def should_bulk(session: Session, job: Job, now: datetime, settings: Settings | None = None) -> bool:
    """Bulk only on a job's first try (a retry checks its own note instead), for a one-click rating,
    with a long queue and room under our share of Zendesk's job limit."""
    if job.attempts > 1 or job.args.get("batched"):
        return False
    limit = getattr(settings, "bulk_job_limit", 10) if settings is not None else 10
    rating = session.get(Rating, job.args["rating_id"])
    if limit <= 0 or rating is None or not groupable(rating):
        return False
    if due_write_backs(session, job.tenant_id, now) < BULK_THRESHOLD:
        return False
    return bulk_jobs_in_flight(session, job.tenant_id, now) < limit


def members_for(session: Session, leader: Job, now: datetime, cap: int = MAX_BULK) -> list[Job]:
    """Up to `cap` due write-backs of the leader's tenant, one per ticket, the leader first."""
    query = select(Job).where(*_due(leader.tenant_id, now), Job.id != leader.id) \
        .order_by(Job.run_after, Job.id).limit(cap * 2)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    chosen, tickets = [leader], {leader.ticket_id}
    for job in session.scalars(query):
        if job.ticket_id in tickets or job.args.get("batched") or job.args.get(ALONE):
            # Once in a bulk update (a leader whose marks are committed, or one back in the queue
            # after a rate-limited poll), or once its own update may have gone out (`writing_alone`),
            # a write-back may already be on its ticket: it runs alone, after a look for its note,
            # never in a (second) bulk update.
            continue
        chosen.append(job)
        tickets.add(job.ticket_id)
        if len(chosen) >= cap:
            break
    return chosen


def writing_alone(session: Session, job: Job) -> None:
    """Mark a write-back about to go out on its own, committed before its update: no bulk leader takes
    it as a member from then on. A claimed job counts as due (`_due`), and a lost worker's row lock
    goes with it, so without the mark a job whose update went out just before its worker was lost
    looked claimed-but-not-started, and its bulk job wrote the note a second time (seen at scale)."""
    if not job.args.get(ALONE):
        job.args = {**job.args, ALONE: True}
        session.commit()


def same_note(session: Session, leader: Job, candidates: list[Job], now: datetime) -> list[tuple[Job, Rating]]:
    """The candidates whose rating needs writing and shares the leader's note, at most MAX_BULK."""
    ids = [job.args["rating_id"] for job in candidates]
    ratings = {r.id: r for r in session.scalars(select(Rating).where(Rating.id.in_(ids)))}
    lead = ratings.get(leader.args["rating_id"])
    if lead is None:
        return []
    work: list[tuple[Job, Rating]] = []
    for job in candidates:
        rating = ratings.get(job.args["rating_id"])
        if rating is None or rating.written_version >= rating.version or job.args["version"] < rating.version:
            if job is not leader:
                _done(job, "a newer write-back covers this rating", now)
            continue
        if groupable(rating) and group_of(rating) == group_of(lead):
            work.append((job, rating))
        if len(work) >= MAX_BULK:
            break
    return work


def write_in_bulk(session: Session, step: StepContext, leader: Job) -> tuple[str, list[tuple[int, int]]] | None:
    """Write the leader's and up to 99 other ratings with the same note back in one bulk job.

    Returns a summary and the (rating id, version) pairs written, for per-rating follow-ups; None
    when too few ratings share the leader's note (the caller writes it back on its own).
    """
    settings, client, now = step.settings, step.client, step.now
    work = same_note(session, leader, members_for(session, leader, now, cap=MAX_BULK * 5), now)
    if len(work) < MIN_GROUP or work[0][0] is not leader:
        return None
    key = f"{leader.id}-{uuid.uuid4().hex[:10]}"
    for job, _ in work:
        job.args = {**job.args, "batched": True, "bulk_marker": writeback.bulk_marker(key)}
        if job is not leader:  # held by the bulk update: the runner that claimed it skips it
            job.locked_by = f"{HOLD_PREFIX}{leader.id}"
            job.lease_until = now + timedelta(seconds=HOLD_SECONDS)
        job.updated_at = now
    session.commit()  # the marks must outlive a crash during the bulk call
    rating = work[0][1]
    added = rating_tags(rating.score, rating.source == "zendesk")
    bulk_id = client.update_many(BulkUpdate(
        ticket_ids=tuple(r.ticket_id for _, r in work), add_tags=added,
        remove_tags=tuple(sorted(CSAT_TAGS - set(added))),
        custom_fields={settings.csat_field_id: rating.score} if settings.csat_field_id else {},
        comment_body=writeback.bulk_note(rating, key), comment_public=False))
    for job, _ in work:  # a re-run of the leader settles the bulk job from its status (resume_bulk)
        job.args = {**job.args, "bulk_id": bulk_id, **({"bulk_lead": True} if job is leader else {})}
    session.commit()  # the bulk job's id must outlive a crash while we poll it
    return settle_bulk(session, step, leader, work, _poll(client, bulk_id))


def leads_bulk_job(job: Job) -> bool:
    """Whether the job led a bulk job whose id was recorded (its re-run settles it: resume_bulk)."""
    return bool(job.args.get("bulk_lead") and job.args.get("bulk_id"))


def resume_bulk(session: Session, step: StepContext, leader: Job) -> tuple[str, list[tuple[int, int]]] | None:
    """The re-run of a leader whose first run was cut short after `update_many` returned (its worker
    lost while polling, or the bulk job still running after POLL_TRIES): poll the recorded bulk job
    and settle it as the first run would have, with the members the leader still holds. Returns
    None when the helpdesk no longer knows the job (the caller writes the leader back on its own;
    its members wait out their hold). Retryable while the job still runs (members stay held)."""
    bulk_id = str(leader.args["bulk_id"])
    session.commit()  # no transaction (SQLite's write lock, the leader's row lock) while we wait on the helpdesk
    try:
        status = _poll(step.client, bulk_id)
    except TicketNotFound:
        log.warning("bulk update %s is unknown to the helpdesk; its leader is written back on its own", bulk_id)
        return None
    work = _still_held(session, leader, step.now)
    if not work:
        return None  # the leader's rating is gone and it holds no member: nothing to settle
    log.info("bulk update %s is done; its leader, run again, settles it with the %d jobs it still holds",
             bulk_id, len(work))
    return settle_bulk(session, step, leader, work, status)


def _still_held(session: Session, leader: Job, now: datetime) -> list[tuple[Job, Rating]]:
    """The leader and the members it still holds (re-taken in one conditional UPDATE, so a runner that
    claimed a member whose hold ran out keeps it: that member runs on its own, after a look for its note)."""
    held = session.execute(
        update(Job).where(Job.tenant_id == leader.tenant_id, Job.kind == "write_rating", Job.state == "pending",
                          Job.locked_by == f"{HOLD_PREFIX}{leader.id}")
        .values(lease_until=now + timedelta(seconds=HOLD_SECONDS), updated_at=now)
        .returning(Job.id).execution_options(synchronize_session=False)).scalars().all()
    members = list(session.scalars(select(Job).where(Job.id.in_(held)).order_by(Job.id)
                                   .execution_options(populate_existing=True))) if held else []
    jobs = [leader, *members]
    ratings = {r.id: r for r in session.scalars(
        select(Rating).where(Rating.id.in_([job.args["rating_id"] for job in jobs])))}
    return [(job, ratings[job.args["rating_id"]]) for job in jobs if job.args["rating_id"] in ratings]


def settle_bulk(session: Session, step: StepContext, leader: Job, work: list[tuple[Job, Rating]],
                status: BatchStatus) -> tuple[str, list[tuple[int, int]]]:
    """Settle a finished bulk job (the leader's `bulk_id`) for the leader and its held members:
    a ticket the job updated is written back; a failed or missing one falls back to a single update
    (the leader's, now, after a look for the bulk note; a member's, released to run on its own).
    Returns a summary and the (rating id, version) pairs this job has settled."""
    bulk_id, key_marker, now = leader.args["bulk_id"], leader.args["bulk_marker"], step.now
    handled: list[tuple[int, int]] = []  # ratings this job has settled: written, or written back on its own
    failed: list[str] = []
    for job, member in work:
        version = int(job.args["version"])
        error = status.results.get(member.ticket_id, "missing from the bulk job's results")
        if error is None:
            member.written_version = max(member.written_version, version)
            handled.append((member.id, version))
            if job is not leader:
                _done(job, f"written back in bulk update {bulk_id}", now)
            continue
        if job is leader:  # fall back to a single update, which looks for the bulk note first
            result = writeback.write_rating(session, replace(step, attempt=max(step.attempt, 2)), member.id, version,
                                            other_markers=(key_marker,))
            handled.append((member.id, version))
            failed.append(f"ticket {member.ticket_id} ({error}): {result}")
        else:
            _release(job, now)  # on its own, after a look for its note
            failed.append(f"ticket {member.ticket_id} ({error}): queued on its own")
    written = len(work) - len(failed)
    log.info("bulk update %s wrote %d of %d ratings back%s", bulk_id, written, len(work),
             f"; single updates for {'; '.join(failed)}" if failed else "")
    summary = f"wrote {written} of {len(work)} ratings back in bulk update {bulk_id}"
    return summary + (f"; {len(failed)} fell back to single updates: {'; '.join(failed)}" if failed else ""), handled


def _poll(client: HelpdeskClient, bulk_id: str) -> BatchStatus:
    """The bulk job's status once done; Retryable when it is still running after POLL_TRIES."""
    status = client.batch_status(bulk_id)
    for _ in range(POLL_TRIES):
        if status.done:
            return status
        time.sleep(POLL_SECONDS)
        status = client.batch_status(bulk_id)
    if not status.done:
        raise Retryable(f"bulk update {bulk_id} still running; its leader polls it again later",
                        retry_after=HOLD_SECONDS)
    return status


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
