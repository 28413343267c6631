"""`feedbackloop export intents`: tickets where a person corrected the AI's intent, for retraining the
intent classifier (issue 24, the "agent override / escalation" row of the signal matrix).

One record per ticket: the customer's text (their first turn, PII-redacted like every export), the
intent and confidence the AI classified it with, the intent a person set instead, and where the
correction came from. A correction is an override that names the corrected intent: `intent_changed`
(the intent field no longer says what the AI logged; overrides.check_ticket_fields) or any override
whose details carry `to` / `intent` (a sidebar or macro correction that names it). A ticket with
several corrections exports its last one in the window: the intent the ticket ended with.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Select, select

from feedbackloop.learn.exports.conversation import CUSTOMER
from feedbackloop.learn.exports.records import Built, Context, Skip, in_window, iso, split_of
from feedbackloop.learn.exports.source import HANDOFF, TicketBundle, Window, _in_window, _tenant
from feedbackloop.store.models import AiDecision, Override

#: Override kinds that always carry a corrected intent (details: {"from": ai, "to": human}).
INTENT_KINDS = ("intent_changed",)
#: Characters of customer text kept per record (a classifier reads the opening, not a transcript).
MAX_TEXT = 4000


def intent_keys(window: Window) -> Select[Any]:
    """Tickets with an override in the window, in a stable order; the builder keeps those whose
    override names a corrected intent (a JSON filter would differ between SQLite and PostgreSQL)."""
    query = (
        select(Override.tenant_id, Override.ticket_id).distinct()
        .where(Override.kind != HANDOFF, *_tenant(Override.tenant_id, window),
               *_in_window(Override.occurred_at, window))
        .order_by(Override.tenant_id, Override.ticket_id)
    )
    return cast("Select[Any]", query)


def corrected_intent(override: Override) -> str | None:
    """The intent a person set, when the override names one."""
    details = override.details or {}
    value = details.get("to") if override.kind in INTENT_KINDS else details.get("intent") or details.get("to")
    return str(value).strip() or None if value not in (None, "") else None


def classification(bundle: TicketBundle, override: Override) -> AiDecision | None:
    """The AI decision that classified the ticket (`intent_classification` steps first): the one
    carrying the intent the correction replaced, else the last decision with an intent before the correction, else the first one."""
    with_intent = [d for d in bundle.decisions if d.intent]
    classified = [d for d in with_intent if d.step == "intent_classification"]
    with_intent = classified or with_intent  # a classification step says it best; else any step's intent
    replaced = (override.details or {}).get("from")
    named = [d for d in with_intent if replaced is not None and d.intent == replaced]
    before = [d for d in with_intent if d.created_at <= override.occurred_at]
    chosen = named or before or with_intent
    return chosen[-1] if chosen else None


def customer_text(ctx: Context, bundle: TicketBundle) -> str | None:
    """The customer's first turn (the opening and any messages before the first reply), redacted."""
    turns = [t for t in ctx.conversation(bundle).turns if t.author == CUSTOMER and t.turn == 0]
    text = "\n\n".join(t.text.strip() for t in turns if t.text.strip())
    return (ctx.redact(bundle, text) or "").strip()[:MAX_TEXT] or None


def build_intents(ctx: Context, bundle: TicketBundle) -> Built | Skip:
    """The ticket's last intent correction in the window as one classifier example."""
    fixes = [o for o in bundle.overrides if corrected_intent(o) and in_window(ctx.window, o.occurred_at)]
    if not fixes:
        return Skip("no corrected intent")
    fix = fixes[-1]
    decision = classification(bundle, fix)
    ai_intent = (fix.details or {}).get("from") or (decision.intent if decision else None)
    if not ai_intent:
        return Skip("no AI intent logged")
    text = customer_text(ctx, bundle)
    if text is None:
        return Skip("no customer message stored")
    # the classifying decision's own confidence; an override's is the latest decision's (often a reply's)
    confidence = decision.confidence if decision is not None and decision.confidence is not None else fix.ai_confidence
    state = bundle.state
    record = {
        "id": ctx.ticket_hash(bundle),
        "text": text,
        "ai_intent": ctx.redact(bundle, str(ai_intent)),
        "ai_confidence": confidence,
        "human_intent": ctx.redact(bundle, corrected_intent(fix)),
        "metadata": {
            "ticket": ctx.ticket_hash(bundle),
            "tenant": bundle.tenant_id,
            "split": split_of(ctx.split_key(bundle), ctx.test_fraction),
            "source": fix.source,
            "kind": fix.kind,
            "escalated": any(o.kind == HANDOFF for o in bundle.overrides),
            "corrections": len(fixes),
            "model": decision.model if decision else None,
            "prompt_version": decision.prompt_version if decision else None,
            "decided_at": iso(decision.created_at if decision else None),
            "corrected_at": iso(fix.occurred_at),
            "channel": state.channel if state else None,
            "category": state.category if state else None,
        },
    }
    return Built(record, None, ctx.split_key(bundle))
