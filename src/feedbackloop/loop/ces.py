"""The customer effort score (issue 24, the CES row of the signal matrix).

"How easy was it to get your issue resolved?", 1 (very difficult) to 7 (very easy). What a tenant's
survey asks is FEEDBACKLOOP_SURVEY_KIND (or the tenant's `survey_kind`):

- `csat` (default): the CSAT question only, as before;
- `ces`: the CES question alone. The survey is created with scale "ces": its comment carries one
  one-click link per score (one link to the page on messaging channels), and clicks go through the
  same pending → settle → counted path as CSAT clicks (answers.py: trap link, HEAD, scanner user
  agents, bursts), so a mail scanner's fetch never becomes an answer. The counted answer is stored
  here (`ces_answers`), not as a rating;
- `csat+ces`: the CSAT survey as before; the page that thanks the customer for the CSAT answer asks
  the CES question too (a form post from our page, CSRF-bound: a person, counted at once).

Each answer is written back as Zendesk-style tags, one update: `ces_<N>` and its band (`ces_easy`
5–7, `ces_neutral` 4, `ces_hard` 1–3), the previous CES tags removed. Reports: CES by intent and by
resolver (`feedbackloop report --section ces`, the dashboard).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackloop.core.errors import TicketClosed, TicketNotFound
from feedbackloop.core.links import make_form_token
from feedbackloop.core.sections import Section, rate
from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import HelpdeskClient
from feedbackloop.jobs import queue as jobs
from feedbackloop.loop import records
from feedbackloop.loop.attribution import segment_of
from feedbackloop.loop.survey import CES_LABELS, CES_QUESTION
from feedbackloop.store.models import CesAnswer, Survey, TicketState

CES = "ces"
SCORES = tuple(range(1, 8))
EASY_FROM, HARD_UPTO = 5, 3
TAG_PREFIX = "ces_"
BANDS = ("easy", "neutral", "hard")
#: Every tag this module writes: a new answer removes the others.
CES_TAGS = frozenset({f"{TAG_PREFIX}{n}" for n in SCORES} | {f"{TAG_PREFIX}{b}" for b in BANDS})

def band(score: int) -> str:
    return "easy" if score >= EASY_FROM else "hard" if score <= HARD_UPTO else "neutral"


def ces_tags(score: int) -> tuple[str, ...]:
    return (f"{TAG_PREFIX}{score}", f"{TAG_PREFIX}{band(score)}")


def asks_after_csat(settings: Settings) -> bool:
    return settings.survey_kind == "csat+ces"


def answer_of(session: Session, survey: Survey) -> CesAnswer | None:
    return session.scalars(select(CesAnswer).where(CesAnswer.survey_id == survey.id)).one_or_none()


def record_ces(session: Session, survey: Survey, score: int, source: str, after_csat: bool, now: datetime) -> CesAnswer:
    """Create or change the survey's one CES answer; queue one tag write-back per change. Callers hold
    the survey's row lock (answers.lock_survey), as for ratings: the last answer wins."""
    if score not in SCORES:
        raise ValueError(f"a CES score is 1–7, got {score!r}")
    answer = answer_of(session, survey)
    if answer is not None:
        if answer.score == score:
            return answer
        answer.score, answer.source, answer.updated_at = score, source, now
        answer.version += 1
    else:
        state = session.scalars(select(TicketState).where(TicketState.tenant_id == survey.tenant_id,
                                                          TicketState.ticket_id == survey.ticket_id)).one_or_none()
        answer = CesAnswer(tenant_id=survey.tenant_id, survey_id=survey.id, ticket_id=survey.ticket_id, score=score,
                           source=source, after_csat=after_csat, channel=survey.channel, version=1, written_version=0,
                           created_at=now, updated_at=now)
        for name, value in segment_of(session, survey.tenant_id, survey.ticket_id, state).items():
            if name != "channel":
                setattr(answer, name, value)
        # the model and prompt version that handled the solve (the survey's), as for a rating (attribution.py)
        answer.model, answer.prompt_version = survey.model, survey.prompt_version
        try:
            with session.begin_nested():
                session.add(answer)
        except IntegrityError:  # a double post racing itself: the other request stored it
            existing = answer_of(session, survey)
            assert existing is not None
            return existing
    jobs.enqueue(session, "write_ces", f"write_ces:{answer.id}:v{answer.version}",
                 {"ces_id": answer.id, "version": answer.version}, now=now, tenant_id=answer.tenant_id,
                 ticket_id=answer.ticket_id)
    records.record_signal(session, answer.tenant_id, answer.ticket_id, "ces", float(score), "survey",
                            f"ces:{answer.id}:v{answer.version}", now, {"after_csat": after_csat}, now)
    return answer


def write_ces(session: Session, client: HelpdeskClient, ces_id: int, version: int, now: datetime) -> str:
    """The `write_ces` job: the CES tags on the ticket, the previous ones removed, one update."""
    from feedbackloop.loop.writeback import _update_tags_safely

    answer = session.get(CesAnswer, ces_id)
    if answer is None:
        return "CES answer gone"
    if answer.written_version >= answer.version or version < answer.version:
        return "a newer write-back covers this answer"
    state = records.get_ticket_state(session, answer.tenant_id, answer.ticket_id, now)
    try:
        ticket = _update_tags_safely(client, state, ces_tags(answer.score), CES_TAGS, None, {}, now)
    except (TicketClosed, TicketNotFound) as exc:
        answer.written_version = answer.version
        return f"not written back: {exc.reason} (the answer is kept)"
    from feedbackloop.loop.survey import remember_ticket

    remember_ticket(state, ticket, now)
    answer.written_version = answer.version
    return f"wrote {' '.join(ces_tags(answer.score))} to ticket {answer.ticket_id}"


# --- the page -------------------------------------------------------------------------------------


def parse_score(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) == 1 and int(raw) in SCORES else None


def page_context(session: Session, survey: Survey, token: str, secret: str) -> dict[str, Any]:
    """What the CES form needs (on a CES-only page, or under the CSAT thank-you)."""
    answer = answer_of(session, survey)
    return {"ces_question": CES_QUESTION, "ces_labels": CES_LABELS, "ces_scores": sorted(SCORES, reverse=True),
            "ces_answer": answer, "ces_csrf": make_form_token(secret, token), "ces_token": token}


# --- the report -----------------------------------------------------------------------------------

COLUMNS = ("dimension", "value", "n", "mean", "easy", "easy_rate", "hard", "hard_rate", "sent", "response_rate")


def ces_section(session: Session, tenant_id: str, since: datetime, until: datetime) -> Section:
    """CES overall, by intent and by resolver (AI vs human): answers, mean score, share easy (5–7) and
    hard (1–3); the overall row also the CES response rate (answers to CES-only surveys over CES-only
    surveys sent)."""
    rows = [_overall(session, tenant_id, since, until)]
    for dimension, column in (("intent", CesAnswer.intent), ("resolver", CesAnswer.resolver)):
        query = (
            select(column, func.count(), func.sum(CesAnswer.score),
                   func.sum(func.cast(CesAnswer.score >= EASY_FROM, _int())),
                   func.sum(func.cast(CesAnswer.score <= HARD_UPTO, _int())))
            .where(CesAnswer.tenant_id == tenant_id, CesAnswer.created_at >= since, CesAnswer.created_at < until)
            .group_by(column)
        )
        for value, n, total, easy, hard in session.execute(query):
            n, easy, hard = int(n), int(easy or 0), int(hard or 0)
            rows.append({"dimension": dimension, "value": value, "n": n,
                         "mean": round(float(total or 0) / n, 3) if n else None, "easy": easy,
                         "easy_rate": rate(easy, n), "hard": hard, "hard_rate": rate(hard, n),
                         "sent": None, "response_rate": None})
    rows.sort(key=lambda r: (r["dimension"] != "all", r["dimension"], r["mean"] if r["mean"] is not None else 99,
                             str(r["value"])))
    if not rows[0]["n"] and not rows[0]["sent"]:
        rows.pop(0)  # nothing asked, nothing answered: no overall row either
    return Section(
        "ces", f"Customer effort (CES 1–7) by intent and resolver · {since:%Y-%m-%d %H:%M} → {until:%Y-%m-%d %H:%M} "
               f"UTC · {tenant_id}", COLUMNS, rows,
        notes=["“How easy was it to get your issue resolved?” 7 = very easy. easy: 5–7, hard: 1–3; "
               "resolver as when the customer answered (ai, human, ai_then_human, ai_overridden).",
               "response_rate (the “all” row): answers to CES-only surveys over CES-only surveys sent in the range; "
               "answers asked after a CSAT answer (csat+ces) count in n but have no survey of their own. "
               "CES-only surveys are not counted as CSAT surveys sent."],
        meta={"tenant": tenant_id, "since": since, "until": until},
    )


def _overall(session: Session, tenant_id: str, since: datetime, until: datetime) -> dict[str, Any]:
    """Every CES answer of the range, and the CES-only surveys sent in it with the answers to them."""
    in_range = (CesAnswer.tenant_id == tenant_id, CesAnswer.created_at >= since, CesAnswer.created_at < until)
    n, total, easy, hard, own = session.execute(
        select(func.count(), func.sum(CesAnswer.score), func.sum(func.cast(CesAnswer.score >= EASY_FROM, _int())),
               func.sum(func.cast(CesAnswer.score <= HARD_UPTO, _int())),
               func.sum(func.cast(CesAnswer.after_csat.is_(False), _int()))).where(*in_range)).one()
    sent = int(session.scalar(select(func.count()).select_from(Survey).where(
        Survey.tenant_id == tenant_id, Survey.scale == CES, Survey.sent_at >= since, Survey.sent_at < until)) or 0)
    n, easy, hard, own = int(n), int(easy or 0), int(hard or 0), int(own or 0)
    return {"dimension": "all", "value": "(all)", "n": n, "mean": round(float(total or 0) / n, 3) if n else None,
            "easy": easy, "easy_rate": rate(easy, n), "hard": hard, "hard_rate": rate(hard, n), "sent": sent,
            "response_rate": rate(min(own, sent), sent)}


def _int() -> Any:
    return Integer()
