"""The durable job queue. The database is the queue; APScheduler only rings the bell.

A job is claimed by writing a lease (`lease_until`, `locked_by`) with a conditional UPDATE, so
two processes never run the same job at once; a crashed worker's lease simply expires and the
job runs again. Such a re-run is counted apart from failures (`lost_leases`, as Sidekiq tells a
job's retries from its recovery after a crash): only a job's own failures lengthen its backoff and
bring it to dead, and a job that keeps losing its worker is buried at `LOST_LEASE_LIMIT`. Jobs of one ticket run one at a time (Zendesk's per-ticket update limits, and no
409s between our own writes). Handlers are idempotent: their DB changes and the job's `done`
mark commit together, and a re-run checks the helpdesk for its own marker before repeating a
write.
"""

from __future__ import annotations

import logging
import random
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, false, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, sessionmaker

from feedbackloop.core import counters, logs
from feedbackloop.core.errors import HelpdeskError, Permanent, Retryable
from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import HelpdeskClient
from feedbackloop.jobs import pacing
from feedbackloop.store import config_problems
from feedbackloop.store.db import insert_on_conflict, session_scope, utcnow
from feedbackloop.store.models import DEFAULT_TENANT, Job, Throttle, WebhookEvent, fit_key

log = logging.getLogger(__name__)

BACKOFF_BASE = 2.0
BACKOFF_CAP = 900.0
#: A 429 does not use up an attempt, but a job rate-limited this often is given up on.
MAX_RATE_LIMITED = 100
#: A job whose worker was lost (killed, crashed: its lease ran out) this often is buried as dead,
#: so a poison job that kills the process running it cannot loop forever. A constant rather than a
#: multiple of FEEDBACKLOOP_JOB_MAX_ATTEMPTS: losing a worker says nothing of the helpdesk, and a
#: deploy or an OOM kill takes every job a worker holds at once (up to a claimed batch, 20), so an
#: innocent job may be lost a few times in a bad hour; twenty times, while other jobs pass, is the job.
LOST_LEASE_LIMIT = 20

Handler = Callable[["JobContext", Session, Job], str | None]


@dataclass
class JobContext:
    """What a handler needs besides its session: settings, clients, the clock."""

    settings: Settings
    clients: Callable[[str], HelpdeskClient]  # tenant_id -> the tenant's (paced) client
    now: Callable[[], datetime] = utcnow
    settings_for: Callable[[str], Settings] | None = None  # tenant_id -> Settings with the tenant's overrides

    def for_tenant(self, tenant_id: str) -> Settings:
        """The settings a job of this tenant runs with (its survey delay, scale, account...)."""
        if self.settings_for is None or tenant_id == DEFAULT_TENANT:
            return self.settings
        return self.settings_for(tenant_id)


def enqueue(
    session: Session,
    kind: str,
    dedupe_key: str,
    args: Mapping[str, Any],
    *,
    now: datetime,
    tenant_id: str = DEFAULT_TENANT,
    ticket_id: int | None = None,
    run_after: datetime | None = None,
) -> Job:
    """Add a job unless one with the same dedupe key exists; return the job either way.

    Its parameters are the job row's columns, keywords past the first four.
    """
    job = Job(
        tenant_id=tenant_id,
        kind=kind,
        dedupe_key=fit_key(dedupe_key),
        ticket_id=ticket_id,
        args=dict(args),
        state="pending",
        run_after=run_after or now,
        attempts=0,
        lost_leases=0,
        rate_limited=0,
        lease_until=None,
        locked_by=None,
        last_error=None,
        result=None,
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(job)
    except IntegrityError:
        existing = session.scalars(
            select(Job).where(Job.tenant_id == tenant_id, Job.dedupe_key == fit_key(dedupe_key))
        ).one()
        return existing
    return job


def cancel(session: Session, tenant_id: str, dedupe_key: str, reason: str, now: datetime) -> bool:
    """Cancel a pending job that has not started; True if one was cancelled."""
    result = session.execute(
        update(Job)
        .where(Job.tenant_id == tenant_id, Job.dedupe_key == fit_key(dedupe_key), Job.state == "pending")
        .where(or_(Job.lease_until.is_(None), Job.lease_until < now))
        .values(state="cancelled", result=reason, updated_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


def _due_query(now: datetime, limit: int) -> Any:
    other = aliased(Job)
    running_same_ticket = exists().where(
        and_(
            other.tenant_id == Job.tenant_id,
            other.ticket_id == Job.ticket_id,
            other.state == "pending",
            other.lease_until > now,
            other.id != Job.id,
        )
    )
    throttled = select(Throttle.tenant_id).where(Throttle.until > now)
    return (
        select(Job.id, Job.tenant_id, Job.ticket_id, Job.kind)
        .where(Job.state == "pending", Job.run_after <= now)
        .where(or_(Job.lease_until.is_(None), Job.lease_until < now))
        .where(Job.tenant_id.not_in(throttled))
        .where(or_(Job.ticket_id.is_(None), ~running_same_ticket))
        .order_by(Job.run_after, Job.id)
        .limit(limit)
    )


#: How many stored events one feeder statement gives their jobs.
FEED_BATCH = 500


def queue_stored_events(session: Session, *, limit: int = FEED_BATCH) -> int:
    """Give stored events their `process_ticket` jobs, up to `limit`; return how many were queued.

    The receiver stores an accepted delivery's event alone (one row, answered once it is committed); this
    adds its job. The UPDATE that marks events `queued` and the INSERT of their jobs share the caller's
    transaction, so a crash between them leaves both undone and the next call does it; two feeders never
    pick the same event (PostgreSQL skips rows the other holds, SQLite has one writer), and a job that
    exists already is left as it is (the jobs' unique key): one event, one job. An event that is not yet
    committed is not seen, and is queued by a later call.
    The job's times are the event's `received_at`, as if the receiver had added it.
    """
    pick = select(WebhookEvent.id).where(WebhookEvent.queued == false()).order_by(WebhookEvent.id).limit(limit)
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    marked = session.execute(
        update(WebhookEvent)
        .where(WebhookEvent.id.in_(pick.scalar_subquery()))
        .values(queued=True)
        .returning(WebhookEvent.id, WebhookEvent.tenant_id, WebhookEvent.ticket_id, WebhookEvent.received_at)
        .execution_options(synchronize_session=False)
    ).all()
    if not marked:
        return 0
    session.execute(insert_on_conflict(dialect)(Job.__table__).on_conflict_do_nothing(
        index_elements=["tenant_id", "dedupe_key"]), [
        {"tenant_id": tenant_id, "kind": "process_ticket", "dedupe_key": f"process:{event_id}",
         "ticket_id": ticket_id, "args": {"event_id": event_id}, "state": "pending", "run_after": received_at,
         "attempts": 0, "lost_leases": 0, "rate_limited": 0, "lease_until": None, "locked_by": None,
         "last_error": None, "result": None, "created_at": received_at, "updated_at": received_at}
        for event_id, tenant_id, ticket_id, received_at in marked])
    return len(marked)


def claim_due(
    factory: sessionmaker[Session], worker_id: str, now: datetime, *, limit: int = 20, lease: float = 120
) -> list[int]:
    """Lease up to `limit` due jobs for this worker and return their ids (see `claim_due_jobs`)."""
    return [job_id for job_id, _, _ in claim_due_jobs(factory, worker_id, now, limit=limit, lease=lease)]


def claim_due_jobs(
    factory: sessionmaker[Session], worker_id: str, now: datetime, *, limit: int = 20, lease: float = 120
) -> list[tuple[int, str, str]]:
    """Lease up to `limit` due jobs for this worker: (id, kind, tenant) of each.

    The conditional UPDATE is the lock: on both SQLite and PostgreSQL only one claimer's UPDATE
    matches a row whose lease is free. PostgreSQL also skips rows another claimer holds locked.
    The batch is leased in one statement, not one per job: the worker's job threads wait while it
    claims, and under load each round trip to the database costs milliseconds.
    """
    with session_scope(factory) as session:
        queue_stored_events(session)  # the events stored since the last claim get their jobs first
        query = _due_query(now, limit * 3)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=Job)
        chosen: list[tuple[int, str, str]] = []
        tickets_taken: set[tuple[str, int]] = set()
        for job_id, tenant_id, ticket_id, kind in session.execute(query).all():
            if ticket_id is not None:
                if (tenant_id, ticket_id) in tickets_taken:
                    continue  # one job per ticket at a time
                tickets_taken.add((tenant_id, ticket_id))
            chosen.append((job_id, kind, tenant_id))
            if len(chosen) >= limit:
                break
        leased = _lease(session, [job_id for job_id, _, _ in chosen], worker_id, now, lease)
    return [job for job in chosen if job[0] in leased]


def _lease(session: Session, job_ids: list[int], worker_id: str, now: datetime, lease: float) -> set[int]:
    """Lease the jobs still free among `job_ids` (the same condition as before, one statement).

    Every claim counts in `attempts`; a claim of a job whose previous lease ran out (its worker
    was lost while holding it) also counts in `lost_leases`, so its failures are the difference.
    """
    if not job_ids:
        return set()
    worker_lost = and_(Job.lease_until.is_not(None), Job.lease_until < now)
    result = session.execute(
        update(Job)
        .where(Job.id.in_(job_ids), Job.state == "pending")
        .where(or_(Job.lease_until.is_(None), Job.lease_until < now))
        .values(
            lease_until=now + timedelta(seconds=lease),
            locked_by=worker_id,
            attempts=Job.attempts + 1,
            lost_leases=case((worker_lost, Job.lost_leases + 1), else_=Job.lost_leases),
            updated_at=now,
        )
        .returning(Job.id)
        .execution_options(synchronize_session=False)
    )
    return set(result.scalars())


def backoff(attempts: int, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: 2, 4, 8 … s, capped, times a random factor in [0.5, 1]."""
    base = min(BACKOFF_CAP, BACKOFF_BASE ** max(1, attempts))
    return base * (0.5 + 0.5 * (rng or random).random())


def run_job(
    factory: sessionmaker[Session], ctx: JobContext, handlers: Mapping[str, Handler], job_id: int, worker_id: str,
    *, kind: str | None = None, tenant_id: str | None = None,
) -> str:
    """Run one leased job; return its new state. Never raises for a job's own failure.

    A job that updates tickets first takes a slot of the Update Ticket budget (pacing.py) and goes
    back to the queue, "deferred", while there is none; what it really spent is settled after it.
    Operability: every line logged meanwhile carries the job's ids (logs.bind); the outcome is
    logged and counted in /metrics (feedbackloop_jobs_run_total), here only.
    Its parameters are the runner's (factory, context, handlers, worker) and the job's id, kind and tenant as keywords; the step's own context is built inside.
    """
    started = time.monotonic()
    with logs.bind(job_id=job_id):
        ledger, admitted = _admit(factory, ctx, job_id, worker_id, kind, tenant_id)
        if not admitted:
            state = "deferred"
            logs.annotate(job_kind=kind or "unknown")
        else:
            with pacing.job_ledger(ledger):
                state = _run_job(factory, ctx, handlers, job_id, worker_id)
            _settle(factory, ctx, ledger)
        kind = str(logs.current().get("job_kind") or "unknown")
        elapsed = round((time.monotonic() - started) * 1000)
        log.log(logging.DEBUG if state == "skipped" else logging.INFO, "job %s %s", kind, state,
                extra={"duration_ms": elapsed})
    counters.count_job(kind, state)
    return state


def _admit(factory: sessionmaker[Session], ctx: JobContext, job_id: int, worker_id: str, kind: str | None,
           tenant_id: str | None) -> tuple[pacing.Ledger, bool]:
    """The job's ticket-update slot (pacing.admit); a database failure here lets the job run unpaced,
    as the job itself will meet the same failure and be retried."""
    try:
        return pacing.admit(factory, job_id, worker_id, kind, tenant_id, ctx.for_tenant, ctx.now())
    except Exception:  # noqa: BLE001 - pacing is bookkeeping around the job, never its reason to fail
        log.exception("could not take a ticket-update slot for job %s; running it unpaced", job_id)
        return pacing.Ledger(tenant_id), True


def _settle(factory: sessionmaker[Session], ctx: JobContext, ledger: pacing.Ledger) -> None:
    """What the job spent of the Update Ticket budget (pacing.settle), logged rather than raised."""
    try:
        pacing.settle(factory, ledger, ctx.for_tenant, ctx.now())
    except Exception:  # noqa: BLE001
        log.exception("could not settle the ticket updates of tenant %s", ledger.tenant_id)


def _run_job(
    factory: sessionmaker[Session], ctx: JobContext, handlers: Mapping[str, Handler], job_id: int, worker_id: str
) -> str:
    tenant_id: str | None = None
    try:
        with session_scope(factory) as session:
            # Locked for the run (PostgreSQL): a bulk write-back never takes over a started job.
            job = session.get(Job, job_id, with_for_update=True)
            if job is None or job.state != "pending" or job.locked_by != worker_id:
                return "skipped"
            tenant_id = job.tenant_id
            logs.annotate(tenant_id=job.tenant_id, ticket_id=job.ticket_id, job_kind=job.kind)  # operability
            if job.lost_leases >= LOST_LEASE_LIMIT:  # a poison job: it is what kills its workers
                reason = f"its worker was lost {job.lost_leases} times while running it"
                job.last_error = reason
                job.locked_by = None
                _finish(job, "dead", reason, ctx.now())
                log.warning("job %s (%s) is dead: %s", job.id, job.kind, reason)
                return "dead"
            handler = handlers.get(job.kind)
            if handler is None:
                raise Permanent(f"no handler for job kind {job.kind!r}")
            now = ctx.now()
            throttle = session.get(Throttle, job.tenant_id)
            if throttle is not None and throttle.until > now:
                # The tenant was throttled after this job was claimed (by a job of the same batch,
                # or another worker): hand it back untouched instead of spending the reserve.
                job.attempts -= 1
                job.lease_until = None
                job.locked_by = None
                job.run_after = throttle.until
                job.updated_at = now
                return "deferred"
            result = handler(ctx, session, job)
            _finish(job, "done", result, ctx.now())
            pace_tenant(session, ctx, job.tenant_id)
        config_problems.clear(factory, tenant_id)  # its settings work (again): /healthz stops reporting them
        return "done"
    except Retryable as exc:
        return _retry_later(factory, ctx, job_id, exc)
    except HelpdeskError as exc:
        problem = config_problems.problem_for(getattr(exc, "code", None))
        if problem is not None and tenant_id is not None:  # /healthz reports it, from any process
            config_problems.record(factory, tenant_id, problem, exc.reason, ctx.now())
        return _bury(factory, ctx, job_id, f"{type(exc).__name__}: {exc.reason}")
    except Exception as exc:  # a bug or an outage of our own: retried, then dead with the trace
        log.exception("job %s failed", job_id)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return _retry_later(factory, ctx, job_id, Retryable(f"unexpected error: {detail}"))


def _finish(job: Job, state: str, result: str | None, now: datetime) -> None:
    job.state = state
    job.result = result
    job.lease_until = None
    job.updated_at = now


def _retry_later(factory: sessionmaker[Session], ctx: JobContext, job_id: int, exc: Retryable) -> str:
    now = ctx.now()
    with session_scope(factory) as session:
        job = session.get(Job, job_id)
        if job is None:
            return "skipped"
        job.last_error = exc.reason
        job.lease_until = None
        job.locked_by = None
        job.updated_at = now
        if exc.rate_limited:
            job.attempts -= 1  # waiting on Zendesk's budget is not a failure of this job
            job.rate_limited += 1
            wait = exc.retry_after if exc.retry_after is not None else 60.0
            if exc.scope == "ticket_updates":  # the Update Ticket endpoint's own limit: updates wait
                pacing.pause(session, job.tenant_id, now + timedelta(seconds=wait), exc.reason, now)
            elif exc.scope == "account":  # the account's limit: every job of the tenant waits
                _throttle_tenant(session, job.tenant_id, now + timedelta(seconds=wait), exc.reason)
            # scope "ticket" (30 updates of one ticket per 10 minutes): only this ticket's job waits
            if job.rate_limited >= MAX_RATE_LIMITED:
                _finish(job, "dead", f"rate limited {job.rate_limited} times: {exc.reason}", now)
                return "dead"
        else:
            failures = failures_of(job)  # re-runs after a lost worker are not failures of the job
            if failures >= ctx.settings.job_max_attempts:
                _finish(job, "dead", f"gave up after {failures} failed attempts: {exc.reason}", now)
                log.warning("job %s (%s) is dead: %s", job.id, job.kind, exc.reason)
                return "dead"
            wait = exc.retry_after if exc.retry_after is not None else backoff(failures)
        job.run_after = now + timedelta(seconds=wait)
        return "retry"


def failures_of(job: Job) -> int:
    """The runs of `job` that failed (this one included, while it runs): its claims, less the
    re-runs that followed a lost worker."""
    return max(0, job.attempts - job.lost_leases)


def pace_tenant(session: Session, ctx: JobContext, tenant_id: str) -> None:
    """Slow down before Zendesk throttles: when the account's remaining budget falls to the share
    kept free for people and other integrations (FEEDBACKLOOP_RATE_RESERVE), the tenant's jobs
    wait for the window to reset. Zendesk's limit is per account, shared with the agents' own
    tools: spending it to zero would slow the humans down, not just us."""
    reserve = getattr(ctx.for_tenant(tenant_id), "rate_reserve", 0.0) or 0.0
    if reserve <= 0:
        return
    try:
        info = getattr(ctx.clients(tenant_id), "last_rate_limit", None)
    except Exception:  # noqa: BLE001 - no account (yet): nothing to pace
        return
    if info is None or info.limit is None or info.remaining is None:
        return
    if info.remaining > reserve * info.limit:
        return
    # Until the window that observation belongs to resets: the same observation always gives the
    # same moment, so later jobs do not push the pause further out, and an old one does nothing.
    wait = info.reset_in if info.reset_in is not None else RATE_WINDOW_SECONDS
    until = info.observed_at + timedelta(seconds=max(1.0, wait))
    if until <= ctx.now():
        return
    _throttle_tenant(session, tenant_id, until,
                     f"keeping {reserve:.0%} of the API budget free ({info.remaining}/{info.limit} left)")


#: Zendesk's rate limits are per minute.
RATE_WINDOW_SECONDS = 60.0


def _throttle_tenant(session: Session, tenant_id: str, until: datetime, reason: str) -> None:
    """Hold the tenant's jobs until `until` (never shortening a longer hold). Two workers may
    throttle the same tenant at once: the second insert meets the first's row and extends it."""
    row = session.get(Throttle, tenant_id)
    if row is None:
        try:
            with session.begin_nested():
                session.add(Throttle(tenant_id=tenant_id, until=until, reason=reason))
            return
        except IntegrityError:
            row = session.get(Throttle, tenant_id, populate_existing=True)
            if row is None:
                return
    if row.until < until:
        row.until = until
        row.reason = reason


def _bury(factory: sessionmaker[Session], ctx: JobContext, job_id: int, reason: str) -> str:
    with session_scope(factory) as session:
        job = session.get(Job, job_id)
        if job is None:
            return "skipped"
        job.last_error = reason
        job.locked_by = None
        _finish(job, "dead", reason, ctx.now())
        log.warning("job %s (%s) is dead: %s", job.id, job.kind, reason)
        return "dead"


def retry_dead(session: Session, job_id: int, now: datetime) -> Job | None:
    """Put a dead job back in the queue with fresh attempts (`feedbackloop jobs --retry`)."""
    job = session.get(Job, job_id)
    if job is None or job.state != "dead":
        return None
    job.state = "pending"
    job.attempts = 0
    job.lost_leases = 0
    job.rate_limited = 0
    job.run_after = now
    job.lease_until = None
    job.locked_by = None
    job.updated_at = now
    return job


def unqueued_events(session: Session) -> tuple[int, datetime | None]:
    """Stored events still waiting for their processing job (`queue_stored_events`), and the oldest's arrival.

    Each is a `process_ticket` job due since it arrived, so the queue's figures count them as such."""
    from sqlalchemy import func

    count, oldest = session.execute(
        select(func.count(), func.min(WebhookEvent.received_at)).where(WebhookEvent.queued == false())).one()
    return int(count or 0), oldest


def queue_depth(session: Session, now: datetime, unqueued: tuple[int, datetime | None] | None = None
                ) -> dict[str, int]:
    """Counts by state, and how many pending jobs are already due (stored events waiting for their job
    count as pending and due: `unqueued` says how many of them there are; pass `unqueued_events` when the
    caller has it already)."""
    from sqlalchemy import func

    counts = {state: n for state, n in session.execute(select(Job.state, func.count()).group_by(Job.state))}
    due = session.scalar(select(func.count()).where(Job.state == "pending", Job.run_after <= now)) or 0
    waiting, _ = unqueued if unqueued is not None else unqueued_events(session)
    if waiting:
        counts["pending"] = counts.get("pending", 0) + waiting
    counts["due"] = due + waiting
    counts["unqueued"] = waiting
    return counts
