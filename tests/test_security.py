"""Security, through the real app and a real database: webhook signatures and replay, survey tokens,
admin auth, the dashboard session, escaping on every page, CSRF on every POST, security headers,
rate limits on the public endpoints, and no secret in any log record of a full run.

Some of this is also covered where the feature lives (test_receive, test_survey, test_tenants,
test_dashboard, test_overrides); this file fills the gaps and checks the properties across the app.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import secrets
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from test_bad_input import sent_survey, table_counts
from test_overrides import AUDIENCE, app_token, public_pem, rsa_key, session_of  # noqa: F401  (rsa_key: fixture)

from conftest import SANDBOX_EMAIL, SANDBOX_TOKEN, WEBHOOK_SECRET, signed_headers
from factories import envelope
from feedbackloop.app import create_app
from feedbackloop.core.errors import ConfigError
from feedbackloop.core.links import make_form_token, make_token
from feedbackloop.core.settings import Settings, settings_from_env
from feedbackloop.helpdesks.zendesk.signature import TEST_SECRET, format_timestamp, sign
from feedbackloop.runner.scheduler import Runner
from feedbackloop.store.db import session_scope, utcnow
from feedbackloop.store.models import AiDecision, Rating, Survey, WebhookEvent
from feedbackloop.store.tenants import Vault, add_tenant
from feedbackloop.wiring.ratelimit import EXTENSION, RateLimiter
from feedbackloop.wiring.services import Services, build_services
from test_flow import csrf_of, live, path_of, puts, rows, settle, solved_ticket, survey_links  # noqa: F401  (live: fixture)

ADMIN_TOKEN = "adm-" + secrets.token_hex(20)
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
SECRET_KEY = "sk-" + secrets.token_hex(24)
ENCRYPTION_KEY = Fernet.generate_key().decode()
HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(2)>', "javascript:alert(3)",
           "</textarea><script>alert(4)</script>", "' onmouseover='alert(5)"]
#: What escaping must have broken up: raw tags, a quote closing an attribute, a javascript: link.
RAW_MARKUP = re.compile(r"<script>alert|<img src=x|</textarea><script|\"><img|(href|src|action)=\"javascript:"
                        r"|' onmouseover='")


@pytest.fixture
def settings(settings: Settings, rsa_key: Any, request: pytest.FixtureRequest) -> Settings:  # noqa: F811
    """Distinctive secrets (so a log line holding one is found), the sidebar configured; per-test changes."""
    return settings.with_(admin_token=ADMIN_TOKEN, secret_key=SECRET_KEY, encryption_key=ENCRYPTION_KEY,
                          app_public_key=public_pem(rsa_key), app_audience=AUDIENCE, **getattr(request, "param", {}))


def limits(**values: int) -> pytest.MarkDecorator:
    """Parametrise this test's settings (indirect)."""
    return pytest.mark.parametrize("settings", [values], indirect=True)


def solved_envelope(ticket_id: int = 5158, event_id: str | None = None) -> bytes:
    return json.dumps(envelope(ticket_id, "open", "solved", datetime.now(UTC),
                               event_id=event_id or str(uuid.uuid4()))).encode()


# --- webhook signatures and replay ------------------------------------------------------------------


@pytest.mark.parametrize(("offset", "accepted"), [(-360, False), (360, False), (-240, True), (240, True)],
                         ids=["6-min-old", "6-min-ahead", "4-min-old", "4-min-ahead"])
def test_signature_timestamps_are_held_to_the_skew_both_ways(client: FlaskClient, engine: Engine, offset: int,
                                                             accepted: bool) -> None:
    raw = solved_envelope()
    when = datetime.now(UTC) + timedelta(seconds=offset)
    response = client.post("/webhooks/zendesk", data=raw, headers=signed_headers(raw, when=when))
    if accepted:
        assert response.status_code == 200 and response.get_json()["status"] == "accepted"
    else:
        assert response.status_code == 401 and "away from now" in response.get_json()["message"]
        assert rows(engine, WebhookEvent) == []


def test_a_signature_over_a_different_body_is_refused(client: FlaskClient, engine: Engine) -> None:
    signed_body = solved_envelope(1)
    headers = signed_headers(signed_body)
    for other in (solved_envelope(2),  # another event
                  json.dumps(json.loads(signed_body), indent=1).encode(),  # the same JSON, laid out again
                  signed_body + b" ", signed_body[:-1]):  # one byte more or less
        response = client.post("/webhooks/zendesk", data=other, headers=headers)
        assert response.status_code == 401 and "does not match" in response.get_json()["message"]
    assert rows(engine, WebhookEvent) == []


def test_a_signature_reused_with_a_new_timestamp_is_refused(client: FlaskClient, engine: Engine) -> None:
    raw = solved_envelope()
    captured = signed_headers(raw, when=datetime.now(UTC) - timedelta(minutes=30))  # too old to replay
    refreshed = {**captured, "X-Zendesk-Webhook-Signature-Timestamp": format_timestamp(datetime.now(UTC))}
    response = client.post("/webhooks/zendesk", data=raw, headers=refreshed)
    assert response.status_code == 401 and "does not match" in response.get_json()["message"]
    assert rows(engine, WebhookEvent) == []


def test_a_captured_delivery_replayed_in_the_window_has_no_second_effect(client: FlaskClient,
                                                                          engine: Engine) -> None:
    """The envelope's own id (inside the signed body) is the dedupe key: unsigned headers cannot dodge it."""
    raw = solved_envelope()
    headers = signed_headers(raw, extra={"X-Zendesk-Webhook-Invocation-Id": "inv-1"})
    assert client.post("/webhooks/zendesk", data=raw, headers=headers).get_json()["status"] == "accepted"
    for changed in ({"X-Zendesk-Webhook-Invocation-Id": "inv-2"}, {"X-Zendesk-Webhook-Id": "01HOTHER"}):
        again = client.post("/webhooks/zendesk", data=raw, headers={**headers, **changed})
        assert again.status_code == 200 and again.get_json()["status"] == "duplicate"
    (event,) = rows(engine, WebhookEvent)
    assert event.duplicates == 2


def test_zendesks_public_test_secret_signs_nothing_for_us(client: FlaskClient, engine: Engine) -> None:
    raw = solved_envelope()
    response = client.post("/webhooks/zendesk", data=raw, headers=signed_headers(raw, secret=TEST_SECRET))
    assert response.status_code == 401
    assert rows(engine, WebhookEvent) == []


def test_a_refusal_does_not_reveal_the_expected_signature(client: FlaskClient) -> None:
    raw = solved_envelope()
    headers = signed_headers(raw)
    expected = headers["X-Zendesk-Webhook-Signature"]
    response = client.post("/webhooks/zendesk", data=raw, headers={**headers, "X-Zendesk-Webhook-Signature": "AAAA"})
    assert response.status_code == 401 and expected not in response.get_data(as_text=True)


# --- survey tokens -----------------------------------------------------------------------------------


def test_tokens_made_for_other_purposes_open_nothing(client: FlaskClient, engine: Engine, services: Services,
                                                     rsa_key: Any) -> None:  # noqa: F811
    token = sent_survey(services)
    form_token = make_form_token(SECRET_KEY, token)
    sidebar = session_of(client.post("/zendesk/sidebar", data={"token": app_token(rsa_key)}).get_data(as_text=True))
    sidebar_token = sidebar["Authorization"].removeprefix("Bearer ")
    before = table_counts(engine)
    assert client.get(f"/s/{form_token}?score=5").status_code == 404  # the form's CSRF token as a link
    assert client.get(f"/s/{sidebar_token}?score=5").status_code == 404  # a sidebar session as a link
    assert client.post(f"/s/{token}", data={"csrf_token": token, "score": "5"}).status_code == 400  # link as CSRF
    assert client.get("/zendesk/sidebar/api/tickets/4242", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.post("/api/v1/decisions", json={}, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert table_counts(engine) == before


def test_a_token_moved_to_another_survey_keeps_nothing_of_its_signature(client: FlaskClient, engine: Engine,
                                                                        services: Services) -> None:
    mine = sent_survey(services, ticket_id=1)
    other_id = int(json.loads(base64.urlsafe_b64decode(sent_survey(services, ticket_id=2).split(".")[0] + "=="))[1])
    payload = base64.urlsafe_b64encode(json.dumps(["default", other_id]).encode()).rstrip(b"=").decode()
    moved = payload + "." + mine.split(".")[1]  # the other survey's id, my signature
    answer = client.get(f"/s/{moved}?score=1")
    assert answer.status_code == 404 and "not valid" in answer.get_data(as_text=True)
    assert rows(engine, Rating) == []


@pytest.mark.parametrize("state", ["cancelled", "undeliverable", "skipped", "scheduled"])
def test_links_of_surveys_that_are_not_open_record_nothing(client: FlaskClient, engine: Engine, services: Services,
                                                           state: str) -> None:
    token = sent_survey(services)
    with Session(engine) as session, session.begin():
        session.execute(update(Survey).values(state=state))
    assert client.get(f"/s/{token}?score=5").status_code == 404
    form = {"csrf_token": make_form_token(SECRET_KEY, token), "score": "5", "comment": "hi"}
    assert client.post(f"/s/{token}", data=form).status_code == 404
    assert rows(engine, Rating) == []


def test_an_expired_link_refuses_the_form_as_well_as_the_click(client: FlaskClient, engine: Engine,
                                                               services: Services) -> None:
    token = sent_survey(services, expires_in=timedelta(seconds=-1))
    form = {"csrf_token": make_form_token(SECRET_KEY, token), "score": "1", "comment": "late"}
    answer = client.post(f"/s/{token}", data=form)
    assert answer.status_code == 410 and "expired" in answer.get_data(as_text=True)
    assert rows(engine, Rating) == []


def test_a_link_of_a_deleted_survey_or_made_with_another_salt_is_refused(client: FlaskClient, engine: Engine,
                                                                        services: Services) -> None:
    from itsdangerous import URLSafeSerializer

    other_salt = URLSafeSerializer(SECRET_KEY, salt="feedbackloop.something-else").dumps(["default", 1])
    assert client.get(f"/s/{other_salt}?score=5").status_code == 404
    assert client.get(f"/s/{make_token(SECRET_KEY, 'default', 10**9)}?score=5").status_code == 404
    assert client.get(f"/s/{make_token(SECRET_KEY, 'default', 2**70)}?score=5").status_code == 404  # past BIGINT
    assert rows(engine, Rating) == []


# --- the admin API ---------------------------------------------------------------------------------------


ADMIN_PATHS = [("POST", "/api/v1/decisions"), ("GET", "/api/v1/tickets/5/feedback")]
BAD_AUTH = [None, "", "Bearer", "Bearer ", "Bearer wrong", f"Bearer {ADMIN_TOKEN}x", f"Bearer {ADMIN_TOKEN[:-1]}",
            f"Bearer {ADMIN_TOKEN.upper()}", f"Basic {base64.b64encode(ADMIN_TOKEN.encode()).decode()}",
            f"Token {ADMIN_TOKEN}", ADMIN_TOKEN, f"Bearer {ADMIN_TOKEN} {ADMIN_TOKEN}"]


@pytest.mark.parametrize(("method", "path"), ADMIN_PATHS)
@pytest.mark.parametrize("auth", BAD_AUTH)
def test_the_admin_api_takes_only_the_exact_token_as_a_bearer(client: FlaskClient, engine: Engine, method: str,
                                                              path: str, auth: str | None) -> None:
    headers = {"Authorization": auth} if auth is not None else {}
    before = table_counts(engine)
    response = client.open(path, method=method, json={"ticket_id": 5, "decision_id": "d", "step": "reply"},
                           headers=headers)
    assert response.status_code == 401, response.get_json()
    assert response.get_json()["message"] and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert ADMIN_TOKEN not in response.get_data(as_text=True)
    assert table_counts(engine) == before


@pytest.mark.parametrize(("method", "path"), ADMIN_PATHS)
def test_the_admin_token_is_not_taken_from_the_query_string_a_cookie_or_a_form(client: FlaskClient, method: str,
                                                                              path: str) -> None:
    client.set_cookie("token", ADMIN_TOKEN)
    for query in (f"?token={ADMIN_TOKEN}", f"?access_token={ADMIN_TOKEN}"):
        assert client.open(path + query, method=method, data={"token": ADMIN_TOKEN}).status_code == 401
    assert client.open(path, method=method, headers=ADMIN).status_code != 401  # the header works


def test_a_tenants_ingest_token_writes_decisions_for_it_only_and_reads_nothing(client: FlaskClient, engine: Engine,
                                                                               services: Services) -> None:
    with session_scope(services.factory) as session:
        ingest = add_tenant(session, Vault(ENCRYPTION_KEY), "acme", subdomain="acme", email="api@acme.example",
                            api_token="acme-api-token", webhook_secret="acme-webhook-secret", api_url=None,
                            overrides={}, now=utcnow())
    bearer = {"Authorization": f"Bearer {ingest}"}
    assert client.get("/api/v1/tickets/5/feedback", headers=bearer).status_code == 403
    posted = client.post("/api/v1/decisions", json={"ticket_id": 5, "decision_id": "d1", "step": "reply"},
                         headers={**bearer, "X-Feedbackloop-Tenant": "default"})  # the header does not move it
    assert posted.status_code == 201
    (row,) = rows(engine, AiDecision)
    assert row.tenant_id == "acme"
    unknown = client.get("/api/v1/tickets/5/feedback", headers={**ADMIN, "X-Feedbackloop-Tenant": "nobody"})
    assert unknown.status_code == 404


# --- the dashboard session -------------------------------------------------------------------------------


def dashboard_login(client: FlaskClient, token: str = ADMIN_TOKEN, next_path: str = "/dashboard/") -> Any:
    page = client.get("/dashboard/login")
    return client.post("/dashboard/login", data={"csrf_token": csrf_of(page.get_data(as_text=True)), "token": token,
                                                 "next": next_path})


def test_a_session_cookie_signed_with_another_secret_key_is_no_login(client: FlaskClient, engine: Engine,
                                                                     services: Services) -> None:
    elsewhere = create_app(services=build_services(services.settings.with_(secret_key="another-secret-key-123456"),
                                                   engine=engine)).test_client()
    assert dashboard_login(elsewhere).status_code == 302
    cookie = elsewhere.get_cookie("session")
    assert cookie is not None and ADMIN_TOKEN not in cookie.value
    client.set_cookie("session", cookie.value)
    assert client.get("/dashboard/").status_code == 302  # to the login page


def test_a_hostile_next_parameter_is_neither_followed_nor_rendered(client: FlaskClient) -> None:
    for target in HOSTILE + ["/dashboard/\"><script>alert(1)</script>", "//evil.example", "/\\evil.example"]:
        page = client.get("/dashboard/login", query_string={"next": target}).get_data(as_text=True)
        assert not RAW_MARKUP.search(page), target
        assert dashboard_login(client, next_path=target).headers["Location"].startswith("/dashboard")
        client.post("/dashboard/logout", data={"csrf_token": csrf_of(client.get("/dashboard/").get_data(as_text=True))})


# --- escaping on every page ---------------------------------------------------------------------------------


def test_hostile_text_is_escaped_on_the_survey_page(client: FlaskClient, services: Services) -> None:
    for text in HOSTILE:
        token = sent_survey(services)
        page = client.get(f"/s/{token}?score=2").get_data(as_text=True)
        answer = client.post(f"/s/{token}", data={"csrf_token": csrf_of(page), "score": "2", "reason": "other",
                                                  "comment": text})
        assert answer.status_code == 200
        for shown in (answer.get_data(as_text=True), client.get(f"/s/{token}").get_data(as_text=True)):
            assert not RAW_MARKUP.search(shown), text
            assert "&lt;" in shown or "&#34;" in shown or "&#39;" in shown or "javascript:" in shown


@pytest.fixture
def hostile_ticket(client: FlaskClient, services: Services, rsa_key: Any) -> int:  # noqa: F811
    """A ticket whose every customer- or agent-written field is hostile: decision, override, rating."""
    ticket_id = 4242
    for index, text in enumerate(HOSTILE):
        answer = client.post("/api/v1/decisions", headers=ADMIN, json={
            "ticket_id": ticket_id, "decision_id": f"d{index}", "step": "action", "intent": text[:120],
            "action": text, "draft_reply": text, "model": text, "policy_refs": [text], "context": [text]})
        assert answer.status_code == 201, answer.get_json()
    sidebar = session_of(client.post("/zendesk/sidebar", data={"token": app_token(rsa_key)}).get_data(as_text=True))
    for text in HOSTILE:
        answer = client.post(f"/zendesk/sidebar/api/tickets/{ticket_id}/overrides", headers=sidebar,
                             json={"final_action": text, "rationale": text, "policy_clause": text})
        assert answer.status_code == 201
    token = sent_survey(services, ticket_id=ticket_id)
    page = client.get(f"/s/{token}?score=1").get_data(as_text=True)
    client.post(f"/s/{token}", data={"csrf_token": csrf_of(page), "score": "1", "comment": " ".join(HOSTILE)})
    return ticket_id


def test_hostile_text_is_escaped_on_every_dashboard_page(client: FlaskClient, hostile_ticket: int) -> None:
    assert dashboard_login(client).status_code == 302
    for path in ("/dashboard/", "/dashboard/?by=intent&sort=segment", "/dashboard/?by=resolver,channel",
                 "/dashboard/tickets?since=30d", "/dashboard/tickets?since=30d&band=bad",
                 f"/dashboard/tickets/{hostile_ticket}"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert not RAW_MARKUP.search(page), (path, RAW_MARKUP.search(page))
    ticket_page = client.get(f"/dashboard/tickets/{hostile_ticket}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in ticket_page  # shown, as text


def test_the_sidebar_serves_hostile_text_as_json_only(client: FlaskClient, hostile_ticket: int,
                                                      rsa_key: Any) -> None:  # noqa: F811
    page = client.post("/zendesk/sidebar", data={"token": app_token(rsa_key)},
                       query_string={"origin": HOSTILE[1]})
    assert not RAW_MARKUP.search(page.get_data(as_text=True))
    assert "innerHTML" not in page.get_data(as_text=True) and "insertAdjacentHTML" not in page.get_data(as_text=True)
    data = client.get(f"/zendesk/sidebar/api/tickets/{hostile_ticket}", headers=session_of(page.get_data(as_text=True)))
    assert data.status_code == 200 and data.mimetype == "application/json"
    assert data.headers["X-Content-Type-Options"] == "nosniff"  # never sniffed into HTML
    assert HOSTILE[0] in json.dumps(data.get_json())  # the text itself; the page writes it with textContent


def test_a_hostile_app_token_is_not_echoed_raw_on_the_sidebar_error_page(client: FlaskClient) -> None:
    def b64(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    forged = f"{b64({'alg': HOSTILE[0], 'typ': 'JWT'})}.{b64({'sub': HOSTILE[1]})}.c2ln"
    page = client.post("/zendesk/sidebar", data={"token": forged})
    assert page.status_code == 401 and not RAW_MARKUP.search(page.get_data(as_text=True))


# --- CSRF on every POST ------------------------------------------------------------------------------------

#: Every POST route, and what a cross-site request lacks. A new POST route fails this table until it is added.
POST_ROUTES = {
    "receive.zendesk_webhook": "/webhooks/zendesk",  # HMAC signature over the body
    "receive.tenant_webhook": "/webhooks/zendesk/acme",  # the tenant's HMAC signature
    "ratings.survey_submit": None,  # a form token bound to the survey link (path filled in below)
    "ratings.ces_submit": "/s/{token}/ces",  # the same form token (issue 24: CES after the CSAT answer)
    "api_v1.decisions.post_decisions": "/api/v1/decisions",  # a bearer header (browsers never add one)
    "sidebar.load": "/zendesk/sidebar",  # Zendesk's RS256-signed JWT
    "sidebar.add_override": "/zendesk/sidebar/api/tickets/5/overrides",  # our session, as a bearer header
    "dashboard.login_submit": "/dashboard/login",  # the session's CSRF token
    "dashboard.logout": "/dashboard/logout",
    "dashboard.check_drops_now": "/dashboard/drops/check",
}


def test_every_post_route_refuses_a_cross_site_request(app: Flask, client: FlaskClient, engine: Engine,
                                                       services: Services) -> None:
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    assert posting == set(POST_ROUTES), f"classify the new POST routes: {sorted(posting ^ set(POST_ROUTES))}"
    assert dashboard_login(client).status_code == 302  # the victim is logged in: the cookie rides along
    token = sent_survey(services)
    before = table_counts(engine)
    for endpoint, path in POST_ROUTES.items():
        # what a hostile page can make a browser send: a simple form post, cookies included
        response = client.post((path or "/s/{token}").format(token=token), data={"score": "1", "token": "x", "final_action": "x"},
                               headers={"Origin": "https://evil.example", "Referer": "https://evil.example/"})
        assert 400 <= response.status_code < 500, (endpoint, response.status_code)
    assert table_counts(engine) == before
    assert client.get("/dashboard/").status_code == 200  # and the session survived it all


def test_every_form_that_posts_carries_a_csrf_token(client: FlaskClient, hostile_ticket: int,
                                                    services: Services) -> None:
    token = sent_survey(services)
    pages = [client.get(f"/s/{token}?score=3").get_data(as_text=True), client.get("/dashboard/login").get_data(as_text=True)]
    dashboard_login(client)
    pages += [client.get(path).get_data(as_text=True) for path in (
        "/dashboard/", "/dashboard/tickets?since=30d", f"/dashboard/tickets/{hostile_ticket}")]
    forms = [form for page in pages for form in re.findall(r"<form\b.*?</form>", page, re.DOTALL | re.IGNORECASE)]
    posting = [form for form in forms if re.search(r'method="post"', form, re.IGNORECASE)]
    assert len(posting) >= 4
    for form in posting:
        assert 'name="csrf_token"' in form, form[:300]


# --- security headers on every page --------------------------------------------------------------------------


def directives(csp: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def check_html_headers(response: Any, *, sidebar: bool = False) -> None:
    assert response.mimetype == "text/html"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("no-referrer", "same-origin", "strict-origin-when-cross-origin")
    csp = directives(response.headers["Content-Security-Policy"])
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts is not None and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "*" not in scripts and "data:" not in scripts
    if sidebar:
        assert csp["frame-ancestors"] == ["https://*.zendesk.com"]
        assert all(s.startswith("'nonce-") or s == "https://static.zdassets.com" for s in scripts), scripts
    else:
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp.get("default-src") == ["'none'"] and "script-src" not in csp  # no script at all


@limits(rate_limit_survey=5, rate_limit_sidebar=2)
def test_every_html_response_carries_the_security_headers(client: FlaskClient, services: Services,
                                                          rsa_key: Any) -> None:  # noqa: F811
    token = sent_survey(services)
    expired = sent_survey(services, expires_in=timedelta(seconds=-1))
    pages = [
        client.get(f"/s/{token}"), client.get(f"/s/{token}?score=9"), client.get(f"/s/{expired}?score=1"),
        client.get("/s/made-up"), client.post(f"/s/{token}", data={"comment": "x" * (2 * 1024 * 1024)}),
        client.get(f"/s/{token}"),  # the sixth: 429
        client.get("/nowhere"), client.put("/dashboard/login"), client.get("/dashboard/login"),
        client.post("/dashboard/login", data={"csrf_token": "forged"}),
    ]
    assert [p.status_code for p in pages] == [200, 400, 410, 404, 413, 429, 404, 405, 200, 400]
    dashboard_login(client)
    pages += [client.get("/dashboard/"), client.get("/dashboard/?since=nonsense"), client.get("/dashboard/tickets/1")]
    for page in pages:
        check_html_headers(page)
    sidebar = [client.post("/zendesk/sidebar", data={"token": app_token(rsa_key)}), client.get("/zendesk/sidebar"),
               client.post("/zendesk/sidebar", data={"token": "x"})]  # the third load: 429
    assert [p.status_code for p in sidebar] == [200, 401, 429]
    for page in sidebar:
        check_html_headers(page, sidebar=True)


def test_json_answers_are_never_sniffed(client: FlaskClient) -> None:
    for response in (client.post("/webhooks/zendesk", data=b"{}"), client.get("/api/v1/tickets/1/feedback"),
                     client.get("/healthz"), client.get("/zendesk/sidebar/api/tickets/1")):
        assert response.mimetype == "application/json" and response.headers["X-Content-Type-Options"] == "nosniff"


# --- rate limits --------------------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock_of_limits(app: Flask) -> FakeClock:
    fake = FakeClock()
    limiter: RateLimiter = app.extensions[EXTENSION]
    limiter.clock = fake
    return fake


@limits(rate_limit_survey=3)
def test_the_survey_page_is_limited_per_client_ip(client: FlaskClient, engine: Engine, services: Services,
                                                  clock_of_limits: FakeClock) -> None:
    token = sent_survey(services)
    assert [client.get(f"/s/{token}").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(f"/s/{token}?score=5")
    assert refused.status_code == 429 and refused.mimetype == "text/html"
    assert 1 <= int(refused.headers["Retry-After"]) <= 20  # one token back in 60/3 s
    assert "Too many requests" in refused.get_data(as_text=True)
    assert rows(engine, Rating) == []  # the refused click recorded nothing
    form = {"csrf_token": make_form_token(SECRET_KEY, token), "score": "5"}
    assert client.post(f"/s/{token}", data=form).status_code == 429  # the form shares the bucket
    other = client.get(f"/s/{token}?score=5", environ_overrides={"REMOTE_ADDR": "203.0.113.9"})
    assert other.status_code == 200  # another client is not held up
    clock_of_limits.now += 20
    assert client.get(f"/s/{token}").status_code == 200  # a token came back
    assert client.get(f"/s/{token}").status_code == 429


@limits(rate_limit_login_failures=3)
def test_wrong_admin_tokens_are_limited_per_client_ip_before_the_token_is_compared(
        client: FlaskClient, clock_of_limits: FakeClock) -> None:
    assert [dashboard_login(client, token=f"guess-{i}").status_code for i in range(3)] == [401, 401, 401]
    refused = dashboard_login(client)  # even the right token: the budget is spent, nothing is compared
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 20
    assert "Too many wrong admin tokens" in refused.get_data(as_text=True)
    assert client.get("/dashboard/").status_code == 302  # not logged in
    page = client.get("/dashboard/login", environ_overrides={"REMOTE_ADDR": "203.0.113.9"})
    other = client.post("/dashboard/login", environ_overrides={"REMOTE_ADDR": "203.0.113.9"},
                        data={"csrf_token": csrf_of(page.get_data(as_text=True)), "token": ADMIN_TOKEN,
                              "next": "/dashboard/"})
    assert other.status_code == 302  # another client is not held up
    clock_of_limits.now += 20
    assert dashboard_login(client).status_code == 302  # a token came back; a right token spends none


@limits(rate_limit_survey=2)
def test_ipv6_clients_share_their_64_and_made_up_tokens_count_too(client: FlaskClient,
                                                                   clock_of_limits: FakeClock) -> None:
    for index in range(2):
        assert client.get(f"/s/guess{index}", environ_overrides={"REMOTE_ADDR": f"2001:db8::{index + 1}"}).status_code == 404
    assert client.get("/s/guess3", environ_overrides={"REMOTE_ADDR": "2001:db8::ffff"}).status_code == 429
    assert client.get("/s/guess4", environ_overrides={"REMOTE_ADDR": "2001:db8:0:1::1"}).status_code == 404


@limits(rate_limit_survey=1, trusted_proxy_hops=1)
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(client: FlaskClient,
                                                                    clock_of_limits: FakeClock) -> None:
    def visit(forwarded: str) -> int:
        return client.get("/s/x", headers={"X-Forwarded-For": forwarded}).status_code

    assert visit("198.51.100.1") == 404
    assert visit("198.51.100.2") == 404  # another customer behind the same proxy
    assert visit("10.9.9.9, 198.51.100.1") == 429  # a spoofed left-hand entry changes nothing


@limits(rate_limit_survey=1)
def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client: FlaskClient, clock_of_limits: FakeClock) -> None:
    assert client.get("/s/x", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 404
    assert client.get("/s/x", headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 429


@limits(rate_limit_sidebar=2)
def test_the_sidebar_load_is_limited_per_client_ip(client: FlaskClient, rsa_key: Any,  # noqa: F811
                                                   clock_of_limits: FakeClock) -> None:
    assert client.post("/zendesk/sidebar", data={"token": app_token(rsa_key)}).status_code == 200
    assert client.get("/zendesk/sidebar").status_code == 401
    refused = client.post("/zendesk/sidebar", data={"token": app_token(rsa_key)})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "frame-ancestors https://*.zendesk.com" in refused.headers["Content-Security-Policy"]  # shown in Zendesk
    assert "Too many sidebar loads" in refused.get_data(as_text=True)


@limits(rate_limit_webhook_failures=3)
def test_a_flood_of_bad_signatures_is_throttled_while_valid_deliveries_pass(client: FlaskClient, engine: Engine,
                                                                            clock_of_limits: FakeClock) -> None:
    raw = solved_envelope()
    bad = {**signed_headers(raw), "X-Zendesk-Webhook-Signature": "AAAA"}
    answers = [client.post("/webhooks/zendesk", data=raw, headers=bad) for _ in range(5)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429, 429]
    assert answers[-1].get_json()["error"] == "too_many_requests" and "bad signature" in answers[-1].get_json()["message"]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    for index in range(40):  # in the middle of the flood, every real delivery is taken
        good = solved_envelope(1000 + index)
        response = client.post("/webhooks/zendesk", data=good, headers=signed_headers(good))
        assert response.status_code == 200 and response.get_json()["status"] == "accepted"
    assert client.post("/webhooks/zendesk", data=raw, headers=bad).status_code == 429
    assert len(rows(engine, WebhookEvent)) == 40


@limits(rate_limit_webhook_failures=2)
def test_bad_signatures_are_counted_per_tenant(client: FlaskClient, services: Services,
                                               clock_of_limits: FakeClock) -> None:
    with session_scope(services.factory) as session:
        add_tenant(session, Vault(ENCRYPTION_KEY), "acme", subdomain="acme", email="api@acme.example",
                   api_token="acme-api-token", webhook_secret="acme-webhook-secret", api_url=None, overrides={},
                   now=utcnow())
    raw = solved_envelope()
    bad = {**signed_headers(raw), "X-Zendesk-Webhook-Signature": "AAAA"}
    assert [client.post("/webhooks/zendesk", data=raw, headers=bad).status_code for _ in range(3)] == [401, 401, 429]
    assert client.post("/webhooks/zendesk/acme", data=raw, headers=bad).status_code == 401  # acme's own budget
    good = client.post("/webhooks/zendesk/acme", data=raw, headers=signed_headers(raw, secret="acme-webhook-secret"))
    assert good.status_code == 200


@limits(rate_limit_survey=0, rate_limit_sidebar=0, rate_limit_webhook_failures=0)
def test_a_limit_of_zero_is_off(client: FlaskClient, rsa_key: Any) -> None:  # noqa: F811
    raw = solved_envelope()
    bad = {**signed_headers(raw), "X-Zendesk-Webhook-Signature": "AAAA"}
    assert {client.post("/webhooks/zendesk", data=raw, headers=bad).status_code for _ in range(100)} == {401}
    assert {client.get("/s/x").status_code for _ in range(100)} == {404}
    assert {client.get("/zendesk/sidebar").status_code for _ in range(150)} == {401}


def test_the_limits_are_settings_with_sensible_defaults() -> None:
    base = {"FEEDBACKLOOP_SECRET_KEY": "x" * 32}
    defaults = settings_from_env(base, demo=True)
    assert defaults.rate_limit_login_failures == 10
    assert (defaults.rate_limit_survey, defaults.rate_limit_sidebar, defaults.rate_limit_webhook_failures,
            defaults.trusted_proxy_hops) == (60, 120, 30, 0)
    chosen = settings_from_env({**base, "FEEDBACKLOOP_RATE_LIMIT_SURVEY": "10", "FEEDBACKLOOP_RATE_LIMIT_SIDEBAR": "0",
                                "FEEDBACKLOOP_RATE_LIMIT_WEBHOOK_FAILURES": "5",
                                "FEEDBACKLOOP_TRUSTED_PROXY_HOPS": "2"}, demo=True)
    assert (chosen.rate_limit_survey, chosen.rate_limit_sidebar, chosen.rate_limit_webhook_failures,
            chosen.trusted_proxy_hops) == (10, 0, 5, 2)
    for bad in ("-1", "ten", "1.5", "²"):
        with pytest.raises(ConfigError, match="FEEDBACKLOOP_RATE_LIMIT_SURVEY"):
            settings_from_env({**base, "FEEDBACKLOOP_RATE_LIMIT_SURVEY": bad}, demo=True)


def test_the_buckets_stay_bounded_under_a_spray_of_addresses() -> None:
    from feedbackloop.wiring.ratelimit import TokenBuckets

    buckets = TokenBuckets(1, max_keys=100)
    for index in range(1000):
        assert buckets.take(f"10.0.{index // 256}.{index % 256}", now=0.0) == 0.0
    assert len(buckets._buckets) == 100
    assert buckets.take("10.0.3.231", now=0.0) > 0  # the most recent keys are still held


# --- secrets never in logs ---------------------------------------------------------------------------------


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record of every logger at DEBUG, werkzeug's access lines among them."""
    caplog.set_level(logging.DEBUG)
    for name in ("werkzeug", "feedbackloop", "zenpy", "urllib3", "sqlalchemy.engine", "gunicorn.access"):
        logging.getLogger(name).disabled = False
    yield caplog


def record_text(record: logging.LogRecord) -> str:
    """Everything a handler could write from a record: message, raw args, exception and stack text."""
    parts = [str(record.msg), repr(record.args), record.exc_text or "", record.stack_info or ""]
    try:
        parts.append(record.getMessage())
    except (TypeError, ValueError):
        pass
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    parts.extend(repr(value) for key, value in record.__dict__.items() if key not in logging.LogRecord(
        "", 0, "", 0, "", (), None).__dict__)  # extra={...} fields
    return "\n".join(parts)


def test_gunicorn_access_records_lose_credentials_and_survey_tokens(caplog: pytest.LogCaptureFixture) -> None:
    """gunicorn hands its access logger every request header and environ entry as "atoms"."""
    from feedbackloop.core.logredact import install

    install()
    caplog.set_level(logging.INFO, logger="gunicorn.access")
    token = make_token(SECRET_KEY, "default", 7)
    atoms = {"h": "192.0.2.1", "r": f"GET /s/{token}?score=5 HTTP/1.1", "U": f"/s/{token}", "q": "score=5",
             "s": "200", "{authorization}i": f"Bearer {ADMIN_TOKEN}", "{http_authorization}e": f"Bearer {ADMIN_TOKEN}",
             "{x-zendesk-webhook-signature}i": "c2lnbmF0dXJl", "{cookie}i": "session=c2Vzc2lvbg",
             "{HTTP_COOKIE}e": "session=c2Vzc2lvbg", "{user-agent}i": "curl/8"}
    logging.getLogger("gunicorn.access").info('%(h)s "%(r)s" %(s)s %({authorization}i)s %({user-agent}i)s', atoms)
    (record,) = caplog.records
    assert record.getMessage() == '192.0.2.1 "GET /s/[token]?score=5 HTTP/1.1" 200 [redacted] curl/8'
    text = record_text(record)
    for secret in (ADMIN_TOKEN, token, "c2lnbmF0dXJl", "c2Vzc2lvbg"):
        assert secret not in text


def test_no_secret_reaches_any_log_record_in_a_full_run(
    live: Any, sandbox: Any, runner: Runner, services: Services, engine: Engine, clock: Any, all_logs: Any,  # noqa: F811
    rsa_key: Any,  # noqa: F811
) -> None:
    base = live.url
    with session_scope(services.factory) as session:
        ingest = add_tenant(session, Vault(ENCRYPTION_KEY), "acme", subdomain="acme", email="api@acme.example",
                            api_token="acme-api-token-" + secrets.token_hex(8),
                            webhook_secret="acme-webhook-secret-" + secrets.token_hex(8), api_url=None, overrides={},
                            now=utcnow())
    # the loop, with a 429 and a 5xx from Zendesk on the way
    sandbox.inject(429, count=1, retry_after=1, method="PUT", path_prefix="/tickets")
    sandbox.inject(503, count=1, method="PUT", path_prefix="/tickets")
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    for _ in range(4):
        clock.advance(600)
        settle(sandbox, runner)
    assert {429, 503, 200} <= {call.status for call in puts(sandbox, ticket_id)}  # waited, retried, sent
    links = survey_links(sandbox, ticket_id)
    assert links, "the survey did not go out"
    survey_token = path_of(links[2]).split("/s/")[1].split("?")[0]
    http = requests.Session()
    page = http.get(base + path_of(links[2]), timeout=10)
    assert page.status_code == 200
    http.post(f"{base}/s/{survey_token}", data={"csrf_token": csrf_of(page.text), "score": "2", "reason": "other",
                                                "comment": "slow"}, timeout=10)
    http.get(f"{base}/s/{survey_token[:-3]}abc?score=1", timeout=10)  # a tampered link: a refusal, logged
    settle(sandbox, runner)
    clock.advance(600)
    settle(sandbox, runner)
    # credentials in use, rightly and wrongly
    http.post(f"{base}/api/v1/decisions", json={"ticket_id": ticket_id, "decision_id": "d1", "step": "reply"},
              headers=ADMIN, timeout=10)
    http.post(f"{base}/api/v1/decisions", json={"ticket_id": ticket_id, "decision_id": "d2", "step": "reply"},
              headers={"Authorization": f"Bearer {ingest}"}, timeout=10)
    http.get(f"{base}/api/v1/tickets/{ticket_id}/feedback", headers={"Authorization": f"Bearer {ADMIN_TOKEN}x"},
             timeout=10)
    raw = solved_envelope()
    http.post(f"{base}/webhooks/zendesk", data=raw, timeout=10,
              headers={**signed_headers(raw), "X-Zendesk-Webhook-Signature": sign("wrong", "t", raw)})
    login = http.get(f"{base}/dashboard/login", timeout=10)
    http.post(f"{base}/dashboard/login", data={"csrf_token": csrf_of(login.text), "token": ADMIN_TOKEN}, timeout=10,
              allow_redirects=False)
    sidebar = http.post(f"{base}/zendesk/sidebar", data={"token": app_token(rsa_key)}, timeout=10)
    http.get(f"{base}/zendesk/sidebar/api/tickets/{ticket_id}", headers=session_of(sidebar.text), timeout=10)

    assert all_logs.records, "nothing was logged: the capture is not working"
    access = [r.getMessage() for r in all_logs.records if r.name == "werkzeug"]
    assert any("/s/[token]" in line for line in access), "werkzeug's access lines were not captured"
    needles = {
        "Zendesk API token": SANDBOX_TOKEN,
        "Zendesk API token (basic auth)": base64.b64encode(f"{SANDBOX_EMAIL}/token:{SANDBOX_TOKEN}".encode()).decode(),
        "webhook secret": WEBHOOK_SECRET,
        "admin token": ADMIN_TOKEN,
        "FEEDBACKLOOP_SECRET_KEY": SECRET_KEY,
        "encryption key": ENCRYPTION_KEY,
        "tenant ingest token": ingest,
        "survey token": survey_token,
        "sidebar session": session_of(sidebar.text)["Authorization"].removeprefix("Bearer "),
    }
    for record in all_logs.records:
        text = record_text(record)
        for name, secret in needles.items():
            assert secret not in text, f"{name} in a {record.name} log record: {text[:500]}"
