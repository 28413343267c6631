"""Compose the survey and send it as ONE public-comment update through the helpdesk API.

A public comment reaches the customer on the ticket's own channel (email, chat, messaging), so
we never email anyone ourselves. The update carries the comment and the `csat_sent` tag together,
with collision protection, and the ticket stays solved.
"""

from __future__ import annotations

import html
import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop import lifecycle, overrides, rollups
from feedbackloop.errors import Conflict, TicketClosed, TicketNotFound
from feedbackloop.helpdesks.base import HelpdeskClient, Ticket, TicketUpdate
from feedbackloop.links import make_token, survey_url
from feedbackloop.models import Survey, TicketState
from feedbackloop.settings import Settings

log = logging.getLogger(__name__)

SENT_TAG = "csat_sent"
QUESTION = "How did we do? Please rate the help you received on this request."
FIVE_LABELS = {5: "Excellent", 4: "Good", 3: "OK", 2: "Poor", 1: "Very poor"}
THUMBS_LABELS = {5: "Good, I'm satisfied", 1: "Bad, I'm unsatisfied"}
PLAIN_TEMPLATE = "{question}\n\n{lines}\n\nOne click records your answer; you can add a comment after."
HTML_TEMPLATE = (
    "<p>{question}</p><p>{links}</p>"
    "<p style=\"color:#68737d;font-size:12px\">One click records your answer; you can add a comment after.</p>"
)
REMINDER_PREFIX = "A quick reminder: "


def scale_labels(scale: str) -> dict[int, str]:
    """Score → label, best first, for the comment and the page."""
    return THUMBS_LABELS if scale == "thumbs" else FIVE_LABELS


def build_survey_comment(settings: Settings, token: str, scale: str, reminder: bool = False) -> tuple[str, str]:
    """The plain and HTML bodies: one link per score."""
    question = (REMINDER_PREFIX if reminder else "") + QUESTION
    labels = scale_labels(scale)
    urls = {score: survey_url(settings.public_url, token, score) for score in labels}
    lines = "\n".join(f"{score} - {label}: {urls[score]}" for score, label in labels.items())
    links = " &nbsp; ".join(
        f'<a href="{html.escape(urls[score])}">{html.escape(label)}</a>' for score, label in labels.items()
    )
    return (PLAIN_TEMPLATE.format(question=question, lines=lines),
            HTML_TEMPLATE.format(question=html.escape(question), links=links))


def token_for(settings: Settings, survey: Survey) -> str:
    return make_token(settings.secret_key, survey.tenant_id, survey.id)


def remember_ticket(state: TicketState, ticket: Ticket, now: datetime) -> None:
    """Keep the tags and stamp of an API answer: the next update starts from them."""
    state.tags = list(ticket.tags)
    state.snapshot_at = ticket.updated_at
    state.status = ticket.status
    state.requester_id = ticket.requester_id or state.requester_id
    state.channel = ticket.channel or state.channel
    state.updated_at = now


def with_tags(tags: list[str] | tuple[str, ...], add: tuple[str, ...] = (), remove: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Tag set after adding and removing, keeping everyone else's tags and their order."""
    kept = [t for t in tags if t not in remove]
    return tuple(kept + [t for t in add if t not in kept])


def comment_has_marker(client: HelpdeskClient, ticket_id: int, marker: str, *others: str) -> bool:
    """Did an earlier attempt of ours already post this (or one of `others`)? (zenpy and networks can
    double-send.) One read of the comments whatever the number of markers."""
    markers = (marker, *others)
    return any(m in (c.body or "") or m in (c.html_body or "") for c in client.list_comments(ticket_id) for m in markers)


def send_survey(session: Session, settings: Settings, client: HelpdeskClient, survey_id: int, attempt: int,
                now: datetime) -> str:
    """Send one scheduled survey; idempotent across retries and crashes."""
    survey = session.get(Survey, survey_id)
    if survey is None or survey.state != "scheduled":
        return f"nothing to do (survey is {survey.state if survey else 'gone'})"
    state = lifecycle.get_ticket_state(session, survey.tenant_id, survey.ticket_id, now)
    if state.status not in ("solved", None):
        return _finish(survey, "cancelled", f"ticket is {state.status} now", now)
    reason = lifecycle.survey_exclusion(session, settings, survey.tenant_id, state, now)
    reason = reason or _excluded_domain(settings, client, state)
    if reason:
        return _finish(survey, "skipped", reason, now)
    token = token_for(settings, survey)
    if attempt > 1 and comment_has_marker(client, survey.ticket_id, token):
        return _mark_sent(survey, settings, now, "found the survey from an earlier attempt; not sent twice")
    try:
        ticket = _update_with_refresh(client, state, settings, survey, token, now)
    except TicketClosed as exc:
        return _finish(survey, "undeliverable", exc.reason, now)
    except TicketNotFound as exc:
        return _finish(survey, "undeliverable", exc.reason, now)
    except _NotSolved as exc:
        return _finish(survey, "cancelled", str(exc), now)
    remember_ticket(state, ticket, now)
    overrides.check_ticket_fields(session, settings, survey.tenant_id, ticket, now)
    return _mark_sent(survey, settings, now, f"sent on ticket {survey.ticket_id}")


class _NotSolved(Exception):
    """A fresh read shows the ticket left `solved`: a lost reopen webhook, caught here."""


def _update_with_refresh(client: HelpdeskClient, state: TicketState, settings: Settings, survey: Survey,
                         token: str, now: datetime) -> Ticket:
    """PUT with the tags we know; on a collision (or no snapshot) re-read, re-check, PUT again."""
    plain, rich = build_survey_comment(settings, token, survey.scale)
    if state.snapshot_at is not None:
        try:
            return client.update_ticket(survey.ticket_id, _survey_update(state.tags, state.snapshot_at, plain, rich))
        except Conflict:
            log.info("ticket %s changed since we saw it; re-reading before the survey", survey.ticket_id)
    fresh = client.get_ticket(survey.ticket_id)
    remember_ticket(state, fresh, now)
    if fresh.status == "closed":
        raise TicketClosed("ticket was closed before the survey was due")
    if fresh.status != "solved":
        raise _NotSolved(f"ticket is {fresh.status} now (reopen seen on re-read)")
    if comment_has_marker(client, survey.ticket_id, token):
        return fresh
    return client.update_ticket(survey.ticket_id, _survey_update(fresh.tags, fresh.updated_at, plain, rich))


def _survey_update(tags: list[str] | tuple[str, ...], stamp: datetime | None, plain: str, rich: str) -> TicketUpdate:
    return TicketUpdate(comment_body=plain, comment_html=rich, comment_public=True,
                        tags=with_tags(tags, (SENT_TAG,)), updated_stamp=stamp)


def _excluded_domain(settings: Settings, client: HelpdeskClient, state: TicketState) -> str | None:
    """Requester email domains excluded by configuration (staff, partners): one user read, only if configured."""
    if not settings.exclude_email_domains or state.requester_id is None:
        return None
    email = (client.get_user(state.requester_id).email or "").lower()
    domain = email.rpartition("@")[2]
    if domain and any(domain == d or domain.endswith("." + d) for d in settings.exclude_email_domains):
        return f"requester's email domain {domain} is excluded"
    return None


def _finish(survey: Survey, state: str, reason: str, now: datetime) -> str:
    survey.state = state
    survey.reason = reason
    survey.updated_at = now
    return f"survey {state}: {reason}"


def _mark_sent(survey: Survey, settings: Settings, now: datetime, note: str) -> str:
    rollups.add_sent(survey, now)
    survey.state = "sent"
    survey.sent_at = now
    survey.expires_at = now + timedelta(seconds=settings.survey_expiry)
    survey.updated_at = now
    return note


def due_reminders(session: Session, settings: Settings, now: datetime) -> list[Survey]:
    """Sent, unrated surveys whose single reminder is due."""
    from feedbackloop.models import Rating

    if not settings.survey_reminder:
        return []
    cutoff = now - timedelta(seconds=settings.survey_reminder)
    rated = select(Rating.survey_id)
    return list(session.scalars(
        select(Survey).where(Survey.state == "sent", Survey.reminder_sent_at.is_(None), Survey.sent_at <= cutoff,
                             Survey.expires_at > now, Survey.id.not_in(rated)).limit(500)
    ))


def send_reminder(session: Session, settings: Settings, client: HelpdeskClient, survey_id: int, attempt: int,
                  now: datetime) -> str:
    """The optional single reminder, while the ticket can still be updated and nobody rated."""
    from feedbackloop.models import Rating

    survey = session.get(Survey, survey_id)
    if survey is None or survey.state != "sent" or survey.reminder_sent_at is not None:
        return "nothing to do"
    if session.scalar(select(Rating.id).where(Rating.survey_id == survey.id)) is not None:
        return "already rated"
    state = lifecycle.get_ticket_state(session, survey.tenant_id, survey.ticket_id, now)
    if state.final or state.status not in ("solved",):
        survey.reminder_sent_at = now
        return f"no reminder: ticket is {state.status}"
    token = token_for(settings, survey)
    plain, rich = build_survey_comment(settings, token, survey.scale, reminder=True)
    if attempt > 1 and comment_has_marker(client, survey.ticket_id, REMINDER_PREFIX + QUESTION):
        survey.reminder_sent_at = now
        return "reminder found from an earlier attempt"
    try:
        ticket = client.update_ticket(survey.ticket_id, TicketUpdate(comment_body=plain, comment_html=rich,
                                                                     comment_public=True))
    except (TicketClosed, TicketNotFound) as exc:
        survey.reminder_sent_at = now
        return f"no reminder: {exc.reason}"
    remember_ticket(state, ticket, now)
    survey.reminder_sent_at = now
    return "reminder sent"
