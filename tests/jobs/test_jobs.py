"""The durable queue on a real database: leases, retries, rate limits, dead jobs, crashes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from feedbackloop.core.errors import Permanent, Retryable
from feedbackloop.core.settings import Settings
from feedbackloop.jobs import queue as jobs
from feedbackloop.store.db import make_session_factory, session_scope, utcnow
from feedbackloop.store.models import Job, Throttle


def _ctx(settings: Settings, now: Any = utcnow) -> jobs.JobContext:
    return jobs.JobContext(settings=settings, clients=lambda tenant: None, now=now)


def _enqueue(engine: Engine, kind: str = "k", key: str = "a", ticket: int | None = None) -> int:
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        return jobs.enqueue(session, kind, key, {"x": 1}, now=utcnow(), ticket_id=ticket).id


def test_enqueue_is_idempotent_by_dedupe_key(engine: Engine) -> None:
    first = _enqueue(engine)
    assert _enqueue(engine) == first
    with Session(engine) as session:
        assert len(session.scalars(select(Job)).all()) == 1


def test_a_job_is_claimed_once_and_its_lease_expires(engine: Engine) -> None:
    factory = make_session_factory(engine)
    job_id = _enqueue(engine)
    now = utcnow()
    assert jobs.claim_due(factory, "w1", now, lease=60) == [job_id]
    assert jobs.claim_due(factory, "w2", now) == []
    # w1 dies; after the lease w2 takes it over
    assert jobs.claim_due(factory, "w2", now + timedelta(seconds=61)) == [job_id]
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.attempts == 2 and job.locked_by == "w2"


def test_jobs_of_one_ticket_run_one_at_a_time(engine: Engine) -> None:
    factory = make_session_factory(engine)
    a = _enqueue(engine, key="a", ticket=7)
    b = _enqueue(engine, key="b", ticket=7)
    c = _enqueue(engine, key="c", ticket=8)
    now = utcnow()
    assert sorted(jobs.claim_due(factory, "w1", now)) == sorted([a, c])
    assert jobs.claim_due(factory, "w2", now) == []  # b waits for a
    assert b not in jobs.claim_due(factory, "w2", now)


def test_success_failure_rate_limit_and_death(engine: Engine) -> None:
    settings = Settings(job_max_attempts=4)
    factory = make_session_factory(engine)
    outcomes: list[Exception | None] = [Retryable("503"), Retryable("429", retry_after=7, rate_limited=True), None]

    def handler(ctx: jobs.JobContext, session: Session, job: Job) -> str:
        outcome = outcomes.pop(0)
        if outcome:
            raise outcome
        return "ok"

    job_id = _enqueue(engine)
    ctx = _ctx(settings)
    t0 = utcnow()
    (claimed,) = jobs.claim_due(factory, "w", t0)
    assert jobs.run_job(factory, ctx, {"k": handler}, claimed, "w") == "retry"
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.run_after > t0 and job.last_error == "503"
    (claimed,) = jobs.claim_due(factory, "w", t0 + timedelta(hours=1))
    assert jobs.run_job(factory, ctx, {"k": handler}, claimed, "w") == "retry"
    with Session(engine) as session:
        job = session.get(Job, job_id)
        throttle = session.get(Throttle, "default")
        assert job is not None and job.attempts == 1 and job.rate_limited == 1  # a 429 is not a failed attempt
        assert throttle is not None and throttle.until > utcnow() + timedelta(seconds=5)
    # the throttle holds back every job of the tenant until Retry-After has passed
    assert jobs.claim_due(factory, "w", utcnow()) == []
    (claimed,) = jobs.claim_due(factory, "w", utcnow() + timedelta(seconds=8))
    later = _ctx(settings, now=lambda: utcnow() + timedelta(seconds=8))
    assert jobs.run_job(factory, later, {"k": handler}, claimed, "w") == "done"


def test_a_job_claimed_before_its_tenant_was_throttled_is_handed_back(engine: Engine) -> None:
    factory = make_session_factory(engine)
    job_id = _enqueue(engine)
    (claimed,) = jobs.claim_due(factory, "w", utcnow())
    until = utcnow() + timedelta(seconds=30)
    with session_scope(factory) as session:
        session.add(Throttle(tenant_id="default", until=until, reason="429 from another job"))
    ran: list[int] = []
    assert jobs.run_job(factory, _ctx(Settings()), {"k": lambda c, s, j: str(ran.append(1))}, claimed, "w") == "deferred"
    assert ran == []
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.state == "pending" and job.attempts == 0 and job.run_after == until


def test_permanent_errors_and_exhausted_retries_make_dead_jobs_that_can_be_retried(engine: Engine) -> None:
    settings = Settings(job_max_attempts=4)
    factory = make_session_factory(engine)

    def permanent(ctx: jobs.JobContext, session: Session, job: Job) -> str:
        raise Permanent("ticket deleted")

    def flaky(ctx: jobs.JobContext, session: Session, job: Job) -> str:
        raise RuntimeError("boom")

    handlers = {"p": permanent, "f": flaky}
    p = _enqueue(engine, kind="p", key="p")
    f = _enqueue(engine, kind="f", key="f")
    ctx = _ctx(settings)
    now = utcnow()
    for _ in range(settings.job_max_attempts):
        for job_id in jobs.claim_due(factory, "w", now):
            jobs.run_job(factory, ctx, handlers, job_id, "w")
        now += timedelta(hours=1)
    with Session(engine) as session:
        dead = {j.id: j for j in session.scalars(select(Job).where(Job.state == "dead"))}
    assert set(dead) == {p, f}
    assert "ticket deleted" in (dead[p].result or "")
    assert "boom" in (dead[f].result or "") and dead[f].attempts == settings.job_max_attempts
    with session_scope(factory) as session:
        assert jobs.retry_dead(session, f, utcnow()) is not None
    assert jobs.claim_due(factory, "w", utcnow()) == [f]


def test_a_handler_crash_rolls_back_its_writes(engine: Engine) -> None:
    settings = Settings(job_max_attempts=4)
    factory = make_session_factory(engine)

    def half_done(ctx: jobs.JobContext, session: Session, job: Job) -> str:
        jobs.enqueue(session, "side", "side-effect", {}, now=utcnow())
        raise Retryable("network")

    _enqueue(engine, kind="h", key="h")
    (claimed,) = jobs.claim_due(factory, "w", utcnow())
    jobs.run_job(factory, _ctx(settings), {"h": half_done}, claimed, "w")
    with Session(engine) as session:
        assert session.scalars(select(Job).where(Job.kind == "side")).all() == []


def test_cancel_only_touches_jobs_not_running(engine: Engine) -> None:
    factory = make_session_factory(engine)
    _enqueue(engine, key="survey:1")
    with session_scope(factory) as session:
        assert jobs.cancel(session, "default", "survey:1", "reopened", utcnow())
        assert not jobs.cancel(session, "default", "survey:1", "again", utcnow())


def test_backoff_grows_and_is_capped() -> None:
    import random

    rng = random.Random(1)
    values = [jobs.backoff(n, rng) for n in range(1, 15)]
    assert values[0] <= 2 and values[3] >= 8 * 0.5
    assert max(values) <= jobs.BACKOFF_CAP
