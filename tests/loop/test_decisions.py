"""POST /api/v1/decisions and resolver_of, through the real app and a real database."""

from __future__ import annotations

import io
import json
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from feedbackloop.app import create_app
from feedbackloop.core.settings import Settings
from feedbackloop.loop.decisions import MAX_BATCH, resolver_of
from feedbackloop.store.models import AiDecision, Override
from feedbackloop.wiring.services import build_services

ADMIN = {"Authorization": "Bearer admin-token"}
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)


def decision(**changes: Any) -> dict[str, Any]:
    """A complete decision as an AI agent would log it."""
    base: dict[str, Any] = {
        "ticket_id": 5158,
        "decision_id": "run-81f2:step-1",
        "step": "intent_classification",
        "intent": "order_status",
        "confidence": 0.87,
        "action": "reply_with_tracking_link",
        "draft_reply": "Hi Ana, your order shipped yesterday. Track it here: https://track.example/1Z999",
        "context": [{"id": "kb-1042", "snippet": "Orders ship within 2 business days."}, "kb-2001"],
        "policy_refs": ["shipping-policy#3.2"],
        "model": "gpt-4o-2024-08-06",
        "prompt_version": "triage-v14",
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "latency_ms": 1840,
        "tokens_in": 2310,
        "tokens_out": 212,
        "cost": 0.0131,
        "created_at": "2026-03-02T09:30:00Z",
    }
    base.update(changes)
    return base


def post(client: FlaskClient, payload: Any, headers: dict[str, str] | None = None) -> Any:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post("/api/v1/decisions", data=raw, headers={**ADMIN, "Content-Type": "application/json",
                                                                 **(headers or {})})


def stored(engine: Engine) -> list[AiDecision]:
    with Session(engine) as session:
        return list(session.scalars(select(AiDecision).order_by(AiDecision.id)))


def count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(AiDecision)) or 0)


# --- authentication ------------------------------------------------------------------------------


def test_without_an_admin_token_configured_the_api_is_off(settings: Settings, engine: Engine) -> None:
    app = create_app(services=build_services(settings.with_(admin_token=None), engine=engine))
    response = post(app.test_client(), decision())
    assert response.status_code == 404
    assert response.get_json() == {
        "error": "not_found", "message": "the admin API is disabled: FEEDBACKLOOP_ADMIN_TOKEN is not set"}
    assert count(engine) == 0


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Bearer wrong-token", "Bearer admin-token-and-more",
     "Basic YWRtaW46YWRtaW4=", "admin-token", "Bearer admin-tokén"],
)
def test_a_missing_or_wrong_token_is_refused(
    client: FlaskClient, engine: Engine, authorization: str | None
) -> None:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = client.post("/api/v1/decisions", data=json.dumps(decision()), headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count(engine) == 0


def test_the_bearer_scheme_is_case_insensitive(client: FlaskClient) -> None:
    assert post(client, decision(), headers={"Authorization": "bearer admin-token"}).status_code == 201


# --- storing -------------------------------------------------------------------------------------


def test_a_decision_is_stored_with_every_field(client: FlaskClient, engine: Engine) -> None:
    response = post(client, decision())
    assert response.status_code == 201
    (row,) = stored(engine)
    assert response.get_json() == {"status": "created", "id": row.id, "decision_id": "run-81f2:step-1",
                                   "ticket_id": 5158}
    assert (row.tenant_id, row.ticket_id, row.step, row.intent) == ("default", 5158, "intent_classification",
                                                                    "order_status")
    assert row.confidence == pytest.approx(0.87) and row.cost == pytest.approx(0.0131)
    assert row.context == [{"id": "kb-1042", "snippet": "Orders ship within 2 business days."}, "kb-2001"]
    assert row.policy_refs == ["shipping-policy#3.2"]
    assert (row.model, row.prompt_version, row.trace_id) == ("gpt-4o-2024-08-06", "triage-v14",
                                                            "4bf92f3577b34da6a3ce929d0e0e4736")
    assert (row.latency_ms, row.tokens_in, row.tokens_out) == (1840, 2310, 212)
    assert row.created_at == T0 and row.received_at > T0
    assert row.draft_reply is not None and row.draft_reply.startswith("Hi Ana")


def test_only_the_three_identifying_fields_are_required(client: FlaskClient, engine: Engine) -> None:
    response = post(client, {"ticket_id": "5158", "decision_id": "d-1", "step": "reply", "intent": None})
    assert response.status_code == 201, response.get_json()
    (row,) = stored(engine)
    assert row.ticket_id == 5158 and row.intent is None and row.context is None and row.policy_refs == []
    assert row.created_at == row.received_at  # no decision time given: the time we received it


def test_a_decision_time_is_kept_in_utc(client: FlaskClient, engine: Engine) -> None:
    assert post(client, decision(created_at="2026-03-02T11:30:00+02:00")).status_code == 201
    assert stored(engine)[0].created_at == T0


def test_context_may_be_an_object(client: FlaskClient, engine: Engine) -> None:
    context = {"documents": [{"id": "kb-1", "score": 0.91}], "query": "where is my order"}
    assert post(client, decision(context=context)).status_code == 201
    assert stored(engine)[0].context == context


def test_a_repeated_decision_is_stored_once(client: FlaskClient, engine: Engine) -> None:
    first = post(client, decision()).get_json()
    again = post(client, decision(intent="changed_my_mind"))
    assert again.status_code == 201
    assert again.get_json() == {**first, "status": "duplicate"}
    (row,) = stored(engine)
    assert row.intent == "order_status"  # the first write wins


def test_the_same_decision_id_in_another_tenant_is_new(client: FlaskClient, engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        session.add(AiDecision(tenant_id="acme", ticket_id=5158, decision_id="run-81f2:step-1", step="reply",
                               policy_refs=[], created_at=T0, received_at=T0))
    assert post(client, decision()).get_json()["status"] == "created"
    assert sorted(row.tenant_id for row in stored(engine)) == ["acme", "default"]


def test_a_batch_reports_each_decision(client: FlaskClient, engine: Engine) -> None:
    post(client, decision(decision_id="known"))
    batch = [decision(decision_id="a", step="retrieval"), decision(decision_id="known"),
             decision(decision_id="b", step="reply"), decision(decision_id="a", step="retrieval")]
    response = post(client, {"decisions": batch})
    assert response.status_code == 201
    body = response.get_json()
    assert (body["created"], body["duplicates"]) == (2, 2)
    assert [(r["index"], r["decision_id"], r["status"]) for r in body["results"]] == [
        (0, "a", "created"), (1, "known", "duplicate"), (2, "b", "created"), (3, "a", "duplicate")]
    assert body["results"][3]["id"] == body["results"][0]["id"]
    assert [row.decision_id for row in stored(engine)] == ["known", "a", "b"]


def test_a_full_batch_of_long_drafts_is_accepted(client: FlaskClient, engine: Engine) -> None:
    """500 decisions with 3,000-character drafts are ~1.6 MB: above the app's 1 MiB default."""
    batch = [decision(decision_id=f"d-{i}", draft_reply="x" * 3000) for i in range(MAX_BATCH)]
    response = post(client, {"decisions": batch})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["created"] == MAX_BATCH and count(engine) == MAX_BATCH


def test_concurrent_posts_of_one_decision_store_it_once(app: Flask, engine: Engine) -> None:
    raw = json.dumps(decision()).encode()
    results: list[str] = []
    barrier = threading.Barrier(8)

    def send() -> None:
        with app.test_client() as c:
            barrier.wait()
            response = c.post("/api/v1/decisions", data=raw, headers=ADMIN)
            results.append(f"{response.status_code}:{response.get_json()['status']}")

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["201:created"] + ["201:duplicate"] * 7
    assert count(engine) == 1


def test_concurrent_overlapping_batches_store_each_decision_once(app: Flask, engine: Engine) -> None:
    """Batches sharing keys in opposite orders: the classic recipe for a PostgreSQL deadlock."""
    orders = [[f"d-{(i + k) % 6}" for k in range(4)] for i in range(6)]
    batches = [{"decisions": [decision(decision_id=key) for key in (keys if i % 2 else keys[::-1])]}
               for i, keys in enumerate(orders)]
    raws = [json.dumps(batch).encode() for batch in batches]
    barrier = threading.Barrier(len(raws))
    statuses: list[int] = []

    def send(raw: bytes) -> None:
        with app.test_client() as c:
            barrier.wait()
            statuses.append(c.post("/api/v1/decisions", data=raw, headers=ADMIN).status_code)

    threads = [threading.Thread(target=send, args=(raw,)) for raw in raws]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * len(raws)
    assert sorted(row.decision_id for row in stored(engine)) == [f"d-{i}" for i in range(6)]


# --- validation ----------------------------------------------------------------------------------

INVALID = [
    ("ticket_id", 0, "must be a positive integer (the helpdesk ticket id)"),
    ("ticket_id", -5, "must be a positive integer (the helpdesk ticket id)"),
    ("ticket_id", "51x8", "must be a positive integer (the helpdesk ticket id)"),
    ("ticket_id", "", "must be a positive integer (the helpdesk ticket id)"),
    ("ticket_id", 51.5, "must be a positive integer (the helpdesk ticket id)"),
    ("ticket_id", True, "must be a positive integer (the helpdesk ticket id)"),
    ("ticket_id", 2**63, "must be a positive integer (the helpdesk ticket id)"),
    ("ticket_id", "\u0661\u0662", "must be a positive integer (the helpdesk ticket id)"),  # Arabic-Indic
    ("decision_id", "", "must be a non-empty string"),
    ("decision_id", "   ", "must be a non-empty string"),
    ("decision_id", "d" * 201, "must be at most 200 characters"),
    ("decision_id", 42, "must be a string"),
    ("step", "triage", "must be one of intent_classification, retrieval, policy_check, action, reply"),
    ("confidence", 1.5, "must be a number between 0 and 1"),
    ("confidence", -0.1, "must be a number between 0 and 1"),
    ("confidence", "0.9", "must be a number between 0 and 1"),
    ("confidence", True, "must be a number between 0 and 1"),
    ("intent", "i" * 121, "must be at most 120 characters"),
    ("intent", ["order_status"], "must be a string"),
    ("intent", "order\x00status", "must not contain NUL characters"),
    ("trace_id", "\ud800", "must be valid Unicode text (no lone surrogates)"),
    ("context", [{"id": "kb-1", "snippet": "a\x00b"}], "must not contain NUL characters"),
    ("context", {"\udfff": 1}, "must be valid Unicode text (no lone surrogates)"),
    ("policy_refs", ["refund\x00"], "must not contain NUL characters"),
    ("draft_reply", "x" * 20001, "must be at most 20000 characters"),
    ("context", "kb-1", "must be a list of retrieved documents (ids or objects) or an object"),
    ("context", [{"snippet": "x" * 70000}], "must be at most 65536 bytes of JSON"),
    ("policy_refs", "refund#2", "must be a list of at most 50 strings"),
    ("policy_refs", ["ok", 7], "must hold only non-empty strings of at most 200 characters"),
    ("policy_refs", ["p"] * 51, "must be a list of at most 50 strings"),
    ("latency_ms", -1, "must be a whole number from 0 to 86400000"),
    ("latency_ms", 12.5, "must be a whole number from 0 to 86400000"),
    ("tokens_in", "100", "must be a whole number from 0 to 2147483647"),
    ("tokens_out", 2**31, "must be a whole number from 0 to 2147483647"),
    ("cost", -0.01, "must be a number of at least 0"),
    ("cost", "0.01", "must be a number of at least 0"),
    ("created_at", "yesterday", "must be an ISO-8601 time with a timezone, e.g. 2025-05-01T12:00:00Z"),
    ("created_at", "2026-03-02T09:30:00", "must include a timezone (e.g. a trailing Z for UTC)"),
    ("created_at", 1767225600, "must be an ISO-8601 time with a timezone, e.g. 2025-05-01T12:00:00Z"),
    ("created_at", "2999-01-01T00:00:00Z", "must not be in the future"),
    ("created_at", "1970-01-21T06:00:00Z", "must not be before 2000-01-01"),
    ("created_at", "0001-01-01T00:00:00+01:00", "must be a time from 2000-01-01 to now"),
    ("surprise", 1, "unknown field"),
]


@pytest.mark.parametrize(("field", "value", "message"), INVALID)
def test_a_bad_field_is_named_and_nothing_is_stored(
    client: FlaskClient, engine: Engine, field: str, value: Any, message: str
) -> None:
    response = post(client, decision(**{field: value}))
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["error"] == "invalid" and "nothing was stored" in body["message"]
    assert body["errors"] == [{"index": 0, "field": field, "message": message}]
    assert count(engine) == 0


@pytest.mark.parametrize("field", ["ticket_id", "decision_id", "step"])
def test_an_identifying_field_is_required(client: FlaskClient, field: str) -> None:
    for payload in ({k: v for k, v in decision().items() if k != field}, decision(**{field: None})):
        errors = post(client, payload).get_json()["errors"]
        assert errors == [{"index": 0, "field": field, "message": "is required"}]


def test_one_bad_decision_refuses_the_whole_batch(client: FlaskClient, engine: Engine) -> None:
    batch = [decision(decision_id="ok-1"), decision(decision_id="bad", confidence=3, step="guess"),
             decision(decision_id="ok-2"), "not an object"]
    response = post(client, {"decisions": batch})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"index": 1, "field": "step",
         "message": "must be one of intent_classification, retrieval, policy_check, action, reply"},
        {"index": 1, "field": "confidence", "message": "must be a number between 0 and 1"},
        {"index": 3, "field": None, "message": "must be a JSON object"},
    ]
    assert count(engine) == 0


def test_the_list_of_errors_is_capped(client: FlaskClient) -> None:
    batch = [decision(decision_id=f"d-{i}", confidence=2) for i in range(150)]
    body = post(client, {"decisions": batch}).get_json()
    assert len(body["errors"]) == 100
    assert body["message"] == "150 invalid field(s) (first 100 listed); nothing was stored"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"decisions": []}, "decisions", "must be a non-empty list of decision objects"),
        ({"decisions": {"a": 1}}, "decisions", "must be a non-empty list of decision objects"),
        ({"decisions": [decision()], "dry_run": True}, "dry_run", 'unknown field beside "decisions"'),
        ({"decisions": [decision(decision_id=str(i)) for i in range(MAX_BATCH + 1)]}, "decisions",
         "must hold at most 500 decisions per request"),
        ([decision()], None, 'the body must be a decision object or {"decisions": [...]}'),
        ("a string", None, 'the body must be a decision object or {"decisions": [...]}'),
    ],
)
def test_a_malformed_batch_is_refused(
    client: FlaskClient, engine: Engine, payload: Any, field: str | None, message: str
) -> None:
    response = post(client, payload)
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"index": None, "field": field, "message": message}]
    assert count(engine) == 0


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "body is empty"),
        (b"   \n", "body is empty"),
        (b'{"ticket_id": 5158,', "body is not valid JSON"),
        (b"\xff\xfe{}", "body is not UTF-8 text"),
        (b'{"ticket_id": 1, "ticket_id": 2, "decision_id": "d", "step": "reply"}', "appears twice"),
        (b'{"ticket_id": 1, "decision_id": "d", "step": "reply", "confidence": NaN}', "NaN is not"),
        (b'{"ticket_id": 1, "decision_id": "d", "step": "reply", "cost": -Infinity}', "-Infinity is not"),
        (b"[" * 100_000, "body is not valid JSON"),
    ],
)
def test_a_body_that_is_not_json_gets_400_with_a_reason(
    client: FlaskClient, engine: Engine, raw: bytes, reason: str
) -> None:
    response = post(client, raw)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "bad_request" and reason in body["message"]
    assert count(engine) == 0


def test_an_oversized_body_gets_413(client: FlaskClient, engine: Engine) -> None:
    raw = json.dumps({"decisions": [decision(draft_reply="x" * 20000)] * 450}).encode()
    assert len(raw) > 8 * 1024 * 1024
    response = post(client, raw)
    assert response.status_code == 413
    assert response.get_json() == {"error": "too_large", "message": "body larger than 8388608 bytes"}
    assert count(engine) == 0


def test_an_oversized_chunked_body_gets_413(client: FlaskClient) -> None:
    """No Content-Length to check up front (a chunked upload): the read itself stops at the limit."""
    raw = json.dumps({"decisions": ["x" * 1024] * (9 * 1024)}).encode()
    response = client.post(
        "/api/v1/decisions", input_stream=io.BytesIO(raw), headers={**ADMIN, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},  # what a server that de-chunks sets
    )
    assert response.status_code == 413
    assert response.get_json() == {"error": "too_large", "message": "body larger than 8388608 bytes"}


# --- who resolved the ticket ---------------------------------------------------------------------


def add_override(session: Session, ticket_id: int, kind: str, *, tenant_id: str = "default") -> None:
    session.add(Override(tenant_id=tenant_id, ticket_id=ticket_id, source="automatic", kind=kind, missing=[],
                         details={}, dedupe_key=f"{kind}:{ticket_id}", occurred_at=T0, created_at=T0))


def add_decision(session: Session, ticket_id: int, *, tenant_id: str = "default") -> None:
    session.add(AiDecision(tenant_id=tenant_id, ticket_id=ticket_id, decision_id=f"{tenant_id}:{ticket_id}",
                           step="reply", policy_refs=[], created_at=T0, received_at=T0))


@pytest.mark.parametrize(
    ("decided", "override_kinds", "expected"),
    [
        (False, [], "human"),
        (True, [], "ai"),
        (True, ["handoff"], "ai_then_human"),
        (True, ["override"], "ai_overridden"),
        (True, ["edit_to_final"], "ai_overridden"),
        (True, ["handoff", "intent_changed"], "ai_overridden"),
        (True, ["status_reverted"], "ai_overridden"),
        (False, ["override"], "ai_overridden"),
        (False, ["handoff"], "ai_then_human"),
    ],
)
def test_resolver_of(engine: Engine, decided: bool, override_kinds: list[str], expected: str) -> None:
    with Session(engine) as session, session.begin():
        if decided:
            add_decision(session, 10)
        for kind in override_kinds:
            add_override(session, 10, kind)
        add_override(session, 11, "override")  # another ticket's override changes nothing
    with Session(engine) as session:
        assert resolver_of(session, "default", 10) == expected


def test_resolver_of_reads_one_tenant_only(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        add_decision(session, 10, tenant_id="acme")
        add_override(session, 10, "override", tenant_id="acme")
        add_decision(session, 10)
    with Session(engine) as session:
        assert resolver_of(session, "default", 10) == "ai"
        assert resolver_of(session, "acme", 10) == "ai_overridden"
        assert resolver_of(session, "globex", 10) == "human"


def test_an_override_keeps_its_decision_link(client: FlaskClient, engine: Engine) -> None:
    decision_row = post(client, decision()).get_json()["id"]
    with Session(engine) as session, session.begin():
        session.add(Override(ticket_id=5158, source="sidebar", kind="override", ai_decision_id=decision_row,
                             ai_decision="reply_with_tracking_link", ai_confidence=0.87,
                             final_action="refund_shipping", rationale="Parcel lost per carrier",
                             policy_clause="shipping-policy#4.1", agent_id=8447388090494, missing=[],
                             details={}, dedupe_key="sidebar:1", occurred_at=T0 + timedelta(hours=1),
                             created_at=T0 + timedelta(hours=1)))
    with Session(engine) as session:
        override = session.scalars(select(Override)).one()
        assert override.tenant_id == "default" and override.ai_decision_id == decision_row
        assert override.agent_id == 8447388090494 and override.occurred_at == T0 + timedelta(hours=1)
