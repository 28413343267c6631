"""One export record per case, built from a ticket's bundle: eval, sft, dpo and ratings shapes.

Every free-text field goes through `redact` with the ticket's requester identity before it is
put in a record; ids that could name a customer (the ticket id) become a salted hash. A builder
answers a record, or a `Skip` saying why the case has nothing to export.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from feedbackloop.exports.source import (
    BAD_SIGNALS,
    HANDOFF,
    LOW_SCORE,
    RECONTACT_PREFIX,
    VERDICT_SIGNAL,
    Message,
    TicketBundle,
    Window,
)
from feedbackloop.models import AiDecision, Override, Rating
from feedbackloop.redact import Identity, redact
from feedbackloop.survey import QUESTION

SALT_LABEL = b"feedbackloop.export.ticket-hash.v1"
#: What the fine-tuned model is told it is; the real prompt is named by `prompt_version`.
SFT_SYSTEM_PROMPT = "You are a customer support assistant. Answer the customer's request helpfully and accurately."
TOP_SCORE = 5
#: Our own survey comment (signed links) is not an agent's reply.
SURVEY_LINK = re.compile(r"/s/[A-Za-z0-9_.-]{16,}")

IdentityOf = Callable[[str, int | None], Identity | None]


def no_identity(tenant_id: str, requester_id: int | None) -> Identity | None:
    """No requester directory: only the detectors redact (an export that reads no requester ids)."""
    return None


@dataclass(frozen=True)
class Skip:
    """A case with nothing to export, and why (counted in the summary)."""

    reason: str


@dataclass(frozen=True)
class Built:
    """A record, the text near-duplicates are judged on (None: never deduplicated), its split key."""

    record: dict[str, Any]
    dedupe_text: str | None
    ticket_hash: str


@dataclass(frozen=True)
class Context:
    """What every builder needs besides the bundle."""

    salt: bytes
    window: Window
    identity_of: IdentityOf
    test_fraction: float | None = None

    def redact(self, bundle: TicketBundle, text: str | None) -> str | None:
        if text is None:
            return None
        requester = bundle.state.requester_id if bundle.state is not None else None
        return redact(text, self.identity_of(bundle.tenant_id, requester))

    def ticket_hash(self, bundle: TicketBundle) -> str:
        return ticket_hash(self.salt, bundle.tenant_id, bundle.ticket_id)


# --- provenance ------------------------------------------------------------------------------------


def export_salt(secret_key: str) -> bytes:
    """The ticket-hash salt: derived from FEEDBACKLOOP_SECRET_KEY, so hashes are stable for one
    deployment and cannot be reversed by whoever holds only the file (ticket ids are guessable)."""
    return hmac.new(secret_key.encode("utf-8"), SALT_LABEL, hashlib.sha256).digest()


def ticket_hash(salt: bytes, tenant_id: str, ticket_id: int) -> str:
    return hmac.new(salt, f"{tenant_id}\x00{ticket_id}".encode(), hashlib.sha256).hexdigest()[:32]


def split_of(hash_hex: str, test_fraction: float | None) -> str | None:
    """"test" or "train" by the ticket's hash: the same ticket lands on the same side in every
    export and every kind, so a ticket never trains a model that is then tested on it."""
    if test_fraction is None:
        return None
    return "test" if int(hash_hex[:8], 16) / 0x1_0000_0000 < test_fraction else "train"


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat() if moment is not None else None


def provenance(ctx: Context, bundle: TicketBundle, decision: AiDecision | None) -> dict[str, Any]:
    """Where a record came from, with nothing that identifies the customer."""
    state, rating = bundle.state, bundle.latest_rating
    hashed = ctx.ticket_hash(bundle)
    return {
        "ticket": hashed,
        "tenant": bundle.tenant_id,
        "split": split_of(hashed, ctx.test_fraction),
        "decided_at": iso(decision.created_at if decision else None),
        "solved_at": iso(state.solved_at if state else None),
        "rated_at": iso(rating.created_at if rating else None),
        "model": decision.model if decision else None,
        "prompt_version": decision.prompt_version if decision else None,
        "intent": ctx.redact(bundle, latest(bundle.decisions, "intent")),
        "channel": state.channel if state else None,
        "category": state.category if state else None,
    }


def latest(decisions: Sequence[AiDecision], name: str) -> Any:
    """The newest non-null value of a decision field."""
    for decision in reversed(decisions):
        value = getattr(decision, name)
        if value is not None:
            return value
    return None


# --- conversation pieces ---------------------------------------------------------------------------


def customer_messages(ctx: Context, bundle: TicketBundle, until: datetime | None) -> list[str]:
    """The customer's public messages up to `until`, redacted; the subject when none was stored."""
    texts = [m.body for m in bundle.messages if not m.staff and (until is None or m.at <= until)]
    if not texts and bundle.state is not None and bundle.state.subject:
        texts = [bundle.state.subject]
    return [t for t in (ctx.redact(bundle, text.strip()) for text in texts) if t]


def is_agent_reply(message: Message, drafts: Iterable[str]) -> bool:
    """A staff message that is neither our survey nor the AI's own draft posted as is."""
    if not message.staff or SURVEY_LINK.search(message.body) or QUESTION in message.body:
        return False
    return not any(same_text(message.body, draft) for draft in drafts)


def same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


def context_ids(decisions: Sequence[AiDecision]) -> list[str]:
    """Ids of the documents the AI retrieved, in first-seen order."""
    ids: list[str] = []
    for decision in decisions:
        for item in context_items(decision.context):
            value = item.get("id") if isinstance(item, dict) else item
            if value is not None and not isinstance(value, (dict, list)) and str(value) not in ids:
                ids.append(str(value))
    return ids


def context_items(context: list[Any] | dict[str, Any] | None) -> list[Any]:
    """The documents of a decision's `context`: a list, or an object holding one under a usual key."""
    if isinstance(context, list):
        return context
    if isinstance(context, dict):
        for key in ("documents", "docs", "ids", "results"):
            if isinstance(context.get(key), list):
                return list(context[key])
        return [context] if "id" in context else []
    return []


def bad_signals(bundle: TicketBundle) -> list[str]:
    return [s.type for s in bundle.signals if s.type in BAD_SIGNALS or s.type.startswith(RECONTACT_PREFIX)]


def corrections(bundle: TicketBundle) -> list[Override]:
    return [o for o in bundle.overrides if o.kind != HANDOFF]


# --- eval ------------------------------------------------------------------------------------------


def build_eval(ctx: Context, bundle: TicketBundle) -> Built | Skip:
    """A failed AI case: what the customer said, what the AI answered, what went wrong, what was expected."""
    if not bundle.replies:
        return Skip("no AI reply logged")
    rating = bundle.latest_rating
    if not ctx.window.score_ok(rating.score if rating else None):
        return Skip("rating outside the score bounds")
    reply = target_reply(bundle)
    prompt = customer_messages(ctx, bundle, reply.created_at)
    if not prompt:
        return Skip("no customer message stored")
    output = ctx.redact(bundle, reply.draft_reply) or ""
    record = {
        "id": ctx.ticket_hash(bundle),
        "input": [{"role": "user", "content": text} for text in prompt],
        "output": output,
        "intent": ctx.redact(bundle, reply.intent or latest(bundle.decisions, "intent")),
        "confidence": reply.confidence,
        "action": ctx.redact(bundle, reply.action),
        "context_ids": [ctx.redact(bundle, i) or "" for i in context_ids(
            [d for d in bundle.decisions if d.created_at <= reply.created_at])],
        "reasons": eval_reasons(bundle),
        "signals": [{"type": s.type, "value": s.value, "source": s.source, "at": iso(s.occurred_at)}
                    for s in bundle.signals if s.type != VERDICT_SIGNAL],
        "rating": rating_fields(ctx, bundle, rating),
        "expected": expected_fields(ctx, bundle, reply),
        "metadata": provenance(ctx, bundle, reply),
    }
    return Built(record, "\n".join([*prompt, output]), ctx.ticket_hash(bundle))


def target_reply(bundle: TicketBundle) -> AiDecision:
    """The reply a correction points at, else the AI's last reply."""
    replies = {d.id: d for d in bundle.replies}
    for override in reversed(corrections(bundle)):
        if override.ai_decision_id in replies:
            return replies[override.ai_decision_id]
    return bundle.replies[-1]


def eval_reasons(bundle: TicketBundle) -> list[str]:
    reasons = []
    if any(r.score <= LOW_SCORE for r in bundle.ratings):
        reasons.append("low_rating")
    signals = bad_signals(bundle)
    if any(s in BAD_SIGNALS for s in signals):
        reasons.append("reopened")
    if any(s.startswith(RECONTACT_PREFIX) for s in signals):
        reasons.append("recontacted")
    if corrections(bundle):
        reasons.append("overridden")
    return reasons


def rating_fields(ctx: Context, bundle: TicketBundle, rating: Rating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {"score": rating.score, "scale": rating.scale, "reason": rating.reason,
            "comment": ctx.redact(bundle, rating.comment)}


def expected_fields(ctx: Context, bundle: TicketBundle, reply: AiDecision) -> dict[str, Any]:
    """The expected behaviour where known: the human's final reply and action, and the review verdict."""
    fixes = corrections(bundle)
    fix = fixes[-1] if fixes else None
    edited = [o for o in fixes if o.kind == "edit_to_final" and o.final_action]
    drafts = [d.draft_reply or "" for d in bundle.replies]
    later = [m for m in bundle.messages if m.at >= reply.created_at and is_agent_reply(m, drafts)]
    human = edited[-1].final_action if edited else (later[-1].body if later else None)
    verdicts = [s for s in bundle.signals if s.type == VERDICT_SIGNAL]
    verdict = dict(verdicts[-1].details or {}) if verdicts else {}
    cause = verdict.get("verdict") or verdict.get("root_cause")  # verdicts.capture_verdict writes "verdict"
    return {
        "human_reply": ctx.redact(bundle, human),
        "final_action": ctx.redact(bundle, fix.final_action if fix else None),
        "rationale": ctx.redact(bundle, fix.rationale if fix else None),
        "policy_clause": ctx.redact(bundle, fix.policy_clause if fix else None),
        "root_cause": cause if isinstance(cause, str) else None,
        "review_notes": ctx.redact(bundle, verdict.get("notes") if isinstance(verdict.get("notes"), str) else None),
    }


# --- sft -------------------------------------------------------------------------------------------


def build_sft(ctx: Context, bundle: TicketBundle) -> Built | Skip:
    """An AI resolution confirmed good, as a chat the fine-tuning services take."""
    rating = bundle.latest_rating
    low, high = ctx.window.min_score or TOP_SCORE, ctx.window.max_score or TOP_SCORE
    if rating is None or not low <= rating.score <= high:
        return Skip("latest rating is not a top score")
    if bad_signals(bundle):
        return Skip("reopened or re-contacted")
    if bundle.overrides:
        return Skip("a human overrode or took over")
    if not bundle.replies:
        return Skip("no AI reply logged")
    messages = chat_messages(ctx, bundle)
    if not any(m["role"] == "user" for m in messages):
        return Skip("no customer message stored")
    record = {"messages": [{"role": "system", "content": SFT_SYSTEM_PROMPT}, *messages],
              "metadata": provenance(ctx, bundle, bundle.replies[-1])}
    return Built(record, "\n".join(m["content"] for m in messages), ctx.ticket_hash(bundle))


def chat_messages(ctx: Context, bundle: TicketBundle) -> list[dict[str, str]]:
    """Customer messages and AI replies in time order, same-role neighbours joined, ending on the AI."""
    turns = [(m.at, 0, "user", m.body) for m in bundle.messages if not m.staff]
    turns += [(d.created_at, 1, "assistant", d.draft_reply or "") for d in bundle.replies]
    turns.sort(key=lambda t: (t[0], t[1]))
    if not any(role == "user" for _, _, role, _ in turns) and bundle.state is not None and bundle.state.subject:
        turns.insert(0, (turns[0][0], 0, "user", bundle.state.subject))
    merged: list[dict[str, str]] = []
    for _, _, role, text in turns:
        content = ctx.redact(bundle, text.strip()) or ""
        if merged and merged[-1]["role"] == role:
            merged[-1]["content"] += "\n\n" + content
        elif content:
            merged.append({"role": role, "content": content})
    while merged and merged[0]["role"] == "assistant":
        merged.pop(0)
    while merged and merged[-1]["role"] != "assistant":
        merged.pop()
    return merged


# --- dpo -------------------------------------------------------------------------------------------


def build_dpo(ctx: Context, bundle: TicketBundle, override: Override) -> Built | Skip:
    """A preference pair: the human's final version chosen over the AI's, with the why as metadata."""
    rating = bundle.latest_rating
    if not ctx.window.score_ok(rating.score if rating else None):
        return Skip("rating outside the score bounds")
    decision = next((d for d in bundle.decisions if d.id == override.ai_decision_id), None)
    rejected = override.ai_decision or (decision.draft_reply or decision.action if decision else None)
    chosen = override.final_action
    if not rejected or not chosen or not rejected.strip() or not chosen.strip():
        return Skip("override lacks the AI's version or the final one")
    if same_text(rejected, chosen):
        return Skip("final version equals the AI's")
    decided_at = decision.created_at if decision else override.occurred_at
    prompt = customer_messages(ctx, bundle, decided_at)
    if not prompt:
        return Skip("no customer message stored")
    pair = {"prompt": "\n\n".join(prompt), "chosen": ctx.redact(bundle, chosen.strip()) or "",
            "rejected": ctx.redact(bundle, rejected.strip()) or ""}
    record = {**pair, "metadata": {**provenance(ctx, bundle, decision),
                                   "override": override_fields(ctx, bundle, override)}}
    return Built(record, "\n".join(pair.values()), ctx.ticket_hash(bundle))


def override_fields(ctx: Context, bundle: TicketBundle, override: Override) -> dict[str, Any]:
    return {
        "kind": override.kind,
        "source": override.source,
        "rationale": ctx.redact(bundle, override.rationale),
        "policy_clause": ctx.redact(bundle, override.policy_clause),
        "similarity": override.similarity,
        "ai_confidence": override.ai_confidence,
        "missing": [str(m) for m in override.missing or []],
        "at": iso(override.occurred_at),
    }


# --- ratings (built from Core rows in `ratings.py`) ------------------------------------------------

RATING_COLUMNS = (
    "ticket", "tenant", "split", "score", "scale", "satisfied", "reason", "comment", "source", "version",
    "channel", "category", "group_id", "assignee_id", "resolver", "intent", "model", "prompt_version",
    "solved_at", "survey_sent_at", "rated_at", "updated_at",
)


def resolver_from(bundle: TicketBundle) -> str:
    """Who resolved the ticket, by the rule of `decisions.resolver_of`, from rows already loaded
    (the ratings export applies the same rule to tuples: `ratings.facts_from`)."""
    kinds = {o.kind for o in bundle.overrides}
    if kinds - {HANDOFF}:
        return "ai_overridden"
    if kinds:
        return "ai_then_human"
    return "ai" if bundle.decisions else "human"
