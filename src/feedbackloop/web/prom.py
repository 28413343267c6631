"""Prometheus metrics: counters where things happen, gauges read from the database at scrape time.

Counters (per process; summed over processes in multiprocess mode):

* ``feedbackloop_webhooks_total{tenant,outcome}``: accepted, duplicate, ignored, refused, error
* ``feedbackloop_helpdesk_calls_total{tenant,method,status}``: every HTTP request to Zendesk, by
  answer status ("error" when none came: timeout, reset)
* ``feedbackloop_helpdesk_rate_limited_total{tenant}``: 429 answers
* ``feedbackloop_jobs_run_total{kind,outcome}``: done, retry, dead, skipped

Gauges, computed from the database when scraped (so every process reports the same truth):
``feedbackloop_job_queue_depth{state}``, ``feedbackloop_job_queue_due`` (both counting stored events not yet
given their processing job, ``feedbackloop_events_unqueued``, as pending and due),
``feedbackloop_job_oldest_due_age_seconds``, ``feedbackloop_survey_funnel{state}``,
``feedbackloop_review_tasks_open``, ``feedbackloop_throttled_tenants``,
``feedbackloop_job_runner_heartbeat_age_seconds``, ``feedbackloop_feature_disabled{tenant,feature}``
(1 while the credentials may not do it: reconciliation with a token that is not an admin's),
``feedbackloop_ticket_updates_paused_tenants`` and ``feedbackloop_database_up``.

Multiprocess: prometheus_client decides at import time, from ``PROMETHEUS_MULTIPROC_DIR``, whether
counters live in memory or in per-process files in that directory. gunicorn.conf.py sets it when
it runs several workers; then a scrape sums the files of every process that wrote there.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from feedbackloop.core.counters import NO_TENANT as NO_TENANT
from feedbackloop.core.counters import count_helpdesk_call as count_helpdesk_call  # counted where it happens
from feedbackloop.core.counters import count_job as count_job
from feedbackloop.core.counters import count_webhook as count_webhook
from feedbackloop.jobs import queue as jobs
from feedbackloop.store import access, heartbeat
from feedbackloop.store.db import session_scope, utcnow
from feedbackloop.store.models import ApiBudget, Job, Rating, ReviewTask, Survey, Throttle

log = logging.getLogger(__name__)
bp = Blueprint("prom", __name__)

JOB_STATES = ("pending", "done", "dead", "cancelled")
SURVEY_STATES = ("scheduled", "sent", "cancelled", "skipped", "undeliverable")
OPEN_REVIEW_STATES = ("pending", "open")  # pending: not yet created in the helpdesk
# --- gauges from the database ---------------------------------------------------------------


def oldest_due_age(session: Session, now: datetime, unqueued: tuple[int, datetime | None] | None = None) -> float:
    """Seconds the longest-waiting due job has been due (0 when none is); a stored event still waiting for
    its job (`jobs.queue_stored_events`) is a job due since it arrived (`unqueued`: `jobs.unqueued_events`,
    when the caller has it already)."""
    oldest = session.scalar(select(func.min(Job.run_after)).where(Job.state == "pending", Job.run_after <= now))
    _, waiting_since = unqueued if unqueued is not None else jobs.unqueued_events(session)
    times = [moment for moment in (oldest, waiting_since) if moment is not None]
    return max(0.0, (now - min(times)).total_seconds()) if times else 0.0


def _counts(session: Session, column: Any, states: Iterable[str]) -> dict[str, int]:
    """Rows by state: every known state (0 when none), and any other state found."""
    found = {str(key): int(count) for key, count in session.execute(select(column, func.count()).group_by(column))}
    return {**dict.fromkeys(states, 0), **found}


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _labelled(name: str, documentation: str, label: str, values: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=[label])
    for key, value in values.items():
        family.add_metric([key], value)
    return family


def read_gauges(session: Session, now: datetime, runner_tick: datetime | None) -> Iterator[Metric]:
    """Queue, funnel, review and runner gauges as of `now`."""
    unqueued = jobs.unqueued_events(session)
    # the same counts as /healthz and `feedbackloop status`: a stored event waiting for its job is a
    # pending job, and a due one
    counted = jobs.queue_depth(session, now, unqueued)
    due, waiting = counted.pop("due"), counted.pop("unqueued")
    depth = {**dict.fromkeys(JOB_STATES, 0), **counted}
    yield _labelled("feedbackloop_job_queue_depth", "Jobs by state.", "state", depth)
    yield _gauge("feedbackloop_job_queue_due", "Pending jobs already due.", due)
    yield _gauge("feedbackloop_events_unqueued", "Stored events not yet given their processing job.", waiting)
    yield _gauge("feedbackloop_job_oldest_due_age_seconds", "How long the longest-waiting due job has waited.",
                 oldest_due_age(session, now, unqueued))
    funnel = _counts(session, Survey.state, SURVEY_STATES)
    funnel["rated"] = int(session.scalar(select(func.count()).select_from(Rating)) or 0)
    yield _labelled("feedbackloop_survey_funnel", "Surveys by state, and ratings (rated).", "state", funnel)
    open_tasks = session.scalar(select(func.count()).where(ReviewTask.state.in_(OPEN_REVIEW_STATES))) or 0
    yield _gauge("feedbackloop_review_tasks_open", "Review tasks not solved yet.", open_tasks)
    throttled = session.scalar(select(func.count()).where(Throttle.until > now)) or 0
    yield _gauge("feedbackloop_throttled_tenants", "Tenants waiting out a helpdesk Retry-After.", throttled)
    refused = GaugeMetricFamily("feedbackloop_feature_disabled",
                                "1 while a feature is disabled because the helpdesk refused our credentials.",
                                labels=["tenant", "feature"])
    for row in access.disabled(session):
        refused.add_metric([row.tenant_id, row.feature], 1)
    yield refused
    paused = session.scalar(select(func.count()).select_from(ApiBudget).where(ApiBudget.paused_until > now)) or 0
    yield _gauge("feedbackloop_ticket_updates_paused_tenants",
                 "Tenants whose ticket updates wait for Zendesk's Update Ticket budget.", paused)
    beats = [t for t in (heartbeat.last_beat(session), runner_tick) if t is not None]
    if beats:
        yield _gauge("feedbackloop_job_runner_heartbeat_age_seconds", "Seconds since a job runner last ticked.",
                     max(0.0, (now - max(beats)).total_seconds()))


class DatabaseCollector:
    """Reads the gauges at each scrape; a database it cannot reach is `feedbackloop_database_up 0`."""

    def __init__(self, factory: sessionmaker[Session], runner: Any = None) -> None:
        self.factory = factory
        self.runner = runner

    def describe(self) -> list[Metric]:
        return []  # computed at scrape time; nothing to check for duplicates at registration

    def collect(self) -> Iterator[Metric]:
        now = utcnow()
        try:
            with session_scope(self.factory) as session:
                families = list(read_gauges(session, now, getattr(self.runner, "last_tick", None)))
        except SQLAlchemyError as exc:  # reported as a metric: the scrape still answers
            log.warning("metrics: database unreachable: %s", type(exc).__name__)
            yield _gauge("feedbackloop_database_up", "1 if the database answered this scrape.", 0)
            return
        yield _gauge("feedbackloop_database_up", "1 if the database answered this scrape.", 1)
        yield from families


class _ProcessCounters:
    """This process's counters (and prometheus_client's process/GC metrics), for single-process mode."""

    def describe(self) -> list[Metric]:
        return []

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def multiprocess_dir() -> str | None:
    """prometheus_client's own variable (it reads it at import): our files are its business."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def build_registry(factory: sessionmaker[Session], runner: Any = None) -> CollectorRegistry:
    """Counters of this process (or of every process, in multiprocess mode) plus the database gauges."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ProcessCounters())
    registry.register(DatabaseCollector(factory, runner))
    return registry


# --- GET /metrics ---------------------------------------------------------------------------


def _direct_loopback() -> bool:
    """A scrape from this host that no proxy relayed (a proxy on this host would look local)."""
    if request.headers.get("X-Forwarded-For") or request.headers.get("Forwarded"):
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def _refusal(token: str | None) -> ResponseReturnValue | None:
    if _direct_loopback():
        return None
    if token is None:
        return jsonify(error="forbidden", message="metrics are served to loopback only; set "
                       "FEEDBACKLOOP_METRICS_TOKEN to scrape from elsewhere"), 403
    supplied = request.headers.get("Authorization", "")
    if hmac.compare_digest(supplied.encode(), f"Bearer {token}".encode()):
        return None
    return jsonify(error="unauthorized", message="send Authorization: Bearer <FEEDBACKLOOP_METRICS_TOKEN>"), 401, {
        "WWW-Authenticate": 'Bearer realm="metrics"'}


@bp.get("/metrics")
def metrics() -> ResponseReturnValue:
    """Prometheus text format; loopback scrapes need no token, any other needs the bearer token."""
    from feedbackloop.wiring.services import services_of  # here: the helpdesk client imports this module

    services = services_of(current_app)
    refusal = _refusal(services.settings.metrics_token)
    if refusal is not None:
        return refusal
    registry = build_registry(services.factory, current_app.extensions.get("feedbackloop.runner"))
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def serve_metrics(factory: sessionmaker[Session], runner: Any, host: str, port: int) -> Any:
    """A metrics-only HTTP listener for `feedbackloop worker` (no token: bind it to a private address)."""
    from prometheus_client import start_http_server

    return start_http_server(port, addr=host, registry=build_registry(factory, runner))
