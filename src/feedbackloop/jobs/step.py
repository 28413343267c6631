"""One run of one job, as the loop's step functions see it: one context object instead of a list.

The runner builds a `StepContext` per job run (`step_of`) and hands it to the step function with
the job's own arguments: the tenant, its settings, its helpdesk client, the clock and the attempt
used to be eight to ten positional parameters of every step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import HelpdeskClient
from feedbackloop.store.models import Job


@dataclass(frozen=True)
class StepContext:
    """Who a job run is for and what it may use; `client` is made on first use (some steps never call)."""

    tenant_id: str
    ticket_id: int | None
    settings: Settings
    clients: Callable[[str], HelpdeskClient]
    now: datetime
    attempt: int = 1
    key: str = ""  # the job's dedupe key: a retry finds what an earlier attempt did by it

    @cached_property
    def client(self) -> HelpdeskClient:
        return self.clients(self.tenant_id)

    @property
    def ticket(self) -> int:
        """The job's ticket, for the steps that always have one."""
        if self.ticket_id is None:
            raise ValueError("this job step needs a ticket id")
        return self.ticket_id


def step_of(settings: Settings, clients: Callable[[str], HelpdeskClient], now: datetime, job: Job) -> StepContext:
    """The context of one run of `job`, with the settings of its tenant."""
    return StepContext(tenant_id=job.tenant_id, ticket_id=job.ticket_id, settings=settings, clients=clients,
                       now=now, attempt=job.attempts, key=job.dedupe_key)
