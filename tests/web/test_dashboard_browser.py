"""/dashboard in a real browser: Playwright driving Debian's chromium against the app on a loopback port.

Asserts on what a person sees: the login form, the chart's line and interval band, the segment
table sorted by a click, drill-down from a chart point and a table row, a hostile comment shown
as text (and no dialog opened), and no sideways scrolling on a 375 px phone. Screenshots go to
test-artifacts/ (or $FEEDBACKLOOP_TEST_ARTIFACTS).
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from feedbackloop.runtime import ServerThread, serve_in_thread
from feedbackloop.store.db import make_session_factory, session_scope, utcnow
from feedbackloop.wiring.services import Services
from insight_factories import HOSTILE, rated

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("FEEDBACKLOOP_TEST_ARTIFACTS") or Path(__file__).parents[2] / "test-artifacts")

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not at /usr/bin/chromium (apt-get install -y chromium); browser test skipped",
)


@pytest.fixture
def seeded(engine: Engine) -> None:
    """Five weeks of ratings across intents and channels, like the demo leaves behind, plus a hostile comment."""
    rng = random.Random(11)
    now = utcnow()
    happiness = {"billing": 0.85, "shipping": 0.6, "returns": 0.7, "technical": 0.45}
    with session_scope(make_session_factory(engine)) as db:
        for ticket in range(1, 401):
            intent = rng.choice(list(happiness))
            score = rng.choice((4, 5)) if rng.random() < happiness[intent] else rng.choice((1, 2, 3))
            rated(db, ticket, score, now - timedelta(minutes=rng.randrange(1, 35 * 24 * 60)), intent=intent,
                  channel=rng.choice(("email", "chat", "web")), resolver=rng.choice(("ai", "human")),
                  prompt_version="v1" if ticket % 2 else "v2")
        rated(db, 4242, 1, now - timedelta(minutes=5), intent="billing", channel="email", resolver="ai",
              reason="not_resolved", comment=HOSTILE)


@pytest.fixture
def server(services: Services, seeded: None) -> Iterator[ServerThread]:
    running = serve_in_thread(services, "127.0.0.1", 0)
    yield running
    running.shutdown()


@pytest.fixture
def page(server: ServerThread) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        tab.dialogs = []  # type: ignore[attr-defined]
        tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
        yield tab
        context.close()
        browser.close()


def shot(page: Any, engine: Engine, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{engine.dialect.name}-{name}.png"), full_page=True)


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/dashboard/")
    assert "/dashboard/login" in page.url
    page.fill("#token", "admin-token")
    page.click("#login button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_the_dashboard_in_a_real_browser(page: Any, server: ServerThread, engine: Engine) -> None:
    base = server.url
    log_in(page, base)

    chart = page.locator('svg[data-chart="csat"]')
    assert chart.is_visible()
    assert chart.locator("polyline.line").count() >= 1 and chart.locator("polygon.band").count() >= 1
    assert chart.locator("a.point circle").count() >= 5  # one per day with ratings
    rows = page.locator("#segment-table tbody tr")
    assert rows.count() == 4
    assert page.locator("#lowest").inner_text().count(HOSTILE) == 1  # shown as text …
    assert page.dialogs == []  # … and never run
    shot(page, engine, "desktop")

    page.click('#segment-table a[data-sort="n"]')
    page.wait_for_url("**sort=n**")
    sizes = [int(n) for n in page.locator("#segment-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.n)")]
    assert sizes == sorted(sizes, reverse=True)
    page.click('#segment-table a[data-sort="n"]')
    page.wait_for_url("**dir=asc**")
    sizes = [int(n) for n in page.locator("#segment-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.n)")]
    assert sizes == sorted(sizes)

    page.locator('svg[data-chart="csat"] a.point').last.click()
    page.wait_for_url("**/dashboard/tickets?**")
    assert page.locator("#drill-table tbody tr[data-ticket]").count() >= 1

    page.goto(f"{base}/dashboard/?by=intent")
    segment = page.locator("#segment-table tbody tr td a").first
    name = segment.inner_text()
    segment.click()
    page.wait_for_url("**/dashboard/tickets?**")
    assert f"intent={name}" in page.locator("main").inner_text()
    listed = page.locator("#drill-table tbody tr[data-ticket]").count()
    assert listed >= 10
    page.locator("#drill-table a", has_text="timeline").first.click()
    page.wait_for_url("**/dashboard/tickets/*")
    assert page.locator("#timeline tbody tr").count() >= 1

    page.goto(f"{base}/dashboard/")  # the decision log's prompt version is a segment like any other
    page.select_option('select[name="by"]', "prompt_version")
    page.click('form.filters button[type="submit"]')
    page.wait_for_url("**by=prompt_version**")
    versions = page.locator("#segment-table tbody tr td a").all_inner_texts()
    assert sorted(versions) == ["(none)", "v1", "v2"]  # the hostile rating has no decision
    assert page.locator('select[name="by"] option[value="model"]').count() == 1

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/dashboard/")
    assert no_sideways_scroll(page), "the dashboard scrolls sideways at 375 px"
    assert chart.is_visible()
    shot(page, engine, "phone")
    page.goto(f"{base}/dashboard/tickets?since=30d&band=bad")
    assert no_sideways_scroll(page), "the drill-down scrolls sideways at 375 px"

    page.click("#logout button")
    page.wait_for_url("**/dashboard/login?logged_out=1")
    page.goto(f"{base}/dashboard/")
    assert "/dashboard/login" in page.url
    assert page.dialogs == []
