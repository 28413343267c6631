"""Write feedback back onto the ticket (one update) and open review tasks agents see in their queue."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.core.errors import Conflict, TicketClosed, TicketNotFound
from feedbackloop.helpdesks.base import Comment, HelpdeskClient, NewTicket, TicketUpdate
from feedbackloop.jobs.step import StepContext
from feedbackloop.loop import overrides, records
from feedbackloop.loop.survey import comment_has_marker, remember_ticket, with_tags
from feedbackloop.store.models import AiDecision, Override, Rating, ReviewTask, Survey, TicketState

log = logging.getLogger(__name__)

REVIEW_TAGS = ("feedback_review", "csat_skip")
CSAT_TAGS = frozenset({f"csat_{n}" for n in range(1, 6)} | {"csat_good", "csat_neutral", "csat_bad"})
RATING_NOTE = "Customer feedback: {score_text}{reason}\n\n{comment}\n\n— feedbackloop · rating {marker}"
#: The note of a bulk write-back (bulk.py): the same for every ticket of the job, so no rating id in it.
BULK_NOTE = "Customer feedback: {score_text}\n\n(no comment)\n\n— feedbackloop · {marker}"
REVIEW_SUBJECT = "Feedback review: ticket #{ticket_id} ({reason})"
REVIEW_NOTE = (
    "Feedback review for ticket #{ticket_id}\n{url}\n\n"
    "Signal: {signal}\n{rating}\n"
    "Please review the conversation below, fix what went wrong, and solve this task with your verdict.\n\n"
    "{ai_log}"
    "--- Conversation so far ---\n{conversation}\n\n— feedbackloop · review {marker}"
)
REVIEW_FOLLOWUP = "Another signal on ticket #{ticket_id}: {signal}\n{rating}\n\n{ai_log}— feedbackloop · review {marker}"
MAX_LOG_LINES = 20
SNIPPET = 300
MAX_CONVERSATION_CHARS = 20_000
WITHDRAW_NOTE = ("The customer {change} on ticket #{ticket_id}, so this review is no longer needed and is "
                 "solved by feedbackloop. Reopen it if you still want to look at the ticket.\n\n"
                 "— feedbackloop · review {marker}")
WITHDRAW_KEEP = ("The customer {change} on ticket #{ticket_id}. The other signals on this task still stand, "
                 "so it stays open.\n\n— feedbackloop · review {marker}")
REASON_TEXT = {"rating": "low rating", "reopened": "reopened soon after solve", "override": "AI override"}


def rating_tags(score: int, native: bool = False) -> tuple[str, ...]:
    """`csat_<N>` plus the band: good (4–5), neutral (3), bad (1–2). A rating from Zendesk's own CSAT
    (good/bad, issue 23) gets the band only: no `csat_5` for a score Zendesk never asked for."""
    band = "csat_good" if score >= 4 else "csat_neutral" if score == 3 else "csat_bad"
    return (band,) if native else (f"csat_{score}", band)


def score_text(rating: Rating, score: int | None = None) -> str:
    """The rating's score (or another on its scale) in words for agents: "4/5", "thumbs up"."""
    value = rating.score if score is None else score
    if rating.scale == "thumbs":
        return "thumbs up" if value >= 4 else "thumbs down"
    return f"{value}/5"


def _good_or_bad(rating: Rating, score: int | None = None) -> str:
    return "good" if (rating.score if score is None else score) >= 4 else "bad"


def note_for(rating: Rating) -> str:
    marker = f"#{rating.id} v{rating.version}"
    reason = f" — reason: {rating.reason}" if rating.reason else ""
    comment = f"“{rating.comment}”" if rating.comment else "(no comment)"
    words = score_text if rating.source != "zendesk" else _good_or_bad  # Zendesk's CSAT in its own words
    text = words(rating) if rating.source != "zendesk" else f"Zendesk CSAT {words(rating)}"
    if rating.previous_score is not None and rating.previous_score != rating.score:
        text += f" (changed from {words(rating, rating.previous_score)} to {words(rating)})"
    return RATING_NOTE.format(score_text=text, reason=reason, comment=comment, marker=marker)


def bulk_marker(key: str) -> str:
    """What identifies the note of one bulk write-back job on each of its tickets."""
    return f"ratings in bulk {key}"


def bulk_note(rating: Rating, key: str) -> str:
    """The internal note a bulk job writes on every ticket (one-click ratings of one score)."""
    return BULK_NOTE.format(score_text=score_text(rating), marker=bulk_marker(key))


def write_rating(session: Session, step: StepContext, rating_id: int, version: int,
                 other_markers: tuple[str, ...] = ()) -> str:
    """Tags, the score field and the comment as an internal note: ONE update, collision-safe.

    On a retry the ticket's comments are searched for this rating's note first, and for any of
    `other_markers` (the note of a bulk job this write-back was part of)."""
    settings, client, attempt, now = step.settings, step.client, step.attempt, step.now
    rating = session.get(Rating, rating_id)
    if rating is None:
        return "rating gone"
    if rating.written_version >= rating.version or version < rating.version:
        return "a newer write-back covers this rating"
    state = records.get_ticket_state(session, rating.tenant_id, rating.ticket_id, now)
    note = note_for(rating)
    marker = f"rating #{rating.id} v{rating.version}"
    fields = {settings.csat_field_id: rating.score} if settings.csat_field_id else {}
    if attempt > 1 and comment_has_marker(client, rating.ticket_id, marker, *other_markers):
        rating.written_version = rating.version
        return "write-back found from an earlier attempt"
    try:
        ticket = _update_tags_safely(client, state, rating_tags(rating.score, rating.source == "zendesk"), CSAT_TAGS,
                                     note, fields, now)
    except TicketClosed as exc:
        rating.written_version = rating.version
        return f"not written back: {exc.reason} (the rating is kept)"
    except TicketNotFound as exc:
        rating.written_version = rating.version
        return f"not written back: {exc.reason}"
    remember_ticket(state, ticket, now)
    overrides.check_ticket_fields(session, settings, rating.tenant_id, ticket, now)
    rating.written_version = rating.version
    return f"wrote csat_{rating.score} to ticket {rating.ticket_id}"


def _update_tags_safely(client: HelpdeskClient, state: TicketState, add: tuple[str, ...], remove: frozenset[str],
                        note: str | None, fields: dict[int, Any], now: datetime) -> Any:
    """Update from our snapshot; if the ticket moved on (409) or we have none, re-read and update once more.

    Its parameters are the parts of one ticket update.
    """
    def build(tags: list[str] | tuple[str, ...], stamp: datetime | None) -> TicketUpdate:
        return TicketUpdate(comment_body=note, comment_public=False, tags=with_tags(tags, add, remove - set(add)),
                            custom_fields=fields, updated_stamp=stamp)

    if state.snapshot_at is not None:
        try:
            return client.update_ticket(state.ticket_id, build(state.tags, state.snapshot_at))
        except Conflict:
            log.info("ticket %s changed since we saw it; re-reading", state.ticket_id)
    fresh = client.get_ticket(state.ticket_id)
    remember_ticket(state, fresh, now)
    return client.update_ticket(state.ticket_id, build(fresh.tags, fresh.updated_at))


def tag_ticket(session: Session, step: StepContext, add: list[str]) -> str:
    """Add tags (e.g. `feedback_reopened`) without losing anyone else's."""
    client, tenant_id, ticket_id, now = step.client, step.tenant_id, step.ticket, step.now
    state = records.get_ticket_state(session, tenant_id, ticket_id, now)
    if set(add) <= set(state.tags or []) and state.snapshot_at is not None:
        return "tags already present"
    try:
        ticket = _update_tags_safely(client, state, tuple(add), frozenset(), None, {}, now)
    except (TicketClosed, TicketNotFound) as exc:
        return f"not tagged: {exc.reason}"
    remember_ticket(state, ticket, now)
    return f"tagged {', '.join(add)}"


def review_task(session: Session, step: StepContext, reason: str, details: dict[str, Any]) -> str:
    """Open a review task for the source ticket, or add a note to the one already open."""
    client, tenant_id, source_ticket_id = step.client, step.tenant_id, step.ticket
    job_key, attempt, now = step.key, step.attempt, step.now
    task = _current_review(session, tenant_id, source_ticket_id)
    signal = _signal_text(reason, details)
    rating = _latest_rating(session, tenant_id, source_ticket_id)
    marker = f"{job_key}"
    if task is not None and task.state == "open" and task.task_ticket_id is not None:
        if attempt > 1 and comment_has_marker(client, task.task_ticket_id, marker):
            return "note found from an earlier attempt"
        text = REVIEW_FOLLOWUP.format(ticket_id=source_ticket_id, signal=signal, rating=_rating_text(rating),
                                      ai_log=ai_log_text(session, tenant_id, source_ticket_id), marker=marker)
        try:
            client.update_ticket(task.task_ticket_id, TicketUpdate(comment_body=text, comment_public=False))
        except (TicketClosed, TicketNotFound):
            task.state = "solved"  # closed or deleted behind our back: open a fresh one next time
            task.updated_at = now
            return _create_review(session, step, reason, signal, rating, marker)
        task.reasons = [*task.reasons, reason]
        task.updated_at = now
        return f"added a note to review task {task.task_ticket_id}"
    return _create_review(session, step, reason, signal, rating, marker)


def withdraw_review(session: Session, step: StepContext, old_score: int, new_score: int) -> str:
    """A bad rating became a better one: solve the review task it opened, with a note saying why.

    A task that also holds other signals (a reopen, an override) stays open with the note."""
    client, tenant_id, source_ticket_id = step.client, step.tenant_id, step.ticket
    job_key, attempt, now = step.key, step.attempt, step.now
    task = _current_review(session, tenant_id, source_ticket_id)
    if task is None or task.state != "open" or task.task_ticket_id is None:
        return "no open review task"
    rating = _latest_rating(session, tenant_id, source_ticket_id)
    if rating is not None and rating.score <= 2:
        return "the rating is bad again: the review stays open"
    others = [reason for reason in task.reasons if reason != "rating"]
    change = (f"changed their rating from {score_text(rating, old_score)} to {score_text(rating, new_score)}"
              if rating is not None else f"changed their rating from {old_score} to {new_score}")
    if others:
        text = WITHDRAW_KEEP.format(ticket_id=source_ticket_id, change=change, marker=job_key)
    else:
        text = WITHDRAW_NOTE.format(ticket_id=source_ticket_id, change=change, marker=job_key)
    if attempt > 1 and comment_has_marker(client, task.task_ticket_id, job_key):
        return "note found from an earlier attempt"
    try:
        client.update_ticket(task.task_ticket_id, TicketUpdate(comment_body=text, comment_public=False,
                                                               status=None if others else "solved"))
    except (TicketClosed, TicketNotFound) as exc:
        task.state = "solved"
        task.updated_at = now
        return f"review task already gone: {exc.reason}"
    task.reasons = [*others] if others else task.reasons
    task.updated_at = now
    if others:
        return f"noted the better rating on review task {task.task_ticket_id}; other signals keep it open"
    task.state = "solved"
    task.verdict = "no_issue"
    task.verdict_notes = f"withdrawn: the customer {change}"
    task.verdict_at = now
    return f"solved review task {task.task_ticket_id}: the customer {change}"


def _create_review(session: Session, step: StepContext, reason: str, signal: str, rating: Rating | None,
                   marker: str) -> str:
    settings, client, tenant_id, source = step.settings, step.client, step.tenant_id, step.ticket
    attempt, now = step.attempt, step.now
    previous = _current_review(session, tenant_id, source)
    generation = (previous.generation + 1) if previous is not None else 1
    external_id = f"feedbackloop:{tenant_id}:review:{source}:{generation}"
    due_at = now + timedelta(seconds=settings.review_due)
    existing = client.find_tickets_by_external_id(external_id) if attempt > 1 else []
    if existing:
        created = existing[0]
    else:
        conversation = _conversation(client.list_comments(source),
                                     records.get_ticket_state(session, tenant_id, source, now).requester_id)
        note = REVIEW_NOTE.format(ticket_id=source, url=client.ticket_url(source), signal=signal,
                                  rating=_rating_text(rating), ai_log=ai_log_text(session, tenant_id, source),
                                  conversation=conversation, marker=marker)
        created = client.create_ticket(NewTicket(
            subject=REVIEW_SUBJECT.format(ticket_id=source, reason=REASON_TEXT.get(reason, reason)),
            comment_body=note, comment_public=False, ticket_type="task", due_at=due_at,
            group_id=settings.review_group_id, tags=REVIEW_TAGS, external_id=external_id,
        ))
    session.add(ReviewTask(tenant_id=tenant_id, source_ticket_id=source, generation=generation,
                           task_ticket_id=created.id, state="open", reasons=[reason], due_at=due_at,
                           created_at=now, updated_at=now))
    task_state = records.get_ticket_state(session, tenant_id, created.id, now)
    task_state.is_review_task = True
    return f"created review task {created.id} for ticket {source}"


def _current_review(session: Session, tenant_id: str, source: int) -> ReviewTask | None:
    return session.scalars(
        select(ReviewTask).where(ReviewTask.tenant_id == tenant_id, ReviewTask.source_ticket_id == source)
        .order_by(ReviewTask.generation.desc()).limit(1)
    ).one_or_none()


def _latest_rating(session: Session, tenant_id: str, ticket_id: int) -> Rating | None:
    return session.scalars(
        select(Rating).join(Survey, Survey.id == Rating.survey_id)
        .where(Rating.tenant_id == tenant_id, Rating.ticket_id == ticket_id)
        .order_by(Rating.updated_at.desc()).limit(1)
    ).one_or_none()


def _snippet(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def ai_log_text(session: Session, tenant_id: str, ticket_id: int) -> str:
    """What the AI did and what humans changed, so the reviewer need not leave Zendesk; "" if nothing."""
    decisions = session.scalars(
        select(AiDecision).where(AiDecision.tenant_id == tenant_id, AiDecision.ticket_id == ticket_id,
                                 AiDecision.mode == "live")  # shadow suggestions are not written back as the AI's
        .order_by(AiDecision.created_at.desc(), AiDecision.id.desc()).limit(MAX_LOG_LINES)
    ).all()
    changes = session.scalars(
        select(Override).where(Override.tenant_id == tenant_id, Override.ticket_id == ticket_id)
        .order_by(Override.occurred_at.desc(), Override.id.desc()).limit(MAX_LOG_LINES)
    ).all()
    lines: list[str] = []
    if decisions:
        lines.append("--- What the AI did ---")
        for d in reversed(decisions):
            facts = [f"intent {d.intent}" if d.intent else "",
                     f"confidence {d.confidence:.2f}" if d.confidence is not None else "",
                     f"action: {_snippet(d.action)}" if d.action else "",
                     f"draft: “{_snippet(d.draft_reply)}”" if d.draft_reply else "",
                     f"policy: {', '.join(d.policy_refs)}" if d.policy_refs else "",
                     f"model {d.model}" + (f" / prompt {d.prompt_version}" if d.prompt_version else "") if d.model else ""]
            lines.append(f"{d.created_at:%Y-%m-%d %H:%M} {d.step}: " + "; ".join(f for f in facts if f))
    if changes:
        lines.append("--- Overrides ---")
        for o in reversed(changes):
            head = f"{o.occurred_at:%Y-%m-%d %H:%M} {o.kind} ({o.source})"
            if o.agent_id:
                head += f" by agent {o.agent_id}"
            if o.similarity is not None:
                head += f", similarity {o.similarity:.2f}"
            body = [f"AI: {_snippet(o.ai_decision)}" if o.ai_decision else "",
                    f"final: {_snippet(o.final_action)}" if o.final_action else "",
                    f"why: {_snippet(o.rationale)}" if o.rationale else "",
                    f"policy: {_snippet(o.policy_clause)}" if o.policy_clause else ""]
            lines.append(head + ": " + "; ".join(b for b in body if b))
            if o.missing and o.kind == "override":
                lines.append("  Missing: " + ", ".join(m.replace("_", " ") for m in o.missing)
                             + " — please add them with the feedbackloop sidebar, or the \"Override AI decision\""
                             " macro's note.")
    return ("\n".join(lines) + "\n\n") if lines else ""


def _signal_text(reason: str, details: dict[str, Any]) -> str:
    if reason == "reopened":
        return (f"reopened ({details.get('status', 'open')}) at {details.get('reopened_at')}, "
                f"solved at {details.get('solved_at')}")
    if reason == "rating":
        return f"low rating ({details.get('score')})"
    if reason == "override":
        missing = ", ".join(m.replace("_", " ") for m in details.get("missing") or [])
        return f"agent override of the AI ({details.get('source', 'override')}); missing: {missing or 'nothing'}"
    return reason


def _rating_text(rating: Rating | None) -> str:
    if rating is None:
        return "Rating: none yet"
    reason = f", reason: {rating.reason}" if rating.reason else ""
    comment = f"\nCustomer comment: “{rating.comment}”" if rating.comment else ""
    return f"Rating: {score_text(rating)}{reason}{comment}"


def _conversation(comments: list[Comment], requester_id: int | None) -> str:
    """The thread as plain text, oldest first, cut to a size Zendesk accepts in one comment."""
    parts = []
    for comment in comments:
        who = "Customer" if requester_id is not None and comment.author_id == requester_id else "Agent"
        visibility = "" if comment.public else " (internal)"
        when = comment.created_at.strftime("%Y-%m-%d %H:%M UTC") if comment.created_at else ""
        parts.append(f"[{when}] {who}{visibility}:\n{comment.body.strip()}")
    text = "\n\n".join(parts) or "(no comments)"
    if len(text) > MAX_CONVERSATION_CHARS:
        text = "…(earlier messages cut)…\n" + text[-MAX_CONVERSATION_CHARS:]
    return text
