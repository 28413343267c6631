"""POST /webhooks/zendesk through the real Flask app and a real database."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from conftest import count_jobs, count_rows, load_fixture, signed_headers, signed_post
from factories import body, envelope
from feedbackloop.core.settings import Settings
from feedbackloop.store.models import Job, WebhookEvent


@pytest.mark.parametrize(
    "fixture",
    [
        "ticket.status_changed__solved.json",
        "ticket.status_changed__reopened.json",
        "ticket.status_changed__closed.json",
        "trigger__ticket_solved.json",
    ],
)
def test_a_real_payload_is_stored_and_gets_its_job(client: FlaskClient, engine: Engine, fixture: str) -> None:
    raw = load_fixture(f"zendesk/webhooks/{fixture}")
    response = signed_post(client, raw, headers={"X-Zendesk-Webhook-Invocation-Id": "01HANA2B5D5W9XSJS3NE5SQA1J"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "accepted"
    assert count_jobs(engine) == 1
    with Session(engine) as session:
        (event,) = session.scalars(select(WebhookEvent)).all()
        (job,) = session.scalars(select(Job)).all()
    assert event.ticket_id == 5158 and event.status in ("solved", "open", "closed")
    assert job.kind == "process_ticket" and job.args == {"event_id": event.id}


def test_the_same_delivery_twice_has_one_effect(client: FlaskClient, engine: Engine) -> None:
    raw = load_fixture("zendesk/webhooks/ticket.status_changed__solved.json")
    assert signed_post(client, raw).get_json()["status"] == "accepted"
    second = signed_post(client, raw)
    assert second.status_code == 200 and second.get_json()["status"] == "duplicate"
    assert count_rows(engine, WebhookEvent) == 1 and count_jobs(engine) == 1
    with Session(engine) as session:
        assert session.scalars(select(WebhookEvent)).one().duplicates == 1


def test_trigger_bodies_dedupe_on_the_invocation_id(client: FlaskClient, engine: Engine) -> None:
    raw = load_fixture("zendesk/webhooks/trigger__ticket_solved.json")
    headers = {"X-Zendesk-Webhook-Invocation-Id": "01HANA2B5D5W9XSJS3NE5SQA1J"}
    assert signed_post(client, raw, headers=headers).get_json()["status"] == "accepted"
    assert signed_post(client, raw, headers=headers).get_json()["status"] == "duplicate"
    assert count_rows(engine, WebhookEvent) == 1


def test_concurrent_duplicates_make_one_event(app: Flask, engine: Engine) -> None:
    raw = body(envelope(77, "open", "solved", datetime.now(timezone.utc), event_id="same-event"))
    results: list[str] = []
    barrier = threading.Barrier(8)

    def post() -> None:
        with app.test_client() as c:
            barrier.wait()
            response = c.post("/webhooks/zendesk", data=raw, headers=signed_headers(raw))
            results.append(f"{response.status_code}:{response.get_json()['status']}")

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["200:accepted"] + ["200:duplicate"] * 7
    assert count_rows(engine, WebhookEvent) == 1 and count_jobs(engine) == 1


def test_concurrent_distinct_events_are_all_committed(app: Flask, engine: Engine) -> None:
    """Threads of one worker storing at once (SQLite: they wait for its write lock in its busy handler)."""
    results: list[str] = []
    barrier = threading.Barrier(8)

    def post(thread: int) -> None:
        with app.test_client() as c:
            barrier.wait()
            for n in range(5):
                raw = body(envelope(1000 + thread * 10 + n, "open", "solved", datetime.now(timezone.utc),
                                    event_id=f"event-{thread}-{n}"))
                response = c.post("/webhooks/zendesk", data=raw, headers=signed_headers(raw))
                results.append(f"{response.status_code}:{response.get_json()['status']}")

    threads = [threading.Thread(target=post, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["200:accepted"] * 40
    assert count_rows(engine, WebhookEvent) == 40 and count_jobs(engine) == 40


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda h: h.pop("X-Zendesk-Webhook-Signature"), "missing X-Zendesk-Webhook-Signature"),
        (lambda h: h.pop("X-Zendesk-Webhook-Signature-Timestamp"), "missing X-Zendesk-Webhook-Signature-Timestamp"),
        (lambda h: h.update({"X-Zendesk-Webhook-Signature": "AAAA"}), "does not match"),
        (lambda h: h.update({"X-Zendesk-Webhook-Signature-Timestamp": "2021-07-25T10:00:01Z"}), "does not match"),
    ],
)
def test_bad_signatures_are_refused_with_a_reason(client: FlaskClient, engine: Engine, mutate, reason: str) -> None:  # type: ignore[no-untyped-def]
    raw = load_fixture("zendesk/webhooks/ticket.status_changed__solved.json")
    headers = signed_headers(raw)
    mutate(headers)
    response = client.post("/webhooks/zendesk", data=raw, headers=headers)
    assert response.status_code == 401
    assert reason in response.get_json()["message"]
    assert count_rows(engine, WebhookEvent) == 0


def test_a_signature_by_another_secret_is_refused(client: FlaskClient, engine: Engine) -> None:
    raw = load_fixture("zendesk/webhooks/ticket.status_changed__solved.json")
    assert signed_post(client, raw, secret="someone-elses-secret").status_code == 401


def test_a_replayed_old_delivery_is_refused(client: FlaskClient, engine: Engine) -> None:
    raw = load_fixture("zendesk/webhooks/ticket.status_changed__solved.json")
    old = datetime.now(timezone.utc) - timedelta(minutes=6)
    response = signed_post(client, raw, when=old)
    assert response.status_code == 401 and "away from now" in response.get_json()["message"]


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"[1, 2]", b'{"type": "zen:event-type:ticket.status_changed"}', b"\xff\xfe\xfa", b""],
)
def test_signed_garbage_is_a_400_with_a_reason(client: FlaskClient, engine: Engine, raw: bytes) -> None:
    response = signed_post(client, raw)
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request" and response.get_json()["message"]
    assert count_rows(engine, WebhookEvent) == 0


@pytest.mark.parametrize("fixture", ["unknown__future_event.json", "user.deleted__end_user.json"])
def test_signed_events_we_do_not_handle_are_acknowledged(client: FlaskClient, engine: Engine, fixture: str) -> None:
    response = signed_post(client, load_fixture(f"zendesk/webhooks/{fixture}"))
    assert response.status_code == 200 and response.get_json()["status"] == "ignored"
    assert count_rows(engine, WebhookEvent) == 0


def test_oversized_bodies_are_refused(client: FlaskClient, engine: Engine) -> None:
    raw = json.dumps({"pad": "x" * (300 * 1024)}).encode()
    assert signed_post(client, raw).status_code == 413


def test_upper_case_statuses_are_normalised(client: FlaskClient, engine: Engine) -> None:
    signed_post(client, body(envelope(5, "open", "SOLVED", datetime.now(timezone.utc))))
    with Session(engine) as session:
        assert session.scalars(select(WebhookEvent)).one().status == "solved"


def _terminate_pooled_connection(app_engine: Engine, admin: Engine) -> None:
    """Kill the server side of the app's connections (its pooled one and its group commit's), as a PostgreSQL
    restart would."""
    raw = app_engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
        cursor.close()
    finally:
        raw.close()
    from feedbackloop.loop.receive import group_commit_for

    held = group_commit_for(app_engine).held  # the group commit's own connection, kept between batches
    pids = [pid, *(held.backend_pids() if held is not None else ())]
    with admin.begin() as conn:
        for backend in pids:
            conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(backend)})")


@pytest.mark.parametrize("ping_after_idle", [60.0, 0.0], ids=["retried", "pinged"])
def test_a_dropped_database_connection_still_commits_before_the_200(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
    ping_after_idle: float,
) -> None:
    """No pre-ping on busy connections: a dead one fails the INSERT, which is retried once on a new one
    (or, after an idle spell, the checkout ping replaces it first). Either way: 200 after a commit."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server connection to lose")
    from feedbackloop.app import create_app
    from feedbackloop.store import db
    from feedbackloop.wiring.services import build_services

    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", ping_after_idle)
    app_engine = db.make_engine(engine.url.render_as_string(hide_password=False))
    try:
        client = create_app(services=build_services(settings, engine=app_engine)).test_client()
        first = signed_post(client, body(envelope(41, "open", "solved", datetime.now(timezone.utc), event_id="a")))
        assert first.get_json()["status"] == "accepted"
        _terminate_pooled_connection(app_engine, engine)
        second = signed_post(client, body(envelope(42, "open", "solved", datetime.now(timezone.utc), event_id="b")))
        assert second.status_code == 200 and second.get_json()["status"] == "accepted"
    finally:
        app_engine.dispose()
    assert count_rows(engine, WebhookEvent) == 2 and count_jobs(engine) == 2
    retried = any("retrying once" in record.getMessage() for record in caplog.records)
    assert retried == (ping_after_idle > 0)


# --- the door: webhooks answered before Flask ----------------------------------------------------


def _through(wsgi_app, raw: bytes, headers: dict[str, str], **environ: object):  # type: ignore[no-untyped-def]
    from werkzeug.test import Client

    return Client(wsgi_app).post("/webhooks/zendesk", data=raw, headers=headers, environ_overrides=environ)


def test_the_door_answers_a_delivery_as_the_flask_route_does(app: Flask, engine: Engine) -> None:
    """Same status, JSON and headers (but the event id) whether the door or Flask's route answers."""
    from feedbackloop.loop.receive import WebhookDoor

    door = app.wsgi_app
    assert isinstance(door, WebhookDoor)
    answers = []
    for index, wsgi_app in enumerate((door, door.inner)):
        raw = body(envelope(300 + index, "open", "solved", datetime.now(timezone.utc), event_id=f"door-{index}"))
        answers.append(_through(wsgi_app, raw, signed_headers(raw, extra={"X-Request-Id": "req-42"})))
    by_door, by_flask = answers
    assert by_door.status_code == by_flask.status_code == 200
    assert sorted(by_door.headers.keys()) == sorted(by_flask.headers.keys())
    for name in ("Content-Type", "X-Request-Id", "X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy"):
        assert by_door.headers[name] == by_flask.headers[name], name
    assert by_door.headers["X-Request-Id"] == "req-42"
    door_json, flask_json = by_door.get_json(), by_flask.get_json()
    assert (door_json["status"], flask_json["status"]) == ("accepted", "accepted")
    assert (door_json["ticket_id"], flask_json["ticket_id"]) == (300, 301)
    assert by_door.get_data().endswith(b"}\n") and by_flask.get_data().endswith(b"}\n")
    assert count_rows(engine, WebhookEvent) == 2 and count_jobs(engine) == 2


def test_the_door_gives_refusals_to_flask_with_the_body(app: Flask, engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    """A bad signature is refused by the route (reason, failed-signature limit), once, and the
    refused body is still there for it to read; a good one right after is accepted by the door."""
    raw = body(envelope(310, "open", "solved", datetime.now(timezone.utc), event_id="door-refused"))
    caplog.set_level("INFO", logger="feedbackloop.loop.receive")
    refused = _through(app.wsgi_app, raw, signed_headers(raw, secret="not-the-secret"))
    assert refused.status_code == 401 and "signature" in refused.get_json()["message"]
    outcomes = [r.getMessage() for r in caplog.records if r.getMessage().startswith("webhook ")]
    assert len(outcomes) == 1 and outcomes[0].startswith("webhook refused (HTTP 401"), outcomes
    accepted = _through(app.wsgi_app, raw, signed_headers(raw))
    assert accepted.get_json()["status"] == "accepted"
    assert count_rows(engine, WebhookEvent) == 1
    outcomes = [r.getMessage() for r in caplog.records if r.getMessage().startswith("webhook ")]
    assert outcomes[1:] == ["webhook accepted (HTTP 200)"]


def test_a_delivery_without_content_length_goes_through_flask(app: Flask, engine: Engine) -> None:
    """Chunked uploads (no Content-Length) are read by Flask's route; still stored once."""
    import io

    from werkzeug.test import EnvironBuilder

    raw = body(envelope(320, "open", "solved", datetime.now(timezone.utc), event_id="door-chunked"))
    environ = EnvironBuilder(path="/webhooks/zendesk", method="POST", input_stream=io.BytesIO(raw),
                             headers={**signed_headers(raw), "Transfer-Encoding": "chunked"}).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input_terminated"] = True
    statuses: list[str] = []
    answer = b"".join(app.wsgi_app(environ, lambda status, headers, exc=None: statuses.append(status)))
    assert statuses == ["200 OK"] and json.loads(answer)["status"] == "accepted"
    assert count_rows(engine, WebhookEvent) == 1 and count_jobs(engine) == 1


def test_a_store_that_fails_in_the_door_is_answered_by_flask_once(app: Flask, engine: Engine,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The database refusing the door's write: Flask's route tries again and answers; one event."""
    from feedbackloop.loop import receive

    real, calls = receive.ingest_event, []

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(receive, "ingest_event", flaky)
    raw = body(envelope(330, "open", "solved", datetime.now(timezone.utc), event_id="door-flaky"))
    answer = _through(app.wsgi_app, raw, signed_headers(raw))
    assert answer.status_code == 200 and answer.get_json()["status"] == "accepted"
    assert len(calls) == 2 and count_rows(engine, WebhookEvent) == 1 and count_jobs(engine) == 1
