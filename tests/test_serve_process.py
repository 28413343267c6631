"""`feedbackloop serve` as a user runs it: a real process, configured by the environment, pointed
(ZENDESK_API_URL) at the sandbox, fed signed Events-API webhooks with duplicates, 429s at the
start, a ticket closed before its survey and a reopen. We read every API call it makes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from conftest import SANDBOX_EMAIL, SANDBOX_TOKEN, SECRET_KEY, WEBHOOK_SECRET
from feedbackloop.store.models import Survey
from test_crash import wait_for, wait_healthy
from test_flow import solved_ticket, survey_comments


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_runs_the_loop_against_a_zendesk_stand_in(engine: Engine, sandbox_server: Any, sandbox: Any,
                                                         tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "FEEDBACKLOOP_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "FEEDBACKLOOP_SECRET_KEY": SECRET_KEY,
        "FEEDBACKLOOP_SURVEY_DELAY": "3",
        "FEEDBACKLOOP_POLL_INTERVAL": "0.2",
        "ZENDESK_SUBDOMAIN": "acme",
        "ZENDESK_EMAIL": SANDBOX_EMAIL,
        "ZENDESK_API_TOKEN": SANDBOX_TOKEN,
        "ZENDESK_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "ZENDESK_API_URL": sandbox_server.url,
    }
    upgrade = subprocess.run([sys.executable, "-m", "feedbackloop", "db", "upgrade"], env=env, cwd=tmp_path,
                             capture_output=True, text=True, timeout=60)
    assert upgrade.returncode == 0, upgrade.stderr
    with open(tmp_path / "serve.log", "wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "feedbackloop", "serve", "--port", str(port)],
                                  env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"

        wait_healthy(base, "feedbackloop serve to answer /healthz")
        sandbox.set_webhook_target(f"{base}/webhooks/zendesk", WEBHOOK_SECRET)
        sandbox.configure_delivery(duplicate_share=0.5, shuffle=True, seed=3)
        sandbox.inject(429, count=3, retry_after=1, path_prefix="/tickets")

        happy = [solved_ticket(sandbox, email=f"c{n}@example.net") for n in range(4)]
        closed = solved_ticket(sandbox, email="closed@example.net")
        sandbox.simulate_close(closed)
        reopened = solved_ticket(sandbox, email="reopen@example.net")
        sandbox.simulate_customer_reply(reopened, "That did not work, the app still crashes on start?")

        def all_sent() -> bool:
            with Session(engine) as session:
                states = {s.ticket_id: s.state for s in session.scalars(select(Survey))}
            return all(states.get(t) == "sent" for t in happy)

        wait_for(all_sent, timeout=60, what="every happy ticket's survey")
        assert sandbox.flush(10)
        time.sleep(1.0)
        for ticket_id in happy:
            assert len(survey_comments(sandbox, ticket_id)) == 1, f"ticket {ticket_id}"
        assert survey_comments(sandbox, closed) == [] and survey_comments(sandbox, reopened) == []
        with Session(engine) as session:
            states = {s.ticket_id: s.state for s in session.scalars(select(Survey))}
        # Reopened before its survey: cancelled, or (when the reopen was processed together with the
        # solve) never scheduled at all. Either way nothing went out (checked above).
        assert states.get(reopened) in (None, "cancelled")
        assert states.get(closed) in (None, "undeliverable")  # closed before it was due: no call at all
        assert not [r for r in sandbox.api_calls() if r.path == f"/api/v2/tickets/{closed}.json" and r.method == "PUT"]
        statuses = [d.status_code for d in sandbox.deliveries if d.status_code is not None]
        assert statuses and all(code == 200 for code in statuses), "every delivery answered 200"
        assert any(d.duplicate for d in sandbox.deliveries)
        assert [r.status for r in sandbox.api_calls()][:1] == [429]
        assert "Traceback" not in (tmp_path / "serve.log").read_text()
    finally:
        server.terminate()
        server.wait(timeout=15)
