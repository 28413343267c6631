"""One survey per solve episode, whichever paths report the solve, in any order and at any delay.

`install` makes two webhooks (the Events API and our triggers), and reconciliation adds a third
path, so one solve arrives up to three times with three different keys and three precisions:
the envelope's `time` to the nanosecond, the trigger's `{{ticket.updated_at_with_timestamp}}` to
the minute, the export's `updated_at` to the second (and later, when the ticket changed after).
Each delivery goes in over HTTP, signed, and every job runs against the sandbox, which counts the
survey comments the customer would get.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from conftest import signed_post
from factories import envelope
from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import Ticket
from feedbackloop.loop.reconcile import _reconcile_ticket
from feedbackloop.runner.scheduler import Runner
from feedbackloop.store.db import session_scope
from feedbackloop.store.models import Survey, TicketState
from feedbackloop.wiring.services import Services

PATHS = ("events", "trigger", "reconcile")


def _minute(at: datetime) -> str:
    """`{{ticket.updated_at_with_timestamp}}` as Zendesk renders it: no seconds."""
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def trigger(ticket_id: int, status: str, at: datetime, requester_id: int = 9001) -> dict[str, Any]:
    """Our installed trigger's body after Zendesk filled in its placeholders."""
    return {"event": "status_changed", "ticket_id": str(ticket_id), "status": status.capitalize(),
            "requester_id": str(requester_id), "assignee_id": "8447388090494", "group_id": "",
            "ticket_type": "Question", "via": "Mail", "tags": "shoes", "updated_at": _minute(at),
            "current_user_id": "8447388090494"}


class Deliver:
    """The three ways a status change reaches us."""

    def __init__(self, client: FlaskClient, services: Services, sandbox: Any) -> None:
        self.client = client
        self.services = services
        self.sandbox = sandbox

    def __call__(self, path: str, ticket_id: int, previous: str, status: str, at: datetime | None = None) -> None:
        """Report a status change; `at` None: the change happens now in the sandbox, at its `updated_at`."""
        if self.sandbox.ticket(ticket_id)["status"] != status:  # Zendesk's own state (no webhook target set)
            self.sandbox.simulate_status(ticket_id, status)
        if at is None:
            at = datetime.fromisoformat(self.sandbox.ticket(ticket_id)["updated_at"].replace("Z", "+00:00"))
        if path == "events":
            answer = signed_post(self.client, envelope(ticket_id, previous, status, at))
        elif path == "trigger":
            answer = signed_post(self.client, json.dumps(trigger(ticket_id, status, at)).encode(),
                                 headers={"X-Zendesk-Webhook-Invocation-Id": str(uuid.uuid4())})
        else:
            self.reconcile(ticket_id, status, at)
            return
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert answer.get_json()["status"] == "accepted"

    def reconcile(self, ticket_id: int, status: str, at: datetime) -> None:
        """What reconciliation stores when the export shows a status we did not hear about: the
        ticket's `updated_at` (whole seconds), which is the solve's or a later update's."""
        ticket = Ticket(id=ticket_id, status=status, requester_id=9001, updated_at=at.replace(microsecond=0),
                        tags=("shoes",), channel="email")
        with session_scope(self.services.factory) as session:
            state = session.scalars(select(TicketState).where(TicketState.ticket_id == ticket_id)).one_or_none()
            _reconcile_ticket(session, "default", "zendesk", ticket, state, at + timedelta(minutes=5))


@pytest.fixture
def deliver(client: FlaskClient, services: Services, sandbox: Any) -> Deliver:
    return Deliver(client, services, sandbox)


def surveys(engine: Engine, ticket_id: int) -> list[Survey]:
    with Session(engine) as session:
        return list(session.scalars(select(Survey).where(Survey.ticket_id == ticket_id).order_by(Survey.id)))


def survey_comments(sandbox: Any, ticket_id: int) -> list[Any]:
    return [c for c in sandbox.ticket_comments(ticket_id) if "/s/" in (c.get("body") or "")]


def customer_ticket(sandbox: Any) -> int:
    ticket_id: int = sandbox.simulate_customer_ticket(subject="Shoes", body="They do not fit.", name="Ana",
                                                      email="ana@example.net", channel="email")
    sandbox.flush(5)
    return ticket_id


#: Every ordered pairing of two paths, and every order of all three.
ORDERS = [list(pair) for pair in itertools.permutations(PATHS, 2)] + [list(p) for p in itertools.permutations(PATHS)]


@pytest.mark.parametrize("order", ORDERS, ids=["-".join(o) for o in ORDERS])
def test_one_solve_by_several_paths_sends_one_survey(order: list[str], deliver: Deliver, sandbox: Any,
                                                     runner: Runner, engine: Engine) -> None:
    ticket_id = customer_ticket(sandbox)
    solved_at = datetime.now(timezone.utc).replace(second=7, microsecond=672717) - timedelta(minutes=2)
    for path in order:
        deliver(path, ticket_id, "open", "solved", solved_at)
        runner.run_until_idle()  # each path processed before the next arrives: the hardest case
    runner.run_until_idle()
    (survey,) = surveys(engine, ticket_id)
    assert survey.state == "sent"
    assert len(survey_comments(sandbox, ticket_id)) == 1


@pytest.mark.parametrize("order", [["events", "trigger"], ["trigger", "events"]])
def test_the_same_solve_60_seconds_apart_is_one_solve(order: list[str], deliver: Deliver, sandbox: Any,
                                                      runner: Runner, engine: Engine) -> None:
    """A delivery a minute late (Zendesk's retry, a slow trigger) stamps the same solve a minute later."""
    ticket_id = customer_ticket(sandbox)
    solved_at = datetime.now(timezone.utc).replace(second=30, microsecond=0) - timedelta(minutes=3)
    deliver(order[0], ticket_id, "open", "solved", solved_at)
    runner.run_until_idle()
    deliver(order[1], ticket_id, "open", "solved", solved_at + timedelta(seconds=60))
    runner.run_until_idle()
    assert len(surveys(engine, ticket_id)) == 1
    assert len(survey_comments(sandbox, ticket_id)) == 1


@pytest.mark.parametrize("paths", [("events", "events"), ("trigger", "trigger"), ("events", "trigger"),
                                   ("trigger", "events")])
def test_a_real_re_solve_after_a_reopen_gets_its_own_survey(paths: tuple[str, str], deliver: Deliver,
                                                            sandbox: Any, runner: Runner, engine: Engine,
                                                            clock: Any) -> None:
    """Solve, survey, the customer reopens, solved again: a second episode, a second survey (the
    cooldown only holds back surveys of the requester's other tickets)."""
    ticket_id = customer_ticket(sandbox)

    def run() -> None:  # the sandbox stamps each update a second after the last: our clock keeps up
        clock.advance(5)
        runner.run_until_idle()

    deliver(paths[0], ticket_id, "open", "solved")
    run()
    deliver("events", ticket_id, "solved", "open")
    run()
    deliver(paths[1], ticket_id, "open", "solved")
    other = "events" if paths[1] == "trigger" else "trigger"
    deliver(other, ticket_id, "open", "solved")  # and the other path reports that second solve too
    run()
    assert [s.state for s in surveys(engine, ticket_id)] == ["sent", "sent"], [s.reason for s in surveys(engine, ticket_id)]
    assert len(survey_comments(sandbox, ticket_id)) == 2


class TestWithADelay:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return dataclasses.replace(settings, survey_delay=3600)

    def test_a_reopen_cancels_the_survey_that_another_path_scheduled(self, deliver: Deliver, sandbox: Any,
                                                                     engine: Engine, runner: Runner) -> None:
        """The trigger's solve made the survey (not yet due); the reopen comes by the Events API."""
        ticket_id = customer_ticket(sandbox)
        solved_at = datetime.now(timezone.utc).replace(second=12) - timedelta(minutes=5)
        deliver("trigger", ticket_id, "open", "solved", solved_at)
        runner.run_until_idle()
        deliver("events", ticket_id, "open", "solved", solved_at)
        deliver("events", ticket_id, "solved", "open", solved_at + timedelta(minutes=2))
        runner.run_until_idle()
        assert [s.state for s in surveys(engine, ticket_id)] == ["cancelled"]
        assert survey_comments(sandbox, ticket_id) == []


def test_two_paths_processed_at_the_same_moment_make_one_survey(services: Services, engine: Engine) -> None:
    """Two workers fold the same ticket at once (the trigger's and the envelope's job): the ticket row's
    lock makes them take turns, so the second sees the first's survey."""
    import threading

    from factories import status_event
    from feedbackloop.helpdesks.base import TicketEvent
    from feedbackloop.loop.lifecycle import process_ticket
    from feedbackloop.loop.receive import store_event

    solved_at = datetime.now(timezone.utc).replace(second=40, microsecond=120000) - timedelta(minutes=3)
    precise = status_event(900, "open", "solved", solved_at)
    minute = TicketEvent(kind="status_changed", ticket_id=900, dedupe_key=f"invocation:{uuid.uuid4()}",
                         occurred_at=solved_at.replace(second=0, microsecond=0), event_type="trigger:status_changed",
                         status="solved", requester_id=9001, channel="email", updated_at=solved_at)
    with session_scope(services.factory) as session:
        for event in (precise, minute):
            store_event(session, "default", "zendesk", event, source="webhook", now=solved_at)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def fold() -> None:
        try:
            start.wait()
            with session_scope(services.factory) as session:
                process_ticket(session, services.settings, "default", 900, datetime.now(timezone.utc))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=fold) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(surveys(engine, 900)) == 1
