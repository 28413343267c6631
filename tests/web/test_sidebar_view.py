"""The agent's sidebar opens on what matters: the rating (words, scale, comment), the AI's decision and
whether it was overridden, the open review task as a link; the history folds away, newest first, in
words; the override form is open only on tickets the AI touched; messages are written for agents.
Through the real app and the sandbox, then in Debian's chromium at 320 px with axe-core."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from test_overrides import app_token, log_decision, open_sidebar, rsa_key, session_of, settings  # noqa: F401

from feedbackloop.runner.scheduler import Runner
from test_flow import csrf_of, live, path_of, settle, solved_ticket, survey_links  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("FEEDBACKLOOP_TEST_ARTIFACTS") or Path(__file__).parents[2] / "test-artifacts")


def rated_ticket(sandbox: Any, runner: Runner, client: FlaskClient, *, with_ai: bool) -> int:
    """Solved, surveyed and rated 2 ("It took too long" + a comment); a review task opened."""
    ticket_id = solved_ticket(sandbox)
    if with_ai:
        log_decision(client, ticket_id, intent="refund_status", confidence=0.82, action="reply_with_tracking")
    settle(sandbox, runner)
    link = survey_links(sandbox, ticket_id)[2]
    page = client.get(path_of(link)).get_data(as_text=True)
    client.post(path_of(link).split("?")[0], data={"csrf_token": csrf_of(page), "score": "2", "reason": "too_slow",
                                                    "comment": "Two weeks for a refund <b>is</b> too long"})
    settle(sandbox, runner)
    return ticket_id


def test_the_sidebar_summary_is_in_words(live: Any, sandbox: Any, runner: Runner, client: FlaskClient,
                                        rsa_key: Any) -> None:  # noqa: F811
    ticket_id = rated_ticket(sandbox, runner, client, with_ai=True)
    headers = session_of(open_sidebar(client, app_token(rsa_key))[1])
    body = client.get(f"/zendesk/sidebar/api/tickets/{ticket_id}", headers=headers).get_json()
    summary = body["summary"]
    assert summary["rating"]["words"] == "Poor (2 of 5)" and summary["rating"]["reason"] == "It took too long"
    assert summary["rating"]["comment"] == "Two weeks for a refund <b>is</b> too long"
    assert summary["ai"]["intent"] == "refund status" and summary["ai"]["confidence"] == "82%"
    assert summary["ai"]["overridden"] is False and summary["touched_by_ai"] is True
    task = summary["review_task"]
    assert task["ticket_id"] and task["url"].endswith(f"/agent/tickets/{task['ticket_id']}")
    assert task["reasons"] == ["a low rating"]
    texts = [line["text"] for line in body["history"]]
    moments = [line["at"] for line in body["history"]]
    assert moments == sorted(moments, reverse=True)  # newest first
    assert any(t.startswith("Customer rated Poor (2 of 5) — It took too long") for t in texts)
    assert not any("csat" in t or "too_slow" in t for t in texts)  # words, not codes
    assert body["timeline"]  # the records stay for the API's users

    answer = client.post(f"/zendesk/sidebar/api/tickets/{ticket_id}/overrides", headers=headers,
                         json={"final_action": "Refunded by hand"})
    message = answer.get_json()["message"]
    assert answer.status_code == 201 and "ai_decision" not in message and "policy clause" in message
    after = client.get(f"/zendesk/sidebar/api/tickets/{ticket_id}", headers=headers).get_json()["summary"]
    assert after["ai"]["overridden"] is True and after["ai"]["override"]["final_action"] == "Refunded by hand"


def test_a_ticket_the_ai_never_touched_keeps_the_form_closed(live: Any, sandbox: Any, runner: Runner,
                                                             client: FlaskClient, rsa_key: Any) -> None:  # noqa: F811
    ticket_id = rated_ticket(sandbox, runner, client, with_ai=False)
    headers = session_of(open_sidebar(client, app_token(rsa_key))[1])
    summary = client.get(f"/zendesk/sidebar/api/tickets/{ticket_id}", headers=headers).get_json()["summary"]
    assert summary["ai"] is None and summary["touched_by_ai"] is False


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not at /usr/bin/chromium")
@pytest.mark.parametrize("with_ai", [True, False], ids=["ai-ticket", "human-ticket"])
def test_the_sidebar_in_a_browser_at_320_px(live: Any, sandbox: Any, runner: Runner, client: FlaskClient,
                                            rsa_key: Any, with_ai: bool) -> None:  # noqa: F811
    sync_api = pytest.importorskip("playwright.sync_api")
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    ticket_id = rated_ticket(sandbox, runner, client, with_ai=with_ai)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        context = browser.new_context(viewport={"width": 320, "height": 700}, bypass_csp=True, timezone_id="Europe/Berlin")
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        tab.route("https://static.zdassets.com/**", lambda route: route.abort())  # no Zendesk here: no ZAF SDK
        tab.goto(f"{live.url}/healthz")
        tab.evaluate("""([url, token]) => { const form = document.createElement('form'); form.method = 'post';
            form.action = url; const field = document.createElement('input'); field.name = 'token'; field.value = token;
            form.appendChild(field); document.body.appendChild(form); form.submit(); }""",
                     [f"/zendesk/sidebar?ticket_id={ticket_id}", app_token(rsa_key)])
        tab.wait_for_selector("#rating .card")
        rating = tab.locator("#rating").inner_text()
        assert "Poor (2 of 5)" in rating and "It took too long" in rating and "<b>is</b>" in rating
        assert tab.locator("#history-box").get_attribute("open") is None  # the raw history folds away
        assert (tab.locator("#override-box").get_attribute("open") is not None) is with_ai
        if with_ai:
            assert "Not overridden" in tab.locator("#ai").inner_text()
        assert tab.locator("#task a").is_visible()
        assert "+" not in tab.locator("#rating .when").inner_text()  # a local time, not ISO
        assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        violations = [v["id"] for v in axe.Axe().run(tab).response["violations"] if v["impact"] in ("serious", "critical")]
        assert violations == []
        tab.click("#history-box summary")
        assert tab.locator("#history li").count() >= 3
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"sidebar-320-{'ai' if with_ai else 'human'}.png"), full_page=True)
        context.close()
        browser.close()
