"""The admin's dashboard as an admin reads it: filters that reach every figure (or a note where they do
not), explanations of each statistical term, reasons in words, the review list's total and its
Zendesk view, CSV downloads of every table and the drill-down (formula-safe), a custom date range,
the ticket page in words; and in chromium, the charts without nested-interactive content, with a data
table, and no serious or critical axe violation on a desktop and a phone."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine
from test_dashboard import Admin, admin  # noqa: F401

from feedbackloop.runtime import ServerThread, serve_in_thread
from feedbackloop.store.db import make_session_factory, session_scope, utcnow
from feedbackloop.store.models import InstalledResource, ReviewTask
from feedbackloop.wiring.services import Services
from insight_factories import rated, signalled

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("FEEDBACKLOOP_TEST_ARTIFACTS") or Path(__file__).parents[2] / "test-artifacts")
FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def seeded(engine: Engine) -> None:
    """Billing: 10 ratings, 5 of them reopened; shipping: 10 ratings, none reopened. A formula comment."""
    now = utcnow()
    with session_scope(make_session_factory(engine)) as db:
        for n in range(20):
            intent = "billing" if n < 10 else "shipping"
            at = now - timedelta(days=2, minutes=n)
            rated(db, 100 + n, 1 if n % 2 else 5, at, intent=intent, reason="too_slow" if n % 2 else "fast",
                  comment=FORMULA if n == 1 else None, resolver="ai" if n % 3 else "human")
            if intent == "billing" and n % 2:
                signalled(db, 100 + n, "reopen", at + timedelta(hours=1), intent=intent)
        for n in range(25):
            db.add(ReviewTask(tenant_id="default", source_ticket_id=500 + n, task_ticket_id=900 + n, state="open",
                              reasons=["rating"], created_at=now - timedelta(hours=n), updated_at=now))
        db.add(InstalledResource(tenant_id="default", kind="view", name="reviews", remote_id="360099", checksum="x",
                                 created_at=now, updated_at=now))


def tile(page: str, label: str) -> str:
    match = re.search(re.escape(label) + r'</a>[^<]*</div>\s*<div class="value">(?:<a [^>]*>)?([^<]+)<', page)
    assert match, f"no tile {label}"
    return match.group(1)


def test_the_outcome_tiles_follow_the_filter(seeded: None, client: FlaskClient, admin: Admin) -> None:  # noqa: F811
    admin.login()
    whole = client.get("/dashboard/?since=30d").text
    billing = client.get("/dashboard/?since=30d&intent=billing").text
    assert tile(whole, "Reopen rate") == "25.0%" and tile(billing, "Reopen rate") == "50.0%"
    assert 'id="filter-scope"' in billing and 'id="filter-scope"' not in whole
    assert "the filter above does not apply" in billing  # the drops and the review list say so


def test_every_term_is_explained_and_reasons_are_words(seeded: None, client: FlaskClient, admin: Admin) -> None:  # noqa: F811
    admin.login()
    page = client.get("/dashboard/?since=30d").text
    for anchor in ("csat", "n", "interval", "delta", "response", "reopen", "recontact", "fcr", "override", "mh", "q"):
        assert f'id="term-{anchor}"' in page and f'href="#term-{anchor}"' in page, anchor
    assert "It took too long" in page and ">too_slow<" not in page
    assert re.search(r'id="reviews-total">25 open, the 20 newest shown', page)
    assert 'href="http://127.0.0.1:9/agent/filters/360099"' in page  # the Zendesk view of review tasks
    drill = client.get("/dashboard/tickets?since=30d&band=bad").text
    assert "It took too long" in drill and ">too_slow<" not in drill


def test_every_table_downloads_as_csv(seeded: None, client: FlaskClient, admin: Admin) -> None:  # noqa: F811
    admin.login()
    for table in ("segments", "trend", "ai", "reviews", "tickets"):
        answer = client.get(f"/dashboard/export/{table}.csv?since=30d&by=intent")
        assert answer.status_code == 200 and answer.mimetype == "text/csv", table
        assert "attachment" in answer.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(answer.text)))
        assert len(rows) > 1, table
    tickets = list(csv.DictReader(io.StringIO(client.get("/dashboard/export/tickets.csv?since=30d&intent=billing").text)))
    assert len(tickets) == 10 and {row["reason_words"] for row in tickets} == {"It took too long", "Quick answer"}
    assert [row["comment"] for row in tickets if row["comment"]] == ["'" + FORMULA]  # no formula runs
    assert len(list(csv.reader(io.StringIO(client.get("/dashboard/export/reviews.csv?since=30d").text)))) == 26
    assert client.get("/dashboard/export/nothing.csv").status_code == 404
    assert client.get("/dashboard/export/tickets.csv?since=yesterday-ish").status_code == 400
    assert 'href="/dashboard/export/tickets.csv?' in client.get("/dashboard/tickets?since=30d").text


def test_a_custom_date_range(seeded: None, client: FlaskClient, admin: Admin) -> None:  # noqa: F811
    admin.login()
    start = (utcnow() - timedelta(days=5)).date().isoformat()
    end = utcnow().date().isoformat()
    answer = client.get(f"/dashboard/?since=30d&from={start}&to={end}&by=intent")
    assert answer.status_code == 302 and f"since={start}" in answer.location and f"until={end}" in answer.location
    page = client.get(answer.location).text
    assert f'name="from" value="{start}"' in page and f'name="to" value="{end}"' in page
    assert tile(page, "CSAT") == "50.0%"


def test_the_ticket_page_is_in_words(seeded: None, client: FlaskClient, admin: Admin) -> None:  # noqa: F811
    admin.login()
    page = client.get("/dashboard/tickets/101").text
    assert "Customer rated Very poor (1 of 5) — It took too long" in page
    assert "{'" not in page and "None" not in page  # no Python reprs


@pytest.fixture
def server(services: Services, seeded: None) -> Iterator[ServerThread]:
    running = serve_in_thread(services, "127.0.0.1", 0)
    yield running
    running.shutdown()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not at /usr/bin/chromium")
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}],
                         ids=["desktop", "phone"])
def test_the_dashboard_passes_axe_on_a_desktop_and_a_phone(server: ServerThread, viewport: dict[str, int]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        tab.goto(f"{server.url}/dashboard/login")
        tab.fill("#token", "admin-token")
        tab.click("#login button[type=submit]")
        tab.wait_for_url(f"{server.url}/dashboard/")
        found = {}
        for path in ("/dashboard/?since=30d", "/dashboard/tickets?since=30d", "/dashboard/tickets/101"):
            tab.goto(server.url + path)
            found[path] = [f"{v['id']}: {[n['target'] for n in v['nodes']][:2]}"
                           for v in axe.Axe().run(tab).response["violations"] if v["impact"] in ("serious", "critical")]
        assert found == {path: [] for path in found}
        tab.goto(server.url + "/dashboard/?since=30d")
        assert tab.locator("svg.chart[role=img]").count() == 0
        tab.locator("#trend details.data-table summary").click()
        assert tab.locator("#trend details.data-table tbody tr").count() >= 1
        if viewport["width"] < 500:  # the chart's axis text stays readable: the chart scrolls instead of shrinking
            box = tab.locator('svg[data-chart="csat"]').bounding_box()
            assert box is not None and box["width"] >= 500
            assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"dashboard-look-{'phone' if viewport['width'] < 500 else 'desktop'}.png"),
                       full_page=True)
        context.close()
        browser.close()


def test_agents_are_shown_by_name_looked_up_once(sandbox: Any, engine: Engine, client: FlaskClient,
                                                 admin: Admin) -> None:  # noqa: F811
    from feedbackloop.web import agent_names

    agent_names.forget()
    dana = int(sandbox.create_user({"user": {"name": "Dana Agent", "email": "dana@acme.example",
                                              "role": "agent"}})["user"]["id"])
    with session_scope(make_session_factory(engine)) as db:
        for n in range(3):
            rated(db, 700 + n, 2, utcnow() - timedelta(hours=n + 1), intent="billing", assignee_id=dana)
        rated(db, 710, 2, utcnow() - timedelta(hours=5), intent="billing", assignee_id=424242)  # gone from Zendesk
    admin.login()
    drill = client.get("/dashboard/tickets?since=30d").text
    assert "Dana Agent" in drill and "#424242" in drill
    segments = client.get("/dashboard/?since=30d&by=agent").text
    assert "Dana Agent" in segments
    client.get("/dashboard/tickets?since=30d")
    assert len(sandbox.api_calls("GET", f"users/{dana}")) == 1  # cached: one lookup for every page since
    rows = list(csv.DictReader(io.StringIO(client.get("/dashboard/export/tickets.csv?since=30d").text)))
    assert {row["agent"] for row in rows} == {"Dana Agent", "#424242"}
    agent_names.forget()


def test_the_page_title_is_a_title(client: FlaskClient, admin: Admin) -> None:  # noqa: F811
    """The <title> holds words, not the page's markup (a template block once swallowed the glossary)."""
    admin.login()
    page = client.get("/dashboard/").get_data(as_text=True)
    (title,) = re.findall(r"<title>(.*?)</title>", page, re.S)
    assert "<" not in title and "glossary" not in title and len(title) < 120
    assert page.count('id="glossary"') == 1
