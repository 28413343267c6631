"""The knowledge-gap report (issue 24, the first-contact-resolution row of the signal matrix).

Intents ranked by how often their tickets show the knowledge base failing: a failed first-contact
resolution (the `first_contact_resolution` signal below 0.5: more than one agent reply, a reopen, a
second solve) or a reviewer's `kb_gap` verdict (verdicts.py). Each intent lists example tickets with
what the customer asked, what the AI answered and what the agents answered instead: the text a
knowledge-base article is missing. Excerpts are PII-redacted with the exports' redactor (without a
requester look-up: names the detectors miss may remain, see docs/analysts.md).

The intent is the signal's own attribution (the AI's intent at the time, else the ticket category),
so a gap counts against the intent the ticket had when it failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.core.redact import redact
from feedbackloop.core.sections import Section, rate
from feedbackloop.learn.exports.conversation import AGENT, AI, CUSTOMER, build_conversation
from feedbackloop.learn.exports.source import VERDICT_SIGNAL, load_bundles
from feedbackloop.store.models import Signal

FCR_SIGNAL = "first_contact_resolution"
KB_GAP = "kb_gap"
EXAMPLES = 3
EXCERPT = 240
NO_INTENT = "(none)"
COLUMNS = ("rank", "intent", "gap_tickets", "fcr_failed", "fcr_n", "fcr_failed_rate", "kb_gap_verdicts",
           "examples")


@dataclass
class Gap:
    intent: str
    fcr_n: int = 0
    fcr_failed: set[int] = field(default_factory=set)
    kb_gap: dict[int, str | None] = field(default_factory=dict)  # ticket → reviewer's notes

    @property
    def tickets(self) -> set[int]:
        return self.fcr_failed | set(self.kb_gap)


def find_gaps(session: Session, tenant_id: str, since: datetime, until: datetime) -> list[Gap]:
    """Every intent with a failed first contact or a kb_gap verdict in [since, until), worst first."""
    gaps: dict[str, Gap] = {}

    def gap(intent: str | None) -> Gap:
        name = intent or NO_INTENT
        return gaps.setdefault(name, Gap(name))

    rows = session.execute(
        select(Signal.ticket_id, Signal.intent, Signal.type, Signal.value, Signal.details)
        .where(Signal.tenant_id == tenant_id, Signal.type.in_((FCR_SIGNAL, VERDICT_SIGNAL)),
               Signal.occurred_at >= since, Signal.occurred_at < until)
        .order_by(Signal.occurred_at, Signal.id)
    )
    for ticket_id, intent, type_, value, details in rows:
        if type_ == FCR_SIGNAL:
            entry = gap(intent)
            entry.fcr_n += 1
            if value is not None and value < 0.5:
                entry.fcr_failed.add(ticket_id)
        elif (details or {}).get("verdict") == KB_GAP:
            gap(intent).kb_gap[ticket_id] = (details or {}).get("notes")
    ranked = [g for g in gaps.values() if g.tickets]
    ranked.sort(key=lambda g: (-len(g.tickets), -len(g.kb_gap), -(rate(len(g.fcr_failed), g.fcr_n) or 0), g.intent))
    return ranked


def excerpt(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    flat = " ".join(redact(text).split())
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT - 1] + "…"


def examples(session: Session, tenant_id: str, gap: Gap, ai_user_ids: tuple[int, ...] = ()) -> list[dict[str, Any]]:
    """Up to EXAMPLES tickets of the intent (kb_gap verdicts first): question, AI answer, agents' answer."""
    chosen = sorted(gap.kb_gap)[:EXAMPLES]
    chosen += sorted(gap.fcr_failed - set(chosen))[:EXAMPLES - len(chosen)]
    bundles = load_bundles(session, [(tenant_id, t) for t in chosen],
                           frozenset({"state", "decisions", "messages"}))
    out = []
    for ticket_id in chosen:
        # every turn: the AI's draft an agent replaced is still what the AI would have answered
        turns = build_conversation(bundles[(tenant_id, ticket_id)], ai_user_ids).turns
        first = {author: next((t.text for t in turns if t.author == author), None) for author in (CUSTOMER, AI)}
        agents = [t.text for t in turns if t.author == AGENT]
        out.append({
            "ticket_id": ticket_id,
            "why": "kb_gap" if ticket_id in gap.kb_gap else "fcr_failed",
            "customer": excerpt(first[CUSTOMER]),
            "ai_answer": excerpt(first[AI]),
            "agents_answered": excerpt("\n".join(agents)),
            "review_notes": excerpt(gap.kb_gap.get(ticket_id)),
        })
    return out


def knowledge_gaps(session: Session, tenant_id: str, since: datetime, until: datetime,
                   ai_user_ids: tuple[int, ...] = ()) -> Section:
    """The section: one row per intent, its example tickets under it."""
    rows = []
    for rank, gap in enumerate(find_gaps(session, tenant_id, since, until), 1):
        rows.append({
            "rank": rank, "intent": gap.intent, "gap_tickets": len(gap.tickets), "fcr_failed": len(gap.fcr_failed),
            "fcr_n": gap.fcr_n, "fcr_failed_rate": rate(len(gap.fcr_failed), gap.fcr_n),
            "kb_gap_verdicts": len(gap.kb_gap), "examples": examples(session, tenant_id, gap, ai_user_ids),
        })
    return Section(
        "knowledge-gaps",
        f"Knowledge gaps by intent · {since:%Y-%m-%d %H:%M} → {until:%Y-%m-%d %H:%M} UTC · {tenant_id}",
        COLUMNS, rows,
        notes=["gap_tickets: tickets with a failed first-contact resolution or a kb_gap review verdict; "
               "examples: what the customer asked, what the AI answered, what agents answered instead (redacted)."],
        details="examples", meta={"tenant": tenant_id, "since": since, "until": until},
    )
