"""Scale-out on PostgreSQL: gunicorn with 2 web workers and 3 `feedbackloop worker` processes on one
database, the sandbox delivering with 30 % duplicates in shuffled order, workers SIGKILLed at random
moments and restarted. Every eligible ticket is surveyed exactly once, every rating written back
exactly once, no job is lost or stuck, and no request gets a 5xx.

FEEDBACKLOOP_SCALE_TICKETS sets the size (default 150 in the test suite; the README reports a run
with 3 000).
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from conftest import SANDBOX_EMAIL, SANDBOX_TOKEN, SECRET_KEY, WEBHOOK_SECRET
from feedbackloop.models import Job, Rating, Survey
from test_crash import wait_for, wait_healthy
from test_flow import LINK

TICKETS = int(os.environ.get("FEEDBACKLOOP_SCALE_TICKETS", "150"))
WORKERS = 3
CHAOS_SECONDS = (3.0, 6.0)  # a worker is SIGKILLed every 3-6 s


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Fleet:
    """The processes of one deployment, with a chaos monkey for the workers."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env, self.cwd = env, cwd
        self.workers: list[subprocess.Popen[bytes]] = []
        self.kills = 0
        self.web: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._chaos: threading.Thread | None = None

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        with open(self.cwd / log, "ab") as out:
            return subprocess.Popen(args, env=self.env, cwd=self.cwd, stdout=out, stderr=subprocess.STDOUT)

    def start_web(self, port: int) -> None:
        self.web = self._spawn([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                                "--access-logfile", "-", "feedbackloop.app:create_app()"], "web.log")

    def start_worker(self, index: int) -> None:
        process = self._spawn([sys.executable, "-m", "feedbackloop", "worker", "--threads", "2"], f"worker-{index}.log")
        if index < len(self.workers):
            self.workers[index] = process
        else:
            self.workers.append(process)

    def chaos(self, seed: int = 11) -> None:
        """SIGKILL a random worker every 3-6 s and start a fresh one in its place."""
        rng = random.Random(seed)

        def run() -> None:
            while not self._stop.wait(rng.uniform(*CHAOS_SECONDS)):
                index = rng.randrange(len(self.workers))
                self.workers[index].send_signal(signal.SIGKILL)
                self.workers[index].wait(timeout=10)
                self.kills += 1
                self.start_worker(index)

        self._chaos = threading.Thread(target=run, daemon=True)
        self._chaos.start()

    def calm(self) -> None:
        self._stop.set()
        if self._chaos is not None:
            self._chaos.join(timeout=15)

    def stop(self) -> None:
        self.calm()
        for process in [*self.workers, *([self.web] if self.web else [])]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers, *([self.web] if self.web else [])]:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def test_many_processes_duplicates_shuffling_and_sigkill_keep_every_effect_exactly_once(
    engine: Engine, sandbox_server: Any, sandbox: Any, tmp_path: Path,
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("scale-out runs on PostgreSQL (set TEST_DATABASE_URL); SQLite is the single-process default")
    port = free_port()
    env = {
        **os.environ,
        "FEEDBACKLOOP_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "FEEDBACKLOOP_SECRET_KEY": SECRET_KEY,
        "FEEDBACKLOOP_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "FEEDBACKLOOP_SURVEY_DELAY": "0",
        "FEEDBACKLOOP_JOB_LEASE": "8",
        "FEEDBACKLOOP_POLL_INTERVAL": "0.2",
        "ZENDESK_SUBDOMAIN": "acme",
        "ZENDESK_EMAIL": SANDBOX_EMAIL,
        "ZENDESK_API_TOKEN": SANDBOX_TOKEN,
        "ZENDESK_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "ZENDESK_API_URL": sandbox_server.url,
    }
    sandbox.configure(rate_limit=1_000_000, ticket_update_limit=1000)
    logs = Path(os.environ.get("FEEDBACKLOOP_SCALE_LOGS", tmp_path))
    logs.mkdir(parents=True, exist_ok=True)
    fleet = Fleet(env, logs)
    started = time.monotonic()
    try:
        fleet.start_web(port)
        for index in range(WORKERS):
            fleet.start_worker(index)

        wait_healthy(f"http://127.0.0.1:{port}", "gunicorn")
        sandbox.set_webhook_target(f"http://127.0.0.1:{port}/webhooks/zendesk", WEBHOOK_SECRET)
        sandbox.configure_delivery(duplicate_share=0.3, shuffle=True, seed=5)
        fleet.chaos()

        rng = random.Random(3)
        tickets = []
        for n in range(TICKETS):
            ticket_id = sandbox.simulate_customer_ticket(subject=f"Order {n}", body="Where is my parcel?",
                                                         email=f"c{n}@example.net")
            sandbox.simulate_agent_reply(ticket_id, "It ships today.", status="solved")
            tickets.append(ticket_id)
        sandbox.inject(429, count=5, retry_after=1, method="PUT", path_prefix="/tickets")  # a short storm
        sandbox.inject(503, count=5, method="PUT", path_prefix="/tickets")

        def links(ticket_id: int) -> dict[int, str]:
            found: dict[int, str] = {}
            for comment in sandbox.ticket_comments(ticket_id):
                for match in LINK.finditer(comment.get("body") or ""):
                    found[int(match.group(2))] = match.group(0)
            return found

        def surveyed() -> bool:
            with Session(engine) as session:
                return (session.scalar(select(func.count()).select_from(Survey).where(Survey.state == "sent"))
                        or 0) >= TICKETS

        created = time.monotonic()
        wait_for(surveyed, timeout=600, what=f"{TICKETS} surveys")
        phases = {"create": created - started, "survey": time.monotonic() - created}
        raters = [t for t in tickets if rng.random() < 0.5]
        statuses = Counter()
        for ticket_id in raters:
            link = links(ticket_id)[rng.choice((1, 2, 3, 4, 5))]
            statuses[requests.get(link, timeout=10).status_code] += 1

        def written() -> bool:
            with Session(engine) as session:
                rows = session.scalars(select(Rating)).all()
                return len(rows) == len(raters) and all(r.written_version >= r.version for r in rows)

        rated = time.monotonic()
        wait_for(written, timeout=600, what="every rating written back")
        phases["write_back"] = time.monotonic() - rated
        fleet.calm()
        assert sandbox.flush(30)

        def drained() -> bool:
            with Session(engine) as session:
                return not session.scalar(select(func.count()).select_from(Job).where(Job.state == "pending"))

        wait_for(drained, timeout=120, what="the queue to drain")
        elapsed = time.monotonic() - started

        # Exactly once: one survey comment per ticket, one write-back per rating.
        for ticket_id in tickets:
            comments = [c for c in sandbox.ticket_comments(ticket_id) if LINK.search(c.get("body") or "")]
            assert len(comments) == 1, f"ticket {ticket_id} has {len(comments)} survey comments"
        # Write-backs go out one by one or, when the queue is long, in bulk (update_many): count
        # each rating's internal note on its ticket, whichever way it went.
        write_backs = Counter(
            ticket_id for ticket_id in tickets for c in sandbox.ticket_comments(ticket_id)
            if not c["public"] and "Customer feedback:" in (c.get("body") or "")
        )
        assert set(write_backs) == set(raters) and set(write_backs.values()) == {1}, write_backs
        with Session(engine) as session:
            states = Counter(session.scalars(select(Job.state)))
        assert states.get("dead", 0) == 0 and states.get("pending", 0) == 0, states
        deliveries = [d.status_code for d in sandbox.deliveries if d.status_code is not None]
        assert deliveries and all(code < 500 for code in deliveries)
        assert set(statuses) == {200}
        assert fleet.kills >= 3
        report = (f"scale-out: {TICKETS} tickets, {len(raters)} ratings, {len(deliveries)} deliveries "
                  f"({sum(1 for d in sandbox.deliveries if d.duplicate)} duplicates), {fleet.kills} worker kills, "
                  f"{sandbox.api_call_count()} API calls, {elapsed:.1f} s "
                  f"({', '.join(f'{k} {v:.1f} s' for k, v in phases.items())})")
        print(report)
        (Path(os.environ.get("FEEDBACKLOOP_SCALE_REPORT", tmp_path / "scale.txt"))).write_text(report + "\n")
    finally:
        fleet.stop()
