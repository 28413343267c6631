"""APScheduler wiring only: a tick that drains due jobs, and a tick that enqueues reconciliation.

One scheduler per process role (`serve` or `worker`), never one per gunicorn worker: the web
app created for gunicorn does not start one.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from feedbackloop.insight import alerts
from feedbackloop.jobs import queue as jobs
from feedbackloop.store import heartbeat
from feedbackloop.store.db import session_scope

log = logging.getLogger(__name__)


class Runner:
    """Claims due jobs and runs them on a small thread pool."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        ctx: jobs.JobContext,
        handlers: dict[str, jobs.Handler],
        *,
        threads: int = 4,
        batch: int = 20,
    ) -> None:
        self.factory = factory
        self.ctx = ctx
        self.handlers = handlers
        self.threads = threads
        self.batch = batch
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.last_tick: datetime | None = None
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="feedbackloop-job")
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def run_due(self) -> int:
        """Run every job due now (one batch after another); return how many ran."""
        ran = 0
        with self._lock:  # ticks never overlap inside one process
            while not self._stopping.is_set():  # a stop ends the drain after the current batch
                now = self.ctx.now()
                self.last_tick = now
                heartbeat.beat(self.factory, self.worker_id, now)  # operability: /healthz, /metrics anywhere
                claimed = jobs.claim_due_jobs(self.factory, self.worker_id, now, limit=self.batch,
                                              lease=self.ctx.settings.job_lease)
                if not claimed:
                    return ran
                futures = [self._pool.submit(self._run_one, *job) for job in claimed]
                for future in futures:
                    future.result()
                ran += len(claimed)
            return ran

    def _run_one(self, job_id: int, kind: str | None = None, tenant_id: str | None = None) -> str:
        return jobs.run_job(self.factory, self.ctx, self.handlers, job_id, self.worker_id, kind=kind,
                            tenant_id=tenant_id)

    def run_until_idle(self, max_rounds: int = 1000) -> int:
        """Run due jobs until none is due (tests and the demo)."""
        total = 0
        for _ in range(max_rounds):
            ran = self.run_due()
            total += ran
            if not ran:
                break
        return total

    def request_stop(self) -> None:
        """Finish the batch in hand, claim no more (SIGTERM: stop promptly, lose nothing)."""
        self._stopping.set()

    def shutdown(self) -> None:
        self._stopping.set()
        self._pool.shutdown(wait=True)


class _DrainOverlapFilter(logging.Filter):
    """A tick drains the queue until nothing is due, so it often outlasts the poll interval and
    APScheduler skips the next one. That is the design, not a fault: keep it out of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("_safe_tick" in message and "maximum number of running instances" in message)


_OVERLAP_FILTER = _DrainOverlapFilter()


def start_scheduler(runner: Runner, *, enqueue_reconcile: Any | None = None) -> BackgroundScheduler:
    """Start the alarm clock: drain due jobs every poll interval; reconcile periodically."""
    logging.getLogger("apscheduler.scheduler").addFilter(_OVERLAP_FILTER)
    # "Running job ..." / "executed successfully" five times a second says nothing.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    scheduler = BackgroundScheduler(timezone="UTC")
    settings = runner.ctx.settings
    scheduler.add_job(
        _safe_tick, "interval", args=[runner], seconds=settings.poll_interval, id="run_due",
        max_instances=1, coalesce=True, misfire_grace_time=None,
    )
    if enqueue_reconcile is not None:
        scheduler.add_job(
            enqueue_reconcile, "interval", seconds=settings.reconcile_interval, id="reconcile",
            max_instances=1, coalesce=True, misfire_grace_time=None,
        )
    scheduler.start()
    return scheduler


def _safe_tick(runner: Runner) -> None:
    """A tick must never kill the scheduler thread (e.g. the database restarting)."""
    try:
        runner.run_due()
    except Exception:
        log.exception("job runner tick failed; will try again at the next tick")


def _native_source(ctx: jobs.JobContext, tenant_id: str) -> bool:
    """Whether the tenant's ratings come (also) from Zendesk's own CSAT; False when its settings cannot be read."""
    try:
        return bool(ctx.for_tenant(tenant_id).survey_source != "feedbackloop")
    except Exception:  # noqa: BLE001 - a removed tenant or a bad key: its own jobs report that
        return False


def make_enqueue_reconcile(factory: sessionmaker[Session], ctx: jobs.JobContext,
                           tenants: Callable[[], list[str]] | list[str]) -> Any:
    """The periodic tick: one `reconcile` job per tenant per interval, the CSAT drop check once per
    alert interval, and reminders when enabled.

    `tenants` may be a callable, asked at every tick, so a tenant added while the worker runs is
    reconciled too.
    """

    def tick() -> None:
        now = ctx.now()
        bucket = int(now.timestamp() // max(1, ctx.settings.reconcile_interval))
        try:
            with session_scope(factory) as session:
                for tenant_id in (tenants() if callable(tenants) else tenants):
                    jobs.enqueue(session, "reconcile", f"reconcile:{bucket}", {}, now=now, tenant_id=tenant_id)
                    if _native_source(ctx, tenant_id):  # Zendesk's own ratings, by time window
                        jobs.enqueue(session, "reconcile_native", f"reconcile-native:{bucket}", {}, now=now,
                                     tenant_id=tenant_id)
                    alerts.enqueue_drop_check(session, ctx.settings, tenant_id, now)  # CSAT drop alerts
                if ctx.settings.survey_reminder:
                    jobs.enqueue(session, "queue_reminders", f"reminders:{bucket}", {}, now=now)
        except Exception:
            log.exception("could not enqueue reconciliation")

    return tick
