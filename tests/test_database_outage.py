"""Nothing accepted is lost; nothing retryable is refused as final.

Zendesk retries a webhook answered 503 (or 409, 429), never one answered 500. So when the
database cannot be reached, every request is answered 503 with Retry-After, and every delivery
answered 200 is stored. On PostgreSQL the database really goes away mid-load: the app reaches it
through a loopback proxy the test cuts for a few seconds.
"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from conftest import signed_headers, signed_post
from factories import envelope
from feedbackloop.app import create_app
from feedbackloop.core.settings import Settings
from feedbackloop.runtime import serve_in_thread
from feedbackloop.store.db import make_engine
from feedbackloop.store.models import WebhookEvent
from feedbackloop.wiring.services import build_services
from tcp_proxy import CuttableProxy

DELIVERIES = 300


def delivery(ticket_id: int) -> bytes:
    return json.dumps(envelope(ticket_id, "open", "solved", datetime.now(timezone.utc))).encode()


def test_an_unreachable_database_is_answered_503_with_retry_after(settings: Settings, tmp_path: Any) -> None:
    """Any backend: a database that cannot be opened (its directory is gone)."""
    gone = make_engine(f"sqlite:///{tmp_path}/missing-dir/feedbackloop.db")
    app: Flask = create_app(services=build_services(settings, engine=gone))
    client = app.test_client()
    answer = signed_post(client, delivery(1))
    assert answer.status_code == 503 and answer.get_json()["error"] == "unavailable"
    assert int(answer.headers["Retry-After"]) > 0
    page = client.get("/healthz")
    assert page.status_code == 503


def test_a_form_content_type_does_not_break_the_signature(services: Any, engine: Engine) -> None:
    """The signature is checked over the raw body, whatever Content-Type the sender set."""
    server = serve_in_thread(services, "127.0.0.1", 0)
    try:
        for number, content_type in enumerate(("application/x-www-form-urlencoded",
                                               "multipart/form-data; boundary=x", "text/plain")):
            for chunked in (False, True):  # chunked: past the webhook door, through Flask's own route
                body = delivery(10 + 2 * number + chunked)
                headers = signed_headers(body, extra={"Content-Type": content_type})
                data: Any = iter([body]) if chunked else body
                answer = requests.post(f"{server.url}/webhooks/zendesk", data=data, headers=headers, timeout=10)
                assert answer.status_code == 200, (content_type, chunked, answer.text)
                assert answer.json()["status"] == "accepted"
    finally:
        server.shutdown()
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 6


def test_postgresql_cut_mid_load_every_delivery_stored_or_answered_503(settings: Settings, engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL): SQLite has no server to cut")
    url = engine.url
    proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 5432))
    proxied_url = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    proxied = make_engine(proxied_url)
    services = build_services(settings.with_(database_url=proxied_url), engine=proxied)
    server = serve_in_thread(services, "127.0.0.1", 0)
    bodies = [delivery(1000 + n) for n in range(DELIVERIES)]
    sent = threading.Event()
    counter = iter(range(DELIVERIES))
    lock = threading.Lock()

    def post(body: bytes) -> tuple[int, str | None]:
        with lock:
            number = next(counter)
        if number == DELIVERIES // 3:
            sent.set()
        answer = requests.post(f"{server.url}/webhooks/zendesk", data=body, headers=signed_headers(body),
                               timeout=30)
        return answer.status_code, answer.headers.get("Retry-After")

    def outage() -> None:
        sent.wait(30)
        proxy.cut()
        time.sleep(3)
        proxy.restore()

    try:
        cutter = threading.Thread(target=outage)
        cutter.start()
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(post, bodies))
        cutter.join()
        statuses = [status for status, _ in results]
        assert set(statuses) <= {200, 503}, sorted(set(statuses))
        assert statuses.count(503) > 0, "the outage was not seen: the test proved nothing"
        assert all(retry and int(retry) > 0 for status, retry in results if status == 503)
        with Session(engine) as session:
            stored = session.scalar(select(func.count()).select_from(WebhookEvent))
        assert stored >= statuses.count(200)  # every 200 was committed (a 503 may have committed too)
        # Zendesk redelivers what was answered 503: then every delivery is stored, each once.
        for body, status in zip(bodies, statuses):
            if status == 503:
                again = requests.post(f"{server.url}/webhooks/zendesk", data=body, headers=signed_headers(body),
                                      timeout=30)
                assert again.status_code == 200
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(WebhookEvent)) == DELIVERIES
    finally:
        server.shutdown()
        proxied.dispose()
        proxy.stop()
