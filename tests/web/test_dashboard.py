"""/dashboard through the Flask test client: login, logout, CSRF, sorting, drill-down, escaping."""

from __future__ import annotations

import re
import sqlite3
import time
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from feedbackloop.app import create_app
from feedbackloop.store.db import make_session_factory, session_scope, utcnow
from feedbackloop.store.models import DropAlert, Job, ReviewTask, TicketState
from feedbackloop.wiring.services import Services, build_services
from insight_factories import HOSTILE, rated, signalled

TOKEN = "admin-token"
HOSTILE_INTENT = '"><img src=x onerror=alert(2)>'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


class Admin:
    """Logs the test client in and out the way a person does: through the forms."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, token: str = TOKEN, next_path: str = "/dashboard/") -> Any:
        page = self.client.get("/dashboard/login")
        return self.client.post("/dashboard/login", data={"csrf_token": csrf_of(page.text), "token": token,
                                                          "next": next_path})

    def csrf(self) -> str:
        return csrf_of(self.client.get("/dashboard/").text)


@pytest.fixture
def admin(client: FlaskClient) -> Admin:
    return Admin(client)


@pytest.fixture
def seeded(engine: Engine) -> None:
    """Three weeks of ratings, one hostile comment, hostile intent name, a drop, a review task."""
    now = utcnow()
    with session_scope(make_session_factory(engine)) as db:
        for index in range(60):
            at = now - timedelta(hours=6 * index + 1)
            intent = ("billing", "shipping", "returns")[index % 3]
            rated(db, 100 + index, (5, 4, 1, 5, 2)[index % 5], at, intent=intent, channel="email",
                  resolver="ai" if index % 2 else "human", assignee_id=7, reason="too_slow" if index == 2 else None,
                  comment=HOSTILE if index == 2 else None)
        for index in range(6):  # shipping does worse
            rated(db, 300 + index, 1, now - timedelta(hours=5 * index + 3), intent="shipping", resolver="human")
        rated(db, 999, 1, now - timedelta(hours=2), intent=HOSTILE_INTENT, comment="plain")
        db.add(TicketState(tenant_id="default", ticket_id=102, subject="<b>subject</b>", tags=[], final=False,
                           is_review_task=False, created_at=now, updated_at=now))
        db.add(ReviewTask(tenant_id="default", source_ticket_id=102, generation=1, task_ticket_id=5001, state="open",
                          reasons=["rating"], created_at=now, updated_at=now))
        db.add(DropAlert(tenant_id="default", dedupe_key="k", segment={"intent": "shipping"}, label="intent=shipping",
                         period="week", period_start=now - timedelta(days=2), baseline_start=now - timedelta(days=30),
                         current_k=10, current_n=40, baseline_k=150, baseline_n=200, p_value=1e-5, q_value=3e-5,
                         tested=3, state="open", task_ticket_id=5002, created_at=now, updated_at=now))


# --- login, logout, sessions -------------------------------------------------------------------------


def test_pages_need_a_login_and_send_you_back_after_it(client: FlaskClient, admin: Admin) -> None:
    response = client.get("/dashboard/?by=channel")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/login?next=/dashboard/?by%3Dchannel"
    done = admin.login(next_path="/dashboard/?by=channel")
    assert done.status_code == 302 and done.headers["Location"] == "/dashboard/?by=channel"
    assert client.get("/dashboard/?by=channel").status_code == 200


def test_a_wrong_token_is_refused_and_logs_nobody_in(client: FlaskClient, admin: Admin) -> None:
    response = admin.login(token="guess")
    assert response.status_code == 401 and "That is not the admin token." in response.text
    assert client.get("/dashboard/").status_code == 302


def test_the_session_cookie_is_signed_http_only_and_same_site(client: FlaskClient, admin: Admin) -> None:
    response = admin.login()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert TOKEN not in cookie  # a keyed fingerprint, never the token
    jar = client.get_cookie("session")
    assert jar is not None
    flipped = "A" if jar.value[-2] != "A" else "B"  # one signature character changed
    client.set_cookie("session", jar.value[:-2] + flipped + jar.value[-1])
    assert client.get("/dashboard/").status_code == 302  # a tampered cookie is no login


def test_login_and_every_post_need_the_sessions_csrf_token(client: FlaskClient, admin: Admin) -> None:
    client.get("/dashboard/login")
    refused = client.post("/dashboard/login", data={"token": TOKEN, "csrf_token": "forged"})
    assert refused.status_code == 400 and "Form expired" in refused.text
    admin.login()
    assert client.post("/dashboard/logout").status_code == 400
    assert client.post("/dashboard/drops/check", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/dashboard/").status_code == 200  # still logged in


def test_logout_ends_the_session(client: FlaskClient, admin: Admin) -> None:
    admin.login()
    response = client.post("/dashboard/logout", data={"csrf_token": admin.csrf()})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/login?logged_out=1"
    assert client.get("/dashboard/").status_code == 302


def test_login_never_redirects_off_the_dashboard(admin: Admin) -> None:
    for target in ("https://evil.example/", "//evil.example/dashboard", "/api/v1/decisions"):
        assert admin.login(next_path=target).headers["Location"] == "/dashboard/"


def test_rotating_the_admin_token_logs_every_session_out(engine: Engine, services: Services, client: FlaskClient,
                                                         admin: Admin) -> None:
    admin.login()
    rotated = create_app(services=build_services(services.settings.with_(admin_token="new-token"), engine=engine))
    other = rotated.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    other.set_cookie("session", cookie.value)
    assert other.get("/dashboard/").status_code == 302


def test_without_an_admin_token_the_dashboard_is_off(engine: Engine, services: Services) -> None:
    app = create_app(services=build_services(services.settings.with_(admin_token=None), engine=engine))
    response = app.test_client().get("/dashboard/login")
    assert response.status_code == 404 and "FEEDBACKLOOP_ADMIN_TOKEN" in response.text


# --- what the page shows ----------------------------------------------------------------------------


def test_the_page_shows_figures_charts_segments_drops_and_reviews(seeded: None, client: FlaskClient,
                                                                  admin: Admin) -> None:
    admin.login()
    page = client.get("/dashboard/").text
    assert '<svg class="chart"' in page and 'data-chart="csat"' in page and 'class="band"' in page
    assert 'id="segment-table"' in page and ">billing</a>" in page
    assert "intent=shipping" in page and "#5002" in page  # the drop and its task
    assert "ticket #102" in page and "#5001" in page  # an open review task
    assert "http://127.0.0.1:9/agent/tickets/999" in page  # lowest rated, linked to the helpdesk
    assert "/dashboard/tickets/999" in page  # … and to its timeline


def test_pages_render_while_the_receiver_holds_the_sqlite_write_lock(seeded: None, engine: Engine, client: FlaskClient,
                                                                    admin: Admin) -> None:
    """Pages read through `services.reader`: on SQLite a deferred transaction under WAL, which needs
    no lock, so a slow page never holds a webhook up (with BEGIN IMMEDIATE each would wait 30 s)."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL readers take no lock a writer waits for")
    admin.login()
    writer = sqlite3.connect(engine.url.database or "", timeout=0.5, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE ratings SET reason = 'mid-write' WHERE ticket_id = 100")
        started = time.perf_counter()
        for path in ("/dashboard/", "/dashboard/tickets?band=bad", "/dashboard/tickets/102"):
            assert client.get(path).status_code == 200, path
        assert time.perf_counter() - started < 10
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_customer_written_text_is_escaped_everywhere(seeded: None, client: FlaskClient, admin: Admin) -> None:
    admin.login()
    pages = [client.get(path).text for path in (
        "/dashboard/", "/dashboard/?by=intent&sort=segment", "/dashboard/tickets?since=30d&band=bad",
        "/dashboard/tickets/102")]
    for page in pages:
        assert HOSTILE not in page and HOSTILE_INTENT not in page and "<b>subject</b>" not in page
    assert ESCAPED in pages[0] and ESCAPED in pages[2]
    assert "&lt;img src=x onerror=alert(2)&gt;" in pages[1]
    assert "&lt;b&gt;subject&lt;/b&gt;" in pages[2]


def test_pages_are_not_cached_and_run_no_script(seeded: None, client: FlaskClient, admin: Admin) -> None:
    admin.login()
    response = client.get("/dashboard/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src" not in response.headers["Content-Security-Policy"]  # default-src 'none': no script
    assert "<script" not in response.text


def segment_order(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr class="[^"]*" data-n="(\d+)"', page)]


def test_the_segment_table_sorts_on_the_server(seeded: None, client: FlaskClient, admin: Admin) -> None:
    admin.login()
    by_n = segment_order(client.get("/dashboard/?by=intent&sort=n&dir=desc").text)
    assert by_n == sorted(by_n, reverse=True) and len(by_n) == 4
    ascending = segment_order(client.get("/dashboard/?by=intent&sort=n&dir=asc").text)
    assert ascending == sorted(ascending)
    page = client.get("/dashboard/?by=intent&sort=csat&dir=asc").text
    ranked = [float(x) for x in re.findall(r'<tr class="" data-n="\d+" data-csat="([0-9.]+)"', page)]
    assert len(ranked) == 3 and ranked == sorted(ranked) and ranked[0] < ranked[-1]
    assert re.findall(r'<tr class="(\w*)" data-n', page)[-1] == "small"  # n=1: not ranked, last either way
    descending = client.get("/dashboard/?by=intent&sort=csat&dir=desc").text
    assert [float(x) for x in re.findall(r'<tr class="" data-n="\d+" data-csat="([0-9.]+)"', descending)] == \
        sorted(ranked, reverse=True)
    assert 'data-sort="csat">CSAT ▲' in page
    filtered = client.get("/dashboard/?by=channel&resolver=ai").text
    sort_by_n = re.search(r'href="([^"]*)" data-sort="n"', filtered)
    assert sort_by_n and "resolver=ai" in sort_by_n.group(1)  # sorting keeps the filter


def test_drill_down_lists_the_ratings_behind_a_figure(seeded: None, client: FlaskClient, admin: Admin) -> None:
    admin.login()
    page = client.get("/dashboard/?by=intent").text
    link = re.search(r'<td><a href="(/dashboard/tickets\?[^"]*intent=billing[^"]*)">billing</a>', page)
    assert link, "the billing row links to its tickets"
    drill = client.get(link.group(1).replace("&amp;", "&")).text
    tickets = [int(t) for t in re.findall(r'data-ticket="(\d+)"', drill)]
    assert len(tickets) == 20 and all((t - 100) % 3 == 0 for t in tickets)  # billing: every third ticket
    bad = client.get("/dashboard/tickets?since=30d&intent=billing&band=bad").text
    assert "8 ratings. Worst first." in bad  # billing (every third) scored 1 or 2 (index ≡ 2 or 4 mod 5)
    scores = [int(s) for s in re.findall(r'<td class="num">(\d)</td>', bad)]
    assert scores and all(s <= 2 for s in scores)


def test_bad_query_strings_are_a_400_with_the_reason(client: FlaskClient, admin: Admin) -> None:
    admin.login()
    for path, reason in (("/dashboard/?period=year", "period must be one of"),
                         ("/dashboard/tickets?group=abc", "group must be a number"),
                         ("/dashboard/tickets?agent=99999999999999999999", "agent must be a number"),
                         ("/dashboard/?by=colour", "unknown segment"),
                         ("/dashboard/tickets?band=awful", "band must be one of")):
        response = client.get(path)
        assert response.status_code == 400 and reason in response.text, path


def test_checking_for_drops_now_queues_the_job(client: FlaskClient, admin: Admin, services: Services) -> None:
    admin.login()
    response = client.post("/dashboard/drops/check", data={"csrf_token": admin.csrf()})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/?checked=1"
    with session_scope(services.factory) as db:
        assert db.scalars(select(Job.kind).where(Job.kind == "drop_alerts")).all() == ["drop_alerts"]


def test_a_ticket_page_shows_its_timeline_or_404(seeded: None, client: FlaskClient, admin: Admin) -> None:
    admin.login()
    page = client.get("/dashboard/tickets/102").text
    assert 'id="timeline"' in page and "rating" in page and "/api/v1/tickets/102/feedback" in page
    assert client.get("/dashboard/tickets/424242").status_code == 404


def test_the_app_refuses_to_start_with_bad_alert_settings(services: Services) -> None:
    from feedbackloop.core.errors import ConfigError

    with pytest.raises(ConfigError, match="FEEDBACKLOOP_ALERT_PERIOD"):
        create_app(services=build_services(services.settings.with_(extra={"FEEDBACKLOOP_ALERT_PERIOD": "year"}),
                                           engine=services.engine))


def test_app_fixture_is_a_flask_app(app: Flask) -> None:
    assert "dashboard" in app.blueprints


def test_the_admin_can_look_at_another_tenant(engine: Engine, services: Services) -> None:
    from feedbackloop.store.tenants import add_tenant, new_key

    keyed = build_services(services.settings.with_(encryption_key=new_key()), engine=engine)
    client = create_app(services=keyed).test_client()
    admin = Admin(client)
    now = utcnow()
    with session_scope(keyed.factory) as db:
        add_tenant(db, keyed.vault, "acme", subdomain="acme", email="bot@acme.example", api_token="t",
                   webhook_secret="w", api_url=None, overrides={}, now=now)
        rated(db, 31, 1, now - timedelta(hours=1), tenant_id="acme", intent="refunds", comment="acme's own")
        rated(db, 32, 5, now - timedelta(hours=1), intent="billing")
    admin.login()
    page = client.get("/dashboard/?tenant=acme").text
    assert "refunds" in page and ">billing</a>" not in page  # one tenant's ratings only
    assert "https://acme.zendesk.com/agent/tickets/31" in page  # links to that tenant's own Zendesk
    assert "/dashboard/tickets/31?tenant=acme" in page and "tenant=acme" in re.search(
        r'<td><a href="([^"]+)">refunds</a>', page).group(1)
    drill = client.get("/dashboard/tickets?since=1d&tenant=acme").text
    assert "acme&#39;s own" in drill and 'data-ticket="32"' not in drill
    assert client.get("/dashboard/tickets/31?tenant=acme").status_code == 200
    assert client.get("/dashboard/tickets/31").status_code == 404  # not the default tenant's ticket
    assert client.get("/dashboard/?tenant=nobody").status_code == 404


def test_the_segment_table_shows_and_sorts_outcome_rates(seeded: None, engine: Engine, client: FlaskClient,
                                                         admin: Admin) -> None:
    """Reopen, re-contact, override and first-contact rates per segment, with intervals and n."""
    now = utcnow()
    with session_scope(make_session_factory(engine)) as db:
        for ticket in range(100, 106):  # six billing or shipping solves of the seed reopened
            signalled(db, ticket, "reopen", now - timedelta(hours=1), key=f"reopen:{ticket}",
                      intent=("billing", "shipping", "returns")[ticket % 3])
    admin.login()
    page = client.get("/dashboard/?by=intent&sort=reopen&dir=desc").text
    assert 'data-sort="reopen">reopen ▼' in page and 'data-sort="fcr">FCR' in page
    reopen = [float(x) for x in re.findall(r'<tr class="" data-n="\d+" data-csat="[0-9.]*" data-reopen="([0-9.]+)"', page)]
    assert len(reopen) == 3 and reopen == sorted(reopen, reverse=True) and reopen[0] > 0
    assert re.search(r'<td class="num">\d+\.\d% <span class="ci">\[[0-9.]+–[0-9.]+\]</span> <span class="ci">n=\d+', page)


def test_the_mean_is_of_five_point_ratings_and_mixed_segments_are_starred(engine: Engine, client: FlaskClient,
                                                                          admin: Admin) -> None:
    """billing (n = 10, so ranked): 4, 2, 4, 2 of 5, four thumbs up and two down (good/bad, stored as 5
    and 1): the mean is 3.00 over the five-point ratings and starred; over every scale it would be 3.40."""
    now = utcnow()
    scores = [(4, "five"), (2, "five"), (4, "five"), (2, "five"), *[(5, "thumbs")] * 4, *[(1, "thumbs")] * 2]
    with session_scope(make_session_factory(engine)) as db:
        for ticket, (score, scale) in enumerate(scores, start=1):
            rated(db, ticket, score, now - timedelta(hours=ticket), intent="billing", scale=scale)
    admin.login()
    page = client.get("/dashboard/?by=intent").text
    assert "of 4 five-point; 6 good/bad not in it" in page  # the headline tile (every scale: 3.40)
    billing = page[page.index(">billing</a>"):]
    billing = billing[:billing.index("</tr>")]
    assert "3.00<span" in billing and "6 good/bad ratings not in it" in billing and "3.40" not in billing
    assert 'id="term-mean"' in page
