"""The customer effort score (issue 24, ces.py): a CES-only survey through the sandbox helpdesk, its
one-click links settled by the same anti-scanner rules as CSAT clicks, the CES question after the CSAT
answer on the page (csat+ces), the Zendesk-style tags written back, and CES by intent and resolver.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from test_answers import BROWSER, SETTLE, after_settle, click

from conftest import SECRET_KEY
from feedbackloop.cli import cli
from feedbackloop.core.settings import Settings, settings_from_env
from feedbackloop.loop.survey import build_survey_comment
from feedbackloop.runner.scheduler import Runner
from feedbackloop.store.db import utcnow
from feedbackloop.store.models import CesAnswer, Rating, Survey, SurveyAnswer
from test_flow import csrf_of, live, path_of, puts, rows, settle, solved_ticket, survey_links  # noqa: F401

TOKEN = re.compile(r"/s/([A-Za-z0-9_.\-]+)\?score=")


@pytest.fixture
def kind(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "ces")


@pytest.fixture
def settings(settings: Settings, kind: str) -> Settings:
    return dataclasses.replace(settings, survey_kind=kind, rating_settle=SETTLE)


def written_tags(sandbox: Any, ticket_id: int) -> list[str]:
    return list(puts(sandbox, ticket_id)[-1].body["ticket"]["tags"])


def test_a_ces_survey_asks_the_effort_question_and_a_settled_click_is_tagged(
    live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine, clock: Any,
) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    (survey_put,) = puts(sandbox, ticket_id)
    body = survey_put.body["ticket"]["comment"]["body"]
    assert "How easy was it to get your issue resolved?" in body
    links = survey_links(sandbox, ticket_id)
    assert sorted(links) == [1, 2, 3, 4, 5, 6, 7]
    assert "7 - Very easy" in body and "1 - Very difficult" in body

    page = click(client, links[2]).get_data(as_text=True)
    assert "Tap <strong>Send</strong> to confirm" in page and "Difficult" in page
    assert rows(engine, CesAnswer) == []  # pending until it settles, like a CSAT click
    after_settle(clock, sandbox, runner)
    (answer,) = rows(engine, CesAnswer)
    assert (answer.score, answer.source, answer.after_csat) == (2, "link", False)
    assert rows(engine, Rating) == []  # a CES answer is not a CSAT rating
    tags = written_tags(sandbox, ticket_id)
    assert "ces_2" in tags and "ces_hard" in tags and "csat_sent" in tags

    # the customer changes their mind on the page: one more write-back, the old CES tags removed
    form = {"csrf_token": csrf_of(page), "score": "6"}
    changed = client.post(path_of(links[2]).split("?")[0], data=form, headers={"User-Agent": BROWSER})
    assert changed.status_code == 200 and 'data-testid="ces-score"' in changed.get_data(as_text=True)
    settle(sandbox, runner)
    tags = written_tags(sandbox, ticket_id)
    assert "ces_6" in tags and "ces_easy" in tags and "ces_2" not in tags and "ces_hard" not in tags
    assert rows(engine, CesAnswer)[0].version == 2


def test_a_scanner_opening_every_ces_link_records_no_answer(live: Any, sandbox: Any, runner: Runner,
                                                           client: FlaskClient, engine: Engine, clock: Any) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    for score, link in sorted(survey_links(sandbox, ticket_id).items()):
        click(client, link)
    after_settle(clock, sandbox, runner)
    assert rows(engine, CesAnswer) == []
    assert {a.verdict for a in rows(engine, SurveyAnswer)} == {"bot"}
    assert len(puts(sandbox, ticket_id)) == 1  # the survey only, nothing written back


def test_a_ces_link_out_of_range_is_a_clear_400(live: Any, sandbox: Any, runner: Runner, client: FlaskClient) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    link = survey_links(sandbox, ticket_id)[7]
    answer = client.get(path_of(link).replace("score=7", "score=8"), headers={"User-Agent": BROWSER})
    assert answer.status_code == 400 and "1, 2, 3, 4, 5, 6, 7" in answer.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["csat+ces"], indirect=True)
def test_csat_then_ces_on_the_page(live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine,
                                   clock: Any) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    links = survey_links(sandbox, ticket_id)
    assert sorted(links) == [1, 2, 3, 4, 5]  # the comment asks CSAT only
    path = path_of(links[4]).split("?")[0]
    page = click(client, links[4]).get_data(as_text=True)
    thanks = client.post(path, data={"csrf_token": csrf_of(page), "score": "4"}, headers={"User-Agent": BROWSER})
    text = thanks.get_data(as_text=True)
    assert 'data-testid="ces-form"' in text and "How easy was it to get your issue resolved?" in text
    bad = client.post(f"{path}/ces", data={"csrf_token": csrf_of(text), "ces": "9"})
    assert bad.status_code == 400 and "1, 2, 3, 4, 5, 6, 7" in bad.get_data(as_text=True)
    forged = client.post(f"{path}/ces", data={"csrf_token": "nope", "ces": "3"})
    assert forged.status_code == 400
    done = client.post(f"{path}/ces", data={"csrf_token": csrf_of(text), "ces": "3"}, headers={"User-Agent": BROWSER})
    assert done.status_code == 200 and 'data-testid="ces-saved"' in done.get_data(as_text=True)
    settle(sandbox, runner)
    (answer,) = rows(engine, CesAnswer)
    assert (answer.score, answer.source, answer.after_csat) == (3, "form", True)
    assert [r.score for r in rows(engine, Rating)] == [4]
    tags = [t for put in puts(sandbox, ticket_id) for t in put.body["ticket"].get("tags") or []]
    assert "csat_4" in tags and "ces_3" in tags and "ces_hard" in tags


@pytest.mark.parametrize("kind", ["csat"], indirect=True)
def test_a_csat_only_survey_does_not_take_ces_answers(live: Any, sandbox: Any, runner: Runner,
                                                       client: FlaskClient, engine: Engine) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    page = click(client, survey_links(sandbox, ticket_id)[5]).get_data(as_text=True)
    path = path_of(survey_links(sandbox, ticket_id)[5]).split("?")[0]
    assert 'data-testid="ces-form"' not in page
    assert client.post(f"{path}/ces", data={"csrf_token": csrf_of(page), "ces": "7"}).status_code == 404
    assert rows(engine, CesAnswer) == []


def test_ces_report_by_intent_and_resolver(live: Any, sandbox: Any, runner: Runner, client: FlaskClient,
                                           engine: Engine, clock: Any, settings: Settings) -> None:
    for score in (7, 2):
        ticket_id = solved_ticket(sandbox, email=f"c{score}@example.net")
        settle(sandbox, runner)
        click(client, survey_links(sandbox, ticket_id)[score])
        clock.advance(SETTLE + 1)
    settle(sandbox, runner)
    with Session(engine) as session, session.begin():  # the settle jobs ran on the test's clock, ahead of the wall's
        session.execute(update(CesAnswer).values(created_at=utcnow() - timedelta(hours=1)))
        # the same for the (CES-only) surveys: the rollup never counted them as sent, so it stays true
        session.execute(update(Survey).values(sent_at=utcnow() - timedelta(hours=2)))
    env = {"FEEDBACKLOOP_DATABASE_URL": settings.database_url, "FEEDBACKLOOP_SECRET_KEY": SECRET_KEY}
    result = CliRunner().invoke(cli, ["report", "--section", "ces", "--since", "1d", "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    rows_ = {(r["dimension"], r["value"]): r for r in json.loads(result.output)["rows"]}
    human = rows_[("resolver", "human")]
    assert (human["n"], human["mean"], human["easy"], human["hard"]) == (2, 4.5, 1, 1)
    assert rows_[("intent", "returns")]["n"] == 2  # the category stands in for a human ticket's intent
    everything = rows_[("all", "(all)")]  # CES's own response rate: CES answers over CES-only surveys sent
    assert (everything["n"], everything["sent"], everything["response_rate"]) == (2, 2, 1.0)
    csat = CliRunner().invoke(cli, ["report", "--since", "1d", "--format", "json"], env=env)
    overall = json.loads(csat.output)["overall"]  # a CES-only survey is no CSAT survey sent
    assert overall["n"] == 0 and (overall["response_rate"] is None or overall["response_rate"]["n"] == 0), overall
    sources = CliRunner().invoke(cli, ["report", "--sources", "--since", "1d", "--format", "json"], env=env)
    assert json.loads(sources.output)["by_source"] == [], sources.output
    table = CliRunner().invoke(cli, ["report", "--section", "ces", "--since", "1d"], env=env)
    assert "Customer effort (CES 1–7)" in table.output
    csv_text = CliRunner().invoke(cli, ["report", "--section", "ces", "--since", "1d", "--format", "csv"], env=env)
    assert csv_text.output.splitlines()[0] == "dimension,value,n,mean,easy,easy_rate,hard,hard_rate,sent,response_rate"
    # the dashboard shows the same table
    page = client.get("/dashboard/login")
    client.post("/dashboard/login", data={"csrf_token": csrf_of(page.text), "token": "admin-token", "next": "/dashboard/"})
    dashboard = client.get("/dashboard/").get_data(as_text=True)
    assert 'id="ces"' in dashboard and "<td>resolver</td><td>human</td><td class=\"num\">2</td>" in dashboard


def test_the_ces_question_is_translated() -> None:
    settings = Settings(secret_key=SECRET_KEY, public_url="http://feedback.test")
    plain, _ = build_survey_comment(settings, "t" * 40, "ces", locale="de")
    assert "Wie einfach" in plain and "Sehr einfach" in plain
    plain_fr, _ = build_survey_comment(settings, "t" * 40, "ces", locale="fr")
    assert "facile" in plain_fr and "Très facile" in plain_fr


def test_the_survey_kind_setting_is_checked() -> None:
    from feedbackloop.core.errors import ConfigError

    with pytest.raises(ConfigError, match="FEEDBACKLOOP_SURVEY_KIND must be one of csat, ces, csat\\+ces"):
        settings_from_env({"FEEDBACKLOOP_SURVEY_KIND": "nps", "FEEDBACKLOOP_SECRET_KEY": SECRET_KEY}, demo=True)
    assert settings_from_env({"FEEDBACKLOOP_SURVEY_KIND": "csat+ces", "FEEDBACKLOOP_SECRET_KEY": SECRET_KEY},
                         demo=True).survey_kind == "csat+ces"


def test_a_tenant_can_ask_ces_and_a_bad_kind_is_named() -> None:
    from feedbackloop.core.errors import ConfigError
    from feedbackloop.store.tenants import parse_overrides

    assert parse_overrides({"survey_kind": "csat+ces"}) == {"survey_kind": "csat+ces"}
    with pytest.raises(ConfigError, match="survey_kind must be one of csat, ces, csat\\+ces, got 'nps'"):
        parse_overrides({"survey_kind": "nps"})
    result = CliRunner().invoke(cli, ["tenant", "set", "acme", "--survey-kind", "nps"])
    assert result.exit_code == 2 and "--survey-kind" in result.output
