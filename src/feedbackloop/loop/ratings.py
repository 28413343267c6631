"""GET|POST /s/<token>: the hosted survey page. One click is a rating; the form adds why.

The page works without JavaScript, escapes everything (Jinja autoescape), and its form carries
a CSRF token bound to the survey link. Tampered, unknown and expired links record nothing.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackloop.core import logs
from feedbackloop.core.branding import Look, brand_name_of, look_of
from feedbackloop.core.i18n import N_, accepted_languages, choose_locale
from feedbackloop.core.links import check_form_token, make_form_token, read_token
from feedbackloop.jobs import queue as jobs
from feedbackloop.loop import answers, ces, records
from feedbackloop.loop.attribution import snapshot_attribution
from feedbackloop.loop.survey import scale_labels
from feedbackloop.store import rollups, tenants
from feedbackloop.store.db import session_scope, utcnow
from feedbackloop.store.models import Rating, Survey, TicketState
from feedbackloop.wiring.services import services_of

bp = Blueprint("ratings", __name__)

REASONS = {
    "not_resolved": N_("My issue was not resolved"),
    "too_slow": N_("It took too long"),
    "unclear": N_("The answer was unclear"),
    "unfriendly": N_("The tone was unhelpful"),
    "repeat": N_("I had to repeat myself"),
    "resolved": N_("My issue was solved"),
    "fast": N_("Quick answer"),
    "friendly": N_("Friendly and helpful"),
    "other": N_("Something else"),
}
#: Reasons that fit a score: praise for a good one, complaints otherwise; "other" fits every score.
PRAISE = ("resolved", "fast", "friendly")
COMPLAINTS = ("not_resolved", "too_slow", "unclear", "unfriendly", "repeat")
#: On the five-point scale, 4 and 5 are good (3 asks what could be better); on thumbs, 5 is up.
GOOD_FROM = 4
MAX_COMMENT = 2000
#: Ratings at or below this open a review task.
BAD_SCORE = 2


#: What the customer can do after an error, by kind (translated on the error page).
HINT_LINK = N_("Please open the survey from the message we sent you. If that does not work, reply to that "
               "message and we will take your answer from there.")
HINT_CLOSED = N_("If you would still like to tell us something, reply to the message about your request.")
HINT_RETRY = N_("Go back, reload the page and send your answer again.")
#: The survey page's Content-Security-Policy: the site-wide one, plus https images (the tenant's logo).
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src https:; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")


class SurveyPageError(Exception):
    """A problem shown to the customer as a polite page with a 4xx status: what happened, what to do.

    `title`, `message` and `hint` are English msgids (marked with N_), translated on the page with
    `params` filled in.
    """

    def __init__(self, status: int, title: str, message: str, hint: str = HINT_RETRY, **params: object) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message
        self.hint = hint
        self.params = params


@bp.errorhandler(SurveyPageError)
def _survey_error(exc: SurveyPageError) -> ResponseReturnValue:
    page = render_template("survey/error.html", title=exc.title, message=exc.message, hint=exc.hint,
                           params=exc.params, look=g.get("look") or Look(), brand=g.get("brand"))
    return page, exc.status, {"Content-Security-Policy": PAGE_CSP}


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
                    record_answer(session, survey, choice, None, None, now)
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
            raise SurveyPageError(400, N_("Please try again"), N_("This form has expired or was not sent from our page."))
        score = _parse_score(request.form.get("score", ""), survey.scale)
        reason = request.form.get("reason") or None
        if reason is not None and reason not in REASONS:
            raise SurveyPageError(400, N_("Please try again"), N_("Please pick a reason from the list."))
        if reason is not None and reason not in reasons_for(score, survey.scale):
            reason = None  # a praise for a bad score (or the reverse): hidden on the page once the score changed
        # NUL: no reason to keep it, and PostgreSQL refuses it in text (a 500)
        comment = (request.form.get("comment") or "").replace("\x00", "").strip() or None
        if comment is not None and len(comment) > MAX_COMMENT:
            raise SurveyPageError(400, N_("Comment too long"),
                                  N_("Please keep your comment under %(limit)s characters."), limit=MAX_COMMENT)
        answers.record_form(session, survey, score, _user_agent(), now)
        if survey.scale == ces.CES:  # a CES-only survey's page (issue 24)
            ces.record_ces(session, survey, score, "form", False, now)
        else:
            record_rating(session, survey, score, reason, comment, now)
        return _render(session, survey, token, secret, submitted=True)


@bp.post("/s/<token>/ces")
def ces_submit(token: str) -> ResponseReturnValue:
    """The CES question under a csat+ces survey's thank-you (issue 24, ces.py): a post from our page,
    counted at once; the page thanks for both answers."""
    services = services_of(current_app)
    secret = services.settings.secret_key
    now = utcnow()
    with session_scope(services.factory) as session:
        survey = _load_survey(session, secret, token, now, lock=True)
        if survey.scale != ces.CES and not ces.asks_after_csat(services.settings_for(survey.tenant_id)):
            raise SurveyPageError(404, N_("Link not recognised"), N_("This survey is not open for answers."), HINT_LINK)
        if not check_form_token(secret, token, request.form.get("csrf_token", "")):
            raise SurveyPageError(400, N_("Please try again"), N_("This form has expired or was not sent from our page."))
        score = ces.parse_score(request.form.get("ces", ""))
        if score is None:
            raise SurveyPageError(400, N_("Please pick an answer"), N_("An answer must be one of %(choices)s."),
                                  choices="1, 2, 3, 4, 5, 6, 7")
        ces.record_ces(session, survey, score, "form", survey.scale != ces.CES, now)
        # csat+ces: the thank-you shows both answers (a CES posted before any CSAT answer: the CSAT form)
        return _render(session, survey, token, secret,
                       submitted=survey.scale == ces.CES or _rating_of(session, survey) is not None)


def _user_agent() -> str:
    return request.headers.get("User-Agent", "")


def _load_survey(session: Session, secret: str, token: str, now: datetime, lock: bool = False) -> Survey:
    """The open survey a link names; with `lock`, its row locked for this request's change (answers.py)."""
    ref = read_token(secret, token)
    if ref is None:
        raise SurveyPageError(404, N_("Link not recognised"), N_("This survey link is not valid."), HINT_LINK)
    if not tenants.is_active(session, ref.tenant_id):
        raise SurveyPageError(410, N_("This survey has closed"),
                              N_("This survey is no longer collecting answers, so nothing was recorded."), HINT_CLOSED)
    if lock:
        survey = answers.lock_survey(session, ref.tenant_id, ref.survey_id)
    else:
        survey = session.scalars(
            select(Survey).where(Survey.tenant_id == ref.tenant_id, Survey.id == ref.survey_id)).one_or_none()
    if survey is not None:  # operability: this request's log lines name the tenant and ticket
        logs.annotate(tenant_id=survey.tenant_id, ticket_id=survey.ticket_id)
        use_language_of(survey)
    if survey is None or survey.state != "sent":
        raise SurveyPageError(404, N_("Link not recognised"), N_("This survey is not open for answers."), HINT_LINK)
    if survey.expires_at is not None and survey.expires_at <= now:
        raise SurveyPageError(410, N_("This survey has closed"),
                              N_("Thank you for stopping by. This survey has expired, so we did not record an answer."),
                              HINT_CLOSED)
    return survey


def use_language_of(survey: Survey) -> None:
    """This request's language and look: the requester's locale, the tenant's language, the browser's."""
    settings = services_of(current_app).settings_for(survey.tenant_id)
    look = look_of(settings)
    g.locale = choose_locale(survey.locale, look.language, accepted_languages())
    g.look = look
    g.brand = brand_name_of(settings, look)


def reasons_for(score: int | None, scale: str) -> tuple[str, ...]:
    """The reasons that fit a score (every reason before a score is chosen)."""
    if score is None:
        return (*PRAISE, *COMPLAINTS, "other")
    return (*(PRAISE if is_good(score, scale) else COMPLAINTS), "other")


def is_good(score: int, scale: str) -> bool:
    return score >= (5 if scale == "thumbs" else GOOD_FROM)


def _parse_score(raw: str, scale: str) -> int:
    allowed = scale_labels(scale)
    # ASCII digits only: "²" passes isdigit() but int() refuses it (a 500), and "١" would be read as 1
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3) or int(raw) not in allowed:
        choices = ", ".join(str(s) for s in sorted(allowed))
        raise SurveyPageError(400, N_("Please pick a rating"), N_("A rating must be one of %(choices)s."),
                              choices=choices)
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
    if survey.scale == ces.CES:
        found = ces.record_ces(session, survey, answer.score, "link", False, now)
        return f"counted: CES answer {found.id} v{found.version} = {found.score}"
    rating = record_rating(session, survey, answer.score, None, None, now)
    return f"counted: rating {rating.id} v{rating.version} = {rating.score}"


def record_answer(session: Session, survey: Survey, score: int, reason: str | None, comment: str | None,
                  now: datetime) -> None:
    """A counted click: the rating of a CSAT survey, the CES answer of a CES-only survey (ces.py)."""
    if survey.scale == ces.CES:
        ces.record_ces(session, survey, score, "link", False, now)
    else:
        record_rating(session, survey, score, reason, comment, now)


def _rating_of(session: Session, survey: Survey) -> Rating | None:
    return session.scalars(select(Rating).where(Rating.survey_id == survey.id)).one_or_none()


def record_rating(session: Session, survey: Survey, score: int, reason: str | None, comment: str | None,
                  now: datetime, source: str = "link") -> Rating:
    """Create or change the survey's one rating; queue exactly one write-back per change.

    Callers hold the survey's row lock (answers.lock_survey), so changes of one survey queue up:
    the version only goes up and the last answer wins.
    Its parameters are the rating's own fields and the request's facts (called from the page, not a job).
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
    """Its parameters are the rating's own fields and the request's facts."""
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
    records.record_signal(session, rating.tenant_id, rating.ticket_id, "csat", float(rating.score), "survey",
                            f"csat:{rating.id}:v{rating.version}", now, {"scale": rating.scale}, now)
    if rating.score <= BAD_SCORE:
        records.request_review(session, rating.tenant_id, rating.ticket_id, "rating",
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
    if survey.scale == ces.CES:
        return _render_ces(session, survey, token, secret, choice=choice, submitted=submitted)
    rating = _rating_of(session, survey)
    pending = answers.pending_answer(session, survey)
    if choice is None:
        choice = pending.score if pending is not None else (rating.score if rating is not None else None)
    look: Look = g.get("look") or Look()
    labels = scale_labels(survey.scale, look)
    state = session.scalars(select(TicketState).where(TicketState.tenant_id == survey.tenant_id,
                                                      TicketState.ticket_id == survey.ticket_id)).one_or_none()
    page = render_template(
        "survey/page.html", survey=survey, rating=rating, choice=choice, token=token, labels=labels,
        order=look.ordered(labels), look=look, brand=g.get("brand"), subject=state.subject if state else None,
        reasons=REASONS, praise=PRAISE, complaints=COMPLAINTS, is_good=is_good,
        csrf_token=make_form_token(secret, token), submitted=submitted, max_comment=MAX_COMMENT,
        confirmed=submitted or (rating is not None and pending is None and rating.score == choice),
        ces=ces.page_context(session, survey, token, secret)
        if submitted and rating is not None and ces.asks_after_csat(services_of(current_app).settings_for(survey.tenant_id))
        else None,
    )
    return page, 200, {"Content-Security-Policy": PAGE_CSP}


def _render_ces(session: Session, survey: Survey, token: str, secret: str, *, choice: int | None,
                submitted: bool) -> ResponseReturnValue:
    """A CES-only survey's page: the 1–7 question, the choice waiting to be confirmed, the thanks."""
    context = ces.page_context(session, survey, token, secret)
    pending = answers.pending_answer(session, survey)
    answer = context["ces_answer"]
    if choice is None:
        choice = pending.score if pending is not None else (answer.score if answer is not None else None)
    state = session.scalars(select(TicketState).where(TicketState.tenant_id == survey.tenant_id,
                                                      TicketState.ticket_id == survey.ticket_id)).one_or_none()
    page = render_template("survey/ces.html", survey=survey, token=token, look=g.get("look") or Look(),
                           brand=g.get("brand"), subject=state.subject if state else None, choice=choice,
                           submitted=submitted, confirmed=submitted or (answer is not None and pending is None
                                                                         and answer.score == choice), **context)
    return page, 200, {"Content-Security-Policy": PAGE_CSP}
