"""Overrides (sidebar, macro + tag, automatic), implicit signals, review verdicts — end to end
through the sandbox (webhooks over HTTP, zenpy for the API) and the real app."""

from __future__ import annotations

import re
import sqlite3
import time
from datetime import datetime, timezone
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from sqlalchemy import Engine
from test_decisions import ADMIN, decision

from feedbackloop.core.settings import Settings
from feedbackloop.loop.overrides import parse_note, similarity
from feedbackloop.runner.scheduler import Runner
from feedbackloop.store.models import AiDecision, Override, ReviewTask, Signal
from test_flow import live, path_of, rows, settle, solved_ticket, survey_links  # noqa: F401

AUDIENCE = "https://sandbox.zendesk.com/api/v2/apps/installations/360001.json"
ISSUER = "sandbox.zendesk.com"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.fixture
def bot(sandbox: Any) -> int:
    """The AI agent's own Zendesk user."""
    user: dict[str, Any] = sandbox.create_user({"user": {"name": "Support Bot", "email": "bot@acme.example",
                                                         "role": "agent"}})["user"]
    return int(user["id"])


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest, rsa_key: rsa.RSAPrivateKey) -> Settings:
    changes = {"app_public_key": public_pem(rsa_key), "app_audience": AUDIENCE, "recontact_window": 7 * 86400,
               **getattr(request, "param", {})}
    return settings.with_(**changes)


def app_token(key: Any, *, algorithm: str = "RS256", **claims: Any) -> str:
    now = int(time.time())
    body = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 300,
            "sub": f"https://{ISSUER}/api/v2/users/9001.json",  # the agent, as Zendesk names it
            "context": {"product": "support", "location": "ticket_sidebar"}, **claims}
    return jwt.encode(body, key, algorithm=algorithm)


def hs256_with_public_key(key: Any) -> str:
    """A token HMAC-signed with the public key as the secret (PyJWT itself refuses to make one)."""
    import base64
    import hashlib
    import hmac
    import json

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    now = int(time.time())
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps({"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 300}).encode())
    signature = hmac.new(public_pem(key).encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(signature)}"


def open_sidebar(client: FlaskClient, token: str) -> tuple[int, str]:
    answer = client.post("/zendesk/sidebar?origin=https://sandbox.zendesk.com", data={"token": token})
    return answer.status_code, answer.get_data(as_text=True)


def session_of(page: str) -> dict[str, str]:
    match = re.search(r'data-session="([^"]+)"', page)
    assert match, "no session in the sidebar page"
    return {"Authorization": f"Bearer {match.group(1)}"}


def log_decision(client: FlaskClient, ticket_id: int, **changes: Any) -> None:
    payload = decision(ticket_id=ticket_id, created_at=datetime.now(timezone.utc).isoformat(), **changes)
    answer = client.post("/api/v1/decisions", json=payload, headers=ADMIN)
    assert answer.status_code in (200, 201), answer.get_data(as_text=True)


# --- the sidebar (ZAF signed URL → our session) ---------------------------------------------------


def test_sidebar_verifies_the_jwt_then_records_an_override_with_its_triad(
    live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine, rsa_key: Any,
) -> None:
    ticket_id = solved_ticket(sandbox)
    log_decision(client, ticket_id, decision_id="d-1", action="deny_refund", intent="refund_request",
                 confidence=0.71)
    status, page = open_sidebar(client, app_token(rsa_key))
    assert status == 200
    headers = session_of(page)
    answer = client.get(f"/zendesk/sidebar/api/tickets/{ticket_id}", headers=headers)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["prefill"]["ai_decision"].startswith("deny_refund") and body["prefill"]["ai_confidence"] == 0.71
    assert any(e["type"] == "ai_decision" for e in body["timeline"])

    full = {"final_action": "refund approved", "rationale": "charged twice; the AI missed the duplicate",
            "policy_clause": "refund-policy#4.2"}
    answer = client.post(f"/zendesk/sidebar/api/tickets/{ticket_id}/overrides", json=full,
                         headers={**headers, "Idempotency-Key": "form-1"})
    assert answer.status_code == 201 and answer.get_json()["override"]["missing"] == []
    again = client.post(f"/zendesk/sidebar/api/tickets/{ticket_id}/overrides", json=full,
                        headers={**headers, "Idempotency-Key": "form-1"})
    assert again.status_code == 200 and again.get_json()["status"] == "duplicate"
    (override,) = rows(engine, Override)
    assert (override.source, override.kind, override.agent_id) == ("sidebar", "override", 9001)
    assert override.ai_decision.startswith("deny_refund") and override.ai_confidence == 0.71
    assert override.policy_clause == "refund-policy#4.2"
    settle(sandbox, runner)
    assert rows(engine, ReviewTask) == []  # complete: nothing to ask for

    # Missing parts are recorded as missing, and a review task asks for them.
    partial = client.post(f"/zendesk/sidebar/api/tickets/{ticket_id}/overrides",
                          json={"final_action": "sent a replacement"}, headers=headers)
    assert partial.get_json()["override"]["missing"] == ["rationale", "policy_clause"]
    settle(sandbox, runner)
    (review,) = rows(engine, ReviewTask)
    note = sandbox.ticket_comments(review.task_ticket_id)[0]["body"]
    assert "Missing: rationale, policy clause" in note
    assert "What the AI did" in note and "deny_refund" in note and "refund_request" in note


def test_sidebar_page_is_framable_by_zendesk_only_and_escapes(live: Any, client: FlaskClient, rsa_key: Any) -> None:
    answer = client.post("/zendesk/sidebar", data={"token": app_token(rsa_key)})
    csp = answer.headers["Content-Security-Policy"]
    assert "frame-ancestors https://*.zendesk.com" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "innerHTML" not in answer.get_data(as_text=True)


@pytest.mark.parametrize("case", ["expired", "wrong_audience", "wrong_issuer", "hs256_confusion", "other_key",
                                  "missing"])
def test_sidebar_refuses_bad_app_tokens(client: FlaskClient, rsa_key: Any, case: str) -> None:
    now = int(time.time())
    tokens = {
        "expired": lambda: app_token(rsa_key, iat=now - 7200, exp=now - 3600),
        "wrong_audience": lambda: app_token(rsa_key, aud="https://other.zendesk.com/api/v2/apps/installations/1.json"),
        "wrong_issuer": lambda: app_token(rsa_key, iss="evil.zendesk.com"),
        # The classic confusion attack: HMAC-sign with the public key as the secret.
        "hs256_confusion": lambda: hs256_with_public_key(rsa_key),
        "other_key": lambda: app_token(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        "missing": lambda: "",
    }
    status, page = open_sidebar(client, tokens[case]())
    assert status == 401 and "data-session" not in page


def test_sidebar_api_needs_our_session(client: FlaskClient) -> None:
    assert client.get("/zendesk/sidebar/api/tickets/1").status_code == 401
    forged = {"Authorization": "Bearer eyJ0ZW5hbnQiOiJkZWZhdWx0In0.forged.sig"}
    assert client.get("/zendesk/sidebar/api/tickets/1", headers=forged).status_code == 401
    assert client.post("/zendesk/sidebar/api/tickets/1/overrides", json={"final_action": "x"},
                       headers=forged).status_code == 401


def test_the_sidebar_reads_while_the_receiver_holds_the_sqlite_write_lock(client: FlaskClient, engine: Engine,
                                                                         rsa_key: Any) -> None:
    """Every ticket an agent opens asks for its timeline: a read without SQLite's write lock, so it
    neither waits for a webhook being stored nor holds one up."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL readers take no lock a writer waits for")
    headers = session_of(open_sidebar(client, app_token(rsa_key))[1])
    writer = sqlite3.connect(engine.url.database or "", timeout=0.5, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM jobs")
        started = time.perf_counter()
        answer = client.get("/zendesk/sidebar/api/tickets/1", headers=headers)
        assert answer.status_code == 200 and answer.get_json()["timeline"] == []
        assert time.perf_counter() - started < 10
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_sidebar_override_validation_is_a_422_naming_the_field(client: FlaskClient, rsa_key: Any) -> None:
    headers = session_of(open_sidebar(client, app_token(rsa_key))[1])
    bad = client.post("/zendesk/sidebar/api/tickets/5/overrides", json={"final_action": 7}, headers=headers)
    assert bad.status_code == 422 and bad.get_json()["field"] == "final_action"
    empty = client.post("/zendesk/sidebar/api/tickets/5/overrides", json={"policy_clause": "x"}, headers=headers)
    assert empty.status_code == 422
    huge = client.post("/zendesk/sidebar/api/tickets/5/overrides", json={"rationale": "x" * 6000}, headers=headers)
    assert huge.status_code == 422 and huge.get_json()["field"] == "rationale"


# --- the macro and tag ------------------------------------------------------------------------


def test_the_override_tag_records_the_agents_internal_note_as_the_rationale(
    live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine,
) -> None:
    ticket_id = solved_ticket(sandbox)
    log_decision(client, ticket_id, decision_id="d-2", action="close_as_duplicate", confidence=0.55)
    settle(sandbox, runner)
    sandbox.simulate_agent_update(ticket_id, {
        "comment": {"public": False, "body": "Override AI decision\nFinal action: reopened and refunded\n"
                                             "Rationale: not a duplicate, different order number\n"
                                             "Policy clause: returns#2.1"},
        "additional_tags": ["ai_override", "override_reason_wrong_action"],
    })
    settle(sandbox, runner)
    (override,) = [o for o in rows(engine, Override) if o.source == "macro"]
    assert override.final_action == "reopened and refunded"
    assert override.rationale == "not a duplicate, different order number"
    assert override.policy_clause == "returns#2.1"
    assert override.ai_decision.startswith("close_as_duplicate") and override.missing == []
    assert override.details["reason"] == "wrong_action"
    assert len(sandbox.api_calls("GET", f"/tickets/{ticket_id}/comments")) == 1  # one read for the note


def test_reconciliation_recovers_an_override_tag_whose_webhook_was_lost(
    live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine, services: Any, clock: Any,
) -> None:
    """Deliveries failed while the agent applied the override macro: the export shows the tag, and
    the override is recorded once, however the tag change reaches us afterwards."""
    from feedbackloop.jobs import queue as jobs
    from feedbackloop.store.db import session_scope

    ticket_id = solved_ticket(sandbox)
    log_decision(client, ticket_id, decision_id="d-9", action="deny_refund", confidence=0.6)
    settle(sandbox, runner)
    sandbox.configure(export_lag=0)
    sandbox.configure_delivery(drop_share=1.0)
    sandbox.simulate_agent_update(ticket_id, {
        "comment": {"public": False, "body": "Final action: refund\nRationale: item arrived broken"},
        "additional_tags": ["ai_override"],
    })
    settle(sandbox, runner)
    assert [o for o in rows(engine, Override) if o.source == "macro"] == []
    for run in range(2):  # a second reconciliation finds nothing new
        with session_scope(services.factory) as session:
            jobs.enqueue(session, "reconcile", f"reconcile:test:{run}", {}, now=clock.now(), tenant_id="default")
        settle(sandbox, runner)
    (override,) = [o for o in rows(engine, Override) if o.source == "macro"]
    assert override.rationale == "item arrived broken" and override.final_action == "refund"
    sandbox.configure_delivery(drop_share=0.0)
    sandbox.simulate_agent_update(ticket_id, {"additional_tags": ["ai_override"]})  # seen again: no second one
    settle(sandbox, runner)
    assert len([o for o in rows(engine, Override) if o.source == "macro"]) == 1


def test_parse_note_reads_labels_or_takes_prose_as_rationale() -> None:
    labelled = parse_note("Final action: refund\nRationale: charged twice\n  on the same day\nPolicy: p#1")
    assert (labelled.final_action, labelled.rationale, labelled.policy_clause) == (
        "refund", "charged twice on the same day", "p#1")
    prose = parse_note("The bot quoted last year's price list, so I corrected the amount.")
    assert prose.rationale and prose.final_action is None


# --- automatic: edit-to-final, handoff, status reverted, intent changed -----------------------


def test_edit_to_final_stores_draft_final_and_similarity(live: Any, sandbox: Any, runner: Runner,
                                                         client: FlaskClient, engine: Engine) -> None:
    ticket_id: int = sandbox.simulate_customer_ticket(subject="Order", body="Where is my order 1042?",
                                                      email="ana@example.net")
    draft = "Hi Ana, your order 1042 shipped yesterday and should arrive on Friday."
    log_decision(client, ticket_id, decision_id="d-3", step="reply", draft_reply=draft)
    sandbox.simulate_agent_reply(ticket_id, "Hi Ana, your order 1042 is delayed at the depot; "
                                            "we will refund the shipping fee and it arrives Monday.")
    settle(sandbox, runner)
    (override,) = rows(engine, Override)
    assert override.kind == "edit_to_final" and override.source == "automatic"
    assert override.ai_decision == draft and "delayed at the depot" in override.final_action
    assert 0 < override.similarity < 0.98
    signal = [s for s in rows(engine, Signal) if s.type == "edit_to_final"][0]
    assert signal.value == override.similarity

    other: int = sandbox.simulate_customer_ticket(subject="Order", body="Order 7?", email="bo@example.net")
    log_decision(client, other, decision_id="d-4", step="reply", draft_reply="Your order 7 ships today.")
    sandbox.simulate_agent_reply(other, "Your order 7 ships today.")
    settle(sandbox, runner)
    assert [o.ticket_id for o in rows(engine, Override)] == [ticket_id]  # sent as drafted: no override
    assert any(s.type == "edit_to_final" and s.ticket_id == other and s.value == 1.0 for s in rows(engine, Signal))


def test_similarity_is_blind_to_case_and_spacing() -> None:
    assert similarity("Hello  there", "hello there") == 1.0
    assert similarity("abc", "xyz") == 0.0


def test_handoff_from_the_bot_to_a_human(live: Any, sandbox: Any, runner: Runner, engine: Engine,
                                         services: Any, bot: int) -> None:
    configure(services, runner, ai_user_ids=(bot,))
    ticket_id: int = sandbox.simulate_customer_ticket(subject="Help", body="Need a human", email="c@example.net")
    sandbox.simulate_agent_update(ticket_id, {"assignee_id": bot}, author_id=bot)
    settle(sandbox, runner)
    assert rows(engine, Override) == []
    sandbox.simulate_agent_update(ticket_id, {"assignee_id": sandbox.agent_id}, author_id=bot)
    settle(sandbox, runner)
    (override,) = rows(engine, Override)
    assert override.kind == "handoff" and override.agent_id == sandbox.agent_id
    assert override.details == {"from": bot, "to": sandbox.agent_id}


def configure(services: Any, runner: Runner, **changes: Any) -> None:
    """Settings that depend on ids the sandbox hands out (the bot's user id), set after start."""
    services.settings = services.settings.with_(**changes)
    runner.ctx.settings = services.settings


def test_a_human_reopening_an_ai_resolution_is_a_status_reverted_override(
    live: Any, sandbox: Any, runner: Runner, engine: Engine, services: Any, bot: int,
) -> None:
    configure(services, runner, ai_user_ids=(bot,))
    ticket_id: int = sandbox.simulate_customer_ticket(subject="Reset", body="Password reset?", email="r@example.net")
    sandbox.simulate_agent_reply(ticket_id, "Use the reset link.", status="solved", author_id=bot)
    settle(sandbox, runner)
    assert any(d.step == "action" for d in rows(engine, AiDecision))  # the bot's solve counts as an AI decision
    sandbox.simulate_status(ticket_id, "open", author_id=sandbox.agent_id)
    settle(sandbox, runner)
    kinds = [o.kind for o in rows(engine, Override)]
    assert kinds == ["status_reverted"]


def test_a_human_changing_the_ai_intent_field_is_an_intent_changed_override(
    live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine, services: Any,
) -> None:
    configure(services, runner, intent_field_id=7001)
    ticket_id: int = sandbox.simulate_customer_ticket(subject="Bill", body="Double charge", email="i@example.net",
                                                      custom_fields={7001: "billing_question"})
    log_decision(client, ticket_id, decision_id="d-5", intent="shipping_question", confidence=0.6,
                 draft_reply=None)
    sandbox.simulate_agent_reply(ticket_id, "Refunded the second charge.", status="solved")
    settle(sandbox, runner)  # the survey's update returns the ticket, with its fields: no extra read
    (override,) = rows(engine, Override)
    assert override.kind == "intent_changed"
    assert override.details == {"from": "shipping_question", "to": "billing_question"}


# --- implicit signals -------------------------------------------------------------------------


@pytest.mark.parametrize("second_category, expected", [("billing", True), ("shipping", False)])
def test_recontact_on_the_same_category_is_a_signal_on_the_earlier_ticket(
    live: Any, sandbox: Any, runner: Runner, engine: Engine, second_category: str, expected: bool,
) -> None:
    first: int = sandbox.simulate_customer_ticket(subject="Invoice", body="Wrong invoice", email="rc@example.net",
                                                  tags=["category_billing"])
    sandbox.simulate_agent_reply(first, "Fixed.", status="solved")
    settle(sandbox, runner)
    requester = sandbox.ticket(first)["requester_id"]
    second: int = sandbox.simulate_customer_ticket(subject="Invoice again", body="Still wrong",
                                                   requester_id=requester, tags=[f"category_{second_category}"])
    settle(sandbox, runner)
    found = [s for s in rows(engine, Signal) if s.type == "recontact"]
    if expected:
        (signal,) = found
        assert signal.ticket_id == first and signal.details["new_ticket_id"] == second
        assert signal.details["matched_on"] == "category"
    else:
        assert found == []


@pytest.mark.parametrize("settings", [{"recontact_window": 60}], indirect=True)
def test_recontact_outside_the_window_is_not_a_signal(live: Any, sandbox: Any, runner: Runner, engine: Engine) -> None:
    first: int = sandbox.simulate_customer_ticket(subject="A", body="a", email="w@example.net", tags=["category_x"])
    sandbox.simulate_agent_reply(first, "done", status="solved")
    sandbox.advance(3600)
    second: int = sandbox.simulate_customer_ticket(subject="B", body="b", requester_id=sandbox.ticket(first)["requester_id"],
                                                   tags=["category_x"])
    settle(sandbox, runner)
    assert second and [s for s in rows(engine, Signal) if s.type == "recontact"] == []


def test_close_without_reopen_confirms_the_resolution(live: Any, sandbox: Any, runner: Runner, engine: Engine) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    sandbox.simulate_close(ticket_id)
    settle(sandbox, runner)
    values = {s.type: s.value for s in rows(engine, Signal) if s.ticket_id == ticket_id}
    assert values["resolution_confirmed"] == 1.0 and values["first_contact_resolution"] == 1.0
    assert values["agent_replies"] == 1.0 and values["time_to_resolution"] >= 0


# --- review verdicts and the timeline ---------------------------------------------------------


def test_solving_a_review_task_records_the_verdict_on_the_source_ticket(
    live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine,
) -> None:
    ticket_id = solved_ticket(sandbox)
    log_decision(client, ticket_id, decision_id="d-6", action="send_kb_article", intent="refund_request")
    settle(sandbox, runner)
    client.get(path_of(survey_links(sandbox, ticket_id)[1]))
    settle(sandbox, runner)
    (review,) = rows(engine, ReviewTask)
    note = sandbox.ticket_comments(review.task_ticket_id)[0]["body"]
    assert "What the AI did" in note and "send_kb_article" in note
    sandbox.simulate_agent_update(review.task_ticket_id, {
        "comment": {"public": False, "body": "The KB article on refunds is out of date; filed KB-77."},
        "additional_tags": ["feedback_root_cause_kb_gap"], "status": "solved"})
    settle(sandbox, runner)
    (review,) = rows(engine, ReviewTask)
    assert review.state == "solved" and review.verdict == "kb_gap"
    assert "KB-77" in (review.verdict_notes or "") and review.verdict_by == sandbox.agent_id
    verdict = [s for s in rows(engine, Signal) if s.type == "review_verdict"][0]
    assert verdict.ticket_id == ticket_id and verdict.details["verdict"] == "kb_gap"
    timeline = client.get(f"/api/v1/tickets/{ticket_id}/feedback", headers=ADMIN).get_json()
    tasks = [e for e in timeline["timeline"] if e["type"] == "review_task"]
    assert tasks[0]["verdict"]["root_cause"] == "kb_gap"
    assert {e["type"] for e in timeline["timeline"]} >= {"event", "ai_decision", "survey", "rating", "signal",
                                                         "review_task"}
    assert timeline["resolver"] == "ai"
