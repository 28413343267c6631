"""A job whose worker was lost (its lease ran out) runs again without that counting as a failure:
its backoff and its road to dead are its own failures', and a job that keeps losing its worker is
buried at the crash-loop limit. On a real database (SQLite, and PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from feedbackloop.core.errors import Retryable
from feedbackloop.core.settings import Settings
from feedbackloop.jobs import queue as jobs
from feedbackloop.store.db import make_session_factory, session_scope, utcnow
from feedbackloop.store.models import Job

LEASE = 8.0


def _job(engine: Engine, key: str = "a") -> int:
    with session_scope(make_session_factory(engine)) as session:
        return jobs.enqueue(session, "k", key, {}, now=utcnow()).id


def _lose(factory: sessionmaker[Session], job_id: int, start: datetime, times: int) -> datetime:
    """Claim the job `times` times, each claimer killed before it ran it; the moment its last lease has run
    out (the next claim counts the `times`-th lost lease)."""
    now = start
    for n in range(times):
        assert jobs.claim_due(factory, f"killed-{n}", now, lease=LEASE) == [job_id]
        now += timedelta(seconds=LEASE + 1)
    return now


def _row(engine: Engine, job_id: int) -> Job:
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def _failing(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    raise Retryable("503 from the helpdesk")


def _run(factory: sessionmaker[Session], settings: Settings, now: datetime, worker: str) -> str:
    ctx = jobs.JobContext(settings=settings, clients=lambda tenant: None, now=lambda: now)
    (claimed,) = jobs.claim_due(factory, worker, now, lease=LEASE)
    return jobs.run_job(factory, ctx, {"k": _failing}, claimed, worker)


def test_a_lost_lease_is_counted_apart_from_failures(engine: Engine) -> None:
    factory = make_session_factory(engine)
    job_id = _job(engine)
    now = _lose(factory, job_id, utcnow(), 1)
    assert jobs.claim_due(factory, "w", now, lease=LEASE) == [job_id]
    job = _row(engine, job_id)
    assert (job.attempts, job.lost_leases, jobs.failures_of(job)) == (2, 1, 1)  # every claim is an attempt
    # a claim after a failure (the lease given back, not lost) is not a lost lease
    ctx = jobs.JobContext(settings=Settings(), clients=lambda tenant: None, now=lambda: now)
    assert jobs.run_job(factory, ctx, {"k": _failing}, job_id, "w") == "retry"
    later = now + timedelta(hours=1)
    assert jobs.claim_due(factory, "w", later, lease=LEASE) == [job_id]
    job = _row(engine, job_id)
    assert (job.attempts, job.lost_leases, jobs.failures_of(job)) == (3, 1, 2)


def test_the_backoff_after_lost_leases_is_the_first_failures(engine: Engine) -> None:
    factory = make_session_factory(engine)
    job_id = _job(engine)
    now = _lose(factory, job_id, utcnow(), 6)
    assert _run(factory, Settings(), now, "w") == "retry"
    job = _row(engine, job_id)
    assert (job.attempts, job.lost_leases) == (7, 6)
    wait = (job.run_after - now).total_seconds()
    low, high = jobs.BACKOFF_BASE * 0.5, jobs.BACKOFF_BASE  # backoff(1): 2 s with jitter, not 2**7
    assert low <= wait <= high


def test_lost_leases_do_not_bring_a_job_nearer_to_dead(engine: Engine) -> None:
    settings = Settings(job_max_attempts=2)
    factory = make_session_factory(engine)
    job_id = _job(engine)
    now = _lose(factory, job_id, utcnow(), 5)
    assert _run(factory, settings, now, "w") == "retry"  # one failure of two allowed, after five crashes
    assert _row(engine, job_id).state == "pending"
    now += timedelta(hours=1)
    assert _run(factory, settings, now, "w") == "dead"  # the second failure is the last
    job = _row(engine, job_id)
    assert job.state == "dead" and (job.result or "").startswith("gave up after 2 failed attempts")
    with session_scope(factory) as session:
        assert jobs.retry_dead(session, job_id, now) is not None
    job = _row(engine, job_id)
    assert (job.state, job.attempts, job.lost_leases) == ("pending", 0, 0)


def test_a_job_that_keeps_losing_its_worker_is_buried_at_the_limit(engine: Engine) -> None:
    factory = make_session_factory(engine)
    ran: list[int] = []

    def handler(ctx: jobs.JobContext, session: Session, job: Job) -> str:
        ran.append(job.id)
        return "ok"

    below = _job(engine, "below")
    start = utcnow()
    ctx = jobs.JobContext(settings=Settings(), clients=lambda tenant: None, now=utcnow)
    # one loss short of the limit, the job still runs
    now = _lose(factory, below, start, jobs.LOST_LEASE_LIMIT - 1)
    assert jobs.claim_due(factory, "w", now, lease=LEASE) == [below]
    assert _row(engine, below).lost_leases == jobs.LOST_LEASE_LIMIT - 1
    assert jobs.run_job(factory, ctx, {"k": handler}, below, "w") == "done"
    # lost once more, it is buried without running
    poison = _job(engine, "poison")
    now = _lose(factory, poison, now, jobs.LOST_LEASE_LIMIT)
    assert jobs.claim_due(factory, "w", now, lease=LEASE) == [poison]
    assert jobs.run_job(factory, ctx, {"k": handler}, poison, "w") == "dead"
    assert ran == [below]
    job = _row(engine, poison)
    reason = f"its worker was lost {jobs.LOST_LEASE_LIMIT} times while running it"
    assert (job.state, job.result, job.last_error, job.lease_until) == ("dead", reason, reason, None)
