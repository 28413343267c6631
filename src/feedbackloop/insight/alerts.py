"""CSAT drop alerts and the outbound alert webhook.

A scheduled `drop_alerts` job compares each segment's current period with its trailing baseline
(one-sided two-proportion z-test), controls the false-discovery rate across every segment tested
(Benjamini–Hochberg), and for each significant drop stores one `DropAlert` (unique per segment and
period, however often the check runs), logs it, opens one review task "CSAT drop: <segment>" in
the helpdesk, and, when configured, posts it to a Slack-compatible webhook. Bad ratings go to the
same webhook. Every outbound call is a durable job: retried with backoff, dead with a reason.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import requests
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackloop.core.errors import ConfigError, Permanent, Retryable
from feedbackloop.core.redact import redact
from feedbackloop.core.settings import ConfigProblems, Problem, Settings, switch
from feedbackloop.helpdesks.base import NewTicket
from feedbackloop.insight import sentiment
from feedbackloop.insight.metrics import (
    DIMENSIONS,
    PERIODS,
    Counts,
    MetricsQuery,
    Window,
    bucket_start,
    rating_counts,
    ratings_behind,
    segment_label,
    shift,
)
from feedbackloop.insight.stats import benjamini_hochberg, drop_p_value, wilson
from feedbackloop.jobs import queue as jobs
from feedbackloop.jobs.step import StepContext
from feedbackloop.loop import records
from feedbackloop.store.models import DropAlert, Rating

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_DIMENSIONS = ("intent", "channel", "resolver", "group", "agent", "product", "language", "brand")
SIGNATURE_HEADER = "X-Feedbackloop-Signature"
TIMESTAMP_HEADER = "X-Feedbackloop-Timestamp"
WEBHOOK_TIMEOUT = 10.0
#: What the drop task lists of the tickets behind the drop.
WORST_TICKETS = 10
#: Zendesk shows an external_id with this prefix; a retried create finds the first one by it.
DROP_TASK_TAGS = ("feedback_review", "csat_skip", "feedback_csat_drop")
#: A sentiment drop's task: the shared review tags and its own (a view or trigger can tell it apart).
SENTIMENT_TASK_TAGS = ("feedback_review", "csat_skip", "feedback_sentiment_drop")
DROP_SUBJECT = "CSAT drop: {label}"
SENTIMENT_SUBJECT = "Sentiment drop: {label}"
DROP_NOTE = (
    "CSAT for {label} fell to {current} this {period} (since {start}), from {baseline} over the "
    "{baseline_periods} {period}s before.\n"
    "One-sided two-proportion z-test p = {p:.2g}; Benjamini–Hochberg q = {q:.2g} across {tested} segments "
    "tested (false-discovery rate {fdr:g}).\n\n"
    "Worst tickets this {period}:\n{tickets}\n\n"
    "All tickets behind this figure: {drill}\n\n— feedbackloop · {marker}"
)
WORST_LINE = "#{ticket_id} {score}/5{reason}{comment} {url}"
DROP_TEXT = "CSAT drop: {label}: {current} this {period} vs {baseline} before (q = {q:.2g}). {link}"
SENTIMENT_TEXT = ("Sentiment drop: {label}: AI-handled tickets without a falling sentiment {current} this {period} "
                  "vs {baseline} before (q = {q:.2g}). {link}")
BAD_RATING_TEXT = "Bad rating {score} on ticket #{ticket_id} ({attribution}){reason}{comment} {link}"


# --- configuration ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertConfig:
    """The alert knobs, read from `Settings.extra` (see config.example.env)."""

    webhook_url: str | None = None
    webhook_secret: str | None = None
    period: str = "week"
    baseline_periods: int = 4
    fdr: float = 0.05
    min_n: int = 30
    dimensions: tuple[str, ...] = DEFAULT_DIMENSIONS
    interval: float = 3600.0
    #: Customer text in chat alerts goes through `redact.redact` (FEEDBACKLOOP_ALERT_REDACT=0: as written).
    redact: bool = True


def alert_config(settings: Settings) -> AlertConfig:
    """Validate the alert settings; bad ones raise ConfigProblems (a ConfigError) naming each variable."""
    env = settings.extra
    problems: list[Problem] = []

    def checked(name: str, check: Callable[[], T], fallback: T) -> T:
        try:
            return check()
        except ConfigError as exc:
            problems.append(Problem(name, str(exc)))
            return fallback

    url = env.get("FEEDBACKLOOP_ALERT_WEBHOOK_URL", "").strip() or None
    secret = env.get("FEEDBACKLOOP_ALERT_WEBHOOK_SECRET", "").strip() or None
    if url is not None:
        checked("FEEDBACKLOOP_ALERT_WEBHOOK_URL", lambda: check_webhook_url(url), None)
        if secret is None:
            problems.append(Problem("FEEDBACKLOOP_ALERT_WEBHOOK_SECRET",
                "FEEDBACKLOOP_ALERT_WEBHOOK_SECRET is required when FEEDBACKLOOP_ALERT_WEBHOOK_URL is set "
                "(alerts are HMAC-signed; e.g. the output of python3 -c \"import secrets; print(secrets.token_hex(32))\")"))
    period = env.get("FEEDBACKLOOP_ALERT_PERIOD", "week").strip().lower() or "week"
    if period not in PERIODS:
        problems.append(Problem("FEEDBACKLOOP_ALERT_PERIOD",
                                f"FEEDBACKLOOP_ALERT_PERIOD must be one of {', '.join(PERIODS)} (e.g. week), got {period!r}"))
        period = "week"
    dimensions = tuple(
        d.strip() for d in env.get("FEEDBACKLOOP_ALERT_DIMENSIONS", "").split(",") if d.strip()
    )
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown:
        problems.append(Problem("FEEDBACKLOOP_ALERT_DIMENSIONS",
            f"FEEDBACKLOOP_ALERT_DIMENSIONS: unknown segment {unknown[0]!r} "
            f"(choose from {', '.join(DIMENSIONS)}; e.g. intent,channel)"))
        dimensions = ()
    config = AlertConfig(
        webhook_url=url,
        webhook_secret=secret,
        period=period,
        baseline_periods=int(checked("FEEDBACKLOOP_ALERT_BASELINE_PERIODS",
                                     lambda: _number(env, "FEEDBACKLOOP_ALERT_BASELINE_PERIODS", 4, 1, 52), 4.0)),
        fdr=checked("FEEDBACKLOOP_ALERT_FDR", lambda: _number(env, "FEEDBACKLOOP_ALERT_FDR", 0.05, 0.0001, 0.5), 0.05),
        min_n=int(checked("FEEDBACKLOOP_ALERT_MIN_N", lambda: _number(env, "FEEDBACKLOOP_ALERT_MIN_N", 30, 5, 1_000_000), 30.0)),
        dimensions=dimensions or DEFAULT_DIMENSIONS,
        interval=checked("FEEDBACKLOOP_ALERT_INTERVAL",
                         lambda: _number(env, "FEEDBACKLOOP_ALERT_INTERVAL", 3600, 60, 31 * 86400), 3600.0),
        redact=checked("FEEDBACKLOOP_ALERT_REDACT", lambda: switch(env, "FEEDBACKLOOP_ALERT_REDACT", True), True),
    )
    if problems:
        raise ConfigProblems(problems)
    return config


def _number(env: Any, name: str, default: float, low: float, high: float) -> float:
    raw = str(env.get(name, "")).strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number (e.g. {default:g}), got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low:g} and {high:g} (e.g. {default:g}), got {raw!r}")
    return value


def check_webhook_url(url: str) -> None:
    """https anywhere; plain http only to this machine (a tunnel, a test receiver)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"FEEDBACKLOOP_ALERT_WEBHOOK_URL must be an http(s) URL (e.g. https://hooks.slack.com/services/...), got {url!r}")
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ConfigError("FEEDBACKLOOP_ALERT_WEBHOOK_URL may use plain http only to a loopback address (e.g. http://127.0.0.1:9000/hook); use https")


# --- finding drops ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One tested segment: its counts now and over the baseline, and its p-value."""

    dimension: str
    value: str | None
    current: Counts
    baseline: Counts
    p_value: float


@dataclass(frozen=True)
class DropCheck:
    """One run of the check: the windows compared and every segment tested, with q-values."""

    current: Window
    baseline: Window
    tested: list[Candidate]
    q_values: list[float]

    def drops(self, fdr: float) -> list[tuple[Candidate, float]]:
        """Significant drops, most significant first."""
        found = [
            (c, q)
            for c, q in zip(self.tested, self.q_values)
            if q <= fdr and c.current.k * c.baseline.n < c.baseline.k * c.current.n
        ]
        return sorted(found, key=lambda item: (item[1], item[0].p_value))


def check_windows(config: AlertConfig, now: datetime) -> tuple[Window, Window]:
    """The current period so far, and the `baseline_periods` whole periods before it."""
    start = bucket_start(now, config.period)
    return Window(start, shift(start, config.period, 1)), Window(
        shift(start, config.period, -config.baseline_periods), start
    )


def find_drops(session: Session, tenant_id: str, config: AlertConfig, now: datetime) -> DropCheck:
    """Test every segment with enough ratings on both sides; one GROUP BY per dimension."""
    current, baseline = check_windows(config, now)
    tested: list[Candidate] = []
    for dimension in config.dimensions:
        query = MetricsQuery(
            tenant_id, current.start, current.end, by=(dimension,), baseline_since=baseline.start
        )
        counts = rating_counts(session, query)
        for key in sorted({key for key, _ in counts}, key=lambda k: (k[0] is None, k[0] or "")):
            now_counts = counts.get((key, current.start), Counts())
            base_counts = counts.get((key, baseline.start), Counts())
            if now_counts.n >= config.min_n and base_counts.n >= config.min_n:
                p = drop_p_value(now_counts.k, now_counts.n, base_counts.k, base_counts.n)
                tested.append(Candidate(dimension, key[0], now_counts, base_counts, p))
    return DropCheck(current, baseline, tested, benjamini_hochberg([c.p_value for c in tested]))


def check_drops(session: Session, settings: Settings, tenant_id: str, now: datetime) -> str:
    """The `drop_alerts` job: record each new drop once, log it, queue its task and webhook."""
    config = alert_config(settings)
    check = find_drops(session, tenant_id, config, now)
    found = [record_drop(session, tenant_id, config, check, candidate, q, now)
             for candidate, q in check.drops(config.fdr)]
    # issue 24: a falling customer sentiment on AI-handled tickets is the same kind of alert (sentiment.py)
    test = sentiment.DropTest(config.period, check.current.start, check.current.end, check.baseline.start,
                              config.min_n, config.fdr)
    found += sentiment.check_sentiment_drops(session, test, tenant_id, settings.ai_user_ids, now)
    opened = 0
    for alert in found:
        if alert is None:
            continue
        opened += 1
        log.warning(
            "%s drop: %s: %s this %s vs %s before (p=%.2g, q=%.2g)",
            "Sentiment" if sentiment.is_sentiment_alert(alert) else "CSAT",
            alert.label,
            wilson(alert.current_k, alert.current_n),
            config.period,
            wilson(alert.baseline_k, alert.baseline_n),
            alert.p_value,
            alert.q_value,
        )
        jobs.enqueue(
            session,
            "drop_task",
            f"drop_task:{alert.id}",
            {"alert_id": alert.id},
            now=now,
            tenant_id=tenant_id,
        )
        if config.webhook_url:
            jobs.enqueue(
                session,
                "alert_webhook",
                f"alert:drop:{alert.id}",
                {"kind": "drop", "alert_id": alert.id},
                now=now,
                tenant_id=tenant_id,
            )
    return f"tested {len(check.tested)} segments; {opened} new drop(s)"


def drop_key(config: AlertConfig, start: datetime, label: str) -> str:
    """One alert per segment per period: the unique key the check's reruns collide on."""
    key = f"drop:{config.period}:{start:%Y-%m-%d}:{label}"
    return (
        key
        if len(key) <= 200
        else f"drop:{config.period}:{start:%Y-%m-%d}:" + hashlib.sha256(label.encode()).hexdigest()
    )


def record_drop(
    session: Session,
    tenant_id: str,
    config: AlertConfig,
    check: DropCheck,
    candidate: Candidate,
    q: float,
    now: datetime,
) -> DropAlert | None:
    """Insert the alert; None when this segment's drop this period is already recorded.

    Its parameters are the facts of one drop, written as one row.
    """
    label = segment_label((candidate.dimension,), (candidate.value,))
    alert = DropAlert(
        tenant_id=tenant_id,
        dedupe_key=drop_key(config, check.current.start, label),
        segment={candidate.dimension: candidate.value},
        label=label[:200],
        period=config.period,
        period_start=check.current.start,
        baseline_start=check.baseline.start,
        current_k=candidate.current.k,
        current_n=candidate.current.n,
        baseline_k=candidate.baseline.k,
        baseline_n=candidate.baseline.n,
        p_value=candidate.p_value,
        q_value=q,
        tested=len(check.tested),
        state="pending",
        task_ticket_id=None,
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(alert)
    except IntegrityError:
        return None
    return alert


def enqueue_drop_check(session: Session, settings: Settings, tenant_id: str, now: datetime) -> None:
    """Queue the check once per FEEDBACKLOOP_ALERT_INTERVAL (the scheduler's tick calls this)."""
    bucket = int(now.timestamp() // alert_config(settings).interval)
    jobs.enqueue(session, "drop_alerts", f"drop_alerts:{bucket}", {}, now=now, tenant_id=tenant_id)


# --- the review task --------------------------------------------------------------------------------


def create_drop_task(session: Session, step: StepContext, alert_id: int) -> str:
    """Open the "CSAT drop: <segment>" task, once: a retry first looks for it by external id."""
    settings, client, attempt, now = step.settings, step.client, step.attempt, step.now
    alert = session.get(DropAlert, alert_id)
    if alert is None:
        return "alert gone"
    if alert.task_ticket_id is not None:
        return f"task {alert.task_ticket_id} already open"
    external_id = f"feedbackloop:{alert.tenant_id}:drop:{alert.id}"
    existing = client.find_tickets_by_external_id(external_id) if attempt > 1 else []
    created = (
        existing[0]
        if existing
        else client.create_ticket(
            NewTicket(
                subject=(SENTIMENT_SUBJECT if sentiment.is_sentiment_alert(alert) else DROP_SUBJECT)
                .format(label=alert.label)[:250],
                comment_body=sentiment.sentiment_note(session, alert, settings.ai_user_ids,
                                                      lambda t: agent_ticket_url(settings, t))
                if sentiment.is_sentiment_alert(alert) else drop_note(session, settings, alert),
                comment_public=False,
                ticket_type="task",
                due_at=now + timedelta(seconds=settings.review_due),
                group_id=settings.review_group_id,
                tags=SENTIMENT_TASK_TAGS if sentiment.is_sentiment_alert(alert) else DROP_TASK_TAGS,
                external_id=external_id,
            )
        )
    )
    alert.task_ticket_id = created.id
    alert.state = "open"
    alert.updated_at = now
    records.get_ticket_state(session, alert.tenant_id, created.id, now).is_review_task = True
    return f"opened drop task {created.id} for {alert.label}"


def drop_note(session: Session, settings: Settings, alert: DropAlert) -> str:
    """The task's text: the figures, the test, the worst tickets, and the way to all of them."""
    config = alert_config(settings)
    window = Window(alert.period_start, shift(alert.period_start, alert.period, 1))
    query = drop_query(alert, window)
    worst, _ = ratings_behind(session, query, limit=WORST_TICKETS, count=False)
    lines = [
        WORST_LINE.format(ticket_id=r.ticket_id, score=r.score, reason=f" — {r.reason}" if r.reason else "",
                          comment=f" — “{_one_line(r.comment, 200)}”" if r.comment else "",
                          url=agent_ticket_url(settings, r.ticket_id))
        for r in worst
    ]
    return DROP_NOTE.format(
        label=alert.label,
        current=wilson(alert.current_k, alert.current_n),
        period=alert.period,
        start=f"{alert.period_start:%Y-%m-%d}",
        baseline=wilson(alert.baseline_k, alert.baseline_n),
        baseline_periods=_periods_between(alert),
        p=alert.p_value,
        q=alert.q_value,
        tested=alert.tested,
        fdr=config.fdr,
        tickets="\n".join(lines) or "(none)",
        drill=drill_url(settings, alert, window),
        marker=alert.dedupe_key,
    )


def drop_query(alert: DropAlert, window: Window) -> MetricsQuery:
    return MetricsQuery(alert.tenant_id, window.start, window.end, filters=dict(alert.segment))


def _periods_between(alert: DropAlert) -> int:
    count, start = 0, alert.period_start
    while start > alert.baseline_start and count < 1000:
        start = shift(start, alert.period, -1)
        count += 1
    return count


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def agent_ticket_url(settings: Settings, ticket_id: int) -> str:
    """Where an agent opens the ticket: the configured API host (sandbox, proxy) or Zendesk's own."""
    account = settings.zendesk
    if account is None:
        return f"#{ticket_id}"
    base = account.api_url or f"https://{account.subdomain}.zendesk.com"
    return f"{base.rstrip('/')}/agent/tickets/{ticket_id}"


def drill_url(settings: Settings, alert: DropAlert, window: Window) -> str:
    """The dashboard page listing every rating behind the drop."""
    params = {"since": window.start.isoformat(), "until": window.end.isoformat()}
    params.update({name: value if value is not None else "__none__" for name, value in alert.segment.items()})
    return f"{settings.public_url.rstrip('/')}/dashboard/tickets?{urlencode(params)}"


# --- the outbound webhook -----------------------------------------------------------------------------


def sign_alert(secret: str, timestamp: str, body: bytes) -> str:
    """hex HMAC-SHA256 over "<timestamp>.<body>": the receiver checks it before trusting the alert."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify_alert(secret: str, headers: Any, body: bytes, now: datetime, max_skew: float = 300) -> bool:
    """What a receiver does: constant-time compare, and refuse an old (replayed) timestamp."""
    timestamp = str(headers.get(TIMESTAMP_HEADER, ""))
    given = str(headers.get(SIGNATURE_HEADER, "")).removeprefix("sha256=")
    if not timestamp.isdigit() or abs(now.timestamp() - int(timestamp)) > max_skew:
        return False
    return hmac.compare_digest(given, sign_alert(secret, timestamp, body))


def slack_escape(text: str) -> str:
    """Slack's only three control characters, so a customer's `<script>` or `<!channel>` is text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def post_alert(config: AlertConfig, text: str, now: datetime) -> str:
    """POST `{"text": ...}`, signed. 5xx, 429 and network errors retry (as a job); other 4xx is final."""
    if not config.webhook_url or not config.webhook_secret:
        return "no alert webhook configured"
    body = json.dumps({"text": text}, ensure_ascii=False).encode()
    timestamp = str(int(now.timestamp()))
    headers = {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: "sha256=" + sign_alert(config.webhook_secret, timestamp, body),
    }
    try:
        response = requests.post(
            config.webhook_url, data=body, headers=headers, timeout=WEBHOOK_TIMEOUT, allow_redirects=False
        )
    except requests.RequestException as exc:
        raise Retryable(f"alert webhook unreachable: {type(exc).__name__}") from None
    status = response.status_code
    if status == 429 or status >= 500:
        raise Retryable(f"alert webhook answered {status}", retry_after=_retry_after(response))
    if status >= 300:
        raise Permanent(f"alert webhook refused the alert: {status} {response.text[:200]}")
    return f"alert posted ({status})"


def _retry_after(response: requests.Response) -> float | None:
    raw = response.headers.get("Retry-After", "")
    return float(raw) if raw.isdigit() else None


def send_alert(session: Session, settings: Settings, args: dict[str, Any], now: datetime) -> str:
    """The `alert_webhook` job: compose the text from the stored row now, then post it."""
    config = alert_config(settings)
    if args.get("kind") == "drop":
        alert = session.get(DropAlert, args["alert_id"])
        if alert is None:
            return "alert gone"
        return post_alert(config, drop_text(settings, alert), now)
    rating = session.get(Rating, args["rating_id"])
    if rating is None or rating.version != args["version"] or rating.score > 2:
        return "the rating changed since; not sent"
    return post_alert(config, bad_rating_text(settings, rating, redact_text=config.redact), now)


def drop_text(settings: Settings, alert: DropAlert) -> str:
    window = Window(alert.period_start, shift(alert.period_start, alert.period, 1))
    template = SENTIMENT_TEXT if sentiment.is_sentiment_alert(alert) else DROP_TEXT
    return template.format(
        label=slack_escape(alert.label),
        current=wilson(alert.current_k, alert.current_n),
        period=alert.period,
        baseline=wilson(alert.baseline_k, alert.baseline_n),
        q=alert.q_value,
        link=f"<{drill_url(settings, alert, window)}|tickets>",
    )


def bad_rating_text(settings: Settings, rating: Rating, *, redact_text: bool = True) -> str:
    """One line for a chat channel; everything the customer wrote is escaped and, unless
    FEEDBACKLOOP_ALERT_REDACT=0, redacted first: a chat channel is read by more people than the
    ticket, and keeps what it is sent."""
    comment = rating.comment
    if comment and redact_text:
        comment = redact(comment)
    attribution = (
        ", ".join(
            f"{name} {value}"
            for name, value in (
                ("intent", rating.intent),
                ("channel", rating.channel),
                ("resolver", rating.resolver),
                ("agent", rating.assignee_id),
                ("group", rating.group_id),
            )
            if value is not None
        )
        or "no attribution"
    )
    score = "thumbs down" if rating.scale == "thumbs" else f"{rating.score}/5"
    return BAD_RATING_TEXT.format(
        score=score,
        ticket_id=rating.ticket_id,
        attribution=slack_escape(attribution),
        reason=f" — {slack_escape(rating.reason)}" if rating.reason else "",
        comment=f": “{slack_escape(_one_line(comment, 500))}”" if comment else "",
        link=f"<{agent_ticket_url(settings, rating.ticket_id)}|open ticket>",
    )


def queue_bad_rating_alert(
    session: Session, settings: Settings, rating_id: int, version: int, now: datetime
) -> None:
    """After a rating's write-back: a bad score also goes to the alert webhook, when there is one."""
    if not alert_config(settings).webhook_url:
        return
    rating = session.get(Rating, rating_id)
    if rating is None or rating.version != version or rating.score > 2:
        return
    jobs.enqueue(
        session,
        "alert_webhook",
        f"alert:rating:{rating.id}:v{version}",
        {"kind": "rating", "rating_id": rating.id, "version": version},
        now=now,
        tenant_id=rating.tenant_id,
    )
