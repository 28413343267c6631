"""What the customer sees: the survey in their language (the requester's Zendesk locale, else the
tenant's language, else the browser's, else English), a tappable scale with the brand and the request
in email, one line and one link in messaging, a page whose reasons fit the score, a final state,
and error pages that say what to do. Through the real app, the sandbox and zenpy; the catalogues are
checked against the source."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from test_tenants import cli_env, run  # noqa: F401

from feedbackloop.core import i18n
from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import Settings
from feedbackloop.runner.scheduler import Runner
from feedbackloop.store.models import Rating, Survey
from feedbackloop.store.tenants import parse_overrides
from test_flow import csrf_of, live, path_of, rows, settle, solved_ticket, survey_links  # noqa: F401

SOURCE = Path(i18n.__file__).parents[1]  # the package: its sources and translations/
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The suite's settings with this test's changes (indirect parametrisation): FEEDBACKLOOP_* names go
    to settings.extra (the look, as load_settings puts them), the rest are Settings fields."""
    param = getattr(request, "param", {})
    look = {k: v for k, v in param.items() if k.startswith("FEEDBACKLOOP_")}
    fields = {k: v for k, v in param.items() if k not in look}
    return settings.with_(extra={**settings.extra, **look}, **fields)


def survey_comment(sandbox: Any, ticket_id: int) -> dict[str, Any]:
    (comment,) = [c for c in sandbox.ticket_comments(ticket_id) if "/s/" in (c.get("body") or "")]
    return comment


def requester_of(sandbox: Any, ticket_id: int) -> int:
    return int(sandbox.ticket(ticket_id)["requester_id"])


def german_ticket(sandbox: Any, runner: Runner, channel: str = "email") -> int:
    """A ticket from a requester whose Zendesk language is German, solved and surveyed."""
    ticket_id = solved_ticket(sandbox, email="jonas@example.de", channel=channel)
    sandbox.simulate_user_locale(requester_of(sandbox, ticket_id), "de")
    settle(sandbox, runner)
    return ticket_id


# --- language ------------------------------------------------------------------------------------


@pytest.mark.parametrize("requester, tenant, accepted, expected", [
    ("de", "fr", ["es"], "de"),
    ("de-CH", None, [], "de"),
    ("pt-BR", None, [], "pt_BR"),
    ("pt", None, [], "pt_BR"),
    ("ar", "nl", ["de"], "nl"),  # no Arabic catalogue: the tenant's language
    (None, None, ["fr-CA", "en"], "fr"),
    (None, "xx", ["ja"], "ja"),
    (None, None, ["*"], "en"),
    ("", None, [], "en"),
])
def test_the_language_is_the_requesters_then_the_tenants_then_the_browsers(
        requester: str | None, tenant: str | None, accepted: list[str], expected: str) -> None:
    assert i18n.choose_locale(requester, tenant, accepted) == expected


def test_a_german_requester_gets_a_german_comment_and_page(live: Any, sandbox: Any, runner: Runner,
                                                           client: FlaskClient, engine: Engine) -> None:
    ticket_id = german_ticket(sandbox, runner)
    (survey,) = rows(engine, Survey)
    assert survey.locale == "de"  # stored at send time: the page needs no second look-up
    comment = survey_comment(sandbox, ticket_id)
    assert "Wie waren wir?" in comment["body"] and "Sehr gut" in comment["body"]
    assert "„Where is my refund?“" in comment["body"]  # the request's subject
    assert "Wie waren wir?" in comment["html_body"]
    links = survey_links(sandbox, ticket_id)
    assert sorted(links) == [1, 2, 3, 4, 5]  # the plain body keeps one link per score
    page = client.get(path_of(links[4]), headers={"User-Agent": BROWSER, "Accept-Language": "en-US"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="de"' in text  # the requester's language beats the browser's
    assert "Senden" in text and "Was war gut?" in text and "„Where is my refund?“" in text
    answer = client.post(urlsplit(links[4]).path, data={"csrf_token": csrf_of(text), "score": "4"})
    assert "Vielen Dank für Ihr Feedback!" in answer.get_data(as_text=True)


def test_without_a_requester_locale_the_page_follows_the_browser(live: Any, sandbox: Any, runner: Runner,
                                                                 client: FlaskClient, engine: Engine) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    with Session(engine) as session, session.begin():
        session.execute(update(Survey).values(locale=None))
    path = path_of(survey_links(sandbox, ticket_id)[5])
    for header, lang, word in (("fr-FR,fr;q=0.9", "fr", "Envoyer"), ("ja", "ja", "送信"), ("nl-BE", "nl", "Versturen"),
                               ("pt-BR", "pt-BR", "Enviar"), ("es-419", "es", "Enviar"), ("sv", "en", "Send")):
        text = client.get(path.split("?")[0], headers={"Accept-Language": header}).get_data(as_text=True)
        assert f'<html lang="{lang}"' in text and f">{word}</button>" in text, header


@pytest.mark.parametrize("settings", [{"survey_cooldown": 0}], indirect=True)
def test_the_requesters_language_is_read_once_and_reused_for_their_next_survey(
        live: Any, sandbox: Any, runner: Runner, engine: Engine) -> None:
    first = german_ticket(sandbox, runner)
    second = solved_ticket(sandbox, email="jonas@example.de")
    settle(sandbox, runner)
    assert "Wie waren wir?" in survey_comment(sandbox, second)["body"]
    assert first != second and len(sandbox.api_calls("GET", "users/")) == 1
    assert [s.locale for s in rows(engine, Survey)] == ["de", "de"]


@pytest.mark.parametrize("settings", [{"FEEDBACKLOOP_LANGUAGE": "nl"}], indirect=True)
def test_the_tenants_language_is_used_when_the_requesters_is_not_translated(
        live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine) -> None:
    ticket_id = solved_ticket(sandbox)
    sandbox.simulate_user_locale(requester_of(sandbox, ticket_id), "sv")
    settle(sandbox, runner)
    assert "Hoe hebben we het gedaan?" in survey_comment(sandbox, ticket_id)["body"]
    text = client.get(path_of(survey_links(sandbox, ticket_id)[3]).split("?")[0],
                      headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="nl"' in text


def test_error_pages_say_what_to_do_in_the_customers_language(live: Any, sandbox: Any, runner: Runner,
                                                              client: FlaskClient, engine: Engine) -> None:
    ticket_id = german_ticket(sandbox, runner)
    path = path_of(survey_links(sandbox, ticket_id)[2])
    with Session(engine) as session, session.begin():
        session.execute(update(Survey).values(expires_at=Survey.sent_at))
    expired = client.get(path)
    assert expired.status_code == 410
    text = expired.get_data(as_text=True)
    assert "abgelaufen" in text and "antworten Sie auf die Nachricht" in text  # what to do next
    made_up = client.get("/s/not-a-token", headers={"Accept-Language": "fr"})
    assert made_up.status_code == 404 and "répondez à ce message" in made_up.get_data(as_text=True)


# --- the comment ---------------------------------------------------------------------------------


def test_the_email_comment_is_a_tappable_scale_with_the_brand_and_the_request(
        live: Any, sandbox: Any, runner: Runner) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    comment = survey_comment(sandbox, ticket_id)
    html = comment["html_body"]
    assert "Sandbox support" in comment["body"] and "“Where is my refund?”" in comment["body"]
    cells = re.findall(r'<a href="[^"]+\?score=(\d)" style="display:block;min-width:48px;padding:8px 2px', html)
    assert cells == ["5", "4", "3", "2", "1"]  # each a block link: 48 px wide, 34 + 14 + 16 px tall
    assert "\U0001F60D" in html and "Excellent" in html


@pytest.mark.parametrize("settings", [{"FEEDBACKLOOP_SURVEY_STYLE": "stars", "FEEDBACKLOOP_SURVEY_ORDER": "worst_first",
                                       "FEEDBACKLOOP_BRAND_NAME": "Acme & Co",
                                       "FEEDBACKLOOP_SURVEY_LABELS": "5=Superb;1=Awful"}], indirect=True)
def test_the_scale_style_order_brand_and_labels_follow_the_tenant(live: Any, sandbox: Any, runner: Runner,
                                                                  client: FlaskClient) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    comment = survey_comment(sandbox, ticket_id)
    assert re.findall(r"\?score=(\d)\" style=\"display:block", comment["html_body"]) == ["1", "2", "3", "4", "5"]
    assert "\u2605" in comment["html_body"] and "Acme &amp; Co support" in comment["html_body"]
    assert "1 - Awful:" in comment["body"] and "5 - Superb:" in comment["body"] and "3 - OK:" in comment["body"]
    page = client.get(path_of(survey_links(sandbox, ticket_id)[5])).get_data(as_text=True)
    assert page.index('id="score-1"') < page.index('id="score-5"') and "Superb" in page and "Acme &amp; Co" in page


def test_messaging_gets_one_short_line_and_one_link(live: Any, sandbox: Any, runner: Runner,
                                                    client: FlaskClient) -> None:
    ticket_id = solved_ticket(sandbox, channel="native_messaging")
    settle(sandbox, runner)
    comment = survey_comment(sandbox, ticket_id)
    body = comment["body"]
    assert "\n" not in body and len(body) < 200 and "?score=" not in body
    (url,) = re.findall(r"https?://\S+/s/[A-Za-z0-9_.\-]+", body)
    assert "/t" not in urlsplit(url).path[-2:]  # the page, not the trap
    assert client.get(urlsplit(url).path).status_code == 200


# --- the page ------------------------------------------------------------------------------------


def test_a_reason_that_does_not_fit_the_score_is_dropped_and_the_comment_kept(
        live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    path = path_of(survey_links(sandbox, ticket_id)[1])
    page = client.get(path).get_data(as_text=True)
    assert re.search(r'id="score-1"[^>]*data-band="bad"\s+checked', page)  # the click's score, chosen
    form = {"csrf_token": csrf_of(page), "comment": "The parcel never came"}
    client.post(path.split("?")[0], data={**form, "score": "1", "reason": "not_resolved"})
    (rating,) = rows(engine, Rating)
    assert (rating.score, rating.reason, rating.comment) == (1, "not_resolved", "The parcel never came")
    # changed the score on the page: the complaint no longer fits a 5 (its group is hidden), the comment stays
    done = client.post(path.split("?")[0], data={**form, "score": "5", "reason": "not_resolved"})
    (rating,) = rows(engine, Rating)
    assert (rating.score, rating.reason, rating.comment) == (5, None, "The parcel never came")
    text = done.get_data(as_text=True)
    assert 'data-testid="saved"' in text and "<form" not in text and 'data-testid="change"' in text  # final state


def test_the_page_sets_a_csp_that_allows_the_logo_and_no_script(live: Any, sandbox: Any, runner: Runner,
                                                                client: FlaskClient) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    page = client.get(path_of(survey_links(sandbox, ticket_id)[4]))
    csp = page.headers["Content-Security-Policy"]
    assert "img-src https:" in csp and "script-src" not in csp and "default-src 'none'" in csp
    assert "<script" not in page.get_data(as_text=True)


# --- settings and catalogues ---------------------------------------------------------------------


@pytest.mark.parametrize("name, value", [
    ("accent_color", "blue"), ("logo_url", "http://example.com/logo.png"), ("logo_url", "javascript:alert(1)"),
    ("survey_style", "hearts"), ("survey_order", "random"), ("survey_labels", "6=Too good"),
    ("survey_labels", "5="), ("brand_name", "x" * 81), ("survey_question", "a\nb"),
    ("survey_delay", "1e300"), ("survey_delay", "nan"), ("survey_cooldown", -1), ("survey_cooldown", "soon"),
])
def test_a_bad_look_setting_is_refused_with_its_name(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        parse_overrides({name: value})


def test_a_good_look_setting_is_kept() -> None:
    assert parse_overrides({"accent_color": "#AA3300", "survey_labels": "5=Superb; 1=Awful",
                            "logo_url": "https://cdn.example.com/a.png"}) == {
        "accent_color": "#aa3300", "survey_labels": "5=Superb;1=Awful", "logo_url": "https://cdn.example.com/a.png"}


def source_messages() -> set[str]:
    method_map = [("**.py", "python"), ("templates/survey/**.html", "jinja2")]
    found = extract_from_dir(str(SOURCE), method_map, keywords={"_": None, "N_": None, "gettext": None})
    return {message for _file, _line, message, _comments, _context in found if isinstance(message, str)}


def test_every_message_is_translated_into_every_language_and_compiled() -> None:
    wanted = source_messages()
    assert len(wanted) > 40
    for locale in i18n.LOCALES[1:]:
        folder = SOURCE / "translations" / locale / "LC_MESSAGES"
        with open(folder / "messages.po", "rb") as po_file:
            po = {m.id: m.string for m in read_po(po_file) if m.id}
        missing = sorted(m for m in wanted if not po.get(m))
        assert not missing, f"{locale}: untranslated (pybabel update, see docs/what-people-see.md): {missing}"
        for msgid in wanted:
            assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(re.findall(r"%\(\w+\)s", po[msgid])), (locale, msgid)
        with open(folder / "messages.mo", "rb") as mo_file:
            mo = {m.id: m.string for m in read_mo(mo_file) if m.id}
        stale = sorted(m for m in wanted if mo.get(m) != po[m])
        assert not stale, f"{locale}: messages.mo is older than messages.po (pybabel compile): {stale[:3]}"


def test_a_tenants_look_is_set_from_the_cli_and_reaches_its_settings(cli_env: dict[str, str], engine: Engine) -> None:  # noqa: F811
    from feedbackloop.core.branding import look_of
    from feedbackloop.store.models import Tenant
    from feedbackloop.store.tenants import Vault, config_of

    code, out = run(cli_env, "tenant", "add", "acme", "--subdomain", "acme", "--email", "api@acme.example",
                    "--brand-name", "Acme Outdoor", "--survey-style", "stars", "--language", "de",
                    input="tok-1\nwh-1\n")
    assert code == 0, out
    code, out = run(cli_env, "tenant", "set", "acme", "--accent-color", "#AA3300", "--logo-url",
                    "https://cdn.acme.example/logo.png", "--survey-labels", "5=Super;1=Schlecht")
    assert code == 0, out
    code, out = run(cli_env, "tenant", "set", "acme", "--accent-color", "orange")
    assert code == 1 and "accent_color must be a colour like #1f73b7" in out
    code, out = run(cli_env, "tenant", "set", "acme", "--unset", "logo_url")
    assert code == 0 and "logo_url" not in json.loads(out)["overrides"]
    with Session(engine) as session:
        row = session.get(Tenant, "acme")
        assert row is not None
        look = look_of(config_of(row, Settings(secret_key="k" * 32), Vault(cli_env["FEEDBACKLOOP_ENCRYPTION_KEY"])).settings)
    assert (look.brand_name, look.style, look.accent, look.language, look.logo_url) == (
        "Acme Outdoor", "stars", "#aa3300", "de", None)
    assert dict(look.labels) == {5: "Super", 1: "Schlecht"}


def test_the_user_read_that_leaves_only_the_reserve_holds_the_update_back() -> None:
    from datetime import datetime, timedelta, timezone
    from types import SimpleNamespace

    from feedbackloop.core.errors import Retryable
    from feedbackloop.loop.survey import _keep_reserve

    now = datetime(2026, 12, 6, 2, 0, tzinfo=timezone.utc)
    settings = Settings(secret_key="k" * 32, rate_reserve=0.2)

    def client(remaining: int) -> Any:
        info = SimpleNamespace(limit=10, remaining=remaining, reset_in=40.0, observed_at=now - timedelta(seconds=10))
        return SimpleNamespace(last_rate_limit=info)

    _keep_reserve(settings, client(3), now)  # above the reserve: go on
    with pytest.raises(Retryable) as held:
        _keep_reserve(settings, client(2), now)
    assert held.value.rate_limited and held.value.retry_after == pytest.approx(30.0)
    _keep_reserve(settings.with_(rate_reserve=0), client(0), now)  # no reserve kept: go on
    _keep_reserve(settings, client(1), now + timedelta(seconds=31))  # that window is over
