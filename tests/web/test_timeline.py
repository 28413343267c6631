"""GET /api/v1/tickets/<id>/feedback: one ticket's whole story, in order, one tenant only."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from conftest import SECRET_KEY, WEBHOOK_SECRET, load_fixture, signed_post
from factories import status_event
from feedbackloop.app import create_app
from feedbackloop.core.settings import Settings
from feedbackloop.loop.receive import store_event
from feedbackloop.store.db import make_session_factory, session_scope
from feedbackloop.store.models import Override, Rating, ReviewTask, Signal, Survey, TicketState
from feedbackloop.web import timeline
from feedbackloop.wiring.services import build_services

ADMIN = {"Authorization": "Bearer admin-token"}
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
TICKET = 5158


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def get(client: FlaskClient, ticket_id: int | str = TICKET, headers: dict[str, str] | None = None) -> Any:
    return client.get(f"/api/v1/tickets/{ticket_id}/feedback", headers=ADMIN if headers is None else headers)


def log_decision(client: FlaskClient, key: str, step: str, minutes: float, ticket_id: int = TICKET) -> None:
    response = client.post("/api/v1/decisions", headers=ADMIN, json={
        "ticket_id": ticket_id, "decision_id": key, "step": step, "intent": "order_status",
        "confidence": 0.91, "action": "reply_with_tracking_link", "draft_reply": "Your parcel is on its way.",
        "created_at": at(minutes).isoformat(),
    })
    assert response.status_code == 201, response.get_json()


def add_event(engine: Engine, previous: str, status: str, minutes: float, *, tenant_id: str = "default",
              ticket_id: int = TICKET) -> None:
    event = status_event(ticket_id, previous, status, at(minutes), tags=("category_shipping",))
    with session_scope(make_session_factory(engine)) as session:
        store_event(session, tenant_id, "zendesk", event, source="webhook", now=at(minutes))


def add_feedback(session: Session, *, tenant_id: str = "default", ticket_id: int = TICKET) -> None:
    """A sent survey, a bad rating, its signal, a macro override and the review task it caused."""
    survey = Survey(tenant_id=tenant_id, ticket_id=ticket_id, requester_id=9001, solve_key="solve-1",
                    solved_at=at(10), state="sent", scale="five", scheduled_for=at(70), sent_at=at(70),
                    channel="email", created_at=at(11), updated_at=at(70))
    session.add(survey)
    session.flush()
    session.add_all([
        Rating(tenant_id=tenant_id, survey_id=survey.id, ticket_id=ticket_id, score=1, scale="five",
               reason="not_resolved", comment="Still no parcel.", source="link", version=1, written_version=0,
               created_at=at(120), updated_at=at(120)),
        Signal(tenant_id=tenant_id, ticket_id=ticket_id, type="csat", value=1.0, source="survey",
               dedupe_key=f"csat:{survey.id}:v1", details={"scale": "five"}, occurred_at=at(120),
               created_at=at(120)),
        Override(tenant_id=tenant_id, ticket_id=ticket_id, source="macro", kind="override",
                 ai_decision="reply_with_tracking_link", ai_confidence=0.91, final_action="refund_shipping",
                 rationale="Carrier confirmed the parcel is lost.", agent_id=8447388090494,
                 missing=["policy_clause"], details={"macro_id": 360012}, dedupe_key="macro:1",
                 occurred_at=at(130), created_at=at(131)),
        ReviewTask(tenant_id=tenant_id, source_ticket_id=ticket_id, generation=1, task_ticket_id=7001,
                   state="open", reasons=["rating"], due_at=at(3000), created_at=at(125), updated_at=at(126)),
    ])


def test_the_whole_story_in_time_order(client: FlaskClient, engine: Engine) -> None:
    add_event(engine, "solved", "open", 60 * 24)  # a reopen delivered first, as Zendesk may
    add_event(engine, "new", "open", 0)
    log_decision(client, "run-1:reply", "reply", 2)
    log_decision(client, "run-1:intent", "intent_classification", 1)
    add_event(engine, "open", "solved", 10)
    with session_scope(make_session_factory(engine)) as session:
        add_feedback(session)
    response = get(client)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["tenant_id"], body["ticket_id"], body["resolver"]) == ("default", TICKET, "ai_overridden")
    assert [(e["type"], e["at"]) for e in body["timeline"]] == [
        ("event", at(0).isoformat()),
        ("ai_decision", at(1).isoformat()),
        ("ai_decision", at(2).isoformat()),
        ("event", at(10).isoformat()),
        ("survey", at(11).isoformat()),
        ("survey_sent", at(70).isoformat()),
        ("rating", at(120).isoformat()),
        ("signal", at(120).isoformat()),
        ("review_task", at(125).isoformat()),
        ("override", at(130).isoformat()),
        ("event", at(60 * 24).isoformat()),
    ]
    assert body["truncated"] == []


def test_each_entry_says_what_happened(client: FlaskClient, engine: Engine) -> None:
    add_event(engine, "open", "solved", 10)
    log_decision(client, "run-1:reply", "reply", 2)
    with session_scope(make_session_factory(engine)) as session:
        add_feedback(session)
    entries = {e["type"]: e for e in get(client).get_json()["timeline"]}
    assert entries["event"]["status"] == "solved" and entries["event"]["previous_status"] == "open"
    assert entries["event"]["tags"] == ["category_shipping"]
    decision = entries["ai_decision"]
    assert (decision["decision_id"], decision["step"]) == ("run-1:reply", "reply")
    assert decision["confidence"] == 0.91
    assert decision["draft_reply"] == "Your parcel is on its way."
    assert entries["survey"]["state"] == "sent" and entries["survey"]["sent_at"] == at(70).isoformat()
    assert entries["rating"]["score"] == 1 and entries["rating"]["comment"] == "Still no parcel."
    assert entries["signal"]["signal"] == "csat" and entries["signal"]["value"] == 1.0
    override = entries["override"]
    assert (override["source"], override["final_action"], override["missing"]) == (
        "macro", "refund_shipping", ["policy_clause"])
    assert override["rationale"] == "Carrier confirmed the parcel is lost."
    assert entries["review_task"]["role"] == "source" and entries["review_task"]["task_ticket_id"] == 7001


def test_the_ticket_snapshot_comes_with_the_timeline(client: FlaskClient, engine: Engine) -> None:
    with session_scope(make_session_factory(engine)) as session:
        session.add(TicketState(ticket_id=TICKET, status="solved", requester_id=9001, category="shipping",
                                tags=["category_shipping"], final=False, is_review_task=False,
                                created_at=T0, updated_at=T0))
    body = get(client).get_json()
    assert body["timeline"] == [] and body["resolver"] == "human"
    assert body["ticket"]["status"] == "solved" and body["ticket"]["category"] == "shipping"


def test_a_real_webhook_shows_up(client: FlaskClient) -> None:
    raw = load_fixture("zendesk/webhooks/ticket.status_changed__solved.json")
    assert signed_post(client, raw).get_json()["status"] == "accepted"
    (entry,) = get(client, 5158).get_json()["timeline"]
    assert entry["type"] == "event" and entry["status"] == "solved"
    assert entry["source"] == "webhook" and entry["duplicates"] == 0


def test_nothing_internal_or_secret_is_shown(client: FlaskClient, engine: Engine) -> None:
    raw = load_fixture("zendesk/webhooks/ticket.status_changed__solved.json")
    signed_post(client, raw)
    log_decision(client, "run-1:reply", "reply", 2)
    with session_scope(make_session_factory(engine)) as session:
        add_feedback(session)
    text = get(client).get_data(as_text=True)
    for secret in (WEBHOOK_SECRET, SECRET_KEY, "admin-token"):
        assert secret not in text
    for internal in ("dedupe_key", "payload", "solve_key", "/s/"):
        assert internal not in text
    assert json.loads(text)["timeline"]


def test_a_review_task_ticket_shows_what_it_reviews(client: FlaskClient, engine: Engine) -> None:
    with session_scope(make_session_factory(engine)) as session:
        add_feedback(session)
    (entry,) = get(client, 7001).get_json()["timeline"]
    assert entry["type"] == "review_task" and entry["role"] == "task" and entry["source_ticket_id"] == TICKET


def test_an_unknown_ticket_is_404(client: FlaskClient, engine: Engine) -> None:
    add_event(engine, "open", "solved", 10, ticket_id=1)
    for ticket_id in (2, 2**63, 2**70):
        response = get(client, ticket_id)
        assert response.status_code == 404
        assert response.get_json() == {
            "error": "not_found", "message": f"nothing is known about ticket {ticket_id}"}


@pytest.mark.parametrize("path", ["/api/v1/tickets/abc/feedback", "/api/v1/tickets/-1/feedback"])
def test_a_malformed_ticket_id_is_a_json_404(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers=ADMIN)
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_another_tenants_rows_never_show(client: FlaskClient, engine: Engine) -> None:
    add_event(engine, "open", "solved", 10, tenant_id="acme")
    with session_scope(make_session_factory(engine)) as session:
        add_feedback(session, tenant_id="acme")
    assert get(client).status_code == 404  # the default tenant knows nothing of acme's ticket
    add_event(engine, "new", "open", 0)
    assert [e["type"] for e in get(client).get_json()["timeline"]] == ["event"]
    with Session(engine) as session:
        acme = timeline.build_timeline(session, "acme", TICKET)
    assert [e.type for e in acme.entries] == [
        "event", "survey", "survey_sent", "rating", "signal", "review_task", "override"]


def test_a_long_history_shows_its_newest_rows_and_says_so(
    client: FlaskClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline, "MAX_PER_KIND", 3)
    with session_scope(make_session_factory(engine)) as session:
        for minute in range(5):
            session.add(Signal(ticket_id=TICKET, type="reopen", value=1.0, source="webhook",
                               dedupe_key=f"reopen:{minute}", details={}, occurred_at=at(minute),
                               created_at=T0))
    body = get(client).get_json()
    assert [e["at"] for e in body["timeline"]] == [at(2).isoformat(), at(3).isoformat(), at(4).isoformat()]
    assert body["truncated"] == ["signals"]


def test_the_timeline_needs_the_admin_token(client: FlaskClient, engine: Engine) -> None:
    add_event(engine, "open", "solved", 10)
    response = get(client, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"
    assert get(client, headers={}).status_code == 401


def test_the_timeline_is_off_without_an_admin_token(settings: Settings, engine: Engine) -> None:
    add_event(engine, "open", "solved", 10)
    app = create_app(services=build_services(settings.with_(admin_token=None), engine=engine))
    response = get(app.test_client())
    assert response.status_code == 404 and "admin API is disabled" in response.get_json()["message"]
