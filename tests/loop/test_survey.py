"""The survey page and the survey's rules: links, expiry, CSRF, scales, exclusions, reminders and
email replies to the survey. Through the real app, the sandbox and zenpy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from feedbackloop.core.links import make_token
from feedbackloop.core.settings import Settings
from feedbackloop.jobs import queue as jobs
from feedbackloop.runner.scheduler import Runner
from feedbackloop.store.db import session_scope, utcnow
from feedbackloop.store.models import Rating, Signal, Survey
from feedbackloop.wiring.services import Services
from test_flow import csrf_of, live, path_of, puts, rows, settle, solved_ticket, survey_comments, survey_links  # noqa: F401


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The suite's settings, with this test's changes (indirect parametrisation)."""
    return settings.with_(**getattr(request, "param", {}))


def sent_survey(sandbox: Any, runner: Runner, **kwargs: Any) -> tuple[int, dict[int, str]]:
    ticket_id = solved_ticket(sandbox, **kwargs)
    settle(sandbox, runner)
    return ticket_id, survey_links(sandbox, ticket_id)


def test_tampered_and_made_up_links_record_nothing(live: Any, sandbox: Any, runner: Runner, client: FlaskClient,
                                                   engine: Engine) -> None:
    _, links = sent_survey(sandbox, runner)
    path = path_of(links[4])
    token = path.split("/s/")[1].split("?")[0]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (f"/s/{tampered}?score=4", "/s/not-a-token?score=4", f"/s/{'x' * 500}?score=4"):
        answer = client.get(bad)
        assert answer.status_code == 404 and "not valid" in answer.get_data(as_text=True)
    assert rows(engine, Rating) == []


def test_a_token_signed_with_another_key_is_refused(live: Any, sandbox: Any, runner: Runner, client: FlaskClient,
                                                    engine: Engine) -> None:
    sent_survey(sandbox, runner)
    (survey,) = rows(engine, Survey)
    forged = make_token("someone-elses-secret-key-123456", "default", survey.id)
    assert client.get(f"/s/{forged}?score=5").status_code == 404
    assert rows(engine, Rating) == []


def test_an_expired_link_shows_a_polite_page_and_records_nothing(live: Any, sandbox: Any, runner: Runner,
                                                                 client: FlaskClient, engine: Engine) -> None:
    _, links = sent_survey(sandbox, runner)
    with Session(engine) as session, session.begin():
        session.execute(update(Survey).values(expires_at=utcnow() - timedelta(seconds=1)))
    answer = client.get(path_of(links[5]))
    assert answer.status_code == 410 and "expired" in answer.get_data(as_text=True)
    assert rows(engine, Rating) == []


def test_head_requests_from_link_scanners_record_nothing(live: Any, sandbox: Any, runner: Runner,
                                                         client: FlaskClient, engine: Engine) -> None:
    _, links = sent_survey(sandbox, runner)
    assert client.head(path_of(links[1])).status_code == 200
    assert rows(engine, Rating) == []


def test_the_form_needs_our_csrf_token_and_valid_fields(live: Any, sandbox: Any, runner: Runner,
                                                        client: FlaskClient, engine: Engine) -> None:
    _, links = sent_survey(sandbox, runner)
    page = client.get(path_of(links[3]))
    action = path_of(links[3]).split("?")[0]
    assert client.post(action, data={"csrf_token": "forged", "score": "1"}).status_code == 400
    csrf = csrf_of(page.get_data(as_text=True))
    assert client.post(action, data={"csrf_token": csrf, "score": "9"}).status_code == 400
    assert client.post(action, data={"csrf_token": csrf, "score": "3", "reason": "<b>x</b>"}).status_code == 400
    assert client.post(action, data={"csrf_token": csrf, "score": "3", "comment": "x" * 5000}).status_code == 400
    (rating,) = rows(engine, Rating)
    assert (rating.score, rating.reason, rating.comment) == (3, None, None)  # only the click counted
    # A form token of another survey link does not work here either.
    other_ticket, other_links = sent_survey(sandbox, runner, email="other@example.net")
    other_csrf = csrf_of(client.get(path_of(other_links[5])).get_data(as_text=True))
    assert client.post(action, data={"csrf_token": other_csrf, "score": "1"}).status_code == 400


def test_a_bad_score_in_the_link_is_a_400_page(live: Any, sandbox: Any, runner: Runner, client: FlaskClient,
                                               engine: Engine) -> None:
    _, links = sent_survey(sandbox, runner)
    base = path_of(links[1]).split("?")[0]
    for score in ("0", "6", "abc", "-1", ""):
        assert client.get(f"{base}?score={score}").status_code == 400
    assert rows(engine, Rating) == []
    assert client.get(base).status_code == 200  # the page without a score just asks


@pytest.mark.parametrize("settings", [{"survey_scale": "thumbs"}], indirect=True)
def test_thumbs_mode_sends_two_links_five_and_one(live: Any, sandbox: Any, runner: Runner, client: FlaskClient,
                                                  engine: Engine) -> None:
    ticket_id, links = sent_survey(sandbox, runner)
    assert sorted(links) == [1, 5]
    assert client.get(path_of(links[1])).status_code == 200
    settle(sandbox, runner)
    assert {"csat_1", "csat_bad"} <= set(sandbox.ticket(ticket_id)["tags"])


@pytest.mark.parametrize("settings", [{"exclude_email_domains": ("staff.example.com",)}], indirect=True)
def test_excluded_email_domains_are_not_surveyed(live: Any, sandbox: Any, runner: Runner, engine: Engine) -> None:
    staff, _ = sent_survey(sandbox, runner, email="kim@eu.staff.example.com")
    customer, _ = sent_survey(sandbox, runner, email="kim@example.org")
    states = {s.ticket_id: (s.state, s.reason) for s in rows(engine, Survey)}
    assert states[staff][0] == "skipped" and "staff.example.com" in states[staff][1]
    assert states[customer][0] == "sent"
    assert puts(sandbox, staff) == []


def test_csat_skip_and_review_tags_keep_a_ticket_out(live: Any, sandbox: Any, runner: Runner, engine: Engine) -> None:
    ticket_id: int = sandbox.simulate_customer_ticket(subject="Internal", body="test", email="q@example.net",
                                                      tags=["csat_skip"])
    sandbox.simulate_agent_reply(ticket_id, "done", status="solved")
    settle(sandbox, runner)
    assert puts(sandbox, ticket_id) == []
    assert all(s.state != "sent" for s in rows(engine, Survey))


@pytest.mark.parametrize("settings", [{"survey_cooldown": 3600}], indirect=True)
def test_a_requester_is_not_surveyed_again_within_the_cooldown(live: Any, sandbox: Any, runner: Runner,
                                                              engine: Engine) -> None:
    first, _ = sent_survey(sandbox, runner)
    requester = sandbox.ticket(first)["requester_id"]
    second: int = sandbox.simulate_customer_ticket(subject="Again", body="one more thing", requester_id=requester)
    sandbox.simulate_agent_reply(second, "sorted", status="solved")
    settle(sandbox, runner)
    states = {s.ticket_id: s.state for s in rows(engine, Survey)}
    assert states == {first: "sent", second: "skipped"}


@pytest.mark.parametrize("settings", [{"survey_reminder": 3600}], indirect=True)
def test_one_reminder_while_unrated_and_solved(live: Any, sandbox: Any, runner: Runner, client: FlaskClient,
                                               services: Services, clock: Any) -> None:
    quiet, _ = sent_survey(sandbox, runner)
    rated, rated_links = sent_survey(sandbox, runner, email="rated@example.net")
    client.get(path_of(rated_links[5]))
    settle(sandbox, runner)
    clock.advance(3700)
    for round_ in range(2):
        with session_scope(services.factory) as session:
            jobs.enqueue(session, "queue_reminders", f"reminders:{round_}", {}, now=clock.now())
        settle(sandbox, runner)
    assert len(survey_comments(sandbox, quiet)) == 2  # the survey and ONE reminder
    assert len(survey_comments(sandbox, rated)) == 1


@pytest.mark.parametrize("reply, kind, score", [
    ("Thanks!", "survey_reply", None),
    ("5", "survey_reply", 5),
    ("great, cheers", "survey_reply", None),
    ("It broke again this morning, can you look?", "failed_resolution", None),
])
def test_an_email_reply_to_the_survey_is_told_apart_from_a_real_reopen(
    live: Any, sandbox: Any, runner: Runner, engine: Engine, reply: str, kind: str, score: int | None,
) -> None:
    ticket_id, _ = sent_survey(sandbox, runner)
    sandbox.simulate_customer_reply(ticket_id, reply)
    settle(sandbox, runner)
    types = {s.type for s in rows(engine, Signal)}
    assert kind in types
    if kind == "survey_reply":
        assert "failed_resolution" not in types
    ratings = rows(engine, Rating)
    assert [r.score for r in ratings] == ([score] if score else [])


@pytest.mark.parametrize("settings", [{"csat_field_id": 360001, "review_group_id": 4242}], indirect=True)
def test_score_field_and_review_group_when_configured(live: Any, sandbox: Any, runner: Runner, client: FlaskClient,
                                                     engine: Engine) -> None:
    ticket_id, links = sent_survey(sandbox, runner)
    client.get(path_of(links[1]))
    settle(sandbox, runner)
    back = puts(sandbox, ticket_id)[-1].body["ticket"]
    assert {"id": 360001, "value": 1} in back["custom_fields"]
    assert {"csat_1", "csat_bad"} <= set(back["tags"]) and back["comment"]["public"] is False
    (create,) = sandbox.api_calls("POST", "/tickets.json")
    assert create.body["ticket"]["group_id"] == 4242
