"""One export record per case, built from a ticket's bundle: eval, sft, dpo and ratings shapes.

Every free-text field goes through `redact` with the ticket's requester identity before it is
put in a record; ids that could name a customer (the ticket id) become a salted hash. A builder
answers a record, or a `Skip` saying why the case has nothing to export. Conversations (who said
what, which customer turn each reply answers) come from `conversation`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from feedbackloop.core.redact import Identity, redact
from feedbackloop.learn.exports.conversation import (
    AGENT,
    AI,
    Conversation,
    Turn,
    build_conversation,
    chat,
    same_text,
)
from feedbackloop.learn.exports.prompts import SystemPrompts
from feedbackloop.learn.exports.source import (
    BAD_SIGNALS,
    DPO_KINDS,
    HANDOFF,
    LOW_SCORE,
    RECONTACT_PREFIX,
    VERDICT_SIGNAL,
    TicketBundle,
    Window,
)
from feedbackloop.store.models import AiDecision, Override, Rating

TOP_SCORE = 5
#: Signals an eval row shows elsewhere, listed once there: the rating (`rating`), the review verdict
#: (`expected`), corrections (`expected.corrections`).
SHOWN_ELSEWHERE = frozenset({"csat", VERDICT_SIGNAL, "override", "edit_to_final"})

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
    """A record, the text near-duplicates are judged on (None: never deduplicated), its split group."""

    record: dict[str, Any]
    dedupe_text: str | None
    split_key: str


@dataclass(frozen=True)
class Context:
    """What every builder needs besides the bundle.

    `salt` keys ticket hashes, `split_salt` the train/test split (both derived from the salt stored
    in the database, `keys`).
    """

    salt: bytes
    window: Window
    identity_of: IdentityOf
    test_fraction: float | None = None
    split_salt: bytes = b""
    prompts: SystemPrompts = field(default_factory=SystemPrompts)
    ai_user_ids: tuple[int, ...] = ()

    def redact(self, bundle: TicketBundle, text: str | None) -> str | None:
        if text is None:
            return None
        requester = bundle.state.requester_id if bundle.state is not None else None
        return redact(text, self.identity_of(bundle.tenant_id, requester))

    def redactor(self, bundle: TicketBundle) -> Callable[[str], str]:
        identity = self.identity_of(bundle.tenant_id, bundle.state.requester_id if bundle.state else None)
        return lambda text: redact(text, identity)

    def ticket_hash(self, bundle: TicketBundle) -> str:
        return ticket_hash(self.salt, bundle.tenant_id, bundle.ticket_id)

    def split_key(self, bundle: TicketBundle) -> str:
        requester = bundle.state.requester_id if bundle.state is not None else None
        return split_key(self.split_salt or self.salt, bundle.tenant_id, requester, bundle.ticket_id)

    def conversation(self, bundle: TicketBundle) -> Conversation:
        return build_conversation(bundle, self.ai_user_ids)

    def system(self, bundle: TicketBundle, decision: AiDecision | None) -> dict[str, str]:
        return {"role": "system", "content": self.prompts.for_(bundle.tenant_id, decision.model if decision else None)}


# --- provenance ------------------------------------------------------------------------------------


def ticket_hash(salt: bytes, tenant_id: str, ticket_id: int) -> str:
    return hmac.new(salt, f"{tenant_id}\x00{ticket_id}".encode(), hashlib.sha256).hexdigest()[:32]


def split_key(split_salt: bytes, tenant_id: str, requester_id: int | None, ticket_id: int) -> str:
    """The split group's hash: the requester (all of a customer's tickets on one side), else the ticket."""
    who = f"requester:{requester_id}" if requester_id is not None else f"ticket:{ticket_id}"
    return hmac.new(split_salt, f"{tenant_id}\x00{who}".encode(), hashlib.sha256).hexdigest()[:32]


def split_of(hash_hex: str, test_fraction: float | None) -> str | None:
    """"test" or "train" by the group's hash: the same customer lands on the same side in every
    export and every kind, so no customer trains a model that is then tested on them."""
    if test_fraction is None:
        return None
    return "test" if int(hash_hex[:8], 16) / 0x1_0000_0000 < test_fraction else "train"


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat() if moment is not None else None


def provenance(ctx: Context, bundle: TicketBundle, decision: AiDecision | None) -> dict[str, Any]:
    """Where a record came from, with nothing that identifies the customer."""
    state, rating = bundle.state, bundle.latest_rating
    return {
        "ticket": ctx.ticket_hash(bundle),
        "tenant": bundle.tenant_id,
        "split": split_of(ctx.split_key(bundle), ctx.test_fraction),
        "decided_at": iso(decision.created_at if decision else None),
        "solved_at": iso(state.solved_at if state else None),
        "rated_at": iso(rating.created_at if rating else None),
        # whose survey the rating answered (issue 23): "feedbackloop", or "zendesk" for Zendesk's own CSAT
        "rating_source": (("zendesk" if rating.source == "zendesk" else "feedbackloop") if rating else None),
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


def draft_of(bundle: TicketBundle, override: Override) -> AiDecision | None:
    """The AI draft an override is about: the one an edit names, the decision it points at when that
    drafted a reply, else the AI's last draft before that decision (or before the override)."""
    by_id = {d.id: d for d in bundle.replies}
    if override.kind == "edit_to_final" and override.dedupe_key.startswith("edit_to_final:"):
        named = override.dedupe_key.partition(":")[2]
        if named.isdigit() and int(named) in by_id:
            return by_id[int(named)]
    if override.ai_decision_id in by_id:
        return by_id[override.ai_decision_id]
    decision = next((d for d in bundle.decisions if d.id == override.ai_decision_id), None)
    anchor = decision.created_at if decision is not None else override.occurred_at
    earlier = [d for d in bundle.replies if d.created_at <= anchor]
    return earlier[-1] if earlier else None


def prompt_messages(ctx: Context, bundle: TicketBundle, conversation: Conversation, turn: int,
                    decision: AiDecision | None) -> tuple[list[dict[str, str]], list[str]]:
    """The system prompt and what was said up to customer turn `turn`, with each message's authors."""
    messages, authors = chat(conversation.before_reply_to(turn), ctx.redactor(bundle))
    while messages and messages[0]["role"] == "assistant":  # a reply before the customer wrote (an outreach)
        messages.pop(0)
        authors.pop(0)
    return [ctx.system(bundle, decision), *messages], ["system", *authors]


# --- eval ------------------------------------------------------------------------------------------


def build_eval(ctx: Context, bundle: TicketBundle) -> Built | Skip:
    """A failed AI case: the conversation the AI answered, its reply, what went wrong, what was expected."""
    if not bundle.replies:
        return Skip("no AI reply logged")
    rating = bundle.latest_rating
    if not ctx.window.score_ok(rating.score if rating else None):
        return Skip("rating outside the score bounds")
    reply = target_reply(bundle)
    conversation = ctx.conversation(bundle)
    drafted = conversation.draft(reply.id)
    if drafted is None or drafted.turn < 0:
        return Skip("no customer message stored")
    messages, authors = prompt_messages(ctx, bundle, conversation, drafted.turn, reply)
    if not any(m["role"] == "user" for m in messages):
        return Skip("no customer message stored")
    output = ctx.redact(bundle, reply.draft_reply) or ""
    record = {
        "id": ctx.ticket_hash(bundle),
        "input": messages,
        "output": output,
        "intent": ctx.redact(bundle, reply.intent or latest(bundle.decisions, "intent")),
        "confidence": reply.confidence,
        "action": ctx.redact(bundle, reply.action or latest_action(bundle, reply)),
        "context_ids": [ctx.redact(bundle, i) or "" for i in context_ids(
            [d for d in bundle.decisions if d.created_at <= reply.created_at])],
        "reasons": eval_reasons(bundle),
        "signals": signal_fields(bundle),
        "rating": rating_fields(ctx, bundle, rating),
        "expected": expected_fields(ctx, bundle, reply, conversation, drafted),
        "metadata": {**provenance(ctx, bundle, reply), "input_authors": authors},
    }
    user_text = [m["content"] for m in messages if m["role"] != "system"]
    return Built(record, "\n".join([*user_text, output]), ctx.split_key(bundle))


def latest_action(bundle: TicketBundle, reply: AiDecision) -> str | None:
    """The AI's last action up to its reply (an action step logged apart from the reply)."""
    action = latest([d for d in bundle.decisions if d.created_at <= reply.created_at], "action")
    return action if isinstance(action, str) else None


def target_reply(bundle: TicketBundle) -> AiDecision:
    """The draft the last correction is about, else the AI's last reply."""
    for override in reversed(corrections(bundle)):
        draft = draft_of(bundle, override)
        if draft is not None:
            return draft
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


def signal_fields(bundle: TicketBundle) -> list[dict[str, Any]]:
    """Each signal once (a signal seen again is not listed again), none shown elsewhere in the row."""
    seen: set[tuple[Any, ...]] = set()
    listed = []
    for s in bundle.signals:
        key = (s.type, s.value, s.source, s.occurred_at)
        if s.type in SHOWN_ELSEWHERE or key in seen:
            continue
        seen.add(key)
        listed.append({"type": s.type, "value": s.value, "source": s.source, "at": iso(s.occurred_at)})
    return listed


def rating_fields(ctx: Context, bundle: TicketBundle, rating: Rating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {"score": rating.score, "scale": rating.scale, "reason": rating.reason,
            "comment": ctx.redact(bundle, rating.comment)}


def expected_fields(ctx: Context, bundle: TicketBundle, reply: AiDecision, conversation: Conversation,
                    drafted: Turn) -> dict[str, Any]:
    """The expected behaviour where known: the human reply to the same customer turn, every correction
    with its rationale and policy clause, the review verdict; and why the reply is missing if it is."""
    fixes = corrections(bundle)
    human = conversation.agent_reply_to(drafted.turn, after=reply.created_at)
    verdicts = [s for s in bundle.signals if s.type == VERDICT_SIGNAL]
    verdict = dict(verdicts[-1].details or {}) if verdicts else {}
    cause = verdict.get("verdict") or verdict.get("root_cause")  # verdicts.capture_verdict writes "verdict"
    notes = verdict.get("notes")
    return {
        "human_reply": ctx.redact(bundle, human.text if human else None),
        "final_action": ctx.redact(bundle, latest_of(fixes, "final_action")),
        "rationale": ctx.redact(bundle, latest_of(fixes, "rationale")),
        "policy_clause": ctx.redact(bundle, latest_of(fixes, "policy_clause")),
        "root_cause": cause if isinstance(cause, str) else None,
        "review_notes": ctx.redact(bundle, notes if isinstance(notes, str) else None),
        "corrections": [correction_fields(ctx, bundle, o) for o in fixes],
        "missing_reason": None if human else missing_reason(bundle, fixes, bool(cause)),
    }


def latest_of(fixes: Sequence[Override], name: str) -> str | None:
    """The newest correction's non-empty `name`: a later correction without one does not erase it."""
    for fix in reversed(fixes):
        value = getattr(fix, name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def missing_reason(bundle: TicketBundle, fixes: Sequence[Override], has_verdict: bool) -> str:
    """Why an eval row has no human reply to compare the AI's with."""
    if any(o.kind in ("override", "intent_changed", "status_reverted") for o in fixes):
        head = "a human corrected the AI's decision (see final_action) but wrote no reply to the same message"
    elif bad_signals(bundle):
        head = "the customer came back (reopen or re-contact) and no agent replied to the same message"
    elif any(r.score <= LOW_SCORE for r in bundle.ratings):
        head = "the customer rated it low and no agent replied to the same message"
    else:
        head = "no agent replied to the same customer message"
    return head + ("; the review verdict (root_cause) is the label" if has_verdict else "")


def correction_fields(ctx: Context, bundle: TicketBundle, override: Override) -> dict[str, Any]:
    return {
        "kind": override.kind,
        "source": override.source,
        "final_action": ctx.redact(bundle, override.final_action),
        "rationale": ctx.redact(bundle, override.rationale),
        "policy_clause": ctx.redact(bundle, override.policy_clause),
        "similarity": override.similarity,
        "ai_confidence": override.ai_confidence,
        "missing": [str(m) for m in override.missing or []],
        "at": iso(override.occurred_at),
    }


# --- sft -------------------------------------------------------------------------------------------


def build_sft(ctx: Context, bundle: TicketBundle) -> Built | Skip:
    """An AI resolution confirmed good, as the whole conversation the fine-tuning services take."""
    rating = bundle.latest_rating
    low, high = ctx.window.min_score or TOP_SCORE, ctx.window.max_score or TOP_SCORE
    if rating is None or not low <= rating.score <= high:
        return Skip("latest rating is not a top score")
    if bad_signals(bundle):
        return Skip("reopened or re-contacted")
    if bundle.overrides:
        return Skip("a human overrode or took over")
    conversation = ctx.conversation(bundle)
    if not bundle.replies and not any(t.author == AI for t in conversation.turns):
        return Skip("no AI reply logged")  # neither a logged draft nor a comment by the AI's Zendesk user
    messages, authors = chat(conversation.said(), ctx.redactor(bundle))
    while messages and messages[0]["role"] == "assistant":
        messages.pop(0)
        authors.pop(0)
    while messages and messages[-1]["role"] != "assistant":
        messages.pop()
        authors.pop()
    if not any(m["role"] == "user" for m in messages):
        return Skip("no customer message stored")
    last = bundle.replies[-1] if bundle.replies else (bundle.decisions[-1] if bundle.decisions else None)
    record = {"messages": [ctx.system(bundle, last), *messages],
              "metadata": {**provenance(ctx, bundle, last), "authors": ["system", *authors]}}
    return Built(record, "\n".join(m["content"] for m in messages), ctx.split_key(bundle))


# --- dpo -------------------------------------------------------------------------------------------


def build_dpo(ctx: Context, bundle: TicketBundle) -> list[Built | Skip]:
    """The ticket's preference pairs: for each corrected AI draft, the human agent's reply to the same
    customer turn chosen over the draft; the prompt is the conversation up to that turn.

    A correction without a reply text (an action changed in the sidebar or by the macro, with no
    agent reply to that message) is an eval case, never a pair; so is an agent reply to a later
    message. Several corrections of one draft make one pair, listing them all."""
    rating = bundle.latest_rating
    if not ctx.window.score_ok(rating.score if rating else None):
        return [Skip("rating outside the score bounds")]
    conversation = ctx.conversation(bundle)
    pairs: dict[int, tuple[AiDecision, Turn, list[Override]]] = {}
    out: list[Built | Skip] = []
    for override in bundle.overrides:
        if override.kind not in DPO_KINDS or not in_window(ctx.window, override.occurred_at):
            continue
        found = pair_of(bundle, conversation, override)
        if isinstance(found, Skip):
            out.append(found)
        elif found[0].id in pairs:
            pairs[found[0].id][2].append(override)
        else:
            pairs[found[0].id] = (found[0], found[1], [override])
    for draft, reply, overrides in pairs.values():
        out.append(dpo_record(ctx, bundle, conversation, draft, reply, overrides))
    return out


def in_window(window: Window, moment: datetime) -> bool:
    return (window.since is None or moment >= window.since) and (window.until is None or moment < window.until)


def pair_of(bundle: TicketBundle, conversation: Conversation, override: Override) -> tuple[AiDecision, Turn] | Skip:
    """The AI draft an override corrects and the agent reply that answered the same customer turn."""
    draft = draft_of(bundle, override)
    drafted = conversation.draft(draft.id) if draft is not None else None
    if draft is None or drafted is None:
        return Skip("no AI reply draft to pair (eval only)")
    if drafted.turn < 0:
        return Skip("no customer message stored")
    if override.kind == "edit_to_final":
        if drafted.comment_id is not None:  # the draft was posted as written: a later reply adds, not edits
            return Skip("the AI's draft was posted as written; the agent's reply came on top of it")
        comment_id = (override.details or {}).get("comment_id")
        reply = conversation.comment(str(comment_id)) if comment_id is not None else None
        reply = reply or next((t for t in conversation.turns if t.author == AGENT
                               and same_text(t.text, override.final_action or "")), None)
        if reply is None:
            return Skip("the agent's reply is not in the stored conversation")
        if reply.turn != drafted.turn:
            return Skip("the agent's reply answers another customer message than the draft")
    else:
        reply = conversation.agent_reply_to(drafted.turn, after=draft.created_at)
        if reply is None:
            return Skip("correction without a final reply text (eval only)")
    if same_text(reply.text, draft.draft_reply or ""):
        return Skip("final reply equals the AI's")
    return draft, reply


def dpo_record(ctx: Context, bundle: TicketBundle, conversation: Conversation, draft: AiDecision, reply: Turn,
               overrides: list[Override]) -> Built | Skip:
    prompt, authors = prompt_messages(ctx, bundle, conversation, reply.turn, draft)
    if not any(m["role"] == "user" for m in prompt):
        return Skip("no customer message stored")
    chosen = ctx.redact(bundle, reply.text.strip()) or ""
    rejected = ctx.redact(bundle, (draft.draft_reply or "").strip()) or ""
    record = {
        "prompt": prompt,
        "chosen": [{"role": "assistant", "content": chosen}],
        "rejected": [{"role": "assistant", "content": rejected}],
        "metadata": {**provenance(ctx, bundle, draft), "prompt_authors": authors,
                     "overrides": [correction_fields(ctx, bundle, o) for o in overrides]},
    }
    user_text = [m["content"] for m in prompt if m["role"] != "system"]
    return Built(record, "\n".join([*user_text, chosen, rejected]), ctx.split_key(bundle))


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
