"""Survey answers: a click waits, scanners are recognised, and only a person's answer becomes the rating.

Corporate mail filters (Microsoft Safe Links, Mimecast, Proofpoint, Barracuda …) open every link
of a message before the person sees it, often with a browser's user agent. Were a GET of a rating
link a rating, a scanner would rate the ticket (usually the last link it opened), write it back and
open a review task for a "Very poor" nobody gave. So:

- A click (GET of a rating link) is stored as a **pending** answer. It settles after
  `rating_settle` seconds (FEEDBACKLOOP_RATING_SETTLE, default 300) if no later answer replaced it
  and no bot evidence touched it; only then is it the rating (`ratings.record_rating`), with its
  write-back, signal, alert and review task.
- A post from the survey page (a reason, a comment, or the Confirm tap) is a person: it counts at
  once and supersedes every pending click.
- Bot evidence, kept with the answer for audit and never counted:
  - HEAD requests (a person's browser never sends one for a link);
  - a known scanner or link-preview user agent (`SCANNER_AGENTS`);
  - several different scores of one survey fetched within `BURST_SECONDS` (a scanner walks every
    link; a person clicks one and lands on the page, where a change is a form post);
  - a fetch of the trap link (`/s/<token>/t`), which the survey comment hides from people (a
    hidden anchor, and the URL inside an HTML comment) and scanners follow: every click within
    `TRAP_WINDOW` of it is the scanner's.

Every change of a survey's answers takes the survey row's lock first (`lock_survey`), so clicks
and posts racing each other queue up: the rating's version only goes up and the last answer wins.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.jobs import queue as jobs
from feedbackloop.store.models import Survey, SurveyAnswer

#: Different scores of one survey fetched this close together are a scanner walking the links.
BURST_SECONDS = 10
#: Clicks this close to a trap-link fetch (before or after) are the scanner's.
TRAP_WINDOW = timedelta(seconds=120)
#: User agents of mail scanners, link previewers and HTTP libraries (case-insensitive substrings).
#: Many scanners pose as a desktop browser; those are caught by HEAD, bursts and the trap link.
SCANNER_AGENTS = re.compile(
    r"barracuda|mimecast|proofpoint|urldefense|safelinks|safe links|messagelabs|symantec|fireeye|"
    r"trendmicro|trend micro|sophos|forcepoint|cisco|ironport|zscaler|paloalto|checkpoint|"
    r"bingpreview|microsoftpreview|skypeuripreview|google-safety|googleimageproxy|appengine-google|"
    r"slackbot|discordbot|facebookexternalhit|whatsapp|telegrambot|twitterbot|linkedinbot|"
    r"python-requests|python-urllib|go-http-client|curl/|wget/|okhttp|java/|libwww|httpclient|"
    r"headlesschrome|phantomjs|\bbot\b|crawler|spider|scanner",
    re.IGNORECASE,
)
USER_AGENT_WIDTH = 200  # the column


def lock_survey(session: Session, tenant_id: str, survey_id: int) -> Survey | None:
    """The survey, its row locked until the transaction ends (PostgreSQL; SQLite's writers already queue)."""
    return session.scalars(
        select(Survey).where(Survey.tenant_id == tenant_id, Survey.id == survey_id).with_for_update()
    ).one_or_none()


def scanner_agent(user_agent: str) -> str | None:
    """The scanner a user agent names, or None."""
    match = SCANNER_AGENTS.search(user_agent or "")
    return match.group(0) if match else None


def record_fetch(session: Session, survey: Survey, score: int | None, kind: str, user_agent: str,
                 now: datetime) -> SurveyAnswer:
    """Store one fetch of a rating link (kind click or head) or of the trap link, judged at once
    where the request itself is evidence; a click with no evidence stays pending."""
    answer = SurveyAnswer(tenant_id=survey.tenant_id, survey_id=survey.id, ticket_id=survey.ticket_id,
                          score=score, kind=kind, verdict="pending", user_agent=_agent_column(user_agent),
                          created_at=now)
    if kind == "head":
        _mark_bot(answer, "HEAD request (a link checker, not a browser)", now)
    elif kind == "trap":
        _mark_bot(answer, "opened the hidden trap link", now)
    elif (scanner := scanner_agent(user_agent)) is not None:
        _mark_bot(answer, f"scanner user agent ({scanner})", now)
    session.add(answer)
    session.flush()
    judge_survey(session, survey, now)
    return answer


def record_form(session: Session, survey: Survey, score: int, user_agent: str, now: datetime,
                kind: str = "form") -> SurveyAnswer:
    """A post from the page (or an email reply, kind "email"): a person's answer, counted at once;
    every pending click is superseded."""
    for pending in _answers(session, survey, verdict="pending"):
        pending.verdict = "superseded"
        pending.settled_at = now
    answer = SurveyAnswer(tenant_id=survey.tenant_id, survey_id=survey.id, ticket_id=survey.ticket_id,
                          score=score, kind=kind, verdict="counted", user_agent=_agent_column(user_agent),
                          created_at=now, settled_at=now)
    session.add(answer)
    return answer


def _agent_column(user_agent: str) -> str | None:
    return (user_agent or "")[:USER_AGENT_WIDTH] or None


def judge_survey(session: Session, survey: Survey, now: datetime) -> list[SurveyAnswer]:
    """Apply the evidence that involves several fetches: bursts of different scores, trap-link hits.
    Returns the survey's answers it read, oldest first."""
    every = _answers(session, survey)
    fetches = [a for a in every if a.kind in ("click", "head", "trap")]
    traps = [a.created_at for a in fetches if a.kind == "trap"]
    posted = [a.created_at for a in every if a.kind in ("form", "email")]
    for answer in fetches:
        if answer.kind != "click" or answer.verdict not in ("pending", "counted", "superseded"):
            continue
        if any(abs(answer.created_at - at) <= TRAP_WINDOW for at in traps):
            _mark_bot(answer, "opened with the hidden trap link", now)
            continue
        if posted and posted[0] < answer.created_at:
            continue  # the person has used the page: their later clicks on other links are theirs
        near = {a.score for a in fetches if a.kind in ("click", "head") and a.score is not None
                and abs((a.created_at - answer.created_at).total_seconds()) <= BURST_SECONDS}
        if len(near) > 1:
            _mark_bot(answer, f"{len(near)} different scores opened within {BURST_SECONDS} s", now)
    return every


def _mark_bot(answer: SurveyAnswer, reason: str, now: datetime) -> None:
    """A scanner's answer, never counted by the settle job. One already counted (its settle time had
    passed before the evidence came) stays counted: the rating stands."""
    if answer.verdict == "counted":
        return  # settled before the evidence came (after the settle time): the rating stands
    answer.verdict = "bot"
    answer.bot_reason = reason[:120]
    answer.settled_at = answer.settled_at or now


def schedule_settle(session: Session, answer: SurveyAnswer, settle_seconds: float, now: datetime) -> None:
    """The job that decides a pending click once the settle time has passed."""
    jobs.enqueue(session, "settle_answer", f"settle:{answer.id}", {"answer_id": answer.id}, now=now,
                 tenant_id=answer.tenant_id, ticket_id=answer.ticket_id,
                 run_after=now + timedelta(seconds=settle_seconds))


def settle(session: Session, tenant_id: str, answer_id: int, now: datetime) -> SurveyAnswer | None:
    """Decide a pending click: the answer to count (its verdict set to counted), or None.

    Locks the survey first, as every change of its answers does. The click loses when a later
    answer of a person exists (a click or a post; the later one is decided on its own) or when bot
    evidence came in the meantime (a trap fetch or a burst after it).
    """
    answer = session.scalars(
        select(SurveyAnswer).where(SurveyAnswer.tenant_id == tenant_id, SurveyAnswer.id == answer_id)
    ).one_or_none()
    if answer is None:
        return None
    survey = lock_survey(session, tenant_id, answer.survey_id)
    session.refresh(answer)
    if survey is None or answer.verdict != "pending":
        return None
    every = judge_survey(session, survey, now)
    if answer.verdict != "pending":
        return None
    later = [a for a in every if a.id > answer.id and a.kind in ("click", "form", "email") and a.verdict != "bot"]
    answer.settled_at = now
    if later:
        answer.verdict = "superseded"
        return None
    answer.verdict = "counted"
    return answer


def _answers(session: Session, survey: Survey, verdict: str | None = None) -> list[SurveyAnswer]:
    query = select(SurveyAnswer).where(SurveyAnswer.tenant_id == survey.tenant_id,
                                       SurveyAnswer.survey_id == survey.id)
    if verdict is not None:
        query = query.where(SurveyAnswer.verdict == verdict)
    return list(session.scalars(query.order_by(SurveyAnswer.id)))


def pending_answer(session: Session, survey: Survey) -> SurveyAnswer | None:
    """The newest click still waiting to settle (the page shows it as the choice to confirm)."""
    pending = [a for a in _answers(session, survey, verdict="pending") if a.kind == "click"]
    return pending[-1] if pending else None
