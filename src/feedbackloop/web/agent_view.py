"""What the agent's sidebar opens on, in words: the rating with its scale and the customer's comment,
the AI's decision and whether it was overridden, the open review task as a link; then the ticket's
history, newest first, each line a sentence instead of a record (timeline.py keeps the records).

The words are English: agents work in Zendesk's language, and this text is a summary of our own
records, not the customer's survey (which is translated, i18n.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from feedbackloop.loop.ratings import REASONS
from feedbackloop.loop.survey import FIVE_LABELS, THUMBS_LABELS
from feedbackloop.web.timeline import Entry, Timeline

#: Override form fields, as an agent reads them ("Still missing: ai_decision" said nothing).
FIELD_WORDS = {"ai_decision": "what the AI decided", "final_action": "your final action",
               "rationale": "why you changed it", "policy_clause": "the policy clause or data point"}
SIGNAL_WORDS = {
    "reopen": "The customer reopened the ticket",
    "failed_resolution": "The customer wrote back: the problem is not solved",
    "survey_reply": "The customer replied to the survey",
    "override": "An agent overrode the AI's decision",
    "edit_to_final": "An agent edited the AI's draft before sending",
    "resolution_confirmed": "The customer confirmed the problem is solved",
    "resolution_final": "The ticket closed without a reopen",
    "first_contact_resolution": "Solved on first contact",
    "review_verdict": "A reviewer gave a verdict",
    "agent_replies": "Agent replies counted",
    "time_to_resolution": "Time to resolution measured",
}
#: Signals that repeat another line of the history (the rating itself) or only feed reports.
QUIET_SIGNALS = frozenset({"csat", "agent_replies", "time_to_resolution"})
BAD_SIGNALS = frozenset({"reopen", "failed_resolution", "override"})
EVENT_WORDS = {"created": "Ticket created", "comment_added": "A comment was added", "tags_changed": "Tags changed"}
SURVEY_WORDS = {"scheduled": "Survey scheduled", "sent": "Survey sent", "cancelled": "Survey cancelled",
                "skipped": "No survey", "undeliverable": "Survey could not be sent"}
TASK_WORDS = {"pending": "being created", "open": "open", "solved": "solved", "failed": "could not be created"}


def missing_in_words(missing: Sequence[str]) -> str:
    """'what the AI decided and the policy clause or data point'."""
    words = [FIELD_WORDS.get(name, name.replace("_", " ")) for name in missing]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def rating_words(score: int, scale: str) -> str:
    """'Poor (2 of 5)' or 'Good, I'm satisfied'."""
    labels = THUMBS_LABELS if scale == "thumbs" else FIVE_LABELS
    label = labels.get(score, str(score))
    return label if scale == "thumbs" else f"{label} ({score} of 5)"


def reason_words(code: str | None) -> str | None:
    return REASONS.get(code, code.replace("_", " ")) if code else None


def humanize(code: str | None) -> str | None:
    """An AI label or code as words: 'refund_status' → 'refund status'."""
    return code.replace("_", " ").strip() if code else code


def _percent(value: Any) -> str:
    return f"{round(float(value) * 100)}%" if isinstance(value, (int, float)) else ""


def summarize(timeline: Timeline, task_url: Callable[[int], str | None]) -> dict[str, Any]:
    """The top of the sidebar: rating, survey, AI decision (and its override), open review task."""
    latest: dict[str, Entry] = {}
    for entry in timeline.entries:  # oldest first: the last one of each type wins
        if entry.type == "ai_decision" and entry.fields.get("mode") == "shadow":
            continue  # a shadow suggestion is not what the AI did on the ticket
        latest[entry.type] = entry
    rating, decision = latest.get("rating"), latest.get("ai_decision")
    override = latest.get("override")
    task = next((e for e in reversed(timeline.entries) if e.type == "review_task"
                 and e.fields.get("role") == "source" and e.fields.get("state") in ("pending", "open")), None)
    return {
        "rating": _rating_summary(rating) if rating else None,
        "survey": {"state": latest["survey"].fields["state"], "words": SURVEY_WORDS.get(latest["survey"].fields["state"], ""),
                   "at": latest["survey"].as_json()["at"]} if "survey" in latest else None,
        "ai": _decision_summary(decision, override) if decision else None,
        "review_task": _task_summary(task, task_url) if task else None,
        "touched_by_ai": decision is not None or override is not None,
    }


def _rating_summary(entry: Entry) -> dict[str, Any]:
    fields = entry.fields
    score, scale = int(fields["score"]), str(fields["scale"])
    good = score >= (5 if scale == "thumbs" else 4)
    return {"score": score, "scale": scale, "words": rating_words(score, scale), "reason": reason_words(fields["reason"]),
            "comment": fields["comment"], "at": fields.get("updated_at") or entry.as_json()["at"],
            "tone": "good" if good else "bad" if score <= 2 or scale == "thumbs" else "neutral",
            "out_of": 1 if scale == "thumbs" else 5}


def _decision_summary(entry: Entry, override: Entry | None) -> dict[str, Any]:
    fields = entry.fields
    overridden = override is not None and override.at >= entry.at
    return {"intent": humanize(fields["intent"]), "confidence": _percent(fields["confidence"]),
            "action": humanize(fields["action"]), "step": humanize(fields["step"]), "at": entry.as_json()["at"], "overridden": overridden,
            "override": {"final_action": override.fields["final_action"], "rationale": override.fields["rationale"],
                         "at": override.as_json()["at"]} if overridden and override else None}


def _task_summary(entry: Entry, task_url: Callable[[int], str | None]) -> dict[str, Any]:
    task_id = entry.fields.get("task_ticket_id")
    reasons = [REVIEW_REASON_WORDS.get(r.split(":")[0], r) for r in entry.fields.get("reasons") or []]
    return {"ticket_id": task_id, "state": entry.fields["state"], "words": TASK_WORDS.get(entry.fields["state"], ""),
            "url": task_url(int(task_id)) if task_id else None, "reasons": reasons,
            "due_at": entry.fields.get("due_at")}


REVIEW_REASON_WORDS = {"rating": "a low rating", "reopen": "a reopen", "override": "an override",
                       "failed_resolution": "the problem came back", "recontact": "the customer wrote in again"}


def history(timeline: Timeline) -> list[dict[str, Any]]:
    """Every entry worth a line, newest first: {at, text, tone}."""
    lines = []
    for entry in reversed(timeline.entries):
        described = describe(entry)
        if described is not None:
            text, tone = described
            lines.append({"at": entry.as_json()["at"], "type": entry.type, "text": text, "tone": tone})
    return lines


def describe(entry: Entry) -> tuple[str, str] | None:
    """One sentence and a tone (good, bad, ai or empty) for a timeline entry; None to leave it out."""
    return DESCRIBERS.get(entry.type, _describe_other)(entry.fields)


def _describe_event(d: Mapping[str, Any]) -> tuple[str, str] | None:
    if d.get("kind") == "status_changed" and d.get("status"):
        before = f"{d['previous_status']} → " if d.get("previous_status") else ""
        return f"Status {before}{d['status']}", ""
    kind = str(d.get("kind") or "ticket_updated")
    return EVENT_WORDS.get(kind, kind.replace("_", " ").capitalize()), ""


def _describe_decision(d: Mapping[str, Any]) -> tuple[str, str]:
    intent = f" · {humanize(d['intent'])}" if d.get("intent") else ""
    confidence = f" ({_percent(d['confidence'])} sure)" if d.get("confidence") is not None else ""
    action = f": {humanize(d['action'])}" if d.get("action") else ""
    shadow = " (shadow: suggested, not acted on)" if d.get("mode") == "shadow" else ""
    return f"AI {humanize(d.get('step')) or 'step'}{shadow}{intent}{confidence}{action}", "ai"


def _describe_override(d: Mapping[str, Any]) -> tuple[str, str]:
    how = {"sidebar": "in this app", "macro": "with the macro", "tag": "with the tag"}.get(str(d.get("source")), "")
    action = f": {d['final_action']}" if d.get("final_action") else ""
    return f"AI decision overridden {how}{action}".replace("  ", " "), "bad"


def _describe_signal(d: Mapping[str, Any]) -> tuple[str, str] | None:
    kind = str(d.get("signal"))
    if kind in QUIET_SIGNALS:
        return None
    return SIGNAL_WORDS.get(kind, kind.replace("_", " ").capitalize()), "bad" if kind in BAD_SIGNALS else ""


def _describe_survey(d: Mapping[str, Any]) -> tuple[str, str]:
    """The survey's first moment (its schedule); a sent survey has its own "Survey sent" line."""
    state = str(d.get("state"))
    why = f" ({d['reason']})" if d.get("reason") and state != "sent" else ""
    return f"{SURVEY_WORDS['scheduled'] if state == 'sent' else SURVEY_WORDS.get(state, 'Survey')}{why}", ""


def _describe_answer(d: Mapping[str, Any]) -> tuple[str, str]:
    verdict, score = d.get("verdict"), d.get("score")
    if verdict == "bot":
        return f"A mail scanner opened the survey link ({d.get('bot_reason')}): not counted", ""
    if verdict == "pending":
        return f"The customer tapped {score}: waiting to confirm", ""
    if verdict == "superseded":
        return f"The customer tapped {score}, then answered again", ""
    return f"The customer answered {score}", ""


def _describe_rating(d: Mapping[str, Any]) -> tuple[str, str]:
    summary = _rating_summary(Entry(at=_never(), type="rating", row_id=0, fields=dict(d)))
    reason = f" — {summary['reason']}" if summary["reason"] else ""
    comment = f": “{d['comment']}”" if d.get("comment") else ""
    return f"Customer rated {summary['words']}{reason}{comment}", summary["tone"] if summary["tone"] != "neutral" else ""


def _describe_task(d: Mapping[str, Any]) -> tuple[str, str]:
    verdict = d.get("verdict") or {}
    cause = f" — root cause: {str(verdict.get('root_cause')).replace('_', ' ')}" if verdict.get("root_cause") else ""
    number = f" #{d['task_ticket_id']}" if d.get("task_ticket_id") else ""
    return f"Review task{number} {TASK_WORDS.get(str(d.get('state')), d.get('state'))}{cause}", ""


def _describe_other(d: Mapping[str, Any]) -> tuple[str, str]:
    return str(d.get("kind") or "Update").replace("_", " "), ""


def _never() -> Any:
    from datetime import datetime, timezone

    return datetime(1970, 1, 1, tzinfo=timezone.utc)


DESCRIBERS: dict[str, Callable[[Mapping[str, Any]], tuple[str, str] | None]] = {
    "event": _describe_event, "ai_decision": _describe_decision, "override": _describe_override,
    "signal": _describe_signal, "survey": _describe_survey,
    "survey_sent": lambda d: (f"Survey sent{' by ' + str(d['channel']) if d.get('channel') else ''}", ""),
    "survey_answer": _describe_answer, "rating": _describe_rating, "review_task": _describe_task,
}
