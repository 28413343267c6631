"""Operability: structured logs with the ids of the work, /metrics, /healthz, the gunicorn config.

The loop runs for real (sandbox Zendesk over HTTP, our receiver on a loopback port, the job runner);
log lines are captured with our own formatter and parsed back, metrics are read from /metrics.
"""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import re
import runpy
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine

from conftest import SECRET_KEY, WEBHOOK_SECRET, load_fixture, signed_post
from feedbackloop.app import create_app
from feedbackloop.core import logs
from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import Settings, log_settings_from_env
from feedbackloop.jobs import queue as jobs
from feedbackloop.runner.scheduler import Runner
from feedbackloop.runtime import serve_in_thread
from feedbackloop.store.db import session_scope
from feedbackloop.store.models import WebhookEvent
from feedbackloop.web.prom import serve_metrics
from feedbackloop.wiring.services import Services, build_services
from test_crash import wait_for
from test_flow import LINK, path_of, rows, settle, solved_ticket, survey_links
from test_serve_process import free_port

ROOT = Path(__file__).resolve().parents[2]
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def live(services: Services, sandbox: Any) -> Iterator[Any]:
    """Our app on a real loopback port, with the sandbox delivering its webhooks to it (as in test_flow)."""
    server = serve_in_thread(services, "127.0.0.1", 0)
    sandbox.set_webhook_target(f"{server.url}/webhooks/zendesk", WEBHOOK_SECRET)
    yield server
    server.shutdown()


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Every line logged during the test, through our JSON formatter (as a deployment writes them)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.ContextFilter())
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("feedbackloop", "werkzeug")}
    for name in levels:
        logging.getLogger(name).setLevel(logging.INFO)
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def parsed(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def scrape(client: FlaskClient) -> Samples:
    answer = client.get("/metrics")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.content_type.startswith("text/plain")
    return samples_of(answer.get_data(as_text=True))


def samples_of(text: str) -> Samples:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


# --- logs -----------------------------------------------------------------------------------


def test_json_log_lines_carry_tenant_and_ticket_ids_through_the_loop(
        live: Any, sandbox: Any, runner: Runner, log_lines: io.StringIO) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    link = survey_links(sandbox, ticket_id)[2]
    assert requests.get(live.url + path_of(link), timeout=10,  # through the real server, as a browser
                        headers={"User-Agent": "Mozilla/5.0"}).status_code == 200
    settle(sandbox, runner)

    lines = parsed(log_lines)
    for line in lines:
        assert {"time", "level", "logger", "message"} <= set(line)
        assert line["time"].endswith("Z") and datetime.fromisoformat(line["time"]).utcoffset() == timedelta(0)
    received = [x for x in lines if x["logger"] == "feedbackloop.loop.receive" and x.get("ticket_id") == ticket_id]
    assert received and all(x["tenant_id"] == "default" and x["request_id"] and x["method"] == "POST"
                            for x in received)
    assert any(x["message"].startswith("webhook accepted") and x.get("event_id") for x in received)
    ran = [x for x in lines if x["logger"] == "feedbackloop.jobs.queue" and x.get("ticket_id") == ticket_id]
    kinds = {x["job_kind"] for x in ran}
    assert {"process_ticket", "send_survey", "write_rating"} <= kinds
    assert all(x["tenant_id"] == "default" and isinstance(x["job_id"], int) and x["duration_ms"] >= 0 for x in ran)
    (access,) = [x for x in lines if x["logger"] == "werkzeug" and x.get("method") == "GET"]
    assert access["path"] == "/s/[token]" and access["status"] == 200


def test_survey_tokens_never_appear_in_log_lines(live: Any, sandbox: Any, runner: Runner, client: FlaskClient,
                                                 log_lines: io.StringIO) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    links = survey_links(sandbox, ticket_id)
    tokens = {LINK.search(link).group(1) for link in links.values()}  # type: ignore[union-attr]
    for score in (5, 1):
        assert requests.get(live.url + path_of(links[score]), timeout=10).status_code == 200
    assert requests.get(live.url + "/s/not-a-valid-token-at-all", timeout=10).status_code == 404
    client.get(path_of(links[3]))
    logging.getLogger("feedbackloop.test").exception("boom at %s", links[4], exc_info=ValueError(links[4]))
    settle(sandbox, runner)

    text = log_lines.getvalue()
    assert "/s/[token]" in text
    assert not [token for token in tokens if token in text]
    assert "not-a-valid-token-at-all" not in text


def record(name: str, message: str, args: Any) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)


def test_access_lines_keep_their_fields_and_drop_headers() -> None:
    atoms = {"m": "GET", "U": "/s/abc.DEF-123", "s": "200", "M": 7, "q": "score=5",
             "r": "GET /s/abc.DEF-123?score=5 HTTP/1.1", "{authorization}i": "Bearer sup3rs3cret",
             "{cookie}i": "session=c00kie", "{x-request-id}o": "req-1",
             "{" + logs.ENVIRON_KEY + "}e": {"tenant_id": "acme", "ticket_id": 42}}
    line = json.loads(logs.JsonFormatter().format(record("gunicorn.access", '%(r)s %({authorization}i)s', atoms)))
    assert line["message"] == "GET /s/[token] 200"
    assert (line["method"], line["path"], line["status"], line["duration_ms"]) == ("GET", "/s/[token]", 200, 7)
    assert (line["tenant_id"], line["ticket_id"], line["request_id"]) == ("acme", 42, "req-1")
    assert "sup3rs3cret" not in json.dumps(line) and "c00kie" not in json.dumps(line) and "abc.DEF" not in str(line)

    werkzeug = record("werkzeug", '127.0.0.1 - - [date] "%s" %s %s',
                      ("\x1b[33mGET /s/abc.DEF?score=2 HTTP/1.1\x1b[0m", "404", "-"))
    line = json.loads(logs.JsonFormatter().format(werkzeug))
    assert (line["method"], line["path"], line["status"]) == ("GET", "/s/[token]", 404)

    with logs.bind(tenant_id="acme", job_id=9):
        text = logs.make_formatter("text").format(record("feedbackloop.x", "sent %s", ("/s/abc.DEF",)))
    assert text.endswith("feedbackloop.x: sent /s/[token] [tenant_id=acme job_id=9]")
    assert logs.current() == {}


def test_log_settings_are_validated() -> None:
    assert log_settings_from_env({}).format is None  # text on a terminal, JSON otherwise
    assert log_settings_from_env({"FEEDBACKLOOP_LOG_FORMAT": "JSON", "FEEDBACKLOOP_LOG_LEVEL": "debug"}) \
        .level == "DEBUG"
    with pytest.raises(ConfigError, match="FEEDBACKLOOP_LOG_FORMAT"):
        log_settings_from_env({"FEEDBACKLOOP_LOG_FORMAT": "xml"})
    with pytest.raises(ConfigError, match="FEEDBACKLOOP_LOG_LEVEL"):
        log_settings_from_env({"FEEDBACKLOOP_LOG_LEVEL": "loud"})


# --- metrics --------------------------------------------------------------------------------


def test_metrics_count_a_loop_with_a_duplicate_a_429_and_a_rating(
        live: Any, sandbox: Any, runner: Runner, client: FlaskClient, clock: Any, engine: Engine) -> None:
    before = scrape(client)
    sandbox.inject(429, count=1, retry_after=1, method="PUT", path_prefix="/tickets")
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    clock.advance(2)  # past Retry-After
    settle(sandbox, runner)
    first = next(d for d in sandbox.deliveries if d.ticket_id == ticket_id and d.status_code == 200)
    again = client.post("/webhooks/zendesk", data=first.body, headers=dict(first.headers))
    assert again.get_json()["status"] == "duplicate"
    assert client.get(path_of(survey_links(sandbox, ticket_id)[4])).status_code == 200
    settle(sandbox, runner)
    after = scrape(client)

    accepted = len(rows(engine, WebhookEvent))
    assert delta(before, after, "feedbackloop_webhooks_total", tenant="default", outcome="accepted") == accepted
    assert delta(before, after, "feedbackloop_webhooks_total", tenant="default", outcome="duplicate") == 1
    assert delta(before, after, "feedbackloop_helpdesk_rate_limited_total", tenant="default") == 1
    puts = sandbox.api_calls("PUT", "/tickets")
    assert [r.status for r in puts] == [429, 200, 200]  # the survey (after the 429), the write-back
    calls = "feedbackloop_helpdesk_calls_total"
    assert delta(before, after, calls, tenant="default", method="PUT", status="429") == 1
    assert delta(before, after, calls, tenant="default", method="PUT", status="200") == 2
    total = sum(v - value(before, name, **dict(labels)) for (name, labels), v in after.items()
                if name == calls and dict(labels)["tenant"] == "default")
    assert total == len(sandbox.request_log)  # every request Zendesk saw, once
    assert delta(before, after, "feedbackloop_jobs_run_total", kind="send_survey", outcome="retry") == 1
    assert delta(before, after, "feedbackloop_jobs_run_total", kind="send_survey", outcome="done") == 1
    assert delta(before, after, "feedbackloop_jobs_run_total", kind="write_rating", outcome="done") == 1

    assert value(after, "feedbackloop_database_up") == 1
    assert value(after, "feedbackloop_survey_funnel", state="sent") == 1
    assert value(after, "feedbackloop_survey_funnel", state="rated") == 1
    assert value(after, "feedbackloop_survey_funnel", state="cancelled") == 0
    assert value(after, "feedbackloop_job_queue_depth", state="dead") == 0
    assert value(after, "feedbackloop_job_queue_depth", state="done") >= 3
    assert value(after, "feedbackloop_job_queue_due") == 0
    assert value(after, "feedbackloop_job_oldest_due_age_seconds") == 0
    assert value(after, "feedbackloop_review_tasks_open") == 0  # a 4 is not a bad rating
    assert ("feedbackloop_job_runner_heartbeat_age_seconds", ()) in after


def test_refused_webhooks_are_counted_and_unknown_tenants_do_not_become_labels(client: FlaskClient) -> None:
    before = scrape(client)
    assert client.post("/webhooks/zendesk", data=b"{}", headers={"Content-Type": "application/json"}) \
        .status_code == 401
    assert client.post("/webhooks/zendesk/nobody-at-all", data=b"{}").status_code == 404
    after = scrape(client)
    assert delta(before, after, "feedbackloop_webhooks_total", tenant="default", outcome="refused") == 1
    assert delta(before, after, "feedbackloop_webhooks_total", tenant="unknown", outcome="refused") == 1
    assert not [labels for (name, labels) in after if ("tenant", "nobody-at-all") in labels]


def test_metrics_are_open_on_loopback_only_unless_a_token_is_set(services: Services, settings: Settings) -> None:
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    client = create_app(services=services).test_client()
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", environ_base=remote).status_code == 403
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403  # a local proxy

    services.settings = settings.with_(metrics_token="scrape-token-0123456789")
    client = create_app(services=services).test_client()
    assert client.get("/metrics", environ_base=remote).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.get("/metrics", environ_base=remote, headers=wrong).status_code == 401
    right = {"Authorization": "Bearer scrape-token-0123456789"}
    answer = client.get("/metrics", environ_base=remote, headers=right)
    assert answer.status_code == 200 and b"feedbackloop_database_up 1.0" in answer.data


# --- /healthz -------------------------------------------------------------------------------


def test_healthz_reports_the_oldest_due_job_and_a_runner_in_another_process(
        client: FlaskClient, services: Services, runner: Runner) -> None:
    now = datetime.now(timezone.utc)
    with session_scope(services.factory) as session:
        jobs.enqueue(session, "no_such_kind", "late", {}, now=now, run_after=now - timedelta(seconds=90))
    body = client.get("/healthz").get_json()
    assert {"status", "database", "job_runner", "queue"} <= set(body)  # the keys probes already read
    assert body["status"] == "ok" and body["database"] == "ok" and body["job_runner"] == "off"
    assert body["queue"]["pending"] == 1 and body["queue"]["due"] == 1
    assert 90 <= body["oldest_due_job_age_seconds"] < 120

    runner.run_until_idle()  # ticks, so its heartbeat is in the database (no runner in this app)
    body = client.get("/healthz").get_json()
    assert body["job_runner"] == "ok" and body["job_runner_age_seconds"] < 30
    assert body["oldest_due_job_age_seconds"] == 0


def test_a_stored_event_waiting_for_its_job_counts_as_a_due_job_until_the_runner_queues_it(
        client: FlaskClient, runner: Runner) -> None:
    """The receiver stores events alone; until the runner's feeder gives one its job, the queue's figures
    (/healthz, /metrics) count it as a pending job, due since it arrived."""
    raw = load_fixture("zendesk/webhooks/ticket.status_changed__solved.json")
    assert signed_post(client, raw).get_json()["status"] == "accepted"
    body = client.get("/healthz").get_json()
    assert body["queue"]["unqueued"] == 1 and body["queue"]["pending"] == 1 and body["queue"]["due"] == 1
    metrics = scrape(client)
    assert value(metrics, "feedbackloop_events_unqueued") == 1
    assert value(metrics, "feedbackloop_job_queue_due") == 1
    assert value(metrics, "feedbackloop_job_queue_depth", state="pending") == 1

    runner.run_until_idle()
    body = client.get("/healthz").get_json()
    assert body["queue"]["unqueued"] == 0 and body["queue"]["due"] == 0 and body["queue"].get("done", 0) >= 1
    assert value(scrape(client), "feedbackloop_events_unqueued") == 0


def test_healthz_is_503_and_metrics_say_so_when_the_database_is_down(settings: Settings, engine: Engine) -> None:
    broken_url = ("postgresql+psycopg://postgres@127.0.0.1:9/nowhere" if engine.dialect.name == "postgresql"
                  else "sqlite:////nonexistent-directory/feedbackloop.db")
    services = build_services(settings.with_(database_url=broken_url))
    client = create_app(services=services).test_client()
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json()["status"] == "error" and answer.get_json()["database"] == "unreachable"
    metrics = client.get("/metrics")
    assert metrics.status_code == 200 and b"feedbackloop_database_up 0.0" in metrics.data
    services.dispose()


# --- gunicorn -------------------------------------------------------------------------------


def test_gunicorn_config_imports_and_its_logconfig_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEEDBACKLOOP_BIND", "127.0.0.1:8123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "")  # restored after the test, whatever the config sets
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:8123" and config["workers"] == 3
    assert config["worker_class"] in ("sync", "feedbackloop.gunicorn_worker.HeadFirstWorker")
    assert config["preload_app"] is False
    assert config["wsgi_app"] == "feedbackloop.app:create_app()"
    assert callable(config["child_exit"]) and callable(config["on_starting"])
    assert Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).is_dir()  # several workers: multiprocess mode

    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        logging.config.dictConfig(config["logconfig_dict"])
        (handler,) = root.handlers
        assert isinstance(handler.formatter, (logs.JsonFormatter, logs.TextFormatter))
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])


def test_gunicorn_serves_json_access_logs_and_sums_metrics_over_workers(engine: Engine, tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "FEEDBACKLOOP_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "FEEDBACKLOOP_SECRET_KEY": SECRET_KEY,
        "FEEDBACKLOOP_BIND": f"127.0.0.1:{port}",
        "FEEDBACKLOOP_LOG_FORMAT": "json",
        "WEB_CONCURRENCY": "2",
        "FEEDBACKLOOP_WEB_THREADS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
        "ZENDESK_SUBDOMAIN": "acme",
        "ZENDESK_EMAIL": "bot@example.com",
        "ZENDESK_API_TOKEN": "token-not-used",
        "ZENDESK_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    with open(tmp_path / "gunicorn.log", "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
                                  env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        def up() -> bool:
            try:
                return requests.get(f"{base}/healthz", timeout=2).status_code == 200
            except requests.RequestException:  # not listening yet, or a worker still importing the app
                return False

        wait_for(up, timeout=30, what="gunicorn to answer /healthz")
        for _ in range(6):  # new connections: both workers take some
            assert requests.post(f"{base}/webhooks/zendesk", data=b"{}", timeout=5).status_code == 401
        assert requests.get(f"{base}/s/SeCrEtToKeN.abc?score=5", timeout=5).status_code == 404
        samples = samples_of(requests.get(f"{base}/metrics", timeout=5).text)
        assert value(samples, "feedbackloop_webhooks_total", tenant="default", outcome="refused") == 6
        assert value(samples, "feedbackloop_database_up") == 1
    finally:
        server.terminate()
        server.wait(timeout=30)
    time.sleep(0.1)
    text = (tmp_path / "gunicorn.log").read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]  # every line is JSON
    access = [x for x in lines if x["logger"] == "gunicorn.access"]
    assert len({x["request_id"] for x in access}) == len(access)
    refused = [x for x in access if x["path"] == "/webhooks/zendesk"]
    assert len(refused) == 6 and all(x["status"] == 401 and x["tenant_id"] == "default" for x in refused)
    (survey,) = [x for x in access if x["path"] == "/s/[token]"]
    assert survey["status"] == 404 and survey["method"] == "GET" and "duration_ms" in survey
    assert "SeCrEtToKeN" not in text and WEBHOOK_SECRET not in text
    assert any(x["logger"] == "gunicorn.error" for x in lines)  # gunicorn's own lines, in JSON too
    assert re.search(r'"logger": "feedbackloop.loop.receive"', text)


def test_the_cli_logging_setup_writes_json_off_a_terminal_and_keeps_zenpy_quiet() -> None:
    expected = logs.TextFormatter if sys.stderr.isatty() else logs.JsonFormatter
    assert isinstance(logs.make_formatter(None), expected)
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    stream = io.StringIO()
    try:
        root.handlers[:] = []
        logs.configure("json", "INFO", stream=stream)
        again = logs.configure("json", "INFO", stream=stream)
        assert root.handlers == [again]  # replaces its own handler, never stacks them
        with logs.bind(tenant_id="acme", ticket_id=7):
            logging.getLogger("feedbackloop.cli_test").info("hello")
        logging.getLogger("zenpy").info("auth=Basic c2VjcmV0")
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    (line,) = parsed(stream)
    assert (line["message"], line["tenant_id"], line["ticket_id"]) == ("hello", "acme", 7)
    root.addHandler(logging.NullHandler())
    try:
        assert logs.configure("json", "INFO") is None  # someone else's handlers (pytest's): left alone
    finally:
        root.handlers.pop()


def test_a_worker_serves_its_own_metrics_on_a_private_port(services: Services, runner: Runner) -> None:
    runner.run_until_idle()
    port = free_port()
    server, thread = serve_metrics(services.factory, runner, "127.0.0.1", port)
    try:
        samples = samples_of(requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert value(samples, "feedbackloop_database_up") == 1
    assert ("feedbackloop_job_runner_heartbeat_age_seconds", ()) in samples
