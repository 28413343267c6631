"""The loop end to end: sandbox Zendesk → signed webhooks over HTTP → our receiver → jobs → the
real zenpy client → the sandbox's REST API → a customer's click → write-back and review task.

Only the wire is fake: the sandbox stands in for Zendesk; everything on our side is the code
that runs in production.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from conftest import WEBHOOK_SECRET
from feedbackloop.jobs import queue as jobs
from feedbackloop.runner.scheduler import Runner
from feedbackloop.runtime import make_runner, serve_in_thread
from feedbackloop.store.db import session_scope
from feedbackloop.store.models import Job, Rating, ReviewTask, Survey, Throttle
from feedbackloop.wiring.services import Services

LINK = re.compile(r"https?://[^\s\"'<>]+/s/([A-Za-z0-9_.\-]+)\?score=(\d)")


@pytest.fixture
def live(services: Services, sandbox: Any) -> Iterator[Any]:
    """Our app on a real loopback port, with the sandbox delivering its webhooks to it."""
    server = serve_in_thread(services, "127.0.0.1", 0)
    sandbox.set_webhook_target(f"{server.url}/webhooks/zendesk", WEBHOOK_SECRET)
    yield server
    server.shutdown()


def settle(sandbox: Any, runner: Runner, rounds: int = 10) -> None:
    """Deliver every webhook and run every due job, until neither produces more work."""
    for _ in range(rounds):
        assert sandbox.flush(10), "webhook deliveries did not finish"
        if runner.run_until_idle() == 0:
            assert sandbox.flush(10)
            if runner.run_until_idle() == 0:
                return
    raise AssertionError("the loop did not settle")


def solved_ticket(sandbox: Any, email: str = "ana@example.net", channel: str = "email") -> int:
    ticket_id: int = sandbox.simulate_customer_ticket(
        subject="Where is my refund?", body="I returned the shoes two weeks ago.", name="Ana Example",
        email=email, channel=channel, tags=["category_returns"],
    )
    sandbox.simulate_agent_reply(ticket_id, "Your refund is on its way.", status="solved")
    return ticket_id


def puts(sandbox: Any, ticket_id: int) -> list[Any]:
    return sandbox.api_calls("PUT", f"/tickets/{ticket_id}.json")


def survey_links(sandbox: Any, ticket_id: int) -> dict[int, str]:
    links: dict[int, str] = {}
    for comment in sandbox.ticket_comments(ticket_id):
        for match in LINK.finditer(comment.get("body") or ""):
            links[int(match.group(2))] = match.group(0)
    return links


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def survey_comments(sandbox: Any, ticket_id: int) -> list[Any]:
    return [c for c in sandbox.ticket_comments(ticket_id) if LINK.search(c.get("body") or "")]


def rows(engine: Engine, model: type) -> list[Any]:
    with Session(engine) as session:
        return list(session.scalars(select(model)))


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the page has no CSRF token"
    return match.group(1)


def test_solve_survey_rate_write_back_review(live: Any, sandbox: Any, runner: Runner, client: FlaskClient,
                                             engine: Engine) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)

    def applied() -> list[Any]:
        """The PUTs Zendesk applied: a collision-safe update refused with 409 (the ticket changed since
        our snapshot; under load a later event's snapshot can land first) is re-read and sent again."""
        calls = puts(sandbox, ticket_id)
        assert all(c.status in (200, 409) for c in calls), [(c.status, c.fault) for c in calls]
        return [c for c in calls if c.status == 200]

    # The survey is ONE update: public comment (plain + HTML) + csat_sent, collision-safe.
    first = applied()
    assert len(first) == 1, [(c.status, sorted(c.body.get("ticket", {})), str(
        (c.body.get("ticket", {}).get("comment") or {}).get("body", ""))[:100], c.at.isoformat()) for c in first]
    (survey_put,) = first
    surveys = [c for c in sandbox.ticket_comments(ticket_id) if c["public"] and "/s/" in (c.get("body") or "")]
    assert len(surveys) == 1, "one survey comment on the ticket"
    sent = survey_put.body["ticket"]
    assert sent["comment"]["public"] is True
    assert "html_body" in sent["comment"] and "body" in sent["comment"]
    assert "csat_sent" in sent["tags"] and "category_returns" in sent["tags"]
    assert sent["safe_update"] is True and sent["updated_stamp"]
    assert "status" not in sent  # the ticket stays solved
    ticket = sandbox.ticket(ticket_id)
    assert ticket["status"] == "solved" and "csat_sent" in ticket["tags"]
    links = survey_links(sandbox, ticket_id)
    assert sorted(links) == [1, 2, 3, 4, 5]
    assert all(link.startswith("http://feedback.test/s/") for link in links.values())
    (survey,) = rows(engine, Survey)
    assert survey.state == "sent" and survey.channel in (None, "email")

    # Our own update comes back as webhooks: no second survey, no loop.
    settle(sandbox, runner)
    assert len(applied()) == 1

    # One click is a rating; the form then adds a reason and a comment to the same rating.
    page = client.get(path_of(links[2]))
    assert page.status_code == 200
    hostile = "<script>alert(1)</script> the refund never came"
    answer = client.post(path_of(links[2]).split("?")[0], data={
        "csrf_token": csrf_of(page.get_data(as_text=True)), "score": "2", "reason": "not_resolved",
        "comment": hostile})
    assert answer.status_code == 200
    assert "<script>alert(1)</script>" not in answer.get_data(as_text=True)
    (rating,) = rows(engine, Rating)
    assert (rating.score, rating.reason, rating.comment) == (2, "not_resolved", hostile)
    settle(sandbox, runner)

    # Write-back: ONE update with csat tags and the comment as an internal note.
    calls = applied()
    assert len(calls) == 2
    back = calls[1].body["ticket"]
    assert {"csat_2", "csat_bad", "csat_sent"} <= set(back["tags"])
    assert back["comment"]["public"] is False and hostile in back["comment"]["body"]
    assert {"csat_2", "csat_bad"} <= set(sandbox.ticket(ticket_id)["tags"])

    # A bad rating opens a review task: a task ticket, due, tagged, private, not the customer's.
    (create,) = sandbox.api_calls("POST", "/tickets.json")
    task = create.body["ticket"]
    assert task["type"] == "task" and "feedback_review" in task["tags"]
    assert isinstance(task["due_at"], str) and "T" in task["due_at"]
    assert task["comment"]["public"] is False
    assert "requester_id" not in task and "requester" not in task
    (review,) = rows(engine, ReviewTask)
    created = sandbox.ticket(review.task_ticket_id)
    assert created["type"] == "task" and created["requester_id"] != ticket["requester_id"]
    note = sandbox.ticket_comments(review.task_ticket_id)[0]
    assert note["public"] is False
    assert f"#{ticket_id}" in note["body"] and hostile in note["body"] and "refund is on its way" in note["body"]

    # A later click on another score changes the rating and replaces the csat tags; the note says
    # what changed, and the review task of the bad rating is solved with a note saying why.
    assert client.get(path_of(links[5])).status_code == 200
    settle(sandbox, runner)
    tags = set(sandbox.ticket(ticket_id)["tags"])
    assert {"csat_5", "csat_good"} <= tags and not {"csat_2", "csat_bad"} & tags
    assert len(applied()) == 3
    assert "changed from 2/5 to 5/5" in applied()[2].body["ticket"]["comment"]["body"]
    assert sandbox.ticket(review.task_ticket_id)["status"] == "solved"
    withdrawn = sandbox.ticket_comments(review.task_ticket_id)[-1]
    assert withdrawn["public"] is False and "changed their rating from 2/5 to 5/5" in withdrawn["body"]
    (review,) = rows(engine, ReviewTask)
    assert review.state == "solved" and review.verdict == "no_issue"

    # Back to bad: a new review task (the last one was solved); the ticket shows the final answer.
    assert client.get(path_of(links[1])).status_code == 200
    settle(sandbox, runner)
    assert len(sandbox.api_calls("POST", "/tickets.json")) == 2
    assert sorted(r.state for r in rows(engine, ReviewTask)) == ["open", "solved"]
    tags = set(sandbox.ticket(ticket_id)["tags"])
    assert {"csat_1", "csat_bad"} <= tags and not {"csat_5", "csat_good", "csat_2"} & tags


def test_a_429_storm_is_waited_out_and_the_survey_goes_out_once(live: Any, sandbox: Any, runner: Runner,
                                                                 clock: Any, engine: Engine) -> None:
    ticket_id = solved_ticket(sandbox)
    sandbox.inject(429, count=2, retry_after=30, method="PUT", path_prefix="/tickets")
    settle(sandbox, runner)
    assert [r.status for r in puts(sandbox, ticket_id)] == [429]
    (throttle,) = rows(engine, Throttle)
    assert 25 <= (throttle.until - clock.now()).total_seconds() <= 31  # Retry-After honoured
    clock.advance(10)
    settle(sandbox, runner)
    assert len(puts(sandbox, ticket_id)) == 1  # not before Retry-After
    clock.advance(25)
    settle(sandbox, runner)
    clock.advance(31)
    settle(sandbox, runner)
    assert [r.status for r in puts(sandbox, ticket_id)] == [429, 429, 200]
    assert len(survey_comments(sandbox, ticket_id)) == 1
    (job,) = [j for j in rows(engine, Job) if j.kind == "send_survey"]
    assert job.state == "done" and job.attempts <= 1  # waiting for the rate limit is not a failure


@pytest.mark.parametrize("fault", [
    {"status": 503},
    {"status": 500},
    {"status": 502, "after": True},  # the write happened, the answer was lost
    {"reset": True, "after": True},
])
def test_server_errors_are_retried_without_doubling_the_survey(live: Any, sandbox: Any, runner: Runner,
                                                               clock: Any, engine: Engine,
                                                               fault: dict[str, Any]) -> None:
    ticket_id = solved_ticket(sandbox)
    sandbox.inject(count=1, method="PUT", path_prefix="/tickets", **fault)
    settle(sandbox, runner)
    (survey,) = rows(engine, Survey)
    assert survey.state == "scheduled"
    clock.advance(600)  # past any backoff
    settle(sandbox, runner)
    (survey,) = rows(engine, Survey)
    assert survey.state == "sent"
    assert len(survey_comments(sandbox, ticket_id)) == 1
    (job,) = [j for j in rows(engine, Job) if j.kind == "send_survey"]
    assert job.state == "done" and job.attempts == 2


def test_closed_ticket_makes_the_survey_undeliverable_without_retries(live: Any, sandbox: Any, runner: Runner,
                                                                       engine: Engine, clock: Any) -> None:
    ticket_id = solved_ticket(sandbox)
    assert sandbox.flush(10)
    sandbox.configure_delivery(drop_share=1.0)  # we never hear about the close
    sandbox.simulate_close(ticket_id)
    settle(sandbox, runner)
    clock.advance(3600)
    settle(sandbox, runner)
    (survey,) = rows(engine, Survey)
    assert survey.state == "undeliverable" and "closed" in (survey.reason or "")
    assert [r.status for r in puts(sandbox, ticket_id)] == [422]
    assert survey_comments(sandbox, ticket_id) == []


def test_update_conflict_is_re_read_and_keeps_everyone_elses_tags(live: Any, sandbox: Any, runner: Runner,
                                                                   engine: Engine) -> None:
    ticket_id = solved_ticket(sandbox)
    assert sandbox.flush(10)
    sandbox.configure_delivery(drop_share=1.0)
    sandbox.simulate_tags(ticket_id, add=["vip"])  # an agent's change we have not heard about
    settle(sandbox, runner)
    statuses = [r.status for r in puts(sandbox, ticket_id)]
    assert statuses == [409, 200]
    tags = set(sandbox.ticket(ticket_id)["tags"])
    assert {"vip", "csat_sent", "category_returns"} <= tags
    assert len(survey_comments(sandbox, ticket_id)) == 1


def test_a_reopen_we_did_not_hear_about_is_caught_on_re_read(live: Any, sandbox: Any, runner: Runner,
                                                              engine: Engine) -> None:
    ticket_id = solved_ticket(sandbox)
    assert sandbox.flush(10)
    sandbox.configure_delivery(drop_share=1.0)
    sandbox.simulate_customer_reply(ticket_id, "It still has not arrived, can you check again?")
    settle(sandbox, runner)
    (survey,) = rows(engine, Survey)
    assert survey.state == "cancelled"
    assert survey_comments(sandbox, ticket_id) == []


def test_reconciliation_finds_a_solve_whose_webhook_was_lost(live: Any, sandbox: Any, runner: Runner,
                                                             services: Services, clock: Any) -> None:
    sandbox.configure(export_lag=0)
    sandbox.configure_delivery(drop_share=1.0)
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    assert puts(sandbox, ticket_id) == []
    with session_scope(services.factory) as session:
        jobs.enqueue(session, "reconcile", "reconcile:test", {}, now=clock.now(), tenant_id="default")
    settle(sandbox, runner)
    clock.advance(5)  # Zendesk's timestamps have whole seconds: the solve may read as a moment ahead
    settle(sandbox, runner)
    assert len(survey_comments(sandbox, ticket_id)) == 1


@pytest.mark.parametrize("after", [False, True], ids=["slow-before-applying", "applied-then-slow"])
def test_an_answer_slower_than_the_client_timeout_is_retried_without_doubling(
    services: Services, sandbox: Any, clock: Any, engine: Engine, after: bool,
) -> None:
    services.settings = services.settings.with_(helpdesk_timeout=1.0)
    server = serve_in_thread(services, "127.0.0.1", 0)
    sandbox.set_webhook_target(f"{server.url}/webhooks/zendesk", WEBHOOK_SECRET)
    job_runner = make_runner(services, threads=2)
    try:
        ticket_id = solved_ticket(sandbox)
        sandbox.inject(delay=2.5, after=after, method="PUT", path_prefix="/tickets", count=1)
        settle(sandbox, job_runner)
        clock.advance(600)
        settle(sandbox, job_runner)
        time.sleep(3)  # let the stalled request finish on the sandbox's side
        (survey,) = rows(engine, Survey)
        assert survey.state == "sent"
        assert len(survey_comments(sandbox, ticket_id)) == 1
        (job,) = [j for j in rows(engine, Job) if j.kind == "send_survey"]
        assert job.state == "done" and job.attempts == 2 and "timed out" in (job.last_error or "")
    finally:
        job_runner.shutdown()
        server.shutdown()


def test_a_deleted_ticket_makes_the_survey_undeliverable(live: Any, sandbox: Any, runner: Runner,
                                                         engine: Engine) -> None:
    ticket_id = solved_ticket(sandbox)
    sandbox.inject(404, method="PUT", path_prefix=f"/tickets/{ticket_id}", count=None)
    settle(sandbox, runner)
    sandbox.clear_faults()
    (survey,) = rows(engine, Survey)
    assert survey.state == "undeliverable" and "not found" in (survey.reason or "").lower()
    assert len(puts(sandbox, ticket_id)) == 1  # not retried
