"""Zendesk's own CSAT (issue 23): its ratings become ours, once per ticket and version.

Three paths bring a native rating in, and all three end in `record`:

* the satisfaction trigger `install` creates (FEEDBACKLOOP_SURVEY_SOURCE zendesk or both) posts a
  body with the ticket id and the score; the `read_native` job then reads the ticket through the API
  and records its `satisfaction_rating` (the comment and reason never travel in a trigger body: free
  text would break its JSON, and Zendesk documents no escaping);
* a ticket we read anyway (the survey job, `read_native`) carries `satisfaction_rating`;
* reconciliation lists `GET /api/v2/satisfaction_ratings` by time window (`reconcile_native`), so a
  lost webhook loses no rating.

A native rating is a survey row (`solve_key` "zendesk-csat:<rating id>", state sent, scale thumbs)
and a rating row (source "zendesk"): good is stored as 5 and bad as 1 on the two-point thumbs scale,
never as a 1-5 score, so write-back, review tasks, alerts and exports work unchanged, and reports
keep the two-point scale apart (csat_sources.py). `offered` is a survey sent (it feeds the response
rate); `unoffered` is nothing. The same rating read again (same score, comment and reason) is a
duplicate; a changed one (good → bad) is the rating's next version; a read older than the one
recorded (`updated_at`) is ignored.

Precedence (docs/zendesk-csat.md): a ticket whose solve got our survey keeps ours; a native rating
on it is logged and not counted. A ticket whose native survey was offered gets no survey of ours.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackloop.core.errors import TicketNotFound
from feedbackloop.helpdesks.base import HelpdeskClient, NativeRating
from feedbackloop.jobs import queue as jobs
from feedbackloop.loop import attribution, lifecycle
from feedbackloop.loop.csat_sources import NATIVE_KEY, native_key, queue_record, to_json  # noqa: F401 (re-exported)
from feedbackloop.loop.ratings import record_rating
from feedbackloop.store import rollups
from feedbackloop.store.models import Rating, Survey, SyncCursor

log = logging.getLogger(__name__)

#: Native scores on our two-point (thumbs) scale: up is stored as 5, down as 1 (see ratings.is_good).
SCORES = {"good": 5, "bad": 1}
SCALE = "thumbs"
#: The neutral event kind of a satisfaction trigger body (zendesk/events.py TRIGGER_KINDS).
TRIGGER_KIND = "satisfaction_changed"
SOURCE = "zendesk"
REASON_WIDTH = 40  # Rating.reason's width; the whole text is in Rating.native_reason
#: Reconciliation: the window's start goes back this far behind the last run (clock skew, late writes) ...
OVERLAP = timedelta(hours=1)
#: ... the first run (and the daily deep pass) reads this far back: Zendesk's docs do not say whether
#: start_time/end_time filter on a rating's created_at (when the survey was offered) or its updated_at
#: (when it was answered), so a daily pass re-reads the span in which an offered survey may be answered.
DEEP_LOOKBACK = timedelta(days=28)
#: The first run reads this far back (as the ticket reconciliation does), and no pass ever reads further
#: back than this before the first run.
FIRST_LOOKBACK = timedelta(days=2)
DEEP_EVERY = timedelta(days=1)
CURSOR = "satisfaction_ratings"
DEEP_CURSOR = "satisfaction_ratings_deep"
MAX_PAGES_PER_RUN = 50


def record(session: Session, tenant_id: str, native: NativeRating, now: datetime) -> str:
    """Make a native rating ours: a survey sent for `offered`, a rating (or its next version) for good/bad."""
    if native.score not in (*SCORES, "offered"):
        return f"unoffered: score {native.score} is not a survey sent, nothing recorded"
    state = lifecycle.lock_ticket(session, tenant_id, native.ticket_id, now)  # one writer per ticket
    ours = _our_survey(session, tenant_id, native.ticket_id)
    if ours is not None and ours.state == "sent":
        log.info("native rating of ticket %s not counted: our survey %s was sent on it", native.ticket_id, ours.id)
        return f"ours: our survey {ours.id} was sent on this ticket (ours takes precedence), not counted"
    survey, created = _native_survey(session, tenant_id, native, state.solved_at, state.channel, now)
    if ours is not None and ours.state == "scheduled":
        jobs.cancel(session, tenant_id, f"survey:{ours.id}", "Zendesk's own survey was offered on this ticket", now)
        ours.state, ours.reason, ours.updated_at = "cancelled", "Zendesk's own survey was offered on this ticket", now
    if native.score == "offered":
        return f"offered: native survey {survey.id}" if created else f"duplicate: native survey {survey.id} offered"
    return _record_score(session, survey, native, now)


def _our_survey(session: Session, tenant_id: str, ticket_id: int) -> Survey | None:
    """The ticket's latest survey of ours (not a native one)."""
    return session.scalars(
        select(Survey).where(Survey.tenant_id == tenant_id, Survey.ticket_id == ticket_id,
                             Survey.solve_key.not_like(f"{NATIVE_KEY}%"))
        .order_by(Survey.id.desc()).limit(1)
    ).first()


def _native_survey(session: Session, tenant_id: str, native: NativeRating, solved_at: datetime | None,
                   channel: str | None, now: datetime) -> tuple[Survey, bool]:
    """The survey row of this native rating, made (and counted as sent) on first sight; True if made now."""
    key = native_key(native.id)
    query = select(Survey).where(Survey.tenant_id == tenant_id, Survey.ticket_id == native.ticket_id,
                                 Survey.solve_key == key)
    survey = session.scalars(query).one_or_none()
    if survey is not None:
        return survey, False
    offered = native.created_at or now
    survey = Survey(
        tenant_id=tenant_id, ticket_id=native.ticket_id, requester_id=None, solve_key=key,
        solved_at=solved_at or offered, state="scheduled", reason="Zendesk's own CSAT survey", scale=SCALE,
        scheduled_for=offered, sent_at=None, reminder_sent_at=None, expires_at=None, channel=channel,
        created_at=now, updated_at=now,
    )
    state = lifecycle.get_ticket_state(session, tenant_id, native.ticket_id, now)
    survey.requester_id = state.requester_id
    attribution.snapshot(session, survey, state)
    try:
        with session.begin_nested():
            session.add(survey)
    except IntegrityError:  # another path made it first (we hold the ticket lock, so only on SQLite races)
        return session.scalars(query).one(), False
    rollups.add_sent(survey, offered)  # `offered` is a survey sent: it feeds the response rate
    survey.state, survey.sent_at = "sent", offered
    return survey, True


def _record_score(session: Session, survey: Survey, native: NativeRating, now: datetime) -> str:
    rating = session.scalars(select(Rating).where(Rating.survey_id == survey.id)).one_or_none()
    if rating is not None and native.updated_at is not None and rating.native_updated_at is not None \
            and native.updated_at < rating.native_updated_at:
        return f"older: than rating {rating.id} v{rating.version}, ignored"
    score = SCORES[native.score]
    reason = native.reason[:REASON_WIDTH] if native.reason else None
    if rating is not None and (rating.score, rating.comment, rating.native_reason) == (
            score, native.comment, native.reason):
        rating.native_updated_at = max(filter(None, (rating.native_updated_at, native.updated_at)), default=None)
        return f"duplicate: rating {rating.id} v{rating.version}"
    if rating is not None and rating.score == score and rating.comment != native.comment and native.comment is None:
        rating.comment = None  # the customer removed the comment: record_rating reads None as "keep"
    rating = record_rating(session, survey, score, reason, native.comment, now, source=SOURCE)
    rating.native_id = native.id
    rating.native_reason = native.reason[:200] if native.reason else None
    rating.native_updated_at = native.updated_at
    return f"rated: rating {rating.id} v{rating.version} = {native.score}"


def read_native(session: Session, client: HelpdeskClient, tenant_id: str, ticket_id: int, now: datetime) -> str:
    """The satisfaction trigger fired: read the ticket, record its `satisfaction_rating` (score, comment,
    reason as the API has them, not as a trigger body would have rendered them)."""
    ticket = client.get_ticket(ticket_id)
    if ticket.satisfaction is None:
        return f"ticket {ticket_id} has no satisfaction rating"
    return record(session, tenant_id, whole(client, ticket.satisfaction), now)


def whole(client: HelpdeskClient, native: NativeRating) -> NativeRating:
    """A ticket's copy of its rating ({id, score, comment}) completed from the Satisfaction Ratings API
    (reason, times), so every path records the same reading; gone from the API: the copy as it is."""
    if native.id is None or native.score not in SCORES:
        return native
    try:
        found = client.satisfaction_rating(native.id)
    except TicketNotFound:  # the client's 404
        return native
    return found if found.ticket_id == native.ticket_id else native


def reconcile_native(session: Session, client: HelpdeskClient, tenant_id: str, now: datetime) -> str:
    """Read Zendesk's satisfaction ratings since the last run (with an overlap), and once a day the last
    DEEP_LOOKBACK (never further back than FIRST_LOOKBACK before the first run: an account's older ratings
    are history, not feedback to act on now); record each (a rating already recorded is a duplicate).

    A run that stops at MAX_PAGES_PER_RUN keeps the next page's URL, and the next run goes on from it.
    """
    cursor = _cursor(session, tenant_id, CURSOR, now - FIRST_LOOKBACK, now)
    deep = _cursor(session, tenant_id, DEEP_CURSOR, now, now)  # `since`: the last deep pass (first: none yet)
    if deep.cursor is None:  # the first run: remember when reconciliation of native ratings began
        deep.cursor = now.isoformat()
    origin = datetime.fromisoformat(deep.cursor) - FIRST_LOOKBACK
    start = (cursor.since or now - FIRST_LOOKBACK) - OVERLAP
    if deep.since is not None and deep.since <= now - DEEP_EVERY and cursor.cursor is None:
        start = min(start, max(now - DEEP_LOOKBACK, origin))
        deep.since = now
        deep.updated_at = now
    seen = 0
    outcomes: dict[str, int] = {}
    page_cursor = cursor.cursor  # a run cut short left the next page here
    for _ in range(MAX_PAGES_PER_RUN):
        page = client.satisfaction_ratings(start, now, page_cursor)
        for native in page.ratings:
            seen += 1
            outcome = record(session, tenant_id, native, now).split(":", 1)[0]  # rated, offered, duplicate...
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        page_cursor = page.cursor
        if page_cursor is None:
            break
    else:
        cursor.cursor = page_cursor
        cursor.updated_at = now
        return f"read {seen} native ratings; more remain (the next run goes on from there)"
    cursor.cursor = None
    cursor.since = now
    cursor.updated_at = now
    counts = ", ".join(f"{n} {name}" for name, n in sorted(outcomes.items()))
    return f"read {seen} native ratings since {start.isoformat()}" + (f": {counts}" if counts else "")


def _cursor(session: Session, tenant_id: str, name: str, since: datetime, now: datetime) -> SyncCursor:
    row = session.get(SyncCursor, (tenant_id, name))
    if row is None:
        row = SyncCursor(tenant_id=tenant_id, name=name, cursor=None, since=since, updated_at=now)
        session.add(row)
    return row
