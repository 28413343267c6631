"""Zendesk's own limits, as the real service meets them through the sandbox: the Update Ticket budget
shared with the agents, an agent's token (no incremental export), and bulk jobs that fail per ticket."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from cryptography.fernet import Fernet
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.zendesk.client import RateLimitInfo
from feedbackloop.jobs import pacing
from feedbackloop.jobs import queue as jobs
from feedbackloop.loop import bulk
from feedbackloop.runner.scheduler import Runner
from feedbackloop.store import access
from feedbackloop.store.db import session_scope
from feedbackloop.store.models import ApiBudget, FeatureState, Job, Rating, Survey
from feedbackloop.wiring.services import Services
from test_flow import live, path_of, rows, settle, solved_ticket, survey_links  # noqa: F401

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc)
AGENT_TOKEN = "agent-token-0123"


# --- the pacing ledger --------------------------------------------------------------------------


def test_our_share_of_the_update_ticket_budget_is_counted_over_any_60_seconds(engine: Engine,
                                                                              settings: Settings) -> None:
    factory = sessionmaker(engine, expire_on_commit=False)
    paced = settings.with_(ticket_update_limit=10, ticket_update_reserve=0.5)  # ours: 5 a minute
    with session_scope(factory) as session:
        granted = [pacing.claim(session, "default", paced, NOW + timedelta(seconds=n)) for n in range(6)]

    assert [spend is not None for spend, _ in granted] == [True] * 5 + [False]
    assert granted[-1][1] == pytest.approx(55.0)  # the oldest of the five leaves the window 60 s after it came
    with session_scope(factory) as session:
        assert pacing.claim(session, "default", paced, NOW + timedelta(seconds=60.5))[0] is not None
        assert pacing.claim(session, "default", paced, NOW + timedelta(seconds=60.6))[0] is None


def test_zendesks_reported_total_wins_and_a_low_remainder_pauses_updates(engine: Engine, settings: Settings) -> None:
    factory = sessionmaker(engine, expire_on_commit=False)
    trial = RateLimitInfo(limit=20, remaining=9, observed_at=NOW, reset_in=30)
    with session_scope(factory) as session:
        pacing.observe(session, "default", settings, trial, NOW)  # 9 of 20 left: the agents' half is used
        spend, wait = pacing.claim(session, "default", settings, NOW + timedelta(seconds=1))

    assert spend is None and wait == pytest.approx(29.0)
    with session_scope(factory) as session:
        row = session.get(ApiBudget, ("default", pacing.TICKET_UPDATES))
        assert row is not None and (row.total, row.remaining) == (20, 9) and "agents" in (row.reason or "")
        assert pacing.budget_of(row, settings) == pacing.Budget(total=20, ours=10)
        assert pacing.claim(session, "default", settings, NOW + timedelta(seconds=31))[0] is not None


def test_settle_gives_back_an_unused_slot_and_takes_one_per_extra_update(engine: Engine, settings: Settings) -> None:
    factory = sessionmaker(engine, expire_on_commit=False)
    with session_scope(factory) as session:
        unused, _ = pacing.claim(session, "default", settings, NOW)
        second, _ = pacing.claim(session, "default", settings, NOW)
    pacing.settle(factory, pacing.Ledger("default", unused, updates=0), lambda t: settings, NOW)
    pacing.settle(factory, pacing.Ledger("default", second, updates=3), lambda t: settings, NOW)

    with session_scope(factory) as session:
        assert pacing.used_in_window(session, "default", NOW + timedelta(seconds=1)) == 3


# --- the service against the sandbox's Update Ticket limit ----------------------------------------


def test_surveys_keep_within_our_share_of_a_trial_accounts_update_budget(live: Any, sandbox: Any, runner: Runner,
                                                                          engine: Engine, clock: Any) -> None:
    sandbox.configure(trial=True)  # Update Ticket: 20 a minute for the account, agents included
    tickets = [solved_ticket(sandbox, email=f"t{n}@example.net") for n in range(14)]
    sandbox.advance(61)  # the agents' solves were last minute; this minute starts fresh
    settle(sandbox, runner)

    sent = [s for s in rows(engine, Survey) if s.state == "sent"]
    updates = [r for r in sandbox.api_calls("PUT") if "/tickets/" in r.path and r.status == 200]
    assert len(sent) == len(updates) == 10  # ours: half of Zendesk's reported 20
    assert sandbox.update_refusals() == []  # and no 429: we stopped before Zendesk had to
    assert {j.state for j in rows(engine, Job) if j.kind == "send_survey"} == {"done", "pending"}
    for _ in range(3):  # a minute later the rest goes out, still without a 429
        clock.advance(61)
        sandbox.advance(61)
        settle(sandbox, runner)
    assert {s.ticket_id for s in rows(engine, Survey) if s.state == "sent"} == set(tickets)
    assert sandbox.update_refusals() == []
    assert all(j.attempts <= 1 for j in rows(engine, Job) if j.kind == "send_survey")  # waiting is not failing


def test_a_429_of_the_update_ticket_endpoint_pauses_updates_not_the_tenant(live: Any, sandbox: Any, runner: Runner,
                                                                           engine: Engine, clock: Any) -> None:
    ticket_id = solved_ticket(sandbox)
    sandbox.configure(ticket_update_rate_limit=100)
    sandbox.spend_agent_updates(100)  # the agents took the whole minute
    settle(sandbox, runner)

    (refused,) = [r for r in sandbox.api_calls("PUT") if r.status == 429]
    assert refused.path == f"/api/v2/tickets/{ticket_id}.json"
    (budget,) = rows(engine, ApiBudget)
    assert budget.paused_until is not None and budget.paused_until > clock.now()
    assert rows(engine, jobs.Throttle) == []  # reads and webhook processing go on
    clock.advance(61)
    sandbox.advance(61)
    settle(sandbox, runner)
    assert len(survey_links(sandbox, ticket_id)) == 5


# --- an agent's token: reconciliation disabled, not a dead job --------------------------------------


def agent_services(services: Services, sandbox: Any) -> None:
    sandbox.configure(agent_api_token=AGENT_TOKEN)
    agent = services.settings.zendesk
    assert agent is not None
    services.settings = services.settings.with_(zendesk=type(agent)(
        subdomain=agent.subdomain, email="sam.agent@sandbox.example", api_token=AGENT_TOKEN,
        webhook_secret=agent.webhook_secret, api_url=agent.api_url))


def reconcile(services: Services, clock: Any, key: str) -> None:
    with session_scope(services.factory) as session:
        jobs.enqueue(session, "reconcile", f"reconcile:{key}", {}, now=clock.now(), tenant_id="default")


def test_with_an_agents_token_reconciliation_reports_itself_disabled(services: Services, sandbox: Any, runner: Runner,
                                                                      engine: Engine, clock: Any, client: FlaskClient,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    agent_services(services, sandbox)
    with caplog.at_level(logging.WARNING, logger="feedbackloop.store.access"):
        reconcile(services, clock, "1")
        runner.run_until_idle()
        clock.advance(600)
        reconcile(services, clock, "2")
        runner.run_until_idle()

    reconciles = [j for j in rows(engine, Job) if j.kind == "reconcile"]
    assert [j.state for j in reconciles] == ["done", "done"]  # not dead, not retried
    assert all(j.result.startswith("reconciliation disabled: Zendesk refused the incremental ticket export")
               for j in reconciles)
    assert len(sandbox.api_calls("GET", "/incremental")) == 1  # the second interval did not ask again
    assert [r.getMessage() for r in caplog.records].count(caplog.records[0].getMessage()) == 1  # logged once
    (state,) = rows(engine, FeatureState)
    assert (state.feature, state.enabled) == ("reconciliation", False) and "admins only" in (state.reason or "")
    health = client.get("/healthz").get_json()
    assert health["features"]["default/reconciliation"].startswith("disabled: ")
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'feedbackloop_feature_disabled{feature="reconciliation",tenant="default"} 1.0' in metrics

    clock.advance(access.RECHECK.total_seconds())  # an hour on, and now an admin's token: it works again
    services.settings = services.settings.with_(zendesk=type(services.settings.zendesk)(  # type: ignore[misc]
        subdomain="sandbox", email=sandbox.config.email, api_token=sandbox.config.api_token,
        webhook_secret=services.settings.zendesk.webhook_secret, api_url=services.settings.zendesk.api_url))  # type: ignore[union-attr]
    reconcile(services, clock, "3")
    runner.run_until_idle()
    (state,) = rows(engine, FeatureState)
    assert state.enabled and client.get("/healthz").get_json()["features"] == {}


def test_doctor_and_install_say_an_admin_is_needed_and_why(services: Services, sandbox: Any, settings: Settings,
                                                          engine: Engine) -> None:
    from feedbackloop.commands import install

    agent_services(services, sandbox)
    factory = sessionmaker(engine, expire_on_commit=False)

    checks = {c.name: c for c in install.run_doctor(services.settings, factory, probe=lambda url: 200)}
    keyed = services.settings.with_(extra={**services.settings.extra,  # install needs the key first
                                           "FEEDBACKLOOP_ENCRYPTION_KEY": Fernet.generate_key().decode()})
    with pytest.raises(Exception) as refused:
        install.run_install(keyed, factory)

    assert checks["credentials"].status == "warning" and "not an admin" in checks["credentials"].detail
    assert "incremental ticket export" in checks["credentials"].detail and "ZENDESK_API_TOKEN" in checks["credentials"].fix
    assert checks["reconciliation"].status == "warning" and "never recovered" in checks["reconciliation"].detail
    assert "admins only" in str(refused.value) and "sam.agent@sandbox.example (agent)" in str(refused.value)
    assert sandbox.api_calls("POST") == []  # nothing half-made


# --- bulk write-backs whose tickets fail in the job --------------------------------------------------


def test_tickets_that_fail_in_a_bulk_job_fall_back_to_single_updates(live: Any, sandbox: Any, runner: Runner,
                                                                     services: Services, client: FlaskClient,
                                                                     engine: Engine) -> None:
    from feedbackloop.runtime import make_runner

    tickets = [solved_ticket(sandbox, email=f"b{n}@example.net") for n in range(12)]
    settle(sandbox, runner)
    for ticket_id in tickets:  # everyone rates 5: one group, one bulk job
        assert client.get(path_of(survey_links(sandbox, ticket_id)[5])).status_code == 200
    changed, closed = tickets[0], tickets[1]
    sandbox.simulate_close(closed)
    queue_watch = sandbox.update_many

    def queue_then_an_agent_edits(*args: Any, **kwargs: Any) -> Any:
        answer = queue_watch(*args, **kwargs)
        sandbox.simulate_tags(changed, add=["vip"])  # after the job was queued, before it runs
        return answer

    sandbox.update_many = queue_then_an_agent_edits  # type: ignore[method-assign]
    # One thread: the first write-back leads and finds the other eleven claimed but not started.
    # (With more threads a write-back already running on PostgreSQL is skipped, rightly, and runs alone.)
    serial = make_runner(services, threads=1)
    try:
        settle(sandbox, serial)
    finally:
        del sandbox.update_many
        serial.shutdown()

    (job_call,) = sandbox.api_calls("PUT", "/tickets/update_many")
    assert job_call.query["ids"].split(",") == [str(t) for t in tickets]
    singles = [r for r in sandbox.api_calls("PUT", f"/tickets/{changed}.json") if r.at >= job_call.at]
    assert [r.status for r in singles] == [409, 200]  # on its own: a stale snapshot, a re-read, one write
    assert {"csat_5", "vip"} <= set(sandbox.ticket(changed)["tags"])  # the agent's tag survives
    for ticket_id in tickets:
        notes = [c for c in sandbox.ticket_comments(ticket_id) if not c["public"] and "Customer feedback" in c["body"]]
        assert len(notes) == (0 if ticket_id == closed else 1), ticket_id
    by_ticket = {r.ticket_id: r for r in rows(engine, Rating)}
    assert all(r.written_version == r.version for r in by_ticket.values())
    assert {j.state for j in rows(engine, Job) if j.kind == "write_rating"} == {"done"}
    results = " | ".join(j.result or "" for j in rows(engine, Job) if j.kind == "write_rating")
    assert "wrote 10 of 12 ratings back in bulk update" in results and "2 fell back to single updates" in results
    assert f"ticket {closed} (" in results and "not written back" in results and "closed" in results


def test_bulk_jobs_in_flight_count_against_our_share_of_zendesks_job_limit(engine: Engine) -> None:
    factory = sessionmaker(engine, expire_on_commit=False)
    with session_scope(factory) as session:
        for leader in range(3):
            for member in range(2):
                job = jobs.enqueue(session, "write_rating", f"w:{leader}:{member}", {"rating_id": 1, "version": 1},
                                   now=NOW, ticket_id=100 * leader + member)
                job.locked_by, job.lease_until = f"bulk:{leader}", NOW + timedelta(seconds=60)
    with session_scope(factory) as session:
        assert bulk.bulk_jobs_in_flight(session, "default", NOW) == 3
        assert bulk.bulk_jobs_in_flight(session, "default", NOW + timedelta(seconds=61)) == 0
        assert session.scalar(select(Job.id).limit(1)) is not None
