"""`feedbackloop demo`: the whole loop on loopback, with a sandbox Zendesk and simulated customers.

Time is compressed (survey delay of a second instead of a day) but nothing else is faked: the
sandbox sends signed webhooks over HTTP to the real receiver, the job runner calls the sandbox's
REST API through zenpy, and customers click their survey links over HTTP.
"""

from __future__ import annotations

import logging
import random
import re
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import requests

from feedbackloop.commands import demo_story
from feedbackloop.core.settings import Settings, redact_url
from feedbackloop.helpdesks.base import Account
from feedbackloop.insight.reports import format_summary, summarize
from feedbackloop.runtime import sandbox_credentials, serve_in_thread, start_runner
from feedbackloop.store.db import make_engine, session_scope
from feedbackloop.store.migrate import upgrade
from feedbackloop.wiring.services import build_services

DEMO_DB = "feedbackloop-demo.db"
CATEGORIES = {  # category: (share of tickets, how happy its customers tend to be 0..1)
    "billing": (0.3, 0.85),
    "shipping": (0.3, 0.6),
    "returns": (0.2, 0.7),
    "technical": (0.2, 0.45),
}
CHANNELS = ("email", "web", "chat", "native_messaging")
DEMO_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) feedbackloop-demo-customer"
LINK = re.compile(r"https?://\S+/s/[A-Za-z0-9_.\-]+\?score=(\d)")
REASONS_BAD = ("not_resolved", "too_slow", "unclear")
COMMENTS_BAD = ("Still not working after two tries.", "I waited three days for an answer.",
                "The bot kept sending me the same article <b>again</b> & again.")


@dataclass
class Customer:
    """How one simulated customer behaves."""

    ticket_id: int
    category: str
    behaviour: str  # rate | ignore | reopen | thanks_reply
    score: int


def pick_behaviour(rng: random.Random, happiness: float) -> tuple[str, int]:
    roll = rng.random()
    if roll < 0.08:
        return "reopen", 0
    if roll < 0.13:
        return "thanks_reply", 0
    if roll < 0.40:
        return "ignore", 0
    score = 5 if rng.random() < happiness * 0.8 else 4 if rng.random() < happiness else rng.choice((1, 2, 3))
    return "rate", score


def _free_port(preferred: int) -> int:
    if preferred:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", preferred))
                return preferred
            except OSError:
                click.echo(f"port {preferred} is busy; using a free port instead")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


DEMO_TICKET_UPDATE_LIMIT = 100_000


def demo_settings(base: Settings, port: int, sandbox_url: str, database: str | None = None) -> Settings:
    """Compressed time, a throwaway secret, the sandbox as the Zendesk account.

    The demo writes sandbox tickets and made-up ratings: it uses its own SQLite file (started afresh
    each run) and never FEEDBACKLOOP_DATABASE_URL, which may name a production database. Only an
    explicit `--database URL` points it elsewhere.
    """
    creds = sandbox_credentials()
    database_url = database
    if database_url is None:
        Path(DEMO_DB).unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(DEMO_DB + suffix).unlink(missing_ok=True)
        database_url = f"sqlite:///{DEMO_DB}"
    return base.with_(
        database_url=database_url,
        secret_key=base.secret_key or secrets.token_urlsafe(32),
        admin_token=base.admin_token or secrets.token_urlsafe(24),  # the dashboard's login (printed at the end)
        public_url=f"http://127.0.0.1:{port}",
        survey_delay=1.0,
        survey_cooldown=0,
        rating_settle=3.0,  # a click counts after 3 s instead of 300 (the scanner defences still apply)
        reopen_window=3600,
        poll_interval=0.2,
        rate_limit_survey=0,  # every simulated customer clicks from 127.0.0.1: one "client" to the limiter
        zendesk=Account(subdomain="sandbox", email=creds["email"], api_token=creds["api_token"],
                        webhook_secret=creds["webhook_secret"], api_url=sandbox_url),
        demo=True,
    )


def run_demo(base: Settings, *, tickets: int, once: bool, port: int, seed: int,
             database: str | None = None) -> None:
    """Start sandbox + service, run the customers, print the summary."""
    from feedbackloop.helpdesks.sandbox import serve_sandbox

    _quiet_logs()
    rng = random.Random(seed)
    creds = sandbox_credentials()
    # The demo squeezes a day of tickets into seconds, so its account has no Update Ticket limit to
    # speak of (Zendesk's is 100 a minute, agents included); bench/economy.py paces against the real one.
    sandbox = serve_sandbox(host="127.0.0.1", port=0, email=creds["email"], api_token=creds["api_token"],
                            ticket_update_rate_limit=DEMO_TICKET_UPDATE_LIMIT)
    port = _free_port(port)
    bot_id = demo_story.ai_user(sandbox.state)  # the AI's own Zendesk user: handoffs are moves away from it
    app_key, app_public_key = demo_story.app_keys()  # the sidebar app's key (ZAF's signed loads)
    settings = demo_settings(base, port, sandbox.url, database).with_(
        ai_user_ids=(bot_id,), app_public_key=app_public_key, app_audience=demo_story.APP_AUDIENCE)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    services = build_services(settings, engine=engine)
    with session_scope(services.factory) as session:  # 75 days of history before today's live run
        from feedbackloop.store.db import utcnow

        history = demo_story.backfill_history(session, random.Random(seed + 2), utcnow(), CATEGORIES)
    click.echo(f"history: {history} solved tickets over the last {demo_story.HISTORY_DAYS} days (database only)")
    runner, scheduler = start_runner(services, threads=4)
    server = serve_in_thread(services, "127.0.0.1", port, runner=runner)
    sandbox.state.set_webhook_target(f"{server.url}/webhooks/zendesk", creds["webhook_secret"])
    click.echo(f"sandbox Zendesk at {sandbox.url}   feedbackloop at {server.url}   "
               f"database {redact_url(settings.database_url)}")
    try:
        agent = demo_story.AiAgent(server.url, settings.admin_token or "", random.Random(seed + 1))
        story_rng = random.Random(seed + 3)

        def on_ticket(ticket_id: int, category: str) -> None:  # the AI decides; sometimes hands over
            agent.decide(ticket_id, category)
            demo_story.hand_over(sandbox.state, agent, ticket_id, bot_id, story_rng)

        customers = open_and_solve(sandbox.state, rng, tickets, on_ticket=on_ticket)
        _wait("surveys going out", lambda: _surveys_out(sandbox.state, customers), len(customers))
        answer_surveys(sandbox.state, customers, rng)
        demo_story.override_some(sandbox.state, agent, rng, settings.override_tag)
        demo_story.sidebar_overrides(server.url, agent, app_key, sandbox.state.agent_id, story_rng)
        _wait("write-backs and review tasks", lambda: _drained(services, sandbox.state), 1, total_label=False)
        if demo_story.review_some(sandbox.state, story_rng):  # reviewers give verdicts on the tasks opened
            _wait("review verdicts", lambda: _drained(services, sandbox.state), 1, total_label=False)
        with session_scope(services.factory) as session:
            summary = summarize(session, "default")
        click.echo("")
        click.echo(format_summary(summary))
        click.echo("")
        click.echo(format_api_calls(sandbox.state.api_calls(), summary.surveys_sent, summary.ratings))
        click.echo("")
        links = [link for c in customers for link in (list(_survey_links(sandbox.state, c.ticket_id).values())[:1]
                                                      or [demo_story.page_link(sandbox.state, c.ticket_id) or ""]) if link]
        click.echo(demo_story.next_steps(server.url, settings.admin_token or "", settings.database_url,
                                              settings.secret_key, links))
        if not once:
            click.echo(f"\nStill serving: survey pages at {server.url}/s/..., health at {server.url}/healthz. Ctrl-C to stop.")
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown(wait=False)
        server.shutdown()
        sandbox.shutdown()
        runner.shutdown()
        engine.dispose()


def open_and_solve(state: Any, rng: random.Random, count: int,
                   on_ticket: Callable[[int, str], None] | None = None) -> list[Customer]:
    """Customers write in; agents answer and solve; the sandbox sends the webhooks."""
    customers: list[Customer] = []
    names = list(CATEGORIES)
    weights = [CATEGORIES[n][0] for n in names]
    with click.progressbar(range(count), label="tickets opened and solved") as bar:
        for index in bar:
            category = rng.choices(names, weights)[0]
            behaviour, score = pick_behaviour(rng, CATEGORIES[category][1])
            ticket_id = state.simulate_customer_ticket(
                name=f"Customer {index + 1}", email=f"customer{index + 1}@example.net",
                subject=f"Question about {category}", body=f"Hello, I need help with {category}.",
                channel=rng.choice(CHANNELS), tags=[f"category_{category}"],
            )
            if on_ticket is not None:  # the AI agent logs its decision (demo_story.AiAgent)
                on_ticket(ticket_id, category)
            state.simulate_agent_reply(ticket_id, "Thanks for reaching out, this is sorted now.")
            state.simulate_status(ticket_id, "solved")
            customers.append(Customer(ticket_id, category, behaviour, score))
    for customer in customers:
        if customer.behaviour == "reopen":  # "that did not help": before the survey went out
            state.simulate_customer_reply(customer.ticket_id, "Sorry, this did not fix it, it is still broken?")
    return customers


def _survey_links(state: Any, ticket_id: int) -> dict[int, str]:
    links: dict[int, str] = {}
    for comment in state.ticket_comments(ticket_id):
        for match in LINK.finditer(comment.get("body") or ""):
            links[int(match.group(1))] = match.group(0)
    return links


def _surveys_out(state: Any, customers: list[Customer]) -> int:
    return sum(1 for c in customers if c.behaviour == "reopen" or _survey_links(state, c.ticket_id)
               or demo_story.page_link(state, c.ticket_id))


def answer_surveys(state: Any, customers: list[Customer], rng: random.Random) -> None:
    """Click links, fill in the form, reply to the email, or do nothing."""
    session = requests.Session()
    session.headers["User-Agent"] = DEMO_BROWSER  # a person's browser (python-requests reads as a scanner)
    with click.progressbar(customers, label="customers answering") as bar:
        for customer in bar:
            links = _survey_links(state, customer.ticket_id)
            demo_story.scanner_first(session, links, rng)  # a mail scanner, now and then (not counted)
            page_url = demo_story.page_link(state, customer.ticket_id) if not links else None
            if customer.behaviour == "rate" and page_url:  # messaging: one link, the score sent from the page
                demo_story.answer_on_page(session, page_url, customer.score)
            elif customer.behaviour == "rate" and customer.score in links:
                page = session.get(links[customer.score], timeout=10)
                if customer.score <= 3 and rng.random() < 0.7:
                    _submit_reason(session, page, links[customer.score], customer.score, rng)
            elif customer.behaviour == "thanks_reply" and links:
                state.simulate_customer_reply(customer.ticket_id, rng.choice(("Thanks!", "5", "great, cheers")))


def _submit_reason(session: requests.Session, page: requests.Response, link: str, score: int,
                   rng: random.Random) -> None:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if not match:
        return
    session.post(link.split("?")[0], data={"csrf_token": match.group(1), "score": str(score),
                                           "reason": rng.choice(REASONS_BAD), "comment": rng.choice(COMMENTS_BAD)},
                 timeout=10)


def _drained(services: Any, state: Any) -> int:
    """1 once every webhook is delivered and no job is due or running (0 until then)."""
    from sqlalchemy import func, select

    from feedbackloop.jobs import queue as jobs
    from feedbackloop.store.db import utcnow
    from feedbackloop.store.models import Job

    if not state.flush(timeout=1.0):
        return 0
    with session_scope(services.factory) as session:
        depth = jobs.queue_depth(session, utcnow())
        settling = session.scalar(select(func.count()).select_from(Job).where(
            Job.kind == "settle_answer", Job.state == "pending"))  # clicks waiting out their settle time
    return 1 if depth.get("due", 0) == 0 and depth.get("running", 0) == 0 and not settling else 0


def _quiet_logs() -> None:
    """The progress bars are the demo's output; request and scheduler logs would drown them."""
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        for name in ("werkzeug", "apscheduler", "feedbackloop"):
            logging.getLogger(name).setLevel(logging.WARNING)


def _wait(label: str, progress: Callable[[], int], target: int, timeout: float = 120, total_label: bool = True) -> None:
    """Show a bar while the service works in the background; stop at the target or the timeout."""
    deadline = time.monotonic() + timeout
    done = 0
    with click.progressbar(length=target, label=label) as bar:
        while time.monotonic() < deadline:
            now_done = min(target, progress())
            bar.update(now_done - done)
            done = now_done
            if done >= target:
                return
            time.sleep(0.25)
    click.echo(f"  (stopped waiting for {label} after {int(timeout)} s; the summary shows where things stand)")


def _purpose(method: str, path: str, body: Any) -> str:
    """What a request to the sandbox was for, read from its method, path and body."""
    if path.endswith("/update_many.json") or "/job_statuses/" in path:
        return "write ratings back (bulk)"
    ticket = body.get("ticket", {}) if isinstance(body, dict) else {}
    tags = ticket.get("tags") or ticket.get("additional_tags") or []
    if method == "PUT" and "csat_sent" in tags and ticket.get("comment", {}).get("public", False):
        return "send survey"
    if method == "PUT" and any(t.startswith("csat_") and t[5:].isdigit() for t in tags):
        return "write rating back"
    if method == "POST" and path.rstrip("/").endswith("/tickets.json"):
        return "create review task"
    if method == "PUT":
        return "other ticket update"
    return "read"


def format_api_calls(records: list[Any], surveys_sent: int, ratings: int) -> str:
    """Every call feedbackloop made to the (sandbox) Zendesk API, by purpose, with the ratios the
    per-ticket update limit and the account's rate budget care about."""
    counts: dict[str, int] = {}
    paths: dict[str, int] = {}
    for record in records:
        purpose = _purpose(record.method, record.path, record.body)
        if not 200 <= record.status < 300:
            purpose = f"answered {record.status or 'no response'}"
        counts[purpose] = counts.get(purpose, 0) + 1
        shape = f"{record.method} {re.sub(r'/(?:[0-9]+|V3-[0-9a-f]+)(?=[/.])', '/{id}', record.path)}"
        paths[shape] = paths.get(shape, 0) + 1
    lines = [f"Zendesk API calls made by feedbackloop: {len(records)}"]
    for purpose, count in sorted(counts.items(), key=lambda item: -item[1]):
        lines.append(f"  {purpose:<28}{count:>6}")
    lines.append(f"  per survey sent             {counts.get('send survey', 0) / max(1, surveys_sent):>6.2f} "
                 "(calls to send one survey)")
    write_backs = counts.get("write rating back", 0) + counts.get("write ratings back (bulk)", 0)
    lines.append(f"  per rating                  {write_backs / max(1, ratings):>6.2f} "
                 "(calls to write one rating back; a long queue goes out in bulk, 100 tickets a call)")
    lines.append("By endpoint:")
    for shape, count in sorted(paths.items(), key=lambda item: -item[1]):
        lines.append(f"  {shape:<44}{count:>6}")
    return "\n".join(lines)
