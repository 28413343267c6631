"""Part 2, helpdesk economy: solved tickets through the sandbox Zendesk with the real service.

The sandbox and the simulated customers and agents run in this process; the service runs as it is
deployed (gunicorn for the web app, `feedbackloop worker` for the jobs), so neither caps the other
at one core. The sandbox sends signed webhooks over HTTP to the real receiver, the worker calls the
sandbox's REST API through zenpy, customers click their survey links over HTTP. Survey delay 0; a
share of customers rate (scores 1–5), the rest ignore the survey. Every API call the service makes
is in the sandbox's request log, counted by purpose with `demo.format_api_calls`' rules.

Two runs: with the budget out of the way (calls per survey / per rating, and how long the service
takes), and at 200 requests/minute (the smallest Zendesk plan) with three workers and another
integration spending the same account's budget (a steady trickle, and a bulk tool that now and then
empties a minute): the reserve the service keeps free, 429s with Retry-After, the tenant-wide pause,
and whether every job still finishes. Both check every effect happened exactly once (one survey
comment per ticket, one write-back note per rating) from the sandbox's tickets. Both give the
sandbox's account an Update Ticket limit out of the way too (they solve tickets far faster than any
real desk); the third run is about that limit.

The third run, `updates`, is Zendesk's Update Ticket limit: 100 ticket updates a minute per account,
shared with the agents' own updates in the Zendesk UI. Tickets are solved at a steady rate (1,000 an
hour by default: one every 3.6 s, each an agent's reply and solve, two updates of the budget), the
agents' other work takes the rest of their share (half the budget by default, spent evenly), a share
of customers rate a few seconds to a minute after their survey, and the service runs as deployed with
its default pacing (FEEDBACKLOOP_TICKET_UPDATE_LIMIT 100, FEEDBACKLOOP_TICKET_UPDATE_RESERVE 0.5). It
reports Update Ticket calls per solved ticket and per rating, our peak in any 60 s and the budget's
use per minute (ours and the agents'), and every 429. Target: no 429 from our pacing.

    .venv/bin/python bench/economy.py --part free --tickets 10000 --out /tmp/economy-10k.json
    .venv/bin/python bench/economy.py --part tight --out /tmp/economy-tight.json   # ~15 min
    .venv/bin/python bench/economy.py --part updates --minutes 8 --out /tmp/economy-updates.json
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
from bisect import bisect_left, bisect_right
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import requests
from common import BIN, fmt, free_port, log, postgres_available, scratch_database, service_env, verdict
from sqlalchemy import func, select

LINK = re.compile(r"https?://\S+/s/[A-Za-z0-9_.\-]+\?score=(\d)")
CREDS = {"email": "bench@example.com", "api_token": "bench-api-token", "webhook_secret": "bench-webhook-secret-0123"}
UNLIMITED = 1_000_000
WORKER_THREADS = 4
#: The Update Ticket run: Zendesk's limit, the solve rate of the target, the agents' share of the limit.
UPDATES: dict[str, Any] = {"limit": 100, "per_hour": 1_000, "agents_share": 0.5, "rating_share": 0.3,
                           "workers": 2, "minutes": 8.0}
#: Webhooks in flight at once, as Zendesk sends them (the sandbox's default is one at a time, in order).
SENDERS = 4
BULK = "write ratings back (bulk)"  # update_many + its job status polls (demo._purpose)
#: Worker processes without a budget: one runs ~25 jobs/s on this loaded machine, and 10 000 tickets are
#: ~100 000 jobs (one per webhook, then surveys and write-backs).
FREE_WORKERS = 3
#: The budget run: three worker processes, and the rest of the account spending the same budget.
TIGHT_WORKERS = 3
OTHER: dict[str, Any] = {"steady_per_minute": 20, "drain_every": 2}


def quiet() -> None:
    for name in ("werkzeug", "apscheduler", "feedbackloop", "zenpy", "urllib3"):
        logging.getLogger(name).setLevel(logging.ERROR)


def service_processes(database_url: str, sandbox_url: str, port: int, workers: int) -> list[subprocess.Popen[bytes]]:
    """The production layout from docs/admins/install.md: gunicorn -w 2 for the web app, `feedbackloop worker` processes."""
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
    deadline = time.monotonic() + 120  # a loaded machine takes a while to import and start five processes
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


class OtherIntegration:
    """The rest of the account on the same per-minute budget: the agents' apps at a steady rate,
    and in every few budget windows a bulk tool (an import, a sync) that spends all the budget left.

    Zendesk's limit is per account, so the service never has the whole budget. The steady calls
    fit inside the reserve the service keeps free (FEEDBACKLOOP_RATE_RESERVE, 20 %): if that
    reserve is kept they are never refused, except in a window a bulk tool has already emptied.
    The bulk drain is what makes the service meet real 429s with Retry-After.
    """

    def __init__(self, state: Any, *, steady_per_minute: int = 20, drain_every: int = 2,
                 drain_delay: tuple[float, float] = (0.2, 2.0), seed: int = 5) -> None:
        self.state = state
        self.drain_delay = drain_delay  # seconds into the window: the service spends its share in a burst
        self.steady_per_minute = steady_per_minute
        self.drain_every = drain_every
        self.rng = random.Random(seed)
        self.steady_refused_in_reserve = 0  # refused outside a drained window: the reserve was not kept
        self.steady_refused_after_drain = 0
        self.drains: list[dict[str, float]] = []
        self.windows: list[dict[str, Any]] = []  # per budget window: calls by the service, by the others
        self._drained_until = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="other-integration", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self._thread.join(timeout=10)
        return {"steady_per_minute": self.steady_per_minute, "drain_every_minutes": self.drain_every,  # windows
                **self.state.foreign_calls(), "steady_refused_in_reserve": self.steady_refused_in_reserve,
                "steady_refused_after_drain": self.steady_refused_after_drain, "drains": self.drains,
                "windows": self.windows}

    def _run(self) -> None:
        started = time.monotonic()
        drain_at: float | None = None
        owed = 0.0
        window = {"others": 0, "drained": False}
        last: Any = None
        while not self._stop.wait(0.25):
            now = time.monotonic()
            elapsed = now - started
            # Watch the budget's windows (four looks a second): what was spent in each, and by whom.
            seen = self.state.peek_budget()
            if last is not None and seen.resets_in > last.resets_in + 1:  # a new budget window began
                used = last.limit - last.remaining
                self.windows.append({"used": used, "service": used - window["others"], **window,
                                     "left": last.remaining})
                window = {"others": 0, "drained": False}
                # The bulk tool starts at the top of every `drain_every`-th window, while the service
                # is still sending: its workers spend their share within seconds of a reset, then
                # pause at the reserve (a drain 3-15 s in met the service once in three tries).
                if len(self.windows) % self.drain_every == 1:
                    drain_at = now + self.rng.uniform(*self.drain_delay)
            last = seen
            owed += self.steady_per_minute * 0.25 / 60
            while owed >= 1:
                owed -= 1
                allowed, _ = self.state.spend_foreign(1)
                window["others"] += allowed
                if not allowed:
                    if now < self._drained_until:
                        self.steady_refused_after_drain += 1
                    else:
                        self.steady_refused_in_reserve += 1
            if drain_at is not None and now >= drain_at:
                drain_at = None
                left = self.state.peek_budget()
                spent = self.state.spend_foreign(left.remaining)[0] if left.remaining else 0
                window["others"] += spent
                window["drained"] = True
                last = self.state.peek_budget()
                self._drained_until = now + left.resets_in
                self.drains.append({"at": round(elapsed, 1), "spent": spent, "window_left_s": left.resets_in})


def exactly_once(state: Any, ids: list[int]) -> dict[str, int]:
    """Survey comments and write-back notes per ticket, as the sandbox holds them: each must be one."""
    surveys: Counter[int] = Counter()
    notes: Counter[int] = Counter()
    for ticket_id in ids:
        for comment in state.ticket_comments(ticket_id):
            body = comment.get("body") or ""
            if comment.get("public") and LINK.search(body):
                surveys[ticket_id] += 1
            elif not comment.get("public") and "Customer feedback:" in body:
                notes[ticket_id] += 1
    twice = sorted(t for t, n in {**surveys, **notes}.items() if surveys[t] > 1 or notes[t] > 1)
    return {"tickets_surveyed": len(surveys), "tickets_surveyed_twice": sum(1 for n in surveys.values() if n > 1),
            "ratings_written_back": len(notes), "ratings_written_twice": sum(1 for n in notes.values() if n > 1),
            "twice": [evidence(state, ticket_id) for ticket_id in twice[:10]]}


def evidence(state: Any, ticket_id: int) -> dict[str, Any]:
    """What a ticket with a doubled effect went through: its comments and every API call about it."""
    comments = [{"at": c.get("created_at"), "public": c.get("public"), "tail": (c.get("body") or "")[-60:]}
                for c in state.ticket_comments(ticket_id)]
    calls = [{"at": r.at.isoformat(), "method": r.method, "path": r.path, "status": r.status}
             for r in state.api_calls() if f"/{ticket_id}" in r.path or (
                 isinstance(r.body, dict) and str(ticket_id) in str(r.body)[:20000])]
    return {"ticket_id": ticket_id, "comments": comments, "calls": calls}


def honoured(records: list[Any], refusals: list[tuple[Any, int]], grace: float = 2.0) -> dict[str, Any]:
    """Whether the service waited out each Retry-After: its requests sent inside a wait, after a
    grace for calls already in flight when the 429 came (other threads and workers)."""
    ordered = sorted(records, key=lambda r: r.at)
    times = [r.at for r in ordered]
    inside: list[dict[str, Any]] = []
    waits = 0
    last_end = None
    for at, retry_after in sorted(refusals):
        start, end = at + timedelta(seconds=grace), at + timedelta(seconds=retry_after - 1)
        if last_end is not None and at <= last_end:
            continue  # a 429 of the same wait (an in-flight call)
        waits += 1
        last_end = at + timedelta(seconds=retry_after)
        if end > start:
            inside += [{"after_429_s": round((r.at - at).total_seconds(), 1), "retry_after": retry_after,
                        "method": r.method, "path": r.path, "status": r.status}
                       for r in ordered[bisect_right(times, start):bisect_left(times, end)]]
    return {"waits": waits, "requests_inside_waits": len(inside), "inside": inside[:20]}


def peak_minute(records: list[Any]) -> int:
    """Most service requests in any 60 s (sliding)."""
    times = sorted(r.at for r in records)
    best, left = 0, 0
    for right, at in enumerate(times):
        while at - times[left] >= timedelta(seconds=60):
            left += 1
        best = max(best, right - left + 1)
    return best


def run_loop(tickets: int, *, rate_limit: int, rating_share: float, seed: int = 7, kind: str = "postgresql",
             workers: int = 1, timeout: float = 2400, other: dict[str, Any] | None = None) -> dict[str, Any]:
    """Open, answer and solve `tickets`; let customers rate; wait until every job is finished.

    The sandbox (and the simulated customers and agents) run in this process; the service runs as
    it does in production, in its own processes, so neither caps the other at one core (the GIL).
    """
    from sqlalchemy import create_engine

    from feedbackloop.commands.demo import _purpose
    from feedbackloop.helpdesks.sandbox import serve_sandbox
    from feedbackloop.store.models import Job, Rating, Survey

    quiet()
    rng = random.Random(seed)
    with scratch_database(kind, "economy") as database_url:
        sandbox = serve_sandbox(port=0, email=CREDS["email"], api_token=CREDS["api_token"], rate_limit=rate_limit,
                                ticket_update_rate_limit=UNLIMITED)  # this run is not about that limit
        port = free_port()
        procs = service_processes(database_url, sandbox.url, port, workers)
        sandbox.state.set_webhook_target(f"http://127.0.0.1:{port}/webhooks/zendesk", CREDS["webhook_secret"])
        sandbox.state.configure_delivery(senders=SENDERS)
        engine = create_engine(database_url)
        marks: dict[str, float] = {}

        def scalar(statement: Any) -> int:
            with engine.connect() as conn:
                return int(conn.execute(statement).scalar() or 0)

        others = OtherIntegration(sandbox.state, **other) if other else None
        foreign: dict[str, Any] | None = None
        try:
            start = time.perf_counter()
            if others:
                others.start()
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
            if others:
                foreign = others.stop()
            with engine.connect() as conn:
                survey_states = dict(conn.execute(select(Survey.state, func.count()).group_by(Survey.state)).all())
                ratings = int(conn.execute(select(func.count()).select_from(Rating)).scalar() or 0)
                job_states = dict(conn.execute(select(Job.state, func.count()).group_by(Job.state)).all())
                rate_limited = int(conn.execute(select(func.coalesce(func.sum(Job.rate_limited), 0))).scalar() or 0)
                dead = [tuple(row) for row in conn.execute(select(Job.kind, Job.result).where(Job.state == "dead"))]
            records = sandbox.state.api_calls()
            refusals = sandbox.state.rate_refusals()
            once = exactly_once(sandbox.state, ids)
            with engine.connect() as conn:
                for case in once["twice"]:
                    case["jobs"] = [
                        {"kind": j.kind, "state": j.state, "attempts": j.attempts, "rate_limited": j.rate_limited,
                         "args": j.args, "locked_by": j.locked_by, "result": j.result, "last_error": j.last_error,
                         "created": str(j.created_at), "updated": str(j.updated_at)}
                        for j in conn.execute(select(Job).where(Job.ticket_id == case["ticket_id"]).order_by(Job.id))]
        finally:
            if others:
                others.stop()
            stop(*procs)
            sandbox.shutdown()
            engine.dispose()
    return summarise(records, _purpose, tickets=tickets, rate_limit=rate_limit, clicks=clicks, marks=marks,
                     survey_states=survey_states, ratings=ratings, job_states=job_states,
                     rate_limited=rate_limited, dead=dead, database=kind, workers=workers, exactly_once=once,
                     other_integration=foreign, retry_after=honoured(records, refusals),
                     peak_calls_per_minute=peak_minute(records))


def open_and_solve(state: Any, count: int, first: int = 0) -> list[int]:
    """Customers write in, an agent answers and solves: the sandbox sends the webhooks."""
    ids = []
    for index in range(first, first + count):
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
    kind = "postgresql" if postgres_available() else "sqlite"
    log(f"economy: {tickets:,} tickets, {FREE_WORKERS} workers, the budget out of the way")
    free = run_loop(tickets, rate_limit=UNLIMITED, rating_share=0.5, kind=kind, workers=FREE_WORKERS)
    # Alone, not beside the first run: only a service with the machine to itself sends faster than
    # 200 a minute and meets the 429s this run is about.
    tight = run_tight(quick, kind)
    # The Update Ticket limit, also alone: the agents' share of it is simulated in real time.
    updates = run_updates(minutes=1 if quick else UPDATES["minutes"], per_hour=UPDATES["per_hour"],
                          agents_share=UPDATES["agents_share"], rating_share=UPDATES["rating_share"],
                          limit=UPDATES["limit"], workers=UPDATES["workers"], kind=kind)
    return {"free": free, "tight": tight, "updates": updates}


def run_tight(quick: bool, kind: str, tickets: int | None = None) -> dict[str, Any]:
    """The 200 requests/minute run: 3 workers and another integration on the same account, so
    the service meets the reserve it keeps (pacing) and real 429s (a bulk tool empties the budget)."""
    limited = tickets or (30 if quick else 1_000)
    log(f"economy: {limited:,} tickets at 200 requests/minute, {TIGHT_WORKERS} workers, another integration "
        f"({OTHER['steady_per_minute']}/min, and a bulk tool that empties every {OTHER['drain_every']}nd budget window)")
    return run_loop(limited, rate_limit=200, rating_share=0.3, seed=11, kind=kind, workers=TIGHT_WORKERS,
                    other=OTHER)


# --- the Update Ticket limit, shared with the agents ------------------------------------------------


class Agents:
    """The agents' own updates in the Zendesk UI: the solves the bench simulates (a reply and a solve,
    two updates each) and, evenly over the minute, whatever else takes them to `per_minute`."""

    def __init__(self, state: Any, per_minute: float) -> None:
        self.state = state
        self.per_minute = per_minute
        self.topped_up = 0
        self.windows: list[dict[str, int]] = []  # per Update Ticket window: used in all, and by us
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="agents", daemon=True)
        self._started = 0.0

    def start(self) -> None:
        self._started = time.monotonic()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        last: Any = None
        while not self._stop.wait(0.25):
            due = self.per_minute * (time.monotonic() - self._started) / 60
            owed = int(due - self.state.agent_updates())
            if owed > 0:
                self.state.spend_agent_updates(owed)
                self.topped_up += owed
            seen = self.state.peek_ticket_update_budget()
            if last is not None and seen.resets_in > last.resets_in + 1:  # a new window began
                self.windows.append({"used": last.limit - last.remaining, "left": last.remaining})
            last = seen


def is_ticket_update(record: Any) -> bool:
    """PUT /api/v2/tickets/{id}.json: the Update Ticket endpoint."""
    tail = record.path.removesuffix(".json").rsplit("/", 1)
    return record.method == "PUT" and record.path.startswith("/api/v2/tickets/") and tail[-1].isdigit()


def peak_in_window(times: list[Any], seconds: float = 60) -> int:
    """Most events in any `seconds` (sliding)."""
    ordered, best, left = sorted(times), 0, 0
    for right, at in enumerate(ordered):
        while (at - ordered[left]).total_seconds() >= seconds:
            left += 1
        best = max(best, right - left + 1)
    return best


def run_updates(*, minutes: float, per_hour: int, agents_share: float, rating_share: float, limit: int,
                workers: int, kind: str, seed: int = 17) -> dict[str, Any]:
    """Solve tickets at `per_hour` for `minutes` on an account whose Update Ticket limit is `limit`, the
    agents taking `agents_share` of it; customers rate; wait for every write-back."""
    from sqlalchemy import create_engine

    from feedbackloop.commands.demo import _purpose
    from feedbackloop.helpdesks.sandbox import serve_sandbox
    from feedbackloop.store.models import Job, Rating, Survey

    quiet()
    rng = random.Random(seed)
    log(f"economy/updates: {per_hour:,} solved tickets an hour for {minutes:g} min on a {limit}/min Update Ticket "
        f"budget, agents using {agents_share:.0%} of it; {workers} worker(s)")
    with scratch_database(kind, "updates") as database_url:
        sandbox = serve_sandbox(port=0, email=CREDS["email"], api_token=CREDS["api_token"],
                                ticket_update_rate_limit=limit)
        state = sandbox.state
        port = free_port()
        procs = service_processes(database_url, sandbox.url, port, workers)
        state.set_webhook_target(f"http://127.0.0.1:{port}/webhooks/zendesk", CREDS["webhook_secret"])
        state.configure_delivery(senders=SENDERS)
        engine = create_engine(database_url)
        agents = Agents(state, agents_share * limit)
        raters = ThreadPoolExecutor(max_workers=4)
        solved: list[int] = []
        clicks: list[Any] = []
        try:
            started = time.monotonic()
            agents.start()
            gap = 3600 / per_hour
            while time.monotonic() - started < minutes * 60:
                ticket_id = open_and_solve(state, 1, first=len(solved))[0]
                solved.append(ticket_id)
                if rng.random() < rating_share:
                    clicks.append(raters.submit(rate_later, state, ticket_id, rng.uniform(5, 60), rng.choice(
                        (1, 2, 3, 4, 4, 5, 5, 5))))
                time.sleep(max(0.0, started + len(solved) * gap - time.monotonic()))
            arrivals_ended = time.monotonic() - started
            rated = sum(1 for f in clicks if f.result(timeout=600))

            def drained() -> bool:
                with engine.connect() as conn:
                    pending = conn.execute(select(func.count()).select_from(Job).where(Job.state == "pending")).scalar()
                    unwritten = conn.execute(select(func.count()).select_from(Rating)
                                             .where(Rating.written_version < Rating.version)).scalar()
                return state.flush(timeout=0.5) and not pending and not unwritten

            wait(drained, 1800, "the queue")
            drained_at = time.monotonic() - started
            agents.stop()
            with engine.connect() as conn:
                survey_states = dict(conn.execute(select(Survey.state, func.count()).group_by(Survey.state)).all())
                ratings = int(conn.execute(select(func.count()).select_from(Rating)).scalar() or 0)
                job_states = dict(conn.execute(select(Job.state, func.count()).group_by(Job.state)).all())
                dead = [tuple(row) for row in conn.execute(select(Job.kind, Job.result).where(Job.state == "dead"))]
            records = state.api_calls()
            once = exactly_once(state, solved)
        finally:
            agents.stop()
            raters.shutdown(wait=False)
            stop(*procs)
            sandbox.shutdown()
            engine.dispose()
    updates = [r for r in records if is_ticket_update(r)]
    ours_ok = [r for r in updates if 200 <= r.status < 300]
    by_purpose = Counter(_purpose(r.method, r.path, r.body) for r in ours_ok)
    refused = [r for r in records if r.status == 429]
    windows = agents.windows
    sent = int(survey_states.get("sent", 0))
    return {
        "limit": limit, "per_hour": per_hour, "minutes": minutes, "agents_share": agents_share, "workers": workers,
        "database": kind, "solved": len(solved), "surveys_sent": sent, "ratings": ratings, "clicks": rated,
        "survey_states": survey_states, "job_states": job_states, "dead": dead, "exactly_once": once,
        "update_calls": len(ours_ok), "update_calls_by_purpose": dict(by_purpose),
        "bulk_calls": sum(1 for r in records if r.path.endswith("/update_many.json")),
        "updates_per_solved": len(ours_ok) / max(1, len(solved)),
        "survey_updates_per_survey": by_purpose.get("send survey", 0) / max(1, sent),
        "writeback_updates_per_rating": by_purpose.get("write rating back", 0) / max(1, ratings),
        "peak_ours_per_60s": peak_in_window([r.at for r in ours_ok]),
        "windows": windows, "peak_window_all": max((w["used"] for w in windows), default=0),
        "agents_updates": state.agent_updates(), "agents_topped_up": agents.topped_up,
        "refused_429": len(refused), "refused_ticket_updates": sum(1 for r in refused if is_ticket_update(r)),
        "sandbox_update_refusals": len(state.update_refusals()),
        "arrivals_seconds": round(arrivals_ended, 1), "drained_seconds": round(drained_at, 1),
    }


def rate_later(state: Any, ticket_id: int, delay: float, score: int) -> bool:
    """A customer opens the survey `delay` seconds after it arrives and clicks `score`."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        links: dict[int, str] = {}
        for comment in state.ticket_comments(ticket_id):
            for match in LINK.finditer(comment.get("body") or ""):
                links[int(match.group(1))] = match.group(0)
        if score in links:
            time.sleep(delay)
            return requests.get(links[score], timeout=30).status_code == 200
        time.sleep(1.0)
    return False


def updates_markdown(r: dict[str, Any]) -> list[str]:
    """The Update Ticket run as RESULTS.md lines."""
    p = r["update_calls_by_purpose"]
    minutes = r["drained_seconds"] / 60
    return [
        f"Zendesk's Update Ticket limit, {r['limit']}/min per account, shared with the agents: {r['solved']:,} tickets "
        f"solved at {r['per_hour']:,}/hour for {r['minutes']:g} min, the agents taking {r['agents_share']:.0%} of the "
        f"budget ({r['agents_updates']:,} updates: two per solve, {r['agents_topped_up']:,} more spread evenly), "
        f"{r['ratings']:,} ratings; {r['workers']} `feedbackloop worker` processes, default pacing.",
        "",
        "| Update Ticket calls (ours) | per solved ticket | surveys: per survey | write-backs: per rating | bulk jobs "
        "| our peak in any 60 s | budget used in the busiest minute (all) | 429s (all / Update Ticket) | jobs dead |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r['update_calls']:,} | {r['updates_per_solved']:.2f} | {r['survey_updates_per_survey']:.2f} "
        f"| {r['writeback_updates_per_rating']:.2f} | {r['bulk_calls']:,} | {r['peak_ours_per_60s']} of "
        f"{r['limit'] // 2} (ours) | {r['peak_window_all']} of {r['limit']} | {r['refused_429']} / "
        f"{r['refused_ticket_updates']} | {len(r['dead'])} |",
        "",
        f"Target — no 429 from our pacing at {r['per_hour']:,} solved tickets/hour on a {r['limit']}/min account with "
        f"agents using {r['agents_share']:.0%}: {verdict(r['refused_429'] == 0 and not r['dead'])}. "
        f"Ticket updates by purpose: {', '.join(f'{k} {v:,}' for k, v in sorted(p.items()))}; everything written back "
        f"{r['drained_seconds'] - r['arrivals_seconds']:.0f} s after the last solve ({minutes:.1f} min in all).",
    ]


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
    lines += shared_budget_lines(tight)
    for label, r in (("no budget", free), ("200 req/min", tight)):
        once = r.get("exactly_once")
        if once:
            lines += ["", f"Exactly once ({label}): {once['tickets_surveyed']:,} of {r['tickets']:,} tickets have a survey "
                      f"comment, {once['tickets_surveyed_twice']} of them two or more; {once['ratings_written_back']:,} of "
                      f"{r['ratings']:,} ratings have their internal note, {once['ratings_written_twice']} of them two or more."]
    if not tight["throttled"]:
        lines += ["", "**The budget was never exceeded in this run** (the service made fewer than 200 calls in every "
                  "minute), so the 429 path was not exercised here; `tests/helpdesks/zendesk/test_client.py` and "
                  "`tests/jobs/test_jobs.py` cover it with the sandbox's and Zendesk's 429 answers."]
    if tight["dead"] or free["dead"]:
        lines.append(f"Dead jobs: {(free['dead'] + tight['dead'])[:5]}")
    if result.get("updates"):
        lines += ["", *updates_markdown(result["updates"])]
    return lines


def shared_budget_lines(tight: dict[str, Any]) -> list[str]:
    """The 200 req/min run's budget, shared with another integration: pacing, 429s, the reserve."""
    other = tight.get("other_integration")
    if not other:
        return []
    waits = tight.get("retry_after") or {}
    windows = other.get("windows") or []
    calm = [w for w in windows if not w["drained"]]
    drained = [w for w in windows if w["drained"]]
    lines = [
        "",
        f"The budget was shared, as Zendesk's is per account: {tight['workers']} `feedbackloop worker` processes, and "
        f"another integration spending {other['steady_per_minute']} calls a minute plus, early in every "
        f"{other['drain_every_minutes']}nd budget window, a bulk tool that spends all that is left of it "
        f"({len(other['drains'])} times; {other['allowed']:,} of its calls granted, {other['refused']:,} refused). "
        f"The service made {tight['successful_calls']:,} successful calls in {tight['marks']['drained'] / 60:.1f} min "
        f"({fmt(tight['calls_per_minute'], 0)}/min on average, at most {tight.get('peak_calls_per_minute', 0):,} in any "
        f"sliding 60 s, which can span two of the budget's fixed minutes) and received {tight['throttled']:,} 429s with Retry-After, in {waits.get('waits', 0)} waits; "
        f"after a 429 it sent {waits.get('requests_inside_waits', 0)} requests before the Retry-After ran out "
        f"(counting from 2 s after the 429, which calls already in flight may take); jobs recorded "
        f"{tight['rate_limited']:,} rate-limited waits, and {len(tight['dead'])} jobs died.",
    ]
    if windows:
        lines += [
            "",
            f"Budget windows watched (≈, sampled 4×/s): {len(windows)}; in the {len(calm)} without a bulk drain the "
            f"service used at most {max((w['service'] for w in calm), default=0)} of 200 and at least "
            f"{min((w['left'] for w in calm), default=0)} calls were left at the end of each (the reserve, "
            f"FEEDBACKLOOP_RATE_RESERVE 20 % = 40); the other integration's steady calls were refused "
            f"{other['steady_refused_in_reserve']} times outside drained windows and "
            f"{other['steady_refused_after_drain']} times after its own bulk tool emptied a window; "
            f"{len(drained)} windows had a drain.",
        ]
    return lines


def main() -> int:
    """Run one or both economy runs alone and write their raw figures as JSON (run.py does both into RESULTS)."""
    import argparse
    import json
    import os
    import sys
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Helpdesk economy: API calls per survey and per rating, and a 200 req/min budget.")
    parser.add_argument("--part", choices=("free", "tight", "both", "updates"), default="both",
                        help="free: no budget; tight: 200 req/min (default both); updates: the Update Ticket limit")
    parser.add_argument("--tickets", type=int, default=10_000, help="tickets in the free run (default 10 000)")
    parser.add_argument("--workers", type=int, default=FREE_WORKERS,
                        help=f"`feedbackloop worker` processes in the free run (default {FREE_WORKERS})")
    parser.add_argument("--tight-tickets", type=int, default=1_000, help="tickets in the 200 req/min run (default 1 000)")
    parser.add_argument("--out", type=Path, help="write the raw figures here as JSON")
    parser.add_argument("--minutes", type=float, default=UPDATES["minutes"],
                        help=f"updates: minutes of solving (default {UPDATES['minutes']:g})")
    parser.add_argument("--per-hour", type=int, default=UPDATES["per_hour"],
                        help=f"updates: solved tickets per hour (default {UPDATES['per_hour']:,})")
    parser.add_argument("--agents-share", type=float, default=UPDATES["agents_share"],
                        help=f"updates: share of the Update Ticket budget the agents use (default {UPDATES['agents_share']})")
    args = parser.parse_args()
    if min(args.tickets, args.workers, args.tight_tickets) < 1:
        parser.error("--tickets, --workers and --tight-tickets must be at least 1")
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    kind = "postgresql" if postgres_available() else "sqlite"
    result: dict[str, Any] = {"database": kind, "load": {"start": _loadavg()}}
    if args.part in ("free", "both"):
        log(f"economy: {args.tickets:,} tickets, {args.workers} worker(s), the budget out of the way")
        result["free"] = run_loop(args.tickets, rate_limit=UNLIMITED, rating_share=0.5, kind=kind, workers=args.workers)
        result["load"]["free"] = _loadavg()
    if args.part in ("tight", "both"):
        result["tight"] = run_tight(quick=False, kind=kind, tickets=args.tight_tickets)
        result["load"]["tight"] = _loadavg()
    if args.part == "updates":
        result["updates"] = run_updates(minutes=args.minutes, per_hour=args.per_hour, agents_share=args.agents_share,
                                        rating_share=UPDATES["rating_share"], limit=UPDATES["limit"],
                                        workers=UPDATES["workers"], kind=kind)
        result["load"]["updates"] = _loadavg()
        print("\n".join(updates_markdown(result["updates"])), file=sys.stderr)
    text = json.dumps(result, default=str, indent=1)
    if args.out:
        args.out.write_text(text)
    print(text if not args.out else f"wrote {args.out}", file=sys.stdout)
    return 0


def _loadavg() -> str:
    try:
        with open("/proc/loadavg") as handle:
            return " ".join(handle.read().split()[:3])
    except OSError:
        return "?"


if __name__ == "__main__":
    raise SystemExit(main())
