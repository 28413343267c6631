"""The customer's survey in a real browser: Playwright driving Debian's chromium against the app on a
loopback port, the survey sent through the sandbox like any other.

As a customer would, on a phone (375 px) and a desktop, in English and German: the email's scale
(rendered as the mail client would show the comment's HTML) has taps of at least 44 px and fits a
320 px phone; the page's rating is a tap, changing it keeps the comment and swaps the reasons, Send
leads to the thank-you state; axe-core finds no serious or critical violation on any state (nor on
the error page). Screenshots go to test-artifacts/ (or $FEEDBACKLOOP_TEST_ARTIFACTS).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from feedbackloop.runner.scheduler import Runner
from feedbackloop.store.models import Rating, Survey
from test_flow import live, rows, settle, solved_ticket, survey_links  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("FEEDBACKLOOP_TEST_ARTIFACTS") or Path(__file__).parents[2] / "test-artifacts")
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
#: The smallest touch target we accept (WCAG 2.5.5, Apple and Google guidelines).
MIN_TAP = 44

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="axe-playwright-python is not installed (pip install -e '.[dev]')")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not at /usr/bin/chromium (apt-get install -y chromium); browser test skipped",
)


@pytest.fixture
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        running = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield running
        running.close()


def open_tab(browser: Any, viewport: dict[str, int], language: str) -> Any:
    # bypass_csp: axe-core is injected by the test; the page itself allows no script
    context = browser.new_context(viewport=viewport, locale=language, bypass_csp=True,
                                  has_touch=viewport is PHONE, is_mobile=viewport is PHONE)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return tab


def serious_violations(tab: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    results = axe_module.Axe().run(tab)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def shot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"survey-{name}.png"), full_page=True)


def no_sideways_scroll(tab: Any) -> bool:
    return bool(tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def smallest_box(tab: Any, selector: str) -> tuple[float, float]:
    boxes = [tab.locator(selector).nth(i).bounding_box() for i in range(tab.locator(selector).count())]
    assert boxes, selector
    return min(b["width"] for b in boxes), min(b["height"] for b in boxes)


def surveyed(sandbox: Any, runner: Runner, locale: str) -> tuple[int, dict[int, str]]:
    ticket_id = solved_ticket(sandbox)
    sandbox.simulate_user_locale(int(sandbox.ticket(ticket_id)["requester_id"]), locale)
    settle(sandbox, runner)
    return ticket_id, survey_links(sandbox, ticket_id)


def on_server(live: Any, link: str) -> str:
    parts = urlsplit(link)
    return f"{live.url}{parts.path}" + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("language, words", [
    ("en", {"send": "Send", "thanks": "Thank you for your feedback!", "bad": "What could we have done better?",
            "best": "Excellent (5 of 5)"}),
    ("de", {"send": "Senden", "thanks": "Vielen Dank für Ihr Feedback!", "bad": "Was hätten wir besser machen können?",
            "best": "Sehr gut (5 von 5)"}),
])
@pytest.mark.parametrize("device", ["mobile", "desktop"])
def test_the_survey_as_a_customer_sees_it(live: Any, sandbox: Any, runner: Runner, engine: Engine, browser: Any,
                                          language: str, words: dict[str, str], device: str) -> None:
    viewport = PHONE if device == "mobile" else DESKTOP
    ticket_id, links = surveyed(sandbox, runner, "de-DE" if language == "de" else "en-US")
    tab = open_tab(browser, viewport, "en-US")  # the requester's language wins over the browser's

    # the email: the comment's HTML as a mail client shows it, on a 320 px phone
    (comment,) = [c for c in sandbox.ticket_comments(ticket_id) if "/s/" in (c.get("body") or "")]
    tab.set_viewport_size({"width": 320, "height": 480})
    tab.set_content(f'<!doctype html><html lang="{language}"><head><meta name="viewport" '
                    f'content="width=device-width"><title>mail</title></head><body style="margin:8px">'
                    f'<main>{comment["html_body"]}</main></body></html>')
    width, height = smallest_box(tab, "a[href*='?score=']")
    assert width >= MIN_TAP and height >= MIN_TAP, (width, height)
    assert tab.locator("a[href$='/t']").is_hidden()  # the trap stays hidden from people
    assert no_sideways_scroll(tab)
    assert serious_violations(tab) == []
    if device == "mobile":
        shot(tab, f"email-{language}-320")
    tab.set_viewport_size(viewport)

    # a tap on "Poor" in the email opens the page with Poor chosen (and counted: settle is 0 here)
    tab.goto(on_server(live, links[2]))
    assert tab.locator("html").get_attribute("lang") == language
    assert tab.locator("#score-2").is_checked()
    assert tab.locator(".reasons-bad").is_visible() and tab.locator(".reasons-good").is_hidden()
    assert tab.get_by_role("status").is_visible()
    width, height = smallest_box(tab, ".scale label:visible")
    assert width >= MIN_TAP and height >= MIN_TAP, (width, height)
    assert smallest_box(tab, ".choices label:visible")[1] >= MIN_TAP
    assert no_sideways_scroll(tab)
    assert serious_violations(tab) == []
    shot(tab, f"page-{language}-{device}")

    # a comment, then a change of mind: the comment stays, the reasons follow the score
    tab.fill("#comment", "Danke, alles gut" if language == "de" else "All sorted, thanks")
    tab.click("label[for=reason-unclear]")
    tab.click("label[for=score-5]")
    assert tab.locator("#score-5").is_checked() and tab.locator("#comment").input_value()
    assert tab.locator(".reasons-good").is_visible() and tab.locator(".reasons-bad").is_hidden()
    tab.click("label[for=reason-fast]")
    assert tab.get_by_role("radio", name=words["best"], exact=True).is_checked()  # its name, as announced
    assert tab.get_by_role("group", name=words["bad"][:-1]).is_hidden()
    tab.get_by_role("button", name=words["send"]).click()
    tab.wait_for_selector("[data-testid=saved]")
    assert tab.get_by_role("heading", level=1).inner_text() == words["thanks"]
    assert serious_violations(tab) == []
    shot(tab, f"thanks-{language}-{device}")
    (rating,) = rows(engine, Rating)
    assert (rating.score, rating.reason) == (5, "fast") and rating.comment

    # "Change your answer" brings the form back, as recorded
    tab.click("[data-testid=change]")
    assert tab.locator("#score-5").is_checked() and tab.locator("#reason-fast").is_checked()
    assert tab.locator("#comment").input_value() == rating.comment


def test_the_error_page_in_a_browser(live: Any, sandbox: Any, runner: Runner, engine: Engine, browser: Any) -> None:
    _, links = surveyed(sandbox, runner, "de")
    with Session(engine) as session, session.begin():
        session.execute(update(Survey).values(expires_at=Survey.sent_at))
    tab = open_tab(browser, PHONE, "de-DE")
    response = tab.goto(on_server(live, links[4]))
    assert response is not None and response.status == 410
    assert "abgelaufen" in tab.locator("main").inner_text()
    assert serious_violations(tab) == []
    shot(tab, "expired-de-mobile")


@pytest.mark.parametrize("style", ["emoji", "stars", "numbers"])
def test_the_email_scale_fits_a_320_px_phone_in_every_language(browser: Any, style: str) -> None:
    from feedbackloop.core.i18n import LOCALES
    from feedbackloop.core.settings import Settings
    from feedbackloop.loop.survey import build_survey_comment

    settings = Settings(secret_key="k" * 32, public_url="https://feedback.example.com",
                        extra={"FEEDBACKLOOP_SURVEY_STYLE": style})
    tab = open_tab(browser, {"width": 320, "height": 480}, "en-US")
    for locale in LOCALES:
        _, rich = build_survey_comment(settings, "T0KEN.abc", "five", locale=locale, subject="Where is my refund?")
        tab.set_content(f'<!doctype html><html><head><meta name="viewport" content="width=device-width">'
                        f'<title>mail</title></head><body style="margin:8px">{rich}</body></html>')
        assert no_sideways_scroll(tab), locale
        width, height = smallest_box(tab, "a[href*='?score=']")
        assert width >= MIN_TAP and height >= MIN_TAP, (locale, width, height)
        # a one-word label stays on one line (14 px): no "Excellen|t"
        heights = tab.locator("a[href*='?score='] span:last-child").evaluate_all(
            "spans => spans.filter(s => !s.textContent.includes(' ')).map(s => s.getBoundingClientRect().height)")
        assert all(h <= 15 for h in heights), (locale, heights)
