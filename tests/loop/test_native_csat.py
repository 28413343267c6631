"""Zendesk's own CSAT (issue 23): its ratings in, once each, and no second survey.

The sandbox stands in for Zendesk: an end user rates a solved ticket, the satisfaction trigger that
`install` created posts its signed body to our receiver over HTTP (or the delivery is lost), tickets
carry `satisfaction_rating`, and `GET /api/v2/satisfaction_ratings` lists the ratings by time
window. Everything on our side is production code, the real zenpy client included.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from cryptography.fernet import Fernet
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from test_install import PLACEHOLDERS

from conftest import SANDBOX_EMAIL, SANDBOX_TOKEN, WEBHOOK_SECRET
from feedbackloop.cli import cli
from feedbackloop.commands.install import run_doctor, run_install
from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import Account
from feedbackloop.helpdesks.zendesk import events
from feedbackloop.helpdesks.zendesk.client import ZendeskClient
from feedbackloop.helpdesks.zendesk.install import Target, desired_resources
from feedbackloop.jobs import queue as jobs
from feedbackloop.loop.csat_sources import render_sources, source_rows
from feedbackloop.runner.scheduler import Runner
from feedbackloop.runtime import serve_in_thread
from feedbackloop.store.db import session_scope, utcnow
from feedbackloop.store.models import Rating, ReviewTask, Survey, TicketState
from feedbackloop.wiring.services import Services
from test_flow import settle, survey_comments

KEY = Fernet.generate_key().decode()


@pytest.fixture
def settings(engine: Engine, account: Account, request: pytest.FixtureRequest) -> Settings:
    """The suite's settings with Zendesk's CSAT as the survey source (or the test's indirect parameter)."""
    source, channels = getattr(request, "param", ("zendesk", ()))
    return Settings(database_url=engine.url.render_as_string(hide_password=False), secret_key="0123456789abcdef0123",
                    public_url="http://feedback.test", admin_token="admin-token", survey_delay=0, zendesk=account,
                    job_max_attempts=4, rating_settle=0, encryption_key=KEY, survey_source=source,
                    survey_ours_channels=tuple(channels))


@pytest.fixture
def live(services: Services, sandbox: Any) -> Iterator[Any]:
    """Our app on a loopback port; Events-API deliveries to it; `install` run against the sandbox."""
    server = serve_in_thread(services, "127.0.0.1", 0)
    sandbox.set_webhook_target(f"{server.url}/webhooks/zendesk", WEBHOOK_SECRET)
    yield server
    server.shutdown()


def install(services: Services, server: Any) -> list[Any]:
    return run_install(services.settings.with_(public_url=server.url), services.factory)


def solved(sandbox: Any, name: str, channel: str = "email") -> int:
    ticket_id: int = sandbox.simulate_customer_ticket(subject=f"Order {name}", body="Where is it?", name=name,
                                                      email=f"{name.lower()}@example.net", channel=channel)
    sandbox.simulate_agent_reply(ticket_id, "It ships today.", status="solved")
    return ticket_id


def ratings_of(engine: Engine, ticket_id: int) -> list[Rating]:
    with Session(engine) as session:
        return list(session.scalars(select(Rating).where(Rating.ticket_id == ticket_id)))


def surveys_of(engine: Engine, ticket_id: int) -> list[Survey]:
    with Session(engine) as session:
        return list(session.scalars(select(Survey).where(Survey.ticket_id == ticket_id).order_by(Survey.id)))


def reconcile_native(services: Services, runner: Runner, key: str) -> None:
    with session_scope(services.factory) as session:
        jobs.enqueue(session, "reconcile_native", f"reconcile-native:{key}", {}, now=utcnow(), tenant_id="default")
    runner.run_until_idle()


def trigger_deliveries(sandbox: Any) -> list[Any]:
    return [d for d in sandbox.deliveries if d.event_type.startswith("trigger:")]


def test_each_native_rating_once_with_webhooks_dropped(sandbox: Any, live: Any, services: Services, runner: Runner,
                                                       engine: Engine) -> None:
    made = install(services, live)
    assert ("trigger", "satisfaction") in {(o.kind, o.key) for o in made}
    good, bad, offered, changed = (solved(sandbox, name) for name in ("Ana", "Ben", "Cleo", "Dev"))
    settle(sandbox, runner)

    # in `zendesk` mode no survey of ours reaches anyone
    for ticket_id in (good, bad, offered, changed):
        assert survey_comments(sandbox, ticket_id) == []
        assert [s.state for s in surveys_of(engine, ticket_id)] == ["skipped"]
    assert "FEEDBACKLOOP_SURVEY_SOURCE=zendesk" in (surveys_of(engine, good)[0].reason or "")

    sandbox.simulate_satisfaction(good, "offered")
    sandbox.simulate_satisfaction(good, "good", comment='Quick "and" kind, thanks!')
    sandbox.simulate_satisfaction(offered, "offered")
    sandbox.simulate_satisfaction(changed, "good")
    settle(sandbox, runner)
    sandbox.configure_delivery(drop_share=1.0)  # Zendesk loses these two webhooks
    sandbox.simulate_satisfaction(bad, "bad", comment="Took a week.", reason_code=5)
    sandbox.simulate_satisfaction(changed, "bad", comment="Actually it broke again.")
    settle(sandbox, runner)
    sandbox.configure_delivery(drop_share=0.0)
    assert sum(d.outcome == "dropped" for d in trigger_deliveries(sandbox)) == 2
    assert ratings_of(engine, bad) == []  # nothing heard yet

    reconcile_native(services, runner, "1")
    reconcile_native(services, runner, "2")  # the same ratings again: duplicates, nothing new
    settle(sandbox, runner)

    [g] = ratings_of(engine, good)
    assert (g.source, g.scale, g.score, g.comment, g.version) == ("zendesk", "thumbs", 5, 'Quick "and" kind, thanks!', 1)
    [b] = ratings_of(engine, bad)
    assert (b.score, b.comment, b.native_reason, b.version) == (1, "Took a week.", "The issue took too long to resolve", 1)
    assert ratings_of(engine, offered) == []  # offered, not answered: sent, not rated
    assert [s.state for s in surveys_of(engine, offered)] == ["skipped", "sent"]
    [c] = ratings_of(engine, changed)
    assert (c.score, c.previous_score, c.version, c.comment) == (1, 5, 2, "Actually it broke again.")

    with Session(engine) as session:
        tasks = {t.source_ticket_id for t in session.scalars(select(ReviewTask))}
    assert tasks == {bad, changed}  # a review task for each bad one, none for the good one
    assert "csat_good" in sandbox.ticket(good)["tags"] and "csat_bad" in sandbox.ticket(bad)["tags"]
    assert "csat_5" not in sandbox.ticket(good)["tags"]  # good/bad is never passed off as a 1-5 score
    notes = [c["body"] for c in sandbox.ticket_comments(changed) if not c["public"]]
    assert any("Zendesk CSAT bad (changed from good to bad)" in n for n in notes)
    # write-back never touches Zendesk's own rating
    assert sandbox.ticket(good)["satisfaction_rating"]["score"] == "good"
    assert sandbox.ticket(bad)["satisfaction_rating"]["comment"] == "Took a week."


@pytest.mark.parametrize("settings", [("both", ("web",))], indirect=True)
def test_both_mode_never_two_surveys(sandbox: Any, live: Any, services: Services, runner: Runner,
                                     engine: Engine) -> None:
    email_ticket = solved(sandbox, "Eve", channel="email")  # Zendesk's channel: ours stays away
    web_ticket = solved(sandbox, "Finn", channel="web")  # ours, unless Zendesk's was offered first
    web_offered = sandbox.simulate_customer_ticket(subject="Order Gus", body="Hi", name="Gus",
                                                   email="gus@example.net", channel="web")
    sandbox.simulate_agent_reply(web_offered, "Done.", status="solved")
    sandbox.simulate_satisfaction(web_offered, "offered")  # no install here: the survey job's read sees it
    settle(sandbox, runner)

    assert survey_comments(sandbox, email_ticket) == []
    assert "channel email" in (surveys_of(engine, email_ticket)[0].reason or "")
    assert len(survey_comments(sandbox, web_ticket)) == 1
    assert survey_comments(sandbox, web_offered) == []
    states = [(s.solve_key.startswith("zendesk-csat:"), s.state) for s in surveys_of(engine, web_offered)]
    assert states == [(False, "skipped"), (True, "sent")]


def test_satisfaction_ratings_api_filters_and_pages(sandbox: Any, sandbox_server: Any) -> None:
    first, second, third = (solved(sandbox, name) for name in ("Hal", "Ida", "Jo"))
    sandbox.simulate_satisfaction(first, "good")
    sandbox.simulate_satisfaction(second, "bad", reason_code=6)
    sandbox.advance(3600)
    sandbox.simulate_satisfaction(third, "offered")
    auth = (f"{SANDBOX_EMAIL}/token", SANDBOX_TOKEN)
    url = f"{sandbox_server.url}/api/v2/satisfaction_ratings.json"

    page = requests.get(url, params={"page[size]": 2}, auth=auth, timeout=5).json()
    assert [r["ticket_id"] for r in page["satisfaction_ratings"]] == [first, second]
    assert page["meta"]["has_more"] is True
    rest = requests.get(page["links"]["next"], auth=auth, timeout=5).json()
    assert [r["ticket_id"] for r in rest["satisfaction_ratings"]] == [third]
    received = requests.get(url, params={"score": "received"}, auth=auth, timeout=5).json()
    assert {r["score"] for r in received["satisfaction_ratings"]} == {"good", "bad"}
    late = int((sandbox.now() - timedelta(minutes=5)).timestamp())
    window = requests.get(url, params={"start_time": late}, auth=auth, timeout=5).json()
    assert [r["ticket_id"] for r in window["satisfaction_ratings"]] == [third]
    bad = next(r for r in received["satisfaction_ratings"] if r["score"] == "bad")
    assert bad["reason"] == "The issue was not resolved" and "reason_code" not in bad

    open_ticket = sandbox.simulate_customer_ticket(subject="Open", body="Hi", name="Kai", email="kai@example.net")
    refused = requests.post(f"{sandbox_server.url}/__sandbox/tickets/{open_ticket}/satisfaction",
                            json={"score": "good"}, timeout=5)
    assert refused.status_code == 422 and "solved" in refused.text

    client = ZendeskClient(Account(subdomain="sandbox", email=SANDBOX_EMAIL, api_token=SANDBOX_TOKEN,
                                   webhook_secret=WEBHOOK_SECRET, api_url=sandbox_server.url))
    listed = client.satisfaction_ratings(sandbox.now() - timedelta(days=1), sandbox.now() + timedelta(minutes=1))
    assert [r.score for r in listed.ratings] == ["good", "bad", "offered"] and listed.cursor is None
    assert client.get_ticket(second).satisfaction.reason == "The issue was not resolved"  # type: ignore[union-attr]


def test_the_satisfaction_trigger_body_parses_as_its_event() -> None:
    wanted = {w.key: w for w in desired_resources(Target("https://x.example", survey_source="zendesk"))}
    body = wanted["satisfaction"].build({"webhook:triggers": "01HOOK"})["actions"][0]["value"][1]
    assert "current_comment" not in body  # no free text: a quote in a comment would break the JSON
    for placeholder, value in {**PLACEHOLDERS, "{{ticket.id}}": "42", "{{ticket.status}}": "Solved",
                               "{{satisfaction.current_rating}}": "Bad, I'm unsatisfied"}.items():
        body = body.replace(placeholder, value)
    event = events.parse({"X-Zendesk-Webhook-Invocation-Id": "01INV"}, body.encode())
    assert event is not None
    assert (event.kind, event.ticket_id, event.status, event.extra["satisfaction"]) == (
        "satisfaction_changed", 42, "solved", "Bad, I'm unsatisfied")
    assert "satisfaction" not in {w.key for w in desired_resources(Target("https://x.example"))}


def test_tenant_add_refuses_an_unknown_survey_source(engine: Engine) -> None:
    env = {"FEEDBACKLOOP_DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "FEEDBACKLOOP_ENCRYPTION_KEY": KEY, "FEEDBACKLOOP_SECRET_KEY": "0123456789abcdef0123"}
    result = CliRunner().invoke(cli, ["tenant", "add", "acme", "--subdomain", "acme", "--email", "a@acme.example",
                                      "--api-token", "t", "--webhook-secret", "s", "--survey-source", "zen"], env=env)
    assert result.exit_code == 2
    assert "--survey-source" in result.output and "'feedbackloop', 'zendesk', 'both'" in result.output
    assert "Traceback" not in result.output


def test_survey_source_setting_is_checked() -> None:
    from feedbackloop.core.settings import Env, build_settings

    env = Env({"FEEDBACKLOOP_SURVEY_SOURCE": "Zendesk", "FEEDBACKLOOP_SURVEY_OURS_CHANNELS": "web, Email"})
    built = build_settings(env, demo=True)
    assert (built.survey_source, built.survey_ours_channels) == ("zendesk", ("web", "email"))
    wrong = Env({"FEEDBACKLOOP_SURVEY_SOURCE": "theirs"})
    assert build_settings(wrong, demo=True).survey_source == "feedbackloop"
    assert any("FEEDBACKLOOP_SURVEY_SOURCE must be one of feedbackloop, zendesk, both" in p.message
               for p in wrong.problems)


def test_doctor_says_which_csat_runs(sandbox: Any, live: Any, services: Services) -> None:
    install(services, live)
    quiet = {c.name: c for c in run_doctor(services.settings, services.factory, probe=lambda url: 200)}
    assert quiet["Zendesk's own CSAT"].status == "warning"  # zendesk mode, and Zendesk offers nothing
    sandbox.simulate_satisfaction(solved(sandbox, "Lu"), "offered")
    on = {c.name: c for c in run_doctor(services.settings, services.factory, probe=lambda url: 200)}
    assert on["Zendesk's own CSAT"].status == "ok" and "legacy CSAT is active" in on["Zendesk's own CSAT"].detail
    both = run_doctor(services.settings.with_(survey_source="feedbackloop"), services.factory,
                      probe=lambda url: 200)
    check = {c.name: c for c in both}["Zendesk's own CSAT"]
    assert check.status == "warning" and "two surveys" in check.detail


def test_report_by_source_keeps_the_scales_apart(sandbox: Any, live: Any, services: Services, runner: Runner,
                                                  engine: Engine) -> None:
    install(services, live)
    good, bad = solved(sandbox, "Mo"), solved(sandbox, "Ny")
    settle(sandbox, runner)
    sandbox.simulate_satisfaction(good, "good")
    sandbox.simulate_satisfaction(bad, "bad")
    settle(sandbox, runner)
    now = utcnow()
    with Session(engine) as session:
        rows = source_rows(session, "default", now - timedelta(days=1), now + timedelta(minutes=1))
    [zendesk] = [r for r in rows if r.source == "zendesk"]
    assert (zendesk.scale, zendesk.sent, zendesk.rated, zendesk.good, zendesk.good_share, zendesk.mean) == (
        "thumbs", 2, 2, 1, 0.5, None)  # good/bad: a share good, never a 1-5 mean
    table = render_sources(rows, "table")
    assert "zendesk" in table and "50.0%" in table
    data = json.loads(render_sources(rows, "json"))["by_source"]
    assert data[0]["source"] == "zendesk" and data[0]["mean"] is None
    assert render_sources(rows, "csv").splitlines()[0].startswith("source,scale,sent,rated")
    result = CliRunner().invoke(cli, ["report", "--sources", "--since", "1d", "--format", "csv"],
                                env={"FEEDBACKLOOP_DATABASE_URL": engine.url.render_as_string(hide_password=False)})
    assert result.exit_code == 0, result.output
    assert "zendesk,thumbs,2,2,1,1,0.5" in result.output


def test_ticket_state_is_untouched_by_an_unoffered_rating(sandbox: Any, services: Services, engine: Engine) -> None:
    from feedbackloop.helpdesks.base import NativeRating
    from feedbackloop.loop import native

    with session_scope(services.factory) as session:
        result = native.record(session, "default", NativeRating(ticket_id=77, score="unoffered", id=1), utcnow())
    assert "nothing recorded" in result
    with Session(engine) as session:
        assert session.scalars(select(Survey)).all() == [] and session.scalars(select(TicketState)).all() == []


def test_tenant_survey_source_overrides_are_checked() -> None:
    from feedbackloop.core.errors import ConfigError
    from feedbackloop.store.tenants import parse_overrides

    assert parse_overrides({"survey_source": "both", "survey_ours_channels": "Web, email"}) == {
        "survey_source": "both", "survey_ours_channels": ["web", "email"]}
    with pytest.raises(ConfigError, match="survey_source must be one of feedbackloop, zendesk, both"):
        parse_overrides({"survey_source": "theirs"})
    with pytest.raises(ConfigError, match="channel names"):
        parse_overrides({"survey_ours_channels": "web,e mail"})


def test_zenpy_reads_the_sandbox_satisfaction_ratings(sandbox: Any, sandbox_server: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """zenpy's own Satisfaction Ratings API (its cursor pages, its SatisfactionRating objects) on the sandbox."""
    from zenpy import Zenpy

    monkeypatch.setenv("ZENPY_FORCE_SCHEME", "http")
    monkeypatch.setenv("ZENPY_FORCE_NETLOC", sandbox_server.url.removeprefix("http://"))
    zd = Zenpy(subdomain="sandbox", email=SANDBOX_EMAIL, token=SANDBOX_TOKEN, disable_cache=True)
    tickets = [solved(sandbox, f"Z{n}") for n in range(3)]
    sandbox.simulate_satisfaction(tickets[0], "good", comment="ok")
    sandbox.simulate_satisfaction(tickets[1], "bad", reason_code=7)
    sandbox.simulate_satisfaction(tickets[2], "offered")
    start = sandbox.now() - timedelta(hours=1)

    found = list(zd.satisfaction_ratings(start_time=start, end_time=sandbox.now() + timedelta(minutes=1)))
    assert [(r.ticket_id, r.score) for r in found] == [(tickets[0], "good"), (tickets[1], "bad"), (tickets[2], "offered")]
    assert found[1].reason == "The agent's knowledge is unsatisfactory" and found[0].comment == "ok"
    assert [r.ticket_id for r in zd.satisfaction_ratings(score="bad")] == [tickets[1]]


def test_reconciliation_cut_short_goes_on_from_its_next_page(sandbox: Any, sandbox_server: Any, services: Services,
                                                              engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from feedbackloop.loop import native

    for n in range(101):  # zenpy asks for pages of 100: two pages
        ticket_id = sandbox.simulate_customer_ticket(subject=f"#{n}", body="Hi", name=f"C{n}",
                                                     email=f"c{n}@example.net")
        sandbox.simulate_status(ticket_id, "solved")
        sandbox.simulate_satisfaction(ticket_id, "good" if n % 2 else "offered")
    monkeypatch.setattr(native, "MAX_PAGES_PER_RUN", 1)
    client = ZendeskClient(services.settings.zendesk)  # type: ignore[arg-type]

    def run() -> str:
        with session_scope(services.factory) as session:
            return native.reconcile_native(session, client, "default", utcnow())

    assert "more remain" in run()
    with Session(engine) as session:
        assert len(session.scalars(select(Survey)).all()) == 100
    second = run()
    assert "read 1 native ratings" in second and ": 1 offered" in second
    monkeypatch.setattr(native, "MAX_PAGES_PER_RUN", 50)
    assert run().endswith(": 101 duplicate")  # a whole pass again: nothing new
    with Session(engine) as session:
        assert len(session.scalars(select(Survey)).all()) == 101
        assert len(session.scalars(select(Rating)).all()) == 50
