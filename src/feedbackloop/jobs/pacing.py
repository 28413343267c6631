"""Ticket updates paced by Zendesk's Update Ticket limit, shared with the agents.

Zendesk limits ``PUT /api/v2/tickets/{id}`` per account: 100 requests a minute (300 with the High
Volume add-on, 20 on trial and sandbox accounts), and the agents' own updates in the Zendesk UI count
against the same budget. Surveys, reminders, write-backs and tags are ticket updates, so the
account-wide pacing (jobs.pace_tenant, 700 a minute on Enterprise) is not enough: at 100 a minute a
busy queue would take the agents' budget and meet 429s.

What we do, per tenant and across every worker process (the database is the ledger):

* **Our share.** At most ``(1 - FEEDBACKLOOP_TICKET_UPDATE_RESERVE) x limit`` of our ticket updates
  in any 60 s (a sliding window over `ApiSpend` rows, so no fixed minute of Zendesk's can hold more).
  The limit is the `total` of Zendesk's ``zendesk-rate-limit-tickets-update`` header when an answer
  carried one, else FEEDBACKLOOP_TICKET_UPDATE_LIMIT (100).
* **The agents' share.** When an answer reports ``remaining`` down to the reserve, ticket updates
  pause until the window it reports resets: the agents are using their share and more.
* **A 429 from that endpoint** (its header says none remaining) pauses ticket updates for
  Retry-After, not the whole tenant (errors.Retryable.scope).

A job that updates tickets (`UPDATE_KINDS`) takes one slot before it starts (`admit`): when there is
none it goes back to the queue until one frees, without a call and without counting as an attempt.
The calls it really made are settled afterwards (`settle`): an unused slot is given back (a bulk
write-back, a closed ticket), a second update (a 409 re-read) takes another. The slot is taken in a
transaction of its own before the job's, because on SQLite the job's transaction holds the write lock
while it calls Zendesk.

Bulk jobs (``update_many``) are not ticket updates; they count against Zendesk's job limit (30
queued or running per account), of which we hold at most FEEDBACKLOOP_BULK_JOB_LIMIT (bulk.py).
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from feedbackloop.store.db import session_scope
from feedbackloop.store.models import ApiBudget, ApiSpend, Job

log = logging.getLogger(__name__)

TICKET_UPDATES = "ticket_updates"
WINDOW = timedelta(seconds=60)
#: Spends older than this are deleted as new ones are taken (only the last minute is ever counted).
KEEP = timedelta(minutes=10)
#: Job kinds that update tickets, normally once each (survey, reminder, write-back, tags, review note).
UPDATE_KINDS = frozenset({"send_survey", "send_reminder", "write_rating", "tag_ticket", "review_task"})
#: A pause never shorter than this (a reset of 0 s would let a burst straight into the limit).
MIN_WAIT = 1.0


@dataclass(frozen=True)
class Budget:
    """The Update Ticket budget as we pace it: its size and our share of it per 60 s."""

    total: int
    ours: int


def budget_of(row: ApiBudget | None, settings: Any) -> Budget:
    """Zendesk's reported total when we have one, else the configured limit; our share of it."""
    total = row.total if row is not None and row.total else int(getattr(settings, "ticket_update_limit", 100))
    reserve = float(getattr(settings, "ticket_update_reserve", 0.5))
    return Budget(total=total, ours=max(1, math.floor(total * (1 - reserve))))


# --- the budget row: lock, pause, observation ---------------------------------------------------


def budget_row(session: Session, tenant_id: str, now: datetime, *, lock: bool = True) -> ApiBudget:
    """The tenant's ticket-update budget row, made if missing; locked for the transaction on PostgreSQL
    (SQLite's write lock, taken at BEGIN, already serialises)."""
    row = session.get(ApiBudget, (tenant_id, TICKET_UPDATES), with_for_update=lock or None)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = ApiBudget(tenant_id=tenant_id, name=TICKET_UPDATES, updated_at=now)
            session.add(row)
        return row
    except IntegrityError:  # another process made it first
        found = session.get(ApiBudget, (tenant_id, TICKET_UPDATES), with_for_update=lock or None,
                            populate_existing=True)
        assert found is not None
        return found


def pause(session: Session, tenant_id: str, until: datetime, reason: str, now: datetime) -> None:
    """Hold the tenant's ticket updates until `until` (never shortening a longer pause)."""
    row = budget_row(session, tenant_id, now)
    if row.paused_until is None or row.paused_until < until:
        row.paused_until = until
        row.reason = reason
        log.info("ticket updates of tenant %s paused until %s: %s", tenant_id, until.isoformat(), reason)
    row.updated_at = now


def observe(session: Session, tenant_id: str, settings: Any, info: Any, now: datetime) -> None:
    """Zendesk reported the Update Ticket budget (`RateLimitInfo`): keep its size, and pause while
    what is left is no more than the agents' share."""
    if info is None or info.limit is None:
        return
    row = budget_row(session, tenant_id, now)
    row.total, row.remaining, row.updated_at = int(info.limit), info.remaining, now
    reserve = float(getattr(settings, "ticket_update_reserve", 0.5))
    if info.remaining is None or info.remaining > reserve * info.limit:
        return
    wait = max(MIN_WAIT, info.reset_in if info.reset_in is not None else WINDOW.total_seconds())
    until = info.observed_at + timedelta(seconds=wait)
    if until > now:
        pause(session, tenant_id, until,
              f"Zendesk's Update Ticket budget is down to {info.remaining} of {info.limit}: "
              f"the {reserve:.0%} left is the agents'", now)


# --- taking and giving back slots ---------------------------------------------------------------


def claim(session: Session, tenant_id: str, settings: Any, now: datetime) -> tuple[int | None, float]:
    """Take one slot of our share: (the spend's id, 0.0), or (None, seconds until one frees)."""
    row = budget_row(session, tenant_id, now)
    if row.paused_until is not None and row.paused_until > now:
        return None, (row.paused_until - now).total_seconds()
    budget = budget_of(row, settings)
    window = (ApiSpend.tenant_id == tenant_id, ApiSpend.name == TICKET_UPDATES, ApiSpend.at > now - WINDOW)
    used = session.scalar(select(func.count()).select_from(ApiSpend).where(*window)) or 0
    if used >= budget.ours:
        frees = session.scalar(select(ApiSpend.at).where(*window).order_by(ApiSpend.at, ApiSpend.id)
                               .offset(used - budget.ours).limit(1))
        wait = ((frees + WINDOW) - now).total_seconds() if frees is not None else WINDOW.total_seconds()
        return None, max(0.05, wait)
    session.execute(delete(ApiSpend).where(ApiSpend.tenant_id == tenant_id, ApiSpend.name == TICKET_UPDATES,
                                           ApiSpend.at < now - KEEP))
    spend = ApiSpend(tenant_id=tenant_id, name=TICKET_UPDATES, at=now)
    session.add(spend)
    session.flush()
    return spend.id, 0.0


def used_in_window(session: Session, tenant_id: str, now: datetime) -> int:
    """Our ticket updates in the last 60 s (for /healthz and tests)."""
    return session.scalar(select(func.count()).select_from(ApiSpend).where(
        ApiSpend.tenant_id == tenant_id, ApiSpend.name == TICKET_UPDATES, ApiSpend.at > now - WINDOW)) or 0


# --- the job runner's side: admit before a job, settle after it ---------------------------------


@dataclass
class Ledger:
    """What one job did to the Update Ticket budget, counted by `PacedClient` on the job's thread."""

    tenant_id: str | None = None
    spend_id: int | None = None
    updates: int = 0
    reported: Any = None  # the latest `RateLimitInfo` of the Update Ticket endpoint seen by this job


_current = threading.local()


def current_ledger() -> Ledger | None:
    """The ledger of the job running on this thread, if any."""
    ledger: Ledger | None = getattr(_current, "ledger", None)
    return ledger


@contextmanager
def job_ledger(ledger: Ledger) -> Iterator[Ledger]:
    """Count this thread's ticket updates into `ledger` for the duration of one job."""
    previous = current_ledger()
    _current.ledger = ledger
    try:
        yield ledger
    finally:
        _current.ledger = previous


def admit(factory: sessionmaker[Session], job_id: int, worker_id: str, kind: str | None, tenant_id: str | None,
          settings_for: Any, now: datetime) -> tuple[Ledger, bool]:
    """Before a job runs: take its ticket-update slot, or put it back until one frees.

    Returns the job's ledger and whether it may run. Jobs of other kinds pass without a query.
    Its parameters are the claimed job's facts, passed before any session is open (a StepContext is built only once the job may run).
    """
    if kind is not None and kind not in UPDATE_KINDS:
        return Ledger(tenant_id), True
    with session_scope(factory) as session:
        job = session.get(Job, job_id)
        if job is None or job.state != "pending" or job.locked_by != worker_id or job.kind not in UPDATE_KINDS:
            return Ledger(job.tenant_id if job is not None else tenant_id), True
        spend_id, wait = claim(session, job.tenant_id, settings_for(job.tenant_id), now)
        if spend_id is not None:
            return Ledger(job.tenant_id, spend_id), True
        job.attempts -= 1  # waiting for our share of the budget is not a failure of this job
        job.lease_until = None
        job.locked_by = None
        job.run_after = now + timedelta(seconds=wait)
        job.updated_at = now
        return Ledger(job.tenant_id), False


def settle(factory: sessionmaker[Session], ledger: Ledger, settings_for: Any, now: datetime) -> None:
    """After a job: give back an unused slot, take one for each extra update, and note what Zendesk
    reported (which may pause the budget for the agents)."""
    if ledger.tenant_id is None or (ledger.spend_id is None and not ledger.updates and ledger.reported is None):
        return
    with session_scope(factory) as session:
        budget_row(session, ledger.tenant_id, now)
        if ledger.spend_id is not None and ledger.updates == 0:
            session.execute(delete(ApiSpend).where(ApiSpend.id == ledger.spend_id))
        extra = ledger.updates - (1 if ledger.spend_id is not None else 0)
        for _ in range(max(0, extra)):
            session.add(ApiSpend(tenant_id=ledger.tenant_id, name=TICKET_UPDATES, at=now))
        observe(session, ledger.tenant_id, settings_for(ledger.tenant_id), ledger.reported, now)


# --- the client side: count every ticket update ---------------------------------------------------


class PacedClient:
    """A helpdesk client whose ticket updates are counted into the running job's ledger, with what the
    helpdesk reported of the Update Ticket budget after each. Everything else passes through."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def __repr__(self) -> str:
        return f"PacedClient({self._client!r})"

    @property
    def wrapped(self) -> Any:
        """The client underneath."""
        return self._client

    def update_ticket(self, ticket_id: int, update: Any) -> Any:
        """The update, counted (also when it fails: it reached Zendesk's limiter)."""
        ledger = current_ledger()
        if ledger is not None:
            ledger.updates += 1
        try:
            return self._client.update_ticket(ticket_id, update)
        finally:
            if ledger is not None:
                ledger.reported = getattr(self._client, "ticket_update_limit", None) or ledger.reported
