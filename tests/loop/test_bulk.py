"""A long write-back queue goes out through update_many (≤ 100 tickets, job status polled), still
exactly once per rating, also when the bulk job's status cannot be read."""

from __future__ import annotations

import time
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import Engine

from feedbackloop.runner.scheduler import Runner
from feedbackloop.store.models import Job, Rating
from test_flow import live, path_of, rows, settle, solved_ticket, survey_links  # noqa: F401

RATERS = 30


def rate_all(sandbox: Any, runner: Runner, client: FlaskClient, raters: int = RATERS, first: int = 0) -> list[int]:
    """`raters` customers (numbered from `first`) each rate their solved ticket, 1 to 5 in turn."""
    tickets = [solved_ticket(sandbox, email=f"bulk{n}@example.net") for n in range(first, first + raters)]
    settle(sandbox, runner)
    for n, ticket_id in enumerate(tickets, start=first):
        assert client.get(path_of(survey_links(sandbox, ticket_id)[1 + n % 5])).status_code == 200
    return tickets


def notes(sandbox: Any, ticket_id: int) -> list[Any]:
    return [c for c in sandbox.ticket_comments(ticket_id) if not c["public"] and "Customer feedback" in c["body"]]


def test_a_long_queue_of_write_backs_goes_out_in_bulk_one_job_per_score(live: Any, sandbox: Any, runner: Runner,
                                                                       client: FlaskClient, engine: Engine) -> None:
    tickets = rate_all(sandbox, runner, client)
    before = len(sandbox.api_calls())
    settle(sandbox, runner)
    calls = sandbox.api_calls()[before:]
    bulk = [c for c in calls if c.path.endswith("/update_many.json")]
    # Zendesk's documented bulk form: ?ids= and one `ticket` (the same change for every ticket), so one
    # bulk job per score (one-click ratings of a score share their note); never a whole tag list.
    covered = [int(i) for call in bulk for i in call.query["ids"].split(",")]
    assert 5 <= len(bulk) <= 8 and len(covered) == len(set(covered))
    for call in bulk:
        assert set(call.body) == {"ticket"}
        assert set(call.body["ticket"]) == {"additional_tags", "remove_tags", "comment"}
        assert call.body["ticket"]["comment"]["public"] is False
    singles = [int(c.path.split("/")[-1].split(".")[0]) for c in calls
               if c.method == "PUT" and not c.path.endswith("/update_many.json")]
    assert sorted(covered + singles) == sorted(tickets)  # a group split by two leaders goes out one by one
    polls = [c for c in calls if "/job_statuses/" in c.path]
    assert 1 <= len(polls) <= 3 * len(bulk)
    assert len(bulk) + len(polls) + len(singles) < len(tickets)  # fewer calls than one update per rating
    # (the other calls are the review tasks of the 12 bad ratings: a read of the thread and a create each)
    assert {(c.method, c.path.split("/")[-1].split(".")[0].isdigit() or c.path.split("/")[-1])
            for c in calls if c not in bulk and c not in polls and c.method != "PUT"} <= {
        ("GET", "comments.json"), ("POST", "tickets.json")}
    for n, ticket_id in enumerate(tickets):
        score = 1 + n % 5
        tags = set(sandbox.ticket(ticket_id)["tags"])
        assert f"csat_{score}" in tags and "csat_sent" in tags and "category_returns" in tags
        assert len(notes(sandbox, ticket_id)) == 1
    assert all(r.written_version == r.version for r in rows(engine, Rating))
    assert {j.state for j in rows(engine, Job) if j.kind == "write_rating"} == {"done"}


def test_when_the_bulk_status_cannot_be_read_each_ticket_checks_its_note(live: Any, sandbox: Any, runner: Runner,
                                                                        client: FlaskClient, engine: Engine,
                                                                        clock: Any) -> None:
    tickets = rate_all(sandbox, runner, client)
    sandbox.inject(503, count=None, method="GET", path_prefix="/job_statuses")
    settle(sandbox, runner)
    sandbox.clear_faults()
    time.sleep(2.5)  # Zendesk finishes the bulk job whether or not anyone polls it
    clock.advance(600)
    settle(sandbox, runner)
    assert 1 <= len(sandbox.api_calls("PUT", "/tickets/update_many")) <= 8
    for ticket_id in tickets:
        assert len(notes(sandbox, ticket_id)) == 1, f"ticket {ticket_id}"
    assert all(r.written_version == r.version for r in rows(engine, Rating))
    assert {j.state for j in rows(engine, Job) if j.kind == "write_rating"} == {"done"}
