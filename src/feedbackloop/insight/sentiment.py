"""Conversation sentiment (issue 24, the sentiment row of the signal matrix): the customer's sentiment
per message, its trend across the conversation, by intent and model; a falling trend on AI-handled
tickets raises a drop alert like a CSAT drop.

The scorer is VADER (`vaderSentiment` on PyPI, MIT): a lexicon and rules shipped inside the package,
so nothing is downloaded at run time and a score is a pure function of the text. It is English only.
For German, French, Spanish and the other languages of our catalogues no maintained offline library
exists that we could find (germansentiment and pysentimiento load transformer weights from a hub;
textblob-de and textblob-fr have had no release since 2019 and 2013): their messages are reported as
`unsupported`, not scored. How VADER does on our labelled examples: docs/sentiment.md.

A message's score is VADER's `compound` (−1 … 1); positive ≥ 0.05, negative ≤ −0.05 (VADER's own
thresholds). A conversation's trend is the least-squares slope of its customer messages' scores over
their order, times the number of steps: the fitted change from first to last message (for two
messages, last − first). A trend at or below −FALLING is `falling`.

Messages are read from the stored webhook events (the same conversation the exports read,
exports/conversation.py; our survey comments are not part of it). A ticket's language is its
`language_<code>` tag, else its survey's locale, else English.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackloop.core.sections import Section, rate
from feedbackloop.learn.exports.conversation import AI, CUSTOMER, build_conversation
from feedbackloop.learn.exports.source import TicketBundle, load_bundles
from feedbackloop.loop.attribution import LANGUAGE_TAG_PREFIX, tag_value
from feedbackloop.store.models import DropAlert, WebhookEvent

SUPPORTED = ("en",)
#: A trend this far down (fitted change over the conversation, on VADER's −1 … 1 scale) is falling.
FALLING = 0.3
POSITIVE, NEGATIVE = 0.05, -0.05
CHUNK = 200
#: The dedupe-key prefix of sentiment drop alerts (alerts.py tells them from CSAT drops by it).
ALERT_PREFIX = "sentiment:"
NO_VALUE = "(none)"
COLUMNS = ("intent", "model", "tickets", "scored", "ai_handled", "first", "last", "trend", "falling",
           "falling_rate", "unsupported")


@functools.cache
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def base_language(language: str | None) -> str:
    return (language or "en").replace("-", "_").split("_")[0].lower()


def score(text: str, language: str | None = "en") -> float | None:
    """VADER's compound score of one message, or None for a language we cannot score."""
    if base_language(language) not in SUPPORTED or not text.strip():
        return None
    return float(_analyzer().polarity_scores(text)["compound"])


def label(compound: float) -> str:
    return "positive" if compound >= POSITIVE else "negative" if compound <= NEGATIVE else "neutral"


def trend(scores: Sequence[float]) -> float | None:
    """The fitted change from the first to the last message (least squares over message order)."""
    n = len(scores)
    if n < 2:
        return None
    mean_x, mean_y = (n - 1) / 2, sum(scores) / n
    slope = sum((i - mean_x) * (s - mean_y) for i, s in enumerate(scores)) / sum((i - mean_x) ** 2 for i in range(n))
    return round(slope * (n - 1), 4)


@dataclass
class TicketSentiment:
    """One ticket's customer messages, scored, and what the ticket is about."""

    ticket_id: int
    at: datetime  # the last customer message
    language: str
    intent: str | None
    model: str | None
    ai_handled: bool
    scores: list[float] = field(default_factory=list)

    @property
    def supported(self) -> bool:
        return base_language(self.language) in SUPPORTED

    @property
    def trend(self) -> float | None:
        return trend(self.scores)

    @property
    def falling(self) -> bool:
        change = self.trend
        return change is not None and change <= -FALLING


def language_of(bundle: TicketBundle) -> str:
    tags = list(bundle.state.tags or []) if bundle.state is not None else []
    tagged = tag_value(tags, LANGUAGE_TAG_PREFIX, 16)
    surveyed = next((s.locale or s.language for s in bundle.surveys.values() if s.locale or s.language), None)
    return tagged or surveyed or "en"


def ticket_sentiment(bundle: TicketBundle, ai_user_ids: Sequence[int] = ()) -> TicketSentiment | None:
    turns = [t for t in build_conversation(bundle, ai_user_ids).turns if t.said]
    customer = [t for t in turns if t.author == CUSTOMER]
    if not customer:
        return None
    language = language_of(bundle)
    intents = [d.intent for d in bundle.decisions if d.intent]
    models = [d.model for d in bundle.decisions if d.model and d.model != "zendesk"]
    category = bundle.state.category if bundle.state is not None else None
    result = TicketSentiment(bundle.ticket_id, customer[-1].at, language, intents[0] if intents else category,
                             models[-1] if models else None, any(t.author == AI for t in turns))
    for turn in customer:
        value = score(turn.text, language)
        if value is not None:
            result.scores.append(value)
    return result


def ticket_sentiments(session: Session, tenant_id: str, since: datetime, until: datetime,
                      ai_user_ids: Sequence[int] = ()) -> Iterator[TicketSentiment]:
    """Every ticket with a customer message stored in [since, until), a chunk of tickets at a time."""
    ids = list(session.scalars(
        select(WebhookEvent.ticket_id).distinct()
        .where(WebhookEvent.tenant_id == tenant_id, WebhookEvent.kind.in_(("comment_added", "created")),
               WebhookEvent.occurred_at >= since, WebhookEvent.occurred_at < until)
        .order_by(WebhookEvent.ticket_id)
    ))
    parts = frozenset({"state", "decisions", "overrides", "surveys", "messages"})
    for start in range(0, len(ids), CHUNK):
        keys = [(tenant_id, t) for t in ids[start:start + CHUNK]]
        bundles = load_bundles(session, keys, parts)
        for key in keys:
            found = ticket_sentiment(bundles[key], ai_user_ids)
            if found is not None:
                yield found
        # no expunge_all() here: the drop check runs in the job's session, whose own rows must stay
        # (unchanged rows the identity map holds weakly go with the chunk's bundles)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def sentiment_section(session: Session, tenant_id: str, since: datetime, until: datetime,
                      ai_user_ids: Sequence[int] = ()) -> Section:
    """Sentiment and its trend by intent and model, worst trend first."""
    groups: dict[tuple[str, str], list[TicketSentiment]] = defaultdict(list)
    for item in ticket_sentiments(session, tenant_id, since, until, ai_user_ids):
        groups[(item.intent or NO_VALUE, item.model or NO_VALUE)].append(item)
    rows = []
    for (intent, model), items in groups.items():
        scored = [i for i in items if i.scores]
        trended = [i.trend for i in items if i.trend is not None]
        falling = sum(i.falling for i in items)
        rows.append({
            "intent": intent, "model": model, "tickets": len(items), "scored": len(scored),
            "ai_handled": sum(i.ai_handled for i in items),
            "first": _mean([i.scores[0] for i in scored]), "last": _mean([i.scores[-1] for i in scored]),
            "trend": _mean([t for t in trended if t is not None]), "falling": falling,
            "falling_rate": rate(falling, len(trended)),
            "unsupported": sum(not i.supported for i in items),
            "languages_unsupported": sorted({base_language(i.language) for i in items if not i.supported}),
        })
    rows.sort(key=lambda r: (r["trend"] if r["trend"] is not None else 9.0, r["intent"], r["model"]))
    return Section(
        "sentiment",
        f"Customer sentiment by intent and model · {since:%Y-%m-%d %H:%M} → {until:%Y-%m-%d %H:%M} UTC · {tenant_id}",
        COLUMNS, rows,
        notes=[f"VADER compound per customer message (−1…1); first/last: mean of the first and last message; "
               f"trend: fitted change across the conversation; falling: trend ≤ −{FALLING}. "
               f"Scored languages: {', '.join(SUPPORTED)}; others are counted as unsupported (docs/sentiment.md)."],
        meta={"tenant": tenant_id, "since": since, "until": until, "supported_languages": list(SUPPORTED)},
    )


# --- the alert --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DropTest:
    """How the drop check tests (alerts.AlertConfig's figures and its two windows, passed in so this
    module does not import alerts.py, which imports this one for the task text)."""

    period: str
    current_start: datetime
    current_end: datetime
    baseline_start: datetime
    min_n: int
    fdr: float


def check_sentiment_drops(session: Session, test: DropTest, tenant_id: str, ai_user_ids: Sequence[int],
                          now: datetime) -> list[DropAlert]:
    """Part of the `drop_alerts` job: the share of AI-handled tickets whose sentiment did NOT fall,
    this period vs the baseline, per intent and per model, tested like CSAT (one-sided z-test,
    Benjamini–Hochberg, the FEEDBACKLOOP_ALERT_* settings). Each significant drop is stored once as a
    DropAlert; the caller queues the same task and chat-alert jobs as for a CSAT drop."""
    from feedbackloop.insight.stats import benjamini_hochberg, drop_p_value

    counts: dict[tuple[str, str, bool], list[int]] = defaultdict(lambda: [0, 0])  # (dim, value, now?) → [k, n]
    for item in ticket_sentiments(session, tenant_id, test.baseline_start, test.current_end, ai_user_ids):
        if not item.ai_handled or item.trend is None:
            continue
        is_now = item.at >= test.current_start
        for dimension, value in (("intent", item.intent), ("model", item.model)):
            cell = counts[(dimension, value or NO_VALUE, is_now)]
            cell[0] += not item.falling
            cell[1] += 1
    tested = []
    for dimension, value in sorted({(d, v) for d, v, _ in counts}):
        (k_now, n_now), (k_base, n_base) = counts[(dimension, value, True)], counts[(dimension, value, False)]
        if n_now >= test.min_n and n_base >= test.min_n:
            tested.append((dimension, value, k_now, n_now, k_base, n_base, drop_p_value(k_now, n_now, k_base, n_base)))
    q_values = benjamini_hochberg([t[-1] for t in tested])
    opened = []
    for (dimension, value, k_now, n_now, k_base, n_base, p), q in zip(tested, q_values):
        if q > test.fdr or k_now * n_base >= k_base * n_now:
            continue
        label = f"sentiment {dimension}={value}"
        key = f"{ALERT_PREFIX}{test.period}:{test.current_start:%Y-%m-%d}:{label}"
        alert = DropAlert(
            tenant_id=tenant_id,
            dedupe_key=key if len(key) <= 200 else ALERT_PREFIX + hashlib.sha256(key.encode()).hexdigest(),
            segment={"intent": None if value == NO_VALUE else value} if dimension == "intent" else {},
            label=label[:200], period=test.period, period_start=test.current_start,
            baseline_start=test.baseline_start, current_k=k_now, current_n=n_now, baseline_k=k_base,
            baseline_n=n_base, p_value=p, q_value=q, tested=len(tested), state="pending", task_ticket_id=None,
            created_at=now, updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(alert)
        except IntegrityError:
            continue
        opened.append(alert)
    return opened


def is_sentiment_alert(alert: DropAlert) -> bool:
    return alert.dedupe_key.startswith(ALERT_PREFIX)


SENTIMENT_NOTE = (
    "Customer sentiment is falling on AI-handled tickets: {label}.\n"
    "Share of AI-handled tickets whose sentiment did not fall: {current} this {period} (from {start}) vs "
    "{baseline} before (one-sided z-test p = {p:.2g}, Benjamini–Hochberg q = {q:.2g} across {tested} segments).\n"
    "A ticket's sentiment falls when its customer messages' VADER score drops by {falling} or more from first "
    "to last (docs/sentiment.md).\n\nTickets with a falling trend:\n{tickets}\n\n[{marker}]"
)


def sentiment_note(session: Session, alert: DropAlert, ai_user_ids: Sequence[int],
                   url_of: Callable[[int], str]) -> str:
    """The review task's text for a sentiment drop: the figures and the falling tickets."""
    from feedbackloop.insight.metrics import shift
    from feedbackloop.insight.stats import wilson

    end = shift(alert.period_start, alert.period, 1)
    dimension, _, value = alert.label.removeprefix("sentiment ").partition("=")
    lines = []
    for item in ticket_sentiments(session, alert.tenant_id, alert.period_start, end, ai_user_ids):
        if item.ai_handled and item.falling and (getattr(item, dimension, None) or NO_VALUE) == value:
            lines.append(f"#{item.ticket_id} trend {item.trend:+.2f} {url_of(item.ticket_id)}")
    return SENTIMENT_NOTE.format(
        label=alert.label, current=wilson(alert.current_k, alert.current_n), period=alert.period,
        start=f"{alert.period_start:%Y-%m-%d}", baseline=wilson(alert.baseline_k, alert.baseline_n),
        p=alert.p_value, q=alert.q_value, tested=alert.tested, falling=FALLING,
        tickets="\n".join(lines[:10]) or "(none)", marker=alert.dedupe_key,
    )
