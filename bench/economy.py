"""Part 2, helpdesk economy: solved tickets through the sandbox Zendesk with the real service.

The sandbox and the simulated customers and agents run in this process; the service runs as it is
deployed (gunicorn for the web app, `feedbackloop worker` for the jobs), so neither caps the other
at one core. The sandbox sends signed webhooks over HTTP to the real receiver, the worker calls the
sandbox's REST API through zenpy, customers click their survey links over HTTP. Survey delay 0; a
share of customers rate (scores 1–5), the rest ignore the survey. Every API call the service makes
is in the sandbox's request log, counted by purpose with `demo.format_api_calls`' rules.

Two runs: with the budget out of the way (calls per survey / per rating, and how long the service
takes), and at 200 requests/minute (the smallest Zendesk plan): 429s with Retry-After, the
tenant-wide pause, and whether every job still finishes.
"""

from __future__ import annotations

import logging
import math
import random
import re
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
from sqlalchemy import func, select

from common import BIN, fmt, free_port, log, postgres_available, scratch_database, service_env, verdict

LINK = re.compile(r"https?://\S+/s/[A-Za-z0-9_.\-]+\?score=(\d)")
CREDS = {"email": "bench@example.com", "api_token": "bench-api-token", "webhook_secret": "bench-webhook-secret-0123"}
UNLIMITED = 1_000_000
WORKER_THREADS = 4
#: Webhooks in flight at once, as Zendesk sends them (the sandbox's default is one at a time, in order).
SENDERS = 4
BULK = "write ratings back (bulk)"  # update_many + its job status polls (demo._purpose)


def quiet() -> None:
    for name in ("werkzeug", "apscheduler", "feedbackloop", "zenpy", "urllib3"):
        logging.getLogger(name).setLevel(logging.ERROR)


def service_processes(database_url: str, sandbox_url: str, port: int, workers: int) -> list[subprocess.Popen[bytes]]:
    """The production layout from the README: gunicorn -w 2 for the web app, `feedbackloop worker` processes."""
    env = service_env(
        database_url, ZENDESK_SUBDOMAIN="sandbox", ZENDESK_EMAIL=CREDS["email"], ZENDESK_API_TOKEN=CREDS["api_token"],
        ZENDESK_WEBHOOK_SECRET=CREDS["webhook_secret"], ZENDESK_API_URL=sandbox_url,
        FEEDBACKLOOP_PUBLIC_URL=f"http://127.0.0.1:{port}", FEEDBACKLOOP_SURVEY_DELAY="0",
        FEEDBACKLOOP_SURVEY_COOLDOWN="0", FEEDBACKLOOP_REOPEN_WINDOW="3600", FEEDBACKLOOP_POLL_INTERVAL="0.2",
        FEEDBACKLOOP_RECONCILE_INTERVAL="86400",
        FEEDBACKLOOP_RATE_LIMIT_SURVEY="0")  # every simulated customer clicks from 127.0.0.1 (as in the demo)
    quiet_env = {**env, "PYTHONWARNINGS": "ignore"}
    web = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                            "feedbackloop.app:create_app()"], env=quiet_env, cwd=tempfile.gettempdir(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    job_runners = [subprocess.Popen([str(BIN / "feedbackloop"), "worker", "--threads", str(WORKER_THREADS)],
                                    env=quiet_env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL) for _ in range(workers)]
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return [web, *job_runners]
        except requests.RequestException:
            pass
        if time.monotonic() > deadline or any(p.poll() is not None for p in (web, *job_runners)):
            stop(web, *job_runners)
            raise RuntimeError("economy: the service did not start")
        time.sleep(0.2)


def stop(*procs: subprocess.Popen[bytes]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_loop(tickets: int, *, rate_limit: int, rating_share: float, seed: int = 7, kind: str = "postgresql",
             workers: int = 1, timeout: float = 2400) -> dict[str, Any]:
    """Open, answer and solve `tickets`; let customers rate; wait until every job is finished.

    The sandbox (and the simulated customers and agents) run in this process; the service runs as
    it does in production, in its own processes, so neither caps the other at one core (the GIL).
    """
    from sqlalchemy import create_engine

    from feedbackloop.demo import _purpose
    from feedbackloop.helpdesks.sandbox import serve_sandbox
    from feedbackloop.models import Job, Rating, Survey

    quiet()
    rng = random.Random(seed)
    with scratch_database(kind, "economy") as database_url:
        sandbox = serve_sandbox(port=0, email=CREDS["email"], api_token=CREDS["api_token"], rate_limit=rate_limit)
        port = free_port()
        procs = service_processes(database_url, sandbox.url, port, workers)
        sandbox.state.set_webhook_target(f"http://127.0.0.1:{port}/webhooks/zendesk", CREDS["webhook_secret"])
        sandbox.state.configure_delivery(senders=SENDERS)
        engine = create_engine(database_url)
        marks: dict[str, float] = {}

        def scalar(statement: Any) -> int:
            with engine.connect() as conn:
                return int(conn.execute(statement).scalar() or 0)

        try:
            start = time.perf_counter()
            ids = open_and_solve(sandbox.state, tickets)
            marks["solved"] = time.perf_counter() - start
            wait(lambda: scalar(select(func.count()).select_from(Survey).where(Survey.state != "scheduled")) >= tickets,
                 timeout, "surveys")
            marks["surveys"] = time.perf_counter() - start
            raters = [t for t in ids if rng.random() < rating_share]
            clicks = click_links(sandbox.state, raters, rng)
            marks["clicked"] = time.perf_counter() - start

            def drained() -> bool:
                return sandbox.state.flush(timeout=0.5) and not scalar(
                    select(func.count()).select_from(Job).where(Job.state == "pending")) and not scalar(
                    select(func.count()).select_from(Rating).where(Rating.written_version < Rating.version))

            wait(drained, timeout, "write-backs")
            marks["drained"] = time.perf_counter() - start
            with engine.connect() as conn:
                survey_states = dict(conn.execute(select(Survey.state, func.count()).group_by(Survey.state)).all())
                ratings = int(conn.execute(select(func.count()).select_from(Rating)).scalar() or 0)
                job_states = dict(conn.execute(select(Job.state, func.count()).group_by(Job.state)).all())
                rate_limited = int(conn.execute(select(func.coalesce(func.sum(Job.rate_limited), 0))).scalar() or 0)
                dead = [tuple(row) for row in conn.execute(select(Job.kind, Job.result).where(Job.state == "dead"))]
            records = sandbox.state.api_calls()
        finally:
            stop(*procs)
            sandbox.shutdown()
            engine.dispose()
    return summarise(records, _purpose, tickets=tickets, rate_limit=rate_limit, clicks=clicks, marks=marks,
                     survey_states=survey_states, ratings=ratings, job_states=job_states,
                     rate_limited=rate_limited, dead=dead, database=kind, workers=workers)


def open_and_solve(state: Any, count: int) -> list[int]:
    """Customers write in, an agent answers and solves: the sandbox sends the webhooks."""
    ids = []
    for index in range(count):
        ticket_id = state.simulate_customer_ticket(
            name=f"Customer {index + 1}", email=f"customer{index + 1}@example.net",
            subject="Question about billing", body="Hello, I need help with my invoice.", channel="email",
            tags=["category_billing"])
        state.simulate_agent_reply(ticket_id, "Thanks for reaching out, this is sorted now.")
        state.simulate_status(ticket_id, "solved")
        ids.append(ticket_id)
    return ids


def click_links(state: Any, ticket_ids: list[int], rng: random.Random) -> int:
    """Each rater clicks one score link of their survey (over HTTP, four customers at a time)."""
    plans = []
    for ticket_id in ticket_ids:
        links: dict[int, str] = {}
        for comment in state.ticket_comments(ticket_id):
            for match in LINK.finditer(comment.get("body") or ""):
                links[int(match.group(1))] = match.group(0)
        score = rng.choice((1, 2, 3, 4, 4, 5, 5, 5))
        if score in links:
            plans.append(links[score])
    local = threading.local()

    def click(url: str) -> int:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        return session.get(url, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(click, plans))
    return sum(1 for status in statuses if status == 200)


def wait(done: Any, timeout: float, label: str) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"economy: {label} not finished after {timeout:.0f} s")
        time.sleep(0.5)


def summarise(records: list[Any], purpose_of: Any, **facts: Any) -> dict[str, Any]:
    purposes: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    for record in records:
        statuses[record.status] += 1
        if 200 <= record.status < 300:
            purposes[purpose_of(record.method, record.path, record.body)] += 1
    sent = int(facts["survey_states"].get("sent", 0))
    ratings = facts["ratings"]
    marks = facts["marks"]
    minutes = marks["drained"] / 60
    successful = sum(purposes.values())
    return {
        **facts,
        "api_calls": len(records),
        "successful_calls": successful,
        "purposes": dict(purposes),
        "statuses": {str(k): v for k, v in statuses.items()},
        "surveys_sent": sent,
        "per_survey": purposes.get("send survey", 0) / max(1, sent),
        "writeback_calls": purposes.get("write rating back", 0) + purposes.get(BULK, 0),
        "per_rating": (purposes.get("write rating back", 0) + purposes.get(BULK, 0)) / max(1, ratings),
        "calls_per_minute": successful / minutes if minutes else None,
        # fixed one-minute windows: the first `limit` calls go at once, each further `limit` needs a new window
        "floor_minutes": (math.ceil(successful / facts["rate_limit"]) - 1) if facts["rate_limit"] < UNLIMITED else None,
        "throttled": statuses.get(429, 0),
    }


def run(quick: bool, tickets: int | None = None) -> dict[str, Any]:
    tickets = tickets or (100 if quick else 10_000)
    limited = 30 if quick else 1_000
    kind = "postgresql" if postgres_available() else "sqlite"
    log(f"economy: {tickets:,} tickets, the budget out of the way")
    free = run_loop(tickets, rate_limit=UNLIMITED, rating_share=0.5, kind=kind)
    # Alone, not beside the first run: only a service with the machine to itself sends faster than
    # 200 a minute and meets the 429s this run is about.
    log(f"economy: {limited:,} tickets at 200 requests/minute")
    tight = run_loop(limited, rate_limit=200, rating_share=0.3, seed=11, kind=kind)
    return {"free": free, "tight": tight}


def markdown(result: dict[str, Any], quick: bool) -> list[str]:
    free, tight = result["free"], result["tight"]
    lines = [
        "| run | tickets | surveys sent | ratings | API calls (all) | send survey | write rating back (one / bulk) | review tasks | reads | other | calls per survey | calls per rating | 429s | jobs dead | total time |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, r in (("no budget", free), ("200 req/min", tight)):
        p = r["purposes"]
        other = r["successful_calls"] - sum(p.get(k, 0) for k in ("send survey", "write rating back", BULK, "create review task", "read"))
        lines.append(
            f"| {label} | {r['tickets']:,} | {r['surveys_sent']:,} | {r['ratings']:,} | {r['api_calls']:,} | "
            f"{p.get('send survey', 0):,} | {p.get('write rating back', 0):,} / {p.get(BULK, 0):,} | {p.get('create review task', 0):,} | "
            f"{p.get('read', 0):,} | {other:,} | {r['per_survey']:.2f} | {r['per_rating']:.2f} | {r['throttled']:,} | "
            f"{len(r['dead'])} | {r['marks']['drained']:.0f} s |")
    lines += [
        "",
        f"Targets: calls to send one survey ≤ 1: {verdict(free['per_survey'] <= 1 and tight['per_survey'] <= 1)}; "
        f"calls to write one rating back ≤ 1: {verdict(free['per_rating'] <= 1 and tight['per_rating'] <= 1)}; "
        f"no job dead at 200 req/min: {verdict(not tight['dead'])}.",
        "",
        f"Without a budget, {free['tickets']:,} tickets took {free['marks']['drained']:.0f} s end to end "
        f"(opening and solving them in the sandbox {free['marks']['solved']:.0f} s, every survey out by "
        f"{free['marks']['surveys']:.0f} s, {free['clicks']:,} customers' clicks by {free['marks']['clicked']:.0f} s, "
        f"every write-back by {free['marks']['drained']:.0f} s).",
        "",
        f"At 200 requests/minute, {tight['tickets']:,} tickets needed {tight['successful_calls']:,} successful calls: "
        f"at least {fmt(tight['floor_minutes'], 1)} min at the budget; they took {tight['marks']['drained'] / 60:.1f} min "
        f"({fmt(tight['calls_per_minute'], 0)} successful calls/min). The sandbox answered {tight['throttled']:,} requests "
        f"with 429 + Retry-After; jobs recorded {tight['rate_limited']:,} rate-limited waits (not counted as failed "
        f"attempts); job states at the end: {', '.join(f'{k} {v:,}' for k, v in sorted(tight['job_states'].items()))}.",
    ]
    if not tight["throttled"]:
        lines += ["", "**The budget was never exceeded in this run** (the service made fewer than 200 calls in every "
                  "minute), so the 429 path was not exercised here; `tests/helpdesks/zendesk/test_client.py` and "
                  "`tests/test_jobs.py` cover it with the sandbox's and Zendesk's 429 answers."]
    if tight["dead"] or free["dead"]:
        lines.append(f"Dead jobs: {(free['dead'] + tight['dead'])[:5]}")
    return lines
