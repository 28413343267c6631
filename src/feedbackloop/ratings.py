"""GET|POST /s/<token>: the hosted survey page. One click is a rating; the form adds why.

The page works without JavaScript, escapes everything (Jinja autoescape), and its form carries
a CSRF token bound to the survey link. Tampered, unknown and expired links record nothing.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackloop import answers, jobs, lifecycle, logs, rollups, tenants
from feedbackloop.attribution import snapshot_attribution
from feedbackloop.db import session_scope, utcnow
from feedbackloop.links import check_form_token, make_form_token, read_token
from feedbackloop.models import Rating, Survey, TicketState
from feedbackloop.services import services_of
from feedbackloop.survey import scale_labels

bp = Blueprint("ratings", __name__)

REASONS = {
    "not_resolved": "My issue was not resolved",
    "too_slow": "It took too long",
    "unclear": "The answer was unclear",
    "unfriendly": "The tone was unhelpful",
    "repeat": "I had to repeat myself",
    "resolved": "My issue was solved",
    "fast": "Quick answer",
    "friendly": "Friendly and helpful",
    "other": "Something else",
}
MAX_COMMENT = 2000
#: Ratings at or below this open a review task.
BAD_SCORE = 2


class SurveyPageError(Exception):
    """A problem shown to the customer as a polite page with a 4xx status."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


@bp.errorhandler(SurveyPageError)
def _survey_error(exc: SurveyPageError) -> ResponseReturnValue:
    return render_template("survey/error.html", title=exc.title, message=exc.message), exc.status


@bp.route("/s/<token>", methods=["GET", "HEAD"])
def survey_page(token: str) -> ResponseReturnValue:
    """The page; with ?score=N, a click on a rating link: a pending answer until it settles (answers.py)."""
    services = services_of(current_app)
    settings = services.settings
    now = utcnow()
    raw_score = request.args.get("score")
    with session_scope(services.factory) as session:
        survey = _load_survey(session, settings.secret_key, token, now, lock=raw_score is not None)
        choice = None
        if raw_score is not None:
            choice = _parse_score(raw_score, survey.scale)
            kind = "head" if request.method == "HEAD" else "click"
            answer = answers.record_fetch(session, survey, choice, kind, _user_agent(), now)
            if answer.verdict == "pending" and settings.rating_settle <= 0:
                if answers.settle(session, survey.tenant_id, answer.id, now) is not None:
                    record_rating(session, survey, choice, None, None, now)
            elif answer.verdict == "pending":
                answers.schedule_settle(session, answer, settings.rating_settle, now)
        return _render(session, survey, token, settings.secret_key, choice=choice)


@bp.route("/s/<token>/t", methods=["GET", "HEAD"])
def survey_trap(token: str) -> ResponseReturnValue:
    """The trap link: hidden from people in the survey comment, followed by scanners. Its fetch marks
    the clicks around it as a scanner's; the answer is an empty page either way."""
    services = services_of(current_app)
    now = utcnow()
    with session_scope(services.factory) as session:
        survey = _load_survey(session, services.settings.secret_key, token, now, lock=True)
        answers.record_fetch(session, survey, None, "trap", _user_agent(), now)
    return "", 204


@bp.post("/s/<token>")
def survey_submit(token: str) -> ResponseReturnValue:
    """A post from the page (Confirm, a reason, a comment, another score): a person, counted at once."""
    services = services_of(current_app)
    secret = services.settings.secret_key
    now = utcnow()
    with session_scope(services.factory) as session:
        survey = _load_survey(session, secret, token, now, lock=True)
        if not check_form_token(secret, token, request.form.get("csrf_token", "")):
            raise SurveyPageError(400, "Please try again", "This form has expired or was not sent from our page.")
        score = _parse_score(request.form.get("score", ""), survey.scale)
        reason = request.form.get("reason") or None
        if reason is not None and reason not in REASONS:
            raise SurveyPageError(400, "Please try again", "Please pick a reason from the list.")
        # NUL: no reason to keep it, and PostgreSQL refuses it in text (a 500)
        comment = (request.form.get("comment") or "").replace("\x00", "").strip() or None
        if comment is not None and len(comment) > MAX_COMMENT:
            raise SurveyPageError(400, "Comment too long", f"Please keep your comment under {MAX_COMMENT} characters.")
        answers.record_form(session, survey, score, _user_agent(), now)
        record_rating(session, survey, score, reason, comment, now)
        return _render(session, survey, token, secret, submitted=True)


def _user_agent() -> str:
    return request.headers.get("User-Agent", "")


def _load_survey(session: Session, secret: str, token: str, now: datetime, lock: bool = False) -> Survey:
    """The open survey a link names; with `lock`, its row locked for this request's change (answers.py)."""
    ref = read_token(secret, token)
    if ref is None:
        raise SurveyPageError(404, "Link not recognised", "This survey link is not valid. Please use the link from your message.")
    if not tenants.is_active(session, ref.tenant_id):
        raise SurveyPageError(410, "This survey has closed",
                              "This survey is no longer collecting answers, so nothing was recorded.")
    query = select(Survey).where(Survey.tenant_id == ref.tenant_id, Survey.id == ref.survey_id)
    survey = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if survey is not None:  # operability: this request's log lines name the tenant and ticket
        logs.annotate(tenant_id=survey.tenant_id, ticket_id=survey.ticket_id)
    if survey is None or survey.state != "sent":
        raise SurveyPageError(404, "Link not recognised", "This survey is not open for answers.")
    if survey.expires_at is not None and survey.expires_at <= now:
        raise SurveyPageError(410, "This survey has closed",
                              "Thank you for stopping by. This survey has expired, so we did not record an answer.")
    return survey


def _parse_score(raw: str, scale: str) -> int:
    allowed = scale_labels(scale)
    # ASCII digits only: "²" passes isdigit() but int() refuses it (a 500), and "١" would be read as 1
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3) or int(raw) not in allowed:
        choices = ", ".join(str(s) for s in sorted(allowed))
        raise SurveyPageError(400, "Please pick a rating", f"A rating must be one of {choices}.")
    return int(raw)


def settle_answer(session: Session, tenant_id: str, answer_id: int, now: datetime) -> str:
    """The settle job: a pending click that no later answer replaced and no scanner evidence touched
    becomes the rating."""
    answer = answers.settle(session, tenant_id, answer_id, now)
    if answer is None or answer.score is None:
        return "not counted (superseded, a scanner's, or already decided)"
    survey = session.get(Survey, answer.survey_id)
    assert survey is not None
    if survey.state != "sent" or (survey.expires_at is not None and survey.expires_at <= answer.created_at):
        answer.verdict = "superseded"
        return f"not counted: survey is {survey.state}"
    rating = record_rating(session, survey, answer.score, None, None, now)
    return f"counted: rating {rating.id} v{rating.version} = {rating.score}"


def _rating_of(session: Session, survey: Survey) -> Rating | None:
    return session.scalars(select(Rating).where(Rating.survey_id == survey.id)).one_or_none()


def record_rating(session: Session, survey: Survey, score: int, reason: str | None, comment: str | None,
                  now: datetime, source: str = "link") -> Rating:
    """Create or change the survey's one rating; queue exactly one write-back per change.

    Callers hold the survey's row lock (answers.lock_survey), so changes of one survey queue up:
    the version only goes up and the last answer wins.
    """
    rating = _rating_of(session, survey)
    if rating is None:
        rating, created = _new_rating(session, survey, score, reason, comment, now, source)
        if created:
            rollups.add_rating(session, rating)
            _after_change(session, rating, None, now)
            return rating
    changed = rating.score != score or (reason is not None and reason != rating.reason) or (
        comment is not None and comment != rating.comment)
    if not changed:
        return rating
    old_score = rating.score
    score_changed = old_score != score
    rollups.change_rating(session, rating, score)
    if score_changed:
        rating.previous_score = old_score
    rating.score = score
    rating.reason = reason if reason is not None else (rating.reason if not score_changed else None)
    rating.comment = comment if comment is not None else rating.comment
    rating.version += 1
    rating.updated_at = now
    _after_change(session, rating, old_score, now)
    return rating


def _new_rating(session: Session, survey: Survey, score: int, reason: str | None, comment: str | None,
                now: datetime, source: str) -> tuple[Rating, bool]:
    state = session.scalars(
        select(TicketState).where(TicketState.tenant_id == survey.tenant_id, TicketState.ticket_id == survey.ticket_id)
    ).one_or_none()
    rating = Rating(
        tenant_id=survey.tenant_id, survey_id=survey.id, ticket_id=survey.ticket_id, score=score, scale=survey.scale,
        reason=reason, comment=comment, source=source, version=1, written_version=0,
        channel=survey.channel, created_at=now, updated_at=now,
    )
    snapshot_attribution(session, rating, state)  # attribution as of the rating, not of the report
    try:
        with session.begin_nested():
            session.add(rating)
    except IntegrityError:  # a double click racing itself: the other request made it
        existing = _rating_of(session, survey)
        assert existing is not None
        return existing, False
    return rating, True


def _after_change(session: Session, rating: Rating, old_score: int | None, now: datetime) -> None:
    """Write-back for this version; a signal; a review task when the score is bad, withdrawn when a
    bad score became a good one."""
    jobs.enqueue(session, "write_rating", f"writeback:{rating.id}:v{rating.version}",
                 {"rating_id": rating.id, "version": rating.version},
                 now=now, tenant_id=rating.tenant_id, ticket_id=rating.ticket_id)
    lifecycle.record_signal(session, rating.tenant_id, rating.ticket_id, "csat", float(rating.score), "survey",
                            f"csat:{rating.id}:v{rating.version}", now, {"scale": rating.scale}, now)
    if rating.score <= BAD_SCORE:
        lifecycle.request_review(session, rating.tenant_id, rating.ticket_id, "rating",
                                 f"rating:{rating.id}:score{rating.score}", {"score": rating.score}, now)
    elif old_score is not None and old_score <= BAD_SCORE:
        jobs.cancel(session, rating.tenant_id, f"review:rating:{rating.id}:score{old_score}",
                    "the customer changed a bad rating to a better one", now)
        jobs.enqueue(session, "withdraw_review", f"withdraw:{rating.id}:v{rating.version}",
                     {"rating_id": rating.id, "old_score": old_score, "new_score": rating.score},
                     now=now, tenant_id=rating.tenant_id, ticket_id=rating.ticket_id)


def _render(session: Session, survey: Survey, token: str, secret: str, *, choice: int | None = None,
            submitted: bool = False) -> ResponseReturnValue:
    """The page: the rating on record, the choice waiting to be confirmed, and the one form."""
    rating = _rating_of(session, survey)
    pending = answers.pending_answer(session, survey)
    if choice is None:
        choice = pending.score if pending is not None else (rating.score if rating is not None else None)
    labels = scale_labels(survey.scale)
    return render_template(
        "survey/page.html", survey=survey, rating=rating, choice=choice, token=token, labels=labels,
        reasons=REASONS, csrf_token=make_form_token(secret, token), submitted=submitted, max_comment=MAX_COMMENT,
        confirmed=submitted or (rating is not None and pending is None and rating.score == choice),
    )
