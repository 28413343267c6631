"""Prometheus counters, counted where things happen: webhooks, helpdesk calls, job runs.

At the bottom of the stack (core) so that the helpdesk client, the job queue and the receiver can
count without importing the web layer; `web/prom.py` serves them with the gauges it reads from the
database at scrape time. Counting is side work: a failure is logged and the real work goes on.
Multiprocess: prometheus_client decides at import time, from ``PROMETHEUS_MULTIPROC_DIR``, whether
counters live in memory or in per-process files (see web/prom.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from prometheus_client import Counter

from feedbackloop.core import logs

log = logging.getLogger(__name__)

WEBHOOKS = Counter("feedbackloop_webhooks", "Webhook deliveries by outcome.", ["tenant", "outcome"])
HELPDESK_CALLS = Counter("feedbackloop_helpdesk_calls", "HTTP requests to the helpdesk API by answer status.",
                         ["tenant", "method", "status"])
RATE_LIMITED = Counter("feedbackloop_helpdesk_rate_limited", "429 answers from the helpdesk API.", ["tenant"])
JOBS_RUN = Counter("feedbackloop_jobs_run", "Job runs by kind and outcome.", ["kind", "outcome"])

#: The tenant label when the code at hand has none (a CLI command, an unknown webhook URL).
NO_TENANT = "unknown"



# --- counters: one call at each place, never raising -------------------------------------------


def _best_effort(count: Callable[..., None]) -> Callable[..., None]:
    """Metrics are side work: a failure is logged and the real work goes on."""

    def guarded(*args: Any) -> None:
        try:
            count(*args)
        except Exception:
            log.warning("could not update a metric", exc_info=True)

    return guarded


def _tenant() -> str:
    return str(logs.current().get("tenant_id") or NO_TENANT)


@_best_effort
def count_webhook(tenant: str, outcome: str) -> None:
    """One webhook delivery answered with `outcome`."""
    WEBHOOKS.labels(tenant, outcome).inc()  # positional: the label names in order, without sorting kwargs


@_best_effort
def count_helpdesk_call(method: str, status: int | None) -> None:
    """One HTTP request to the helpdesk, for the tenant in the log context (the job's)."""
    tenant = _tenant()
    HELPDESK_CALLS.labels(tenant=tenant, method=method.upper(), status=str(status or "error")).inc()
    if status == 429:
        RATE_LIMITED.labels(tenant=tenant).inc()


@_best_effort
def count_job(kind: str, outcome: str) -> None:
    """One job run that ended in `outcome` (its new state, or skipped)."""
    JOBS_RUN.labels(kind=kind, outcome=outcome).inc()
