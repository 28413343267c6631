"""Daily rollups: rating, survey and signal counts per tenant, UTC day and segment: reports read days.

A report over a million ratings used to scan a million index entries (2.3 s on SQLite). The
rollup holds one row per (tenant, day, segment) with the measures every CSAT figure is made of
(n, satisfied, bad; five-point ratings and their score sum for the mean) and the CSAT surveys
sent, so whole days cost one row per segment.
metrics.py reads whole UTC days here and the partial days at a range's edges from the raw tables.

Invariant: for every tenant, day and segment, the rollup equals a GROUP BY over `ratings` (by the
rating's snapshot and day(created_at); `score_sum` and `five_rated` of scale "five" only), `surveys`
(by the survey's columns and day(sent_at) for `sent`, CES-only surveys excluded, day(solved_at) for
`solved` and `ai_solved`: every solve writes one survey row) and
`signals` (by the signal's snapshot and day(occurred_at) for the per-solve kinds and first-contact
resolution; a signal is inserted once and never changed).
It holds because every write that changes those inputs calls one of the functions below in the
SAME transaction (an atomic INSERT … ON CONFLICT DO UPDATE, so concurrent writers add up instead
of overwriting each other), and because the old value a change subtracts is read under a row lock.
Rows loaded behind the application's back (bulk loads, restores) need `rebuild`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    cast,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, object_session

from feedbackloop.store.db import insert_on_conflict
from feedbackloop.store.models import DailyRollup, Rating, Signal, Survey

#: The segment columns of the key, each with its bit in `nulls` (set: the value is missing).
SEGMENTS = ("intent", "category", "product", "channel", "resolver", "assignee_id", "group_id", "brand_id",
            "language", "model", "prompt_version")
SEGMENT_BITS = {name: 1 << index for index, name in enumerate(SEGMENTS)}
NUMERIC = frozenset({"assignee_id", "group_id", "brand_id"})
KEY = ("tenant_id", "day", "nulls", *SEGMENTS)
#: Signal types counted, each into its measure (first-contact resolution also into fcr_k when met).
SIGNAL_MEASURES = {"reopen": "reopens", "failed_resolution": "failed", "recontact": "recontacts",
                   "first_contact_resolution": "fcr_n"}
MEASURES = ("rated", "satisfied", "score_sum", "bad", "sent", "solved", "ai_solved",
            "reopens", "failed", "recontacts", "fcr_n", "fcr_k", "five_rated")
#: The one scale a mean score is taken over (migration 0021): thumbs (ours, or Zendesk's good/bad,
#: stored as 5 and 1) counts in `rated`, `satisfied` and `bad` but not in `score_sum` / `five_rated`.
FIVE = "five"
#: A CES-only survey's scale (issue 24): not a CSAT survey, so not counted in `sent`.
CES = "ces"
#: Resolvers of a solve the AI worked on (outcomes.py's override rate denominator).
AI_RESOLVERS = ("ai", "ai_then_human", "ai_overridden")

Range = tuple[datetime, datetime]


# --- keeping it up to date ------------------------------------------------------------------------


def day_of(moment: datetime) -> date:
    """The UTC calendar day a moment falls on: the rollup's unit."""
    return moment.astimezone(timezone.utc).date()


def segment_of(row: Rating | Survey | Signal) -> dict[str, Any]:
    """The row's segment as key columns: NULLs become ''/0 with their bit set in `nulls`."""
    key: dict[str, Any] = {"nulls": 0}
    for name in SEGMENTS:
        value = getattr(row, name)
        if value is None:
            key["nulls"] |= SEGMENT_BITS[name]
            value = 0 if name in NUMERIC else ""
        key[name] = value
    return key


def rating_measures(score: int, scale: str = FIVE) -> dict[str, int]:
    """What one rating with this score and scale adds (thumbs up is stored as 5, thumbs down as 1:
    satisfied or bad, but no score for the mean, which only five-point ratings have)."""
    five = scale == FIVE
    return {"rated": 1, "satisfied": int(score >= 4), "score_sum": score if five else 0, "bad": int(score <= 2),
            "five_rated": int(five)}


def add_rating(session: Session, rating: Rating) -> None:
    """Count a newly inserted rating (call once, after its INSERT succeeded)."""
    _upsert(session, rating.tenant_id, day_of(rating.created_at), segment_of(rating),
            rating_measures(rating.score, rating.scale))


def change_rating(session: Session, rating: Rating, score: int, scale: str | None = None) -> None:
    """Move a rating's counts from its stored score and scale to `score` and `scale` (None: the
    rating's own scale); call before assigning them.

    The old values are read from the database under a row lock (FOR UPDATE; SQLite's BEGIN IMMEDIATE
    already serialises writers): two concurrent changes of one rating would otherwise both
    subtract the same old score.
    """
    with session.no_autoflush:
        old = session.execute(select(Rating.score, Rating.scale).where(Rating.id == rating.id).with_for_update()
                              ).one_or_none()
    new_scale = rating.scale if scale is None else scale
    if old is None or (old.score, old.scale) == (score, new_scale):
        return
    before, after = rating_measures(old.score, old.scale), rating_measures(score, new_scale)
    deltas = {name: after[name] - before[name] for name in ("satisfied", "score_sum", "bad", "five_rated")}
    _upsert(session, rating.tenant_id, day_of(rating.created_at), segment_of(rating), deltas)


def add_sent(survey: Survey, at: datetime) -> None:
    """Count a survey as sent at `at`; call before assigning `survey.sent_at`, in the survey's own
    session so the count commits or rolls back with the send.

    A sent_at another transaction committed first (a job run twice after a lost lease) is moved,
    not counted twice: the raw table holds one row, and so must the rollup. A CES-only survey
    (scale "ces") is not a CSAT survey: `sent` is the CSAT response rate's denominator, so it is
    not counted (the CES section counts its own from `surveys`).
    """
    if survey.scale == CES:
        return
    session = object_session(survey)
    if session is None:
        raise ValueError("add_sent needs a survey attached to a session")
    with session.no_autoflush:
        previous = session.scalar(select(Survey.sent_at).where(Survey.id == survey.id).with_for_update())
    segment = segment_of(survey)
    if previous is not None:
        _upsert(session, survey.tenant_id, day_of(previous), segment, {"sent": -1})
    _upsert(session, survey.tenant_id, day_of(at), segment, {"sent": 1})


def add_solve(session: Session, survey: Survey) -> None:
    """Count a newly inserted survey row as a solve (call once, after its INSERT succeeded)."""
    ai = int(survey.resolver in AI_RESOLVERS)
    _upsert(session, survey.tenant_id, day_of(survey.solved_at), segment_of(survey), {"solved": 1, "ai_solved": ai})


def add_signal(session: Session, signal: Signal) -> None:
    """Count a newly inserted signal, if it is of a counted type (call once, after its INSERT succeeded)."""
    measure = SIGNAL_MEASURES.get(signal.type)
    if measure is None:
        return
    deltas = {measure: 1}
    if measure == "fcr_n":
        deltas["fcr_k"] = int(signal.value is not None and signal.value >= 0.5)
    _upsert(session, signal.tenant_id, day_of(signal.occurred_at), segment_of(signal), deltas)


def _upsert(session: Session, tenant_id: str, day: date, segment: Mapping[str, Any], deltas: Mapping[str, int]) -> None:
    """Add `deltas` to one rollup row, creating it if needed, atomically (INSERT … ON CONFLICT)."""
    upsert = insert_on_conflict(session.get_bind().dialect.name)
    values = {**{name: 0 for name in MEASURES}, **deltas, **segment, "tenant_id": tenant_id, "day": day}
    statement = upsert(DailyRollup).values(values)
    table = DailyRollup.__table__
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY),
        set_={name: table.c[name] + statement.excluded[name] for name in deltas},
    )
    session.execute(statement)


# --- recomputing it from the raw tables -------------------------------------------------------------


@dataclass(frozen=True)
class Rebuilt:
    """What `rebuild` did."""

    tenant_id: str | None
    removed: int
    rows: int
    ratings: int
    sent: int


def rebuild(session: Session, tenant_id: str | None = None) -> Rebuilt:
    """Recompute the rollup of one tenant (None: every tenant) from `ratings` and `surveys`.

    For rows written without the application (bench/datagen.py's bulk load, a restore). One
    INSERT … SELECT … GROUP BY over both tables; the caller's transaction makes it atomic.
    """
    where = [] if tenant_id is None else [DailyRollup.tenant_id == tenant_id]
    removed = session.scalar(select(func.count()).select_from(DailyRollup).where(*where)) or 0
    session.execute(delete(DailyRollup).where(*where))
    source = rebuild_select(session.get_bind().dialect.name, tenant_id)
    session.execute(insert(DailyRollup).from_select([*KEY, *MEASURES], source))
    rows, ratings, sent = session.execute(
        select(func.count(), func.sum(DailyRollup.rated), func.sum(DailyRollup.sent)).where(*where)
    ).one()
    return Rebuilt(tenant_id, removed, int(rows or 0), int(ratings or 0), int(sent or 0))


def rebuild_select(dialect: str, tenant_id: str | None) -> Select[Any]:
    """The rollup as a GROUP BY over ratings, sent surveys, solves and counted signals (UNION ALL,
    then one grouping)."""
    def measures(**given: Any) -> list[Any]:
        """Every measure in MEASURES order (the UNION matches by position): `given`, else 0."""
        return [(given[name] if name in given else literal(0)).label(name) for name in MEASURES]

    ratings = select(*_key_columns(Rating, Rating.created_at, dialect), *measures(
        rated=literal(1), satisfied=case((Rating.score >= 4, 1), else_=0),
        score_sum=case((Rating.scale == FIVE, Rating.score), else_=0), bad=case((Rating.score <= 2, 1), else_=0),
        five_rated=case((Rating.scale == FIVE, 1), else_=0)))
    surveys = select(*_key_columns(Survey, Survey.sent_at, dialect), *measures(sent=literal(1)),
                     ).where(Survey.sent_at.is_not(None), Survey.scale != CES)
    solves = select(*_key_columns(Survey, Survey.solved_at, dialect), *measures(
        solved=literal(1), ai_solved=case((Survey.resolver.in_(AI_RESOLVERS), 1), else_=0)))
    met = and_(Signal.type == "first_contact_resolution", Signal.value >= 0.5)
    signals = select(*_key_columns(Signal, Signal.occurred_at, dialect), *measures(
        **{name: case((Signal.type == kind, 1), else_=0) for kind, name in SIGNAL_MEASURES.items()},
        fcr_k=case((met, 1), else_=0))).where(Signal.type.in_(list(SIGNAL_MEASURES)))
    if tenant_id is not None:
        ratings = ratings.where(Rating.tenant_id == tenant_id)
        surveys = surveys.where(Survey.tenant_id == tenant_id)
        solves = solves.where(Survey.tenant_id == tenant_id)
        signals = signals.where(Signal.tenant_id == tenant_id)
    both = union_all(ratings, surveys, solves, signals).subquery()
    keys = [both.c[name] for name in KEY]
    return select(*keys, *(func.sum(both.c[name]) for name in MEASURES)).group_by(*keys)


def _key_columns(model: type[Rating | Survey | Signal], moment: Any, dialect: str) -> list[Any]:
    nulls = sum((case((getattr(model, name).is_(None), SEGMENT_BITS[name]), else_=0) for name in SEGMENTS),
                start=literal(0))
    segment = [func.coalesce(getattr(model, name), 0 if name in NUMERIC else "").label(name) for name in SEGMENTS]
    return [model.tenant_id.label("tenant_id"), day_sql(dialect, moment).label("day"), nulls.label("nulls"),
            *segment]


def day_sql(dialect: str, moment: Any) -> Any:
    """SQL for the UTC day of a timestamp column (SQLite stores naive UTC text)."""
    if dialect == "postgresql":
        return cast(func.timezone("UTC", moment), DailyRollup.day.type)
    return func.date(moment)


# --- reading it ----------------------------------------------------------------------------------------


def segment_column(name: str) -> ColumnElement[Any] | None:
    """The rollup's value of a rating/survey column, NULL where it was NULL; None if not kept."""
    if name == "tenant_id":
        return DailyRollup.__table__.c.tenant_id
    if name not in SEGMENT_BITS:
        return None
    column: ColumnElement[Any] = getattr(DailyRollup, name)
    return case((DailyRollup.nulls.bitwise_and(SEGMENT_BITS[name]) != 0, None), else_=column)


def segment_filter(name: str, value: Any) -> ColumnElement[bool]:
    """WHERE term equal to the raw tables' `column = value` (`IS NULL` for None)."""
    if name == "tenant_id":
        return false() if value is None else DailyRollup.tenant_id == value
    missing = DailyRollup.nulls.bitwise_and(SEGMENT_BITS[name]) != 0
    if value is None:
        return missing
    return and_(~missing, getattr(DailyRollup, name) == value)


def day_filter(days: Iterable[tuple[date, date]]) -> ColumnElement[bool]:
    """WHERE term for half-open day ranges [first, last)."""
    return or_(false(), *(and_(DailyRollup.day >= first, DailyRollup.day < last) for first, last in days))


def split_range(start: datetime, end: datetime, cuts: Iterable[datetime]) -> tuple[list[tuple[date, date]], list[Range]]:
    """[start, end) as whole UTC days that no cut falls inside (read from the rollup) and the rest
    (the partial days at the edges and around each cut: read from the raw tables)."""
    points = sorted({start, end, *(cut for cut in cuts if start < cut < end)})
    days: list[tuple[date, date]] = []
    raw: list[Range] = []
    for low, high in pairwise(points):
        first, last = _midnight(low, up=True), _midnight(high, up=False)
        if first >= last:
            raw.append((low, high))
            continue
        raw += [(low, first)] if low < first else []
        days.append((first.date(), last.date()))
        raw += [(last, high)] if last < high else []
    return _joined(days), _joined(raw)


def _midnight(moment: datetime, *, up: bool) -> datetime:
    """The UTC midnight at or after (up) / at or before `moment`."""
    utc = moment.astimezone(timezone.utc)
    floor = datetime.combine(utc.date(), time(), timezone.utc)
    return floor + timedelta(days=1) if up and floor < utc else floor


def _joined(ranges: list[Any]) -> list[Any]:
    """Adjacent half-open ranges merged: fewer statements, same rows."""
    out: list[Any] = []
    for low, high in ranges:
        if out and out[-1][1] == low:
            out[-1] = (out[-1][0], high)
        else:
            out.append((low, high))
    return out
