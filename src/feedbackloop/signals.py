"""Implicit signals that need a look at the helpdesk: is a reopen a real failure, or a reply to our survey?

A customer's email reply to the survey comment reopens a solved Zendesk ticket. Counting every
such reply as a failed resolution would punish the tickets customers liked enough to answer.
We read the reply: a short thanks or a bare score is a survey reply (a bare 1–5 is recorded as
the rating); anything else is a real reopen.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

from feedbackloop import lifecycle
from feedbackloop.helpdesks.base import Comment, HelpdeskClient
from feedbackloop.models import Survey
from feedbackloop.settings import Settings

SCORE_REPLY = re.compile(r"^\s*([1-5])\s*(?:/\s*5|stars?|out of 5)?\s*[.!]*\s*$", re.IGNORECASE)
THANKS_REPLY = re.compile(
    r"^\s*(?:many\s+|thank\s*(?:s|you)|thx|ty|cheers|great|perfect|awesome|all good|sounds good|ok(?:ay)?|"
    r"👍|🙏|😊)[\s\w,.!'’:)(-]{0,80}$",
    re.IGNORECASE,
)
MAX_REPLY_CHARS = 160


def is_survey_reply(text: str) -> tuple[bool, int | None]:
    """(True, score or None) when a reply only thanks us or gives a score."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_REPLY_CHARS or "?" in cleaned:
        return False, None
    score = SCORE_REPLY.match(cleaned)
    if score:
        return True, int(score.group(1))
    return bool(THANKS_REPLY.match(cleaned)), None


def _customer_replies(comments: list[Comment], requester_id: int | None, after: datetime) -> list[Comment]:
    return [c for c in comments if c.public and requester_id is not None and c.author_id == requester_id
            and (c.created_at is None or c.created_at >= after)]


def classify_reply(session: Session, settings: Settings, client: HelpdeskClient, tenant_id: str, ticket_id: int,
                   survey_id: int, reopen_key: str, solved_at: datetime, reopened_at: datetime, now: datetime) -> str:
    """Decide whether a reopen after our survey is the customer answering it."""
    survey = session.get(Survey, survey_id)
    state = lifecycle.get_ticket_state(session, tenant_id, ticket_id, now)
    sent_at = survey.sent_at if survey and survey.sent_at else solved_at
    replies = _customer_replies(client.list_comments(ticket_id), state.requester_id, sent_at)
    details = {"solved_at": solved_at.isoformat(), "reopened_at": reopened_at.isoformat()}
    if replies:
        reply, score = is_survey_reply(replies[-1].body)
        if reply:
            details["reply"] = replies[-1].body[:MAX_REPLY_CHARS]
            lifecycle.record_signal(session, tenant_id, ticket_id, "survey_reply", score, "email",
                                    f"survey_reply:{reopen_key}", reopened_at, details, now)
            if score is not None and survey is not None and survey.state == "sent":
                from feedbackloop.ratings import record_rating

                record_rating(session, survey, score, None, None, now, source="email_reply")
            return f"reopen was a reply to the survey{f' with score {score}' if score else ''}"
    if (reopened_at - solved_at).total_seconds() <= settings.reopen_window:
        lifecycle.failed_resolution(session, tenant_id, ticket_id, reopen_key, reopened_at, details, now)
        return "real reopen within the window: failed resolution"
    return "real reopen, outside the reopen window"
