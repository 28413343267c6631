"""Review verdicts: when an agent solves a review task, its root cause and notes become the label.

The root cause comes from the review task's dropdown field. A Zendesk dropdown option's value is
also a tag on the ticket, so the solved event's tags usually carry it already (option values
`feedback_root_cause_<cause>`, as the installer creates them) and no read is needed for it; a
configured ZENDESK_ROOT_CAUSE_FIELD_ID is read when the tags do not say. The notes are the
reviewer's internal comments after our first note: one comments read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from feedbackloop.jobs.step import StepContext
from feedbackloop.loop import records
from feedbackloop.store.models import ReviewTask

ROOT_CAUSES = ("kb_gap", "wrong_intent", "tone", "policy_violation", "action_error", "not_ai", "no_issue")
ROOT_CAUSE_TAG_PREFIX = "feedback_root_cause_"
MAX_NOTES = 5000


def root_cause_from(value: Any) -> str | None:
    """A root cause from a tag or field value: `feedback_root_cause_kb_gap`, `kb_gap`, `KB gap`."""
    if value is None:
        return None
    text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    text = text.removeprefix(ROOT_CAUSE_TAG_PREFIX)
    return text if text in ROOT_CAUSES else None


def capture_verdict(session: Session, step: StepContext, args: dict[str, Any]) -> str:
    """Read the verdict of a solved review task and record it on the task and the source ticket."""
    settings, client, now = step.settings, step.client, step.now
    task = session.get(ReviewTask, args["review_task_id"])
    if task is None or task.task_ticket_id is None:
        return "review task gone"
    cause = next((c for c in map(root_cause_from, args.get("tags") or []) if c), None)
    if cause is None and settings.root_cause_field_id:
        ticket = client.get_ticket(task.task_ticket_id)
        cause = root_cause_from(ticket.custom_fields.get(settings.root_cause_field_id))
        cause = cause or next((c for c in map(root_cause_from, ticket.tags) if c), None)
    comments = client.list_comments(task.task_ticket_id)
    ours = comments[0].author_id if comments else None
    notes = [c for c in comments[1:] if c.author_id != ours and c.body.strip()]
    task.verdict = cause
    task.verdict_notes = "\n\n".join(c.body.strip() for c in notes)[:MAX_NOTES] or None
    task.verdict_by = notes[-1].author_id if notes else None
    task.verdict_at = now
    task.updated_at = now
    missing = [name for name, value in (("root_cause", cause), ("notes", task.verdict_notes)) if not value]
    records.record_signal(session, task.tenant_id, task.source_ticket_id, "review_verdict", None, "review",
                            f"verdict:{task.id}", now,
                            {"verdict": cause, "notes": task.verdict_notes, "review_task_id": task.task_ticket_id,
                             "by": task.verdict_by, "missing": missing}, now)
    return f"verdict on ticket {task.source_ticket_id}: {cause or 'no root cause given'}"
