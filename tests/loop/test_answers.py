"""Ratings come from people: mail scanners open every link, a person clicks one.

With the default settle time (300 s), a click is a pending answer; nothing is written back,
alerted or opened as a review task before it settles. Scanners are recognised by HEAD requests,
their user agents, several scores opened within seconds, and the hidden trap link; their fetches
are kept for audit and never counted. The survey goes out through the sandbox, clicks come in as
real HTTP requests, and jobs run on a clock the test moves.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from feedbackloop.core.settings import Settings
from feedbackloop.runner.scheduler import Runner
from feedbackloop.store.models import Job, Rating, ReviewTask, SurveyAnswer, Tenant
from test_flow import csrf_of, live, path_of, puts, rows, settle, solved_ticket, survey_links  # noqa: F401

BROWSER = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/124.0 Safari/537.36")
SETTLE = 300


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, rating_settle=SETTLE)


def open_survey(sandbox: Any, runner: Runner) -> tuple[int, dict[int, str]]:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    links = survey_links(sandbox, ticket_id)
    assert sorted(links) == [1, 2, 3, 4, 5]
    return ticket_id, links


def trap_path(sandbox: Any, ticket_id: int) -> str:
    """The hidden link of the survey comment's HTML, as a scanner finds it."""
    (comment,) = [c for c in sandbox.ticket_comments(ticket_id) if "/s/" in (c.get("body") or "")]
    html = comment["html_body"]
    start = html.index('href="', html.index("display:none") - 200) + len('href="')
    url = html[start:html.index('"', start)]
    assert url.endswith("/t") and url in html.split("<!--")[1]  # also inside an HTML comment
    assert url not in comment["body"]  # never in the text people read
    return urlsplit(url).path


def click(client: FlaskClient, link: str, agent: str = BROWSER, method: str = "GET") -> Any:
    answer = client.open(path_of(link), method=method, headers={"User-Agent": agent})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer


def after_settle(clock: Any, sandbox: Any, runner: Runner) -> None:
    clock.advance(SETTLE + 1)
    settle(sandbox, runner)


def backdate(engine: Engine, seconds: float) -> None:
    """Everything answered so far happened `seconds` earlier (the web requests use the wall clock)."""
    with Session(engine) as session, session.begin():
        for answer in session.scalars(select(SurveyAnswer)):
            answer.created_at -= timedelta(seconds=seconds)


def verdicts(engine: Engine) -> list[tuple[str, int | None, str]]:
    with Session(engine) as session:
        return [(a.kind, a.score, a.verdict) for a in session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.id))]


def nothing_happened(engine: Engine, sandbox: Any, ticket_id: int) -> None:
    assert rows(engine, Rating) == []
    assert len(puts(sandbox, ticket_id)) == 1  # the survey itself, no write-back
    assert rows(engine, ReviewTask) == [] and sandbox.api_calls("POST", "/tickets.json") == []


def test_a_scanner_opening_every_link_and_the_trap_leaves_no_rating(live: Any, sandbox: Any, runner: Runner,
                                                                   client: FlaskClient, engine: Engine,
                                                                   clock: Any) -> None:
    ticket_id, links = open_survey(sandbox, runner)
    for score in (5, 4, 3, 2, 1):  # in order, within a second, a browser's user agent
        click(client, links[score])
    assert client.get(trap_path(sandbox, ticket_id), headers={"User-Agent": BROWSER}).status_code == 204
    after_settle(clock, sandbox, runner)
    nothing_happened(engine, sandbox, ticket_id)
    assert {v for _, _, v in verdicts(engine)} == {"bot"}
    with Session(engine) as session:
        reasons = {a.bot_reason for a in session.scalars(select(SurveyAnswer))}
    assert any("trap" in (r or "") for r in reasons)


def test_a_scanner_without_the_trap_is_caught_by_its_burst(live: Any, sandbox: Any, runner: Runner,
                                                           client: FlaskClient, engine: Engine, clock: Any) -> None:
    ticket_id, links = open_survey(sandbox, runner)
    for score in (1, 2, 3, 4, 5):
        click(client, links[score])
    after_settle(clock, sandbox, runner)
    nothing_happened(engine, sandbox, ticket_id)
    assert [v for _, _, v in verdicts(engine)] == ["bot"] * 5


@pytest.mark.parametrize("agent", ["Mozilla/5.0 (compatible; Barracuda Sentinel)",
                                   "Mozilla/5.0 (Windows NT 10.0) BingPreview/1.0b", "python-requests/2.31"])
def test_a_single_fetch_by_a_known_scanner_is_not_a_rating(agent: str, live: Any, sandbox: Any, runner: Runner,
                                                           client: FlaskClient, engine: Engine, clock: Any) -> None:
    ticket_id, links = open_survey(sandbox, runner)
    click(client, links[1], agent=agent)
    after_settle(clock, sandbox, runner)
    nothing_happened(engine, sandbox, ticket_id)
    assert verdicts(engine) == [("click", 1, "bot")]


def test_head_requests_are_kept_for_audit_and_never_counted(live: Any, sandbox: Any, runner: Runner,
                                                            client: FlaskClient, engine: Engine, clock: Any) -> None:
    ticket_id, links = open_survey(sandbox, runner)
    for score in (1, 5):
        client.open(path_of(links[score]), method="HEAD", headers={"User-Agent": BROWSER})
    after_settle(clock, sandbox, runner)
    nothing_happened(engine, sandbox, ticket_id)
    assert verdicts(engine) == [("head", 1, "bot"), ("head", 5, "bot")]


def test_a_person_who_clicks_and_closes_the_page_is_counted_once_it_settles(
    live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine, clock: Any,
) -> None:
    ticket_id, links = open_survey(sandbox, runner)
    page = click(client, links[2]).get_data(as_text=True)
    assert "Tap <strong>Send</strong> to confirm" in page
    clock.advance(SETTLE - 10)
    settle(sandbox, runner)
    nothing_happened(engine, sandbox, ticket_id)  # pending: not written back, no review task yet
    after_settle(clock, sandbox, runner)
    (rating,) = rows(engine, Rating)
    assert (rating.score, rating.version) == (2, 1)
    assert len(puts(sandbox, ticket_id)) == 2 and {"csat_2", "csat_bad"} <= set(sandbox.ticket(ticket_id)["tags"])
    (task,) = rows(engine, ReviewTask)
    assert task.state == "open"


def test_a_person_who_changes_their_mind_gets_one_write_back_of_the_final_answer(
    live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine, clock: Any,
) -> None:
    ticket_id, links = open_survey(sandbox, runner)
    click(client, links[2])
    backdate(engine, 40)  # the first click was 40 s ago: not a scanner's burst
    click(client, links[4])
    after_settle(clock, sandbox, runner)
    (rating,) = rows(engine, Rating)
    assert (rating.score, rating.version) == (4, 1)
    assert len(puts(sandbox, ticket_id)) == 2  # the survey, then ONE write-back
    assert rows(engine, ReviewTask) == []  # the 2 never counted, so no review task for it
    assert [v for _, _, v in verdicts(engine)] == ["superseded", "counted"]


def test_a_post_from_the_page_settles_at_once(live: Any, sandbox: Any, runner: Runner, client: FlaskClient,
                                              engine: Engine, clock: Any) -> None:
    ticket_id, links = open_survey(sandbox, runner)
    page = click(client, links[3]).get_data(as_text=True)
    posted = client.post(urlsplit(links[3]).path, data={"csrf_token": csrf_of(page), "score": "3",
                                                        "comment": "Took a while"})
    assert posted.status_code == 200 and 'data-testid="saved"' in posted.get_data(as_text=True)
    settle(sandbox, runner)  # no clock change: counted now
    (rating,) = rows(engine, Rating)
    assert (rating.score, rating.comment) == (3, "Took a while")
    assert len(puts(sandbox, ticket_id)) == 2
    after_settle(clock, sandbox, runner)  # the click's settle job finds it superseded
    assert len(puts(sandbox, ticket_id)) == 2
    assert [v for _, _, v in verdicts(engine)] == ["superseded", "counted"]


def test_a_confirm_after_a_scanners_burst_counts_the_persons_answer(live: Any, sandbox: Any, runner: Runner,
                                                                      client: FlaskClient, engine: Engine,
                                                                      clock: Any) -> None:
    """The scanner walked every link at delivery; the person opens one link later and taps Send."""
    ticket_id, links = open_survey(sandbox, runner)
    for score in (1, 2, 3, 4, 5):
        click(client, links[score])
    backdate(engine, 180)
    page = click(client, links[4]).get_data(as_text=True)
    posted = client.post(urlsplit(links[4]).path, data={"csrf_token": csrf_of(page), "score": "4"})
    assert posted.status_code == 200
    after_settle(clock, sandbox, runner)
    (rating,) = rows(engine, Rating)
    assert rating.score == 4 and rating.version == 1
    assert {"csat_4", "csat_good"} <= set(sandbox.ticket(ticket_id)["tags"])


def test_a_person_clicking_after_a_scanner_is_counted_without_confirming(
    live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine, clock: Any,
) -> None:
    ticket_id, links = open_survey(sandbox, runner)
    for score in (5, 4, 3, 2, 1):
        click(client, links[score])
    backdate(engine, 600)  # the scanner ran at delivery, ten minutes before the person read the mail
    click(client, links[5])
    after_settle(clock, sandbox, runner)
    (rating,) = rows(engine, Rating)
    assert rating.score == 5
    assert verdicts(engine)[-1] == ("click", 5, "counted")
    assert {v for _, _, v in verdicts(engine)[:-1]} == {"bot"}


def test_nothing_is_settled_early_and_no_job_is_left_behind(live: Any, sandbox: Any, runner: Runner,
                                                            client: FlaskClient, engine: Engine, clock: Any) -> None:
    ticket_id, links = open_survey(sandbox, runner)
    click(client, links[1])
    (job,) = [j for j in rows(engine, Job) if j.kind == "settle_answer"]
    assert (job.run_after - clock.now()).total_seconds() == pytest.approx(SETTLE, abs=5)
    after_settle(clock, sandbox, runner)
    assert {j.state for j in rows(engine, Job) if j.kind == "settle_answer"} == {"done"}


def test_a_removed_tenants_links_answer_410_and_record_nothing(live: Any, sandbox: Any, runner: Runner,
                                                               client: FlaskClient, engine: Engine,
                                                               services: Any) -> None:
    from feedbackloop.core.links import make_token
    from feedbackloop.store.models import Survey

    ticket_id, links = open_survey(sandbox, runner)
    with Session(engine) as session, session.begin():  # the survey as if it belonged to a tenant since removed
        session.execute(update(Survey).values(tenant_id="gone-co"))
        (survey,) = session.scalars(select(Survey)).all()
        survey_id = survey.id
        assert session.get(Tenant, "gone-co") is None
    token = make_token(services.settings.secret_key, "gone-co", survey_id)
    for path in (f"/s/{token}?score=1", f"/s/{token}", f"/s/{token}/t"):
        answer = client.get(path, headers={"User-Agent": BROWSER})
        assert answer.status_code == 410, path
    answer = client.post(f"/s/{token}", data={"score": "1"})
    assert answer.status_code == 410
    assert verdicts(engine) == [] and rows(engine, Rating) == []


def test_scanner_clicks_are_kept_for_audit_in_the_timeline_and_the_report(
    live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine, clock: Any,
) -> None:
    from datetime import datetime, timezone

    from feedbackloop.insight.metrics import MetricsQuery
    from feedbackloop.insight.reports import build_report, render, report_json

    ticket_id, links = open_survey(sandbox, runner)
    for score in (1, 2, 3, 4, 5):
        click(client, links[score])
    backdate(engine, 600)
    click(client, links[4])
    after_settle(clock, sandbox, runner)

    answer = client.get(f"/api/v1/tickets/{ticket_id}/feedback", headers={"Authorization": "Bearer admin-token"})
    entries = [e for e in answer.get_json()["timeline"] if e["type"] == "survey_answer"]
    assert [(e["score"], e["verdict"]) for e in entries] == [(1, "bot"), (2, "bot"), (3, "bot"), (4, "bot"),
                                                             (5, "bot"), (4, "counted")]
    assert all("different scores" in e["bot_reason"] for e in entries[:5])

    now = datetime.now(timezone.utc)
    with Session(engine) as session:
        report = build_report(session, MetricsQuery("default", now - timedelta(days=1), now + timedelta(hours=1)),
                              now)
    assert report_json(report)["survey_answers"] == {"counted": 1, "pending": 0, "superseded": 0, "bot": 5}
    assert "1 counted, 0 waiting to settle, 0 changed by the customer, 5 by mail scanners" in render(report, "table")
