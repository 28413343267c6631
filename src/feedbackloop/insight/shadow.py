"""`feedbackloop shadow`: where would the AI have done what the human did? Agreement by intent.

In shadow mode the agent logs its decisions (`"mode": "shadow"` in POST /api/v1/decisions) for
tickets people handle, and never acts: shadow decisions are not the AI's resolution, not written
back, not overridable, not in the learning exports. Here each shadow ticket is compared with what
the human did:

- action: the shadow decision's `action` against the ticket's `action_<name>` tag (a Zendesk
  dropdown field "Action taken" whose options set `action_refund`, `action_escalate`, ... as
  `category_<name>` sets the category). Both are normalised (lower case, runs of anything but
  letters and digits → `_`), so "Refund" matches `action_refund`. No tag: the action is not judged.
- reply: the shadow `draft_reply` against the human's public reply (the first public comment by
  staff, not by the AI's users and not our survey, at or after the draft; else the last before it)
  by difflib's SequenceMatcher ratio on whitespace- and case-folded text, the measure the
  edit-to-final override uses; similar means a ratio of at least 0.6, the threshold Python's
  documentation gives for "close matches". No draft or no human reply: the reply is not judged.

A ticket agrees when every judged part agrees; a ticket with no judged part is pending. Rates are
per intent (the latest shadow intent, else the ticket's category) with Wilson 95 % intervals; an
intent is ready when its agreement's lower bound reaches `--ready` (0.9) over at least 10 tickets.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.insight.metrics import NONE_LABEL
from feedbackloop.insight.stats import Rate, wilson
from feedbackloop.loop.overrides import similarity
from feedbackloop.store.models import AiDecision, TicketState, WebhookEvent

ACTION_TAG_PREFIX = "action_"
#: difflib: "a ratio() value over 0.6 means the sequences are close matches".
SIMILAR = 0.6
READY = 0.9
MIN_N = 10
#: Tickets compared per query batch (IN lists stay short).
BATCH = 500


def normalise_action(text: str | None) -> str | None:
    if not text:
        return None
    value = re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")
    return value or None


@dataclass(frozen=True)
class Humans:
    """How to tell a human's public reply: not by the AI's users, not our survey (`is_ours`)."""

    ai_users: frozenset[int] = frozenset()
    is_ours: Callable[[str], bool] = lambda body: False


@dataclass(frozen=True)
class TicketComparison:
    ticket_id: int
    intent: str
    shadow_action: str | None
    human_action: str | None
    similarity: float | None

    @property
    def action_agrees(self) -> bool | None:
        if self.shadow_action is None or self.human_action is None:
            return None
        return self.shadow_action == self.human_action

    @property
    def reply_agrees(self) -> bool | None:
        return None if self.similarity is None else self.similarity >= SIMILAR

    @property
    def agrees(self) -> bool | None:
        judged = [part for part in (self.action_agrees, self.reply_agrees) if part is not None]
        return all(judged) if judged else None


@dataclass(frozen=True)
class IntentAgreement:
    intent: str
    tickets: int
    action: Rate
    reply: Rate
    overall: Rate
    mean_similarity: float | None
    ready: bool


@dataclass(frozen=True)
class ShadowReport:
    tenant_id: str
    since: datetime
    until: datetime
    ready_at: float
    rows: list[IntentAgreement]
    total: IntentAgreement
    tickets: list[TicketComparison] = field(default_factory=list)


def _human_reply(events: Sequence[WebhookEvent], after: datetime | None, humans: Humans) -> str | None:
    """The human's public reply: the first at or after `after`, else the last before it."""
    replies: list[tuple[datetime, str]] = []
    for event in events:
        extra = event.payload.get("extra") or {}
        body = str(extra.get("body") or "")
        if not (extra.get("is_public") and extra.get("author_is_staff") and body.strip()):
            continue
        if extra.get("author_id") in humans.ai_users or humans.is_ours(body):
            continue
        replies.append((event.occurred_at, body))
    if not replies:
        return None
    replies.sort(key=lambda pair: pair[0])
    if after is not None:
        later = [body for at, body in replies if at >= after]
        if later:
            return later[0]
    return replies[-1][1]


def compare_tickets(session: Session, tenant_id: str, since: datetime, until: datetime,
                    humans: Humans) -> list[TicketComparison]:
    """Each ticket with a shadow decision logged in [since, until), against what the human did."""
    ticket_ids = sorted(set(session.scalars(select(AiDecision.ticket_id).distinct().where(
        AiDecision.tenant_id == tenant_id, AiDecision.mode == "shadow",
        AiDecision.created_at >= since, AiDecision.created_at < until))))
    out: list[TicketComparison] = []
    for start in range(0, len(ticket_ids), BATCH):
        chunk = ticket_ids[start:start + BATCH]
        decisions: dict[int, list[AiDecision]] = defaultdict(list)
        for decision in session.scalars(select(AiDecision).where(
                AiDecision.tenant_id == tenant_id, AiDecision.mode == "shadow", AiDecision.ticket_id.in_(chunk))
                .order_by(AiDecision.created_at, AiDecision.id)):
            decisions[decision.ticket_id].append(decision)
        states = {s.ticket_id: s for s in session.scalars(select(TicketState).where(
            TicketState.tenant_id == tenant_id, TicketState.ticket_id.in_(chunk)))}
        events: dict[int, list[WebhookEvent]] = defaultdict(list)
        for event in session.scalars(select(WebhookEvent).where(
                WebhookEvent.tenant_id == tenant_id, WebhookEvent.ticket_id.in_(chunk),
                WebhookEvent.kind == "comment_added")):
            events[event.ticket_id].append(event)
        for ticket_id in chunk:
            out.append(_compare_one(ticket_id, decisions[ticket_id], states.get(ticket_id), events[ticket_id],
                                    humans))
    return out


def _compare_one(ticket_id: int, decisions: list[AiDecision], state: TicketState | None,
                 events: list[WebhookEvent], humans: Humans) -> TicketComparison:
    intent = next((d.intent for d in reversed(decisions) if d.intent), None)
    intent = intent or (state.category if state is not None else None) or NONE_LABEL
    action = next((d.action for d in reversed(decisions) if d.action), None)
    draft = next((d for d in reversed(decisions) if d.draft_reply), None)
    tags = list(state.tags or []) if state is not None else []
    human_action = next((tag[len(ACTION_TAG_PREFIX):] for tag in tags
                         if tag.startswith(ACTION_TAG_PREFIX) and len(tag) > len(ACTION_TAG_PREFIX)), None)
    score = None
    if draft is not None and draft.draft_reply:
        reply = _human_reply(events, draft.created_at, humans)
        score = similarity(draft.draft_reply, reply) if reply is not None else None
    return TicketComparison(ticket_id, intent[:120], normalise_action(action), normalise_action(human_action),
                            score)


def agreement(intent: str, tickets: Sequence[TicketComparison], ready_at: float) -> IntentAgreement:
    def rate(values: list[bool | None]) -> Rate:
        judged = [v for v in values if v is not None]
        return wilson(sum(judged), len(judged))

    overall = rate([t.agrees for t in tickets])
    scores = [t.similarity for t in tickets if t.similarity is not None]
    return IntentAgreement(
        intent, len(tickets), rate([t.action_agrees for t in tickets]), rate([t.reply_agrees for t in tickets]),
        overall, sum(scores) / len(scores) if scores else None, overall.n >= MIN_N and overall.low >= ready_at)


def shadow_report(session: Session, tenant_id: str, since: datetime, until: datetime, *,
                  humans: Humans = Humans(), ready_at: float = READY) -> ShadowReport:
    """Agreement of shadow decisions with the humans, by intent, worst first (ties by name)."""
    tickets = compare_tickets(session, tenant_id, since, until, humans)
    by_intent: dict[str, list[TicketComparison]] = defaultdict(list)
    for ticket in tickets:
        by_intent[ticket.intent].append(ticket)
    rows = [agreement(name, group, ready_at) for name, group in by_intent.items()]
    rows.sort(key=lambda row: (row.overall.value if row.overall.value is not None else 2.0, row.intent))
    return ShadowReport(tenant_id, since, until, ready_at, rows, agreement("(all)", tickets, ready_at), tickets)


# --- rendering ---------------------------------------------------------------------------------------


def _rate_json(rate: Rate) -> dict[str, Any]:
    return {"k": rate.k, "n": rate.n, "rate": None if rate.value is None else round(rate.value, 6),
            "low": round(rate.low, 6), "high": round(rate.high, 6)}


def _row_json(row: IntentAgreement) -> dict[str, Any]:
    return {"intent": row.intent, "tickets": row.tickets, "agreement": _rate_json(row.overall),
            "action_agreement": _rate_json(row.action), "reply_agreement": _rate_json(row.reply),
            "mean_reply_similarity": None if row.mean_similarity is None else round(row.mean_similarity, 4),
            "ready": row.ready}


def report_json(report: ShadowReport) -> dict[str, Any]:
    return {"tenant": report.tenant_id, "since": report.since.isoformat(), "until": report.until.isoformat(),
            "similar_at": SIMILAR, "ready_at": report.ready_at, "min_n": MIN_N,
            "intents": [_row_json(row) for row in report.rows], "total": _row_json(report.total)}


def report_table(report: ShadowReport) -> str:
    lines = [f"Shadow decisions against the humans, {report.since:%Y-%m-%d %H:%M} to {report.until:%Y-%m-%d %H:%M} "
             f"UTC (tenant {report.tenant_id}); 95% Wilson intervals, worst first.",
             f"Ready: agreement's lower bound >= {100 * report.ready_at:.0f}% over >= {MIN_N} judged tickets; "
             f"similar reply: ratio >= {SIMILAR}.", ""]
    width = max([len(row.intent) for row in report.rows] + [8])
    header = f"  {'intent':<{width}}  {'tickets':>7}  {'agreement':<30}  {'same action':<30}  {'similar reply':<30}  ready"
    lines.append(header)
    for row in [*report.rows, report.total]:
        lines.append(f"  {row.intent:<{width}}  {row.tickets:>7}  {row.overall!s:<30}  {row.action!s:<30}  "
                     f"{row.reply!s:<30}  {'yes' if row.ready else 'no'}")
    if not report.rows:
        lines.append("  (no shadow decisions in the range: post decisions with \"mode\": \"shadow\")")
    return "\n".join(lines) + "\n"


CSV_COLUMNS = ("intent", "tickets", "agreement_k", "agreement_n", "agreement", "agreement_low", "agreement_high",
               "action_k", "action_n", "action_rate", "reply_k", "reply_n", "reply_rate", "mean_reply_similarity",
               "ready")


def report_csv(report: ShadowReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in [*report.rows, report.total]:
        data = _row_json(row)
        writer.writerow([row.intent, row.tickets, row.overall.k, row.overall.n, _blank(data["agreement"]["rate"]),
                         round(row.overall.low, 6), round(row.overall.high, 6), row.action.k, row.action.n,
                         _blank(data["action_agreement"]["rate"]), row.reply.k, row.reply.n,
                         _blank(data["reply_agreement"]["rate"]), _blank(data["mean_reply_similarity"]),
                         int(row.ready)])
    return out.getvalue()


def _blank(value: Any) -> Any:
    return "" if value is None else value


def render(report: ShadowReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return report_csv(report)
    return report_table(report)
