"""A bulk write-back's leader whose worker is lost: once `update_many` has returned, the bulk job's id is
recorded, so the leader's re-run settles the job from its status and its members are done (or released)
at once; lost before that, nobody knows whether Zendesk got the job, and the members wait out their
hold (HOLD_SECONDS). Either way each ticket gets exactly one note. Seen at scale: workers SIGKILLed
while polling left the members held for two minutes after their leader had run again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from test_bulk import notes, rate_all

from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.zendesk.client import ZendeskClient
from feedbackloop.loop import bulk
from feedbackloop.runner.scheduler import Runner
from feedbackloop.store.models import Job, Rating
from test_flow import live, rows, settle  # noqa: F401

#: The leader's lease, far shorter than the members' hold: a lost leader is back long before it runs out.
LEASE = 8


class Killed(BaseException):
    """The worker's death: not an error of the job (that would be caught, and the lease given back),
    it leaves the leader leased as SIGKILL does."""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, job_lease=LEASE)


def kill_once(monkeypatch: pytest.MonkeyPatch, name: str, after: bool) -> None:
    """The first call of ZendeskClient.<name> kills its worker: before the call, or after Zendesk has
    answered it (`after`) but before the answer reaches us."""
    original: Callable[..., Any] = getattr(ZendeskClient, name)
    calls = []

    def dying(self: ZendeskClient, *args: Any) -> Any:
        calls.append(name)
        if len(calls) > 1:
            return original(self, *args)
        if after:
            original(self, *args)
        raise Killed(name)

    monkeypatch.setattr(ZendeskClient, name, dying)


def write_backs(engine: Engine) -> list[Job]:
    return [job for job in rows(engine, Job) if job.kind == "write_rating"]


def held(engine: Engine) -> list[Job]:
    return [job for job in write_backs(engine) if (job.locked_by or "").startswith(bulk.HOLD_PREFIX)
            and job.state == "pending"]


def lose_the_leader(sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine) -> tuple[list[int], Job]:
    """Rate enough tickets for a bulk update, run until the leader's worker dies; the leader (still leased)."""
    tickets = rate_all(sandbox, runner, client)
    with pytest.raises(Killed):
        settle(sandbox, runner)
    runner.shutdown()  # the rest of the dead worker's batch finishes
    (leader,) = [job for job in write_backs(engine) if job.state == "pending" and job.locked_by == runner.worker_id]
    assert held(engine), "the leader was killed after it held its members"
    return tickets, leader


def assert_written_once(sandbox: Any, engine: Engine, tickets: list[int]) -> None:
    for ticket_id in tickets:
        assert len(notes(sandbox, ticket_id)) == 1, f"ticket {ticket_id}"
    assert all(r.written_version == r.version for r in rows(engine, Rating))
    assert {job.state for job in write_backs(engine)} == {"done"}


def test_a_leader_lost_while_polling_settles_its_members_when_it_runs_again(
        live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine, clock: Any,  # noqa: F811
        services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    kill_once(monkeypatch, "batch_status", after=False)
    tickets, leader = lose_the_leader(sandbox, runner, client, engine)
    assert leader.args["bulk_lead"] and leader.args["bulk_id"]
    members = held(engine)
    assert {job.args["bulk_id"] for job in members} == {leader.args["bulk_id"]}  # recorded before the poll

    clock.advance(LEASE + 1)  # the leader's lease has run out; its members' hold (120 s) has not
    again = make_runner(services)
    try:
        settle(sandbox, again)
    finally:
        again.shutdown()
    assert not held(engine)
    assert_written_once(sandbox, engine, tickets)
    by_id = {job.id: job for job in write_backs(engine)}
    assert all(by_id[job.id].result == f"written back in bulk update {leader.args['bulk_id']}" for job in members)
    assert by_id[leader.id].result.startswith(f"wrote {len(members) + 1} of {len(members) + 1} ratings back")
    assert len(sandbox.api_calls("PUT", "/tickets/update_many")) >= 1


def test_a_leader_lost_before_update_many_returned_leaves_its_members_held(
        live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine, clock: Any,  # noqa: F811
        services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    kill_once(monkeypatch, "update_many", after=True)  # Zendesk queued the job; we never learnt its id
    tickets, leader = lose_the_leader(sandbox, runner, client, engine)
    assert "bulk_id" not in leader.args
    members = held(engine)
    sandbox.run_jobs()  # Zendesk runs the job all the same

    clock.advance(LEASE + 1)
    again = make_runner(services)
    try:
        settle(sandbox, again)  # the leader, on its own: it finds the bulk note and writes nothing
        assert {job.id for job in held(engine)} == {job.id for job in members}  # we cannot know: they wait
        clock.advance(bulk.HOLD_SECONDS)
        settle(sandbox, again)  # each member on its own, after a look for its note
    finally:
        again.shutdown()
    assert_written_once(sandbox, engine, tickets)


def test_a_write_back_lost_after_its_own_update_is_never_taken_into_a_bulk_update(
        live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine, clock: Any,  # noqa: F811
        services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its update is on the ticket, its worker gone, its lease still running: it looks like a claimed
    job that has not started. Its committed mark keeps bulk leaders off it; it runs again on its own."""
    tickets = rate_all(sandbox, runner, client, raters=1)  # alone: too few for a bulk update
    kill_once(monkeypatch, "update_ticket", after=True)
    with pytest.raises(Killed):
        settle(sandbox, runner)
    runner.shutdown()
    (lost,) = write_backs(engine)
    assert lost.state == "pending" and lost.locked_by == runner.worker_id and lost.args[bulk.ALONE]
    assert len(notes(sandbox, tickets[0])) == 1  # the update went out
    with Session(engine) as session, session.begin():  # its lease runs long enough for what follows
        session.execute(update(Job).where(Job.id == lost.id).values(lease_until=clock.now() + timedelta(hours=1)))
    again = make_runner(services)
    try:
        # a long queue of the same score as the lost one's (1): 1 + n % 5 for n = 5, 10, ... 25
        more = rate_all(sandbox, again, client, raters=29, first=1)
        settle(sandbox, again)
        assert sandbox.api_calls("PUT", "/tickets/update_many")
        assert len(notes(sandbox, tickets[0])) == 1
        clock.advance(2 * 3600)
        settle(sandbox, again)  # the lost job, on its own: it finds its note
    finally:
        again.shutdown()
    assert_written_once(sandbox, engine, tickets + more)


def make_runner(services: Any) -> Runner:
    from feedbackloop.runtime import make_runner as make

    return make(services, threads=2)
