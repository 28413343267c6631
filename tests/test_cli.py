"""The command line as an admin meets it: clear messages naming the problem, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from conftest import DEMO_ONCE, SECRET_KEY
from feedbackloop.cli import cli
from feedbackloop.jobs import queue as jobs
from feedbackloop.store.db import make_session_factory, session_scope, utcnow
from feedbackloop.store.models import Job


@pytest.fixture
def env(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A production-like environment pointing at the test database, run from an empty directory."""
    monkeypatch.chdir(tmp_path)
    values = {
        "FEEDBACKLOOP_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "FEEDBACKLOOP_SECRET_KEY": SECRET_KEY,
        "ZENDESK_SUBDOMAIN": "acme",
        "ZENDESK_EMAIL": "bot@acme.example",
        "ZENDESK_API_TOKEN": "token-123",
        "ZENDESK_WEBHOOK_SECRET": "whsec-123",
    }
    for name in [n for n in os.environ if n.startswith(("FEEDBACKLOOP_", "ZENDESK_"))]:
        monkeypatch.delenv(name)
    return values


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def test_jobs_shows_the_queue_dead_jobs_and_retries_one(env: dict[str, str], engine: Engine) -> None:
    factory = make_session_factory(engine)
    now = utcnow()
    with session_scope(factory) as session:
        jobs.enqueue(session, "send_survey", "survey:1", {"survey_id": 1}, now=now, ticket_id=5)
        dead = jobs.enqueue(session, "write_rating", "rating:1", {}, now=now, ticket_id=6)
        assert dead is not None
        dead.state, dead.result = "dead", "gave up after 8 tries: 500 from Zendesk"
        dead_id = dead.id
    code, out = run(env, "jobs")
    assert code == 0 and "pending=1" in out and "dead=1" in out
    code, out = run(env, "jobs", "--dead")
    assert code == 0 and str(dead_id) in out and "500 from Zendesk" in out
    code, out = run(env, "jobs", "--retry", str(dead_id))
    assert code == 0 and "queued again" in out
    with session_scope(factory) as session:
        assert session.get(Job, dead_id).state == "pending"  # type: ignore[union-attr]
    code, out = run(env, "jobs", "--retry", "999999")
    assert code == 1 and "not a dead job" in out


@pytest.mark.parametrize("name, value, message", [
    ("FEEDBACKLOOP_SECRET_KEY", "", "FEEDBACKLOOP_SECRET_KEY is required"),
    ("FEEDBACKLOOP_SURVEY_DELAY", "soon", "FEEDBACKLOOP_SURVEY_DELAY must be a number"),
    ("FEEDBACKLOOP_SURVEY_SCALE", "stars", "FEEDBACKLOOP_SURVEY_SCALE must be one of"),
    ("ZENDESK_API_URL", "http://zendesk.example.com", "ZENDESK_API_URL"),
    ("ZENDESK_EMAIL", "", "ZENDESK_EMAIL"),
])
def test_a_bad_setting_stops_serve_with_a_message_naming_it(env: dict[str, str], name: str, value: str,
                                                            message: str) -> None:
    code, out = run({**env, name: value}, "serve", "--port", "0")
    assert code != 0 and message in out and "Traceback" not in out


def test_worker_refuses_an_unmigrated_database(env: dict[str, str], tmp_path: Path) -> None:
    code, out = run({**env, "FEEDBACKLOOP_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}, "worker")
    assert code == 1 and "feedbackloop db upgrade" in out


def test_db_upgrade_is_repeatable(env: dict[str, str], tmp_path: Path) -> None:
    fresh = {**env, "FEEDBACKLOOP_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    for _ in range(2):
        code, out = run(fresh, "db", "upgrade")
        assert code == 0, out


@DEMO_ONCE
def test_demo_runs_the_whole_loop_and_prints_the_summary(tmp_path: Path) -> None:
    """README command 1, small: a sandbox, the service, customers, a summary; exits with --once."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDBACKLOOP_", "ZENDESK_"))}
    result = subprocess.run([sys.executable, "-m", "feedbackloop", "demo", "--once", "--tickets", "20", "--port", "0"],
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for line in ("tickets", "surveys sent", "response rate", "CSAT (4-5 of 5)", "CSAT by category",
                 "review tasks opened", "Zendesk API calls made by feedbackloop"):
        assert line in out, line
    assert "Traceback" not in result.stderr
    assert (tmp_path / "feedbackloop-demo.db").exists()


def test_sandbox_command_serves_the_zendesk_api(tmp_path: Path) -> None:
    import socket
    import time

    import requests

    from feedbackloop.runtime import sandbox_credentials

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "feedbackloop", "sandbox", "--port", str(port)], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        creds = sandbox_credentials()
        auth = (f"{creds['email']}/token", creds["api_token"])
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/api/v2/tickets.json", auth=auth, timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "sandbox did not start"
                time.sleep(0.2)
        assert answer.status_code == 200 and "tickets" in answer.json()
        assert requests.get(f"http://127.0.0.1:{port}/api/v2/tickets.json", timeout=2).status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=10)
        assert process.stdout is not None
        process.stdout.close()
