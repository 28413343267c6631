"""Metrics by segment and period, counted by the database in one indexed GROUP BY per question.

Every figure is computed from counts (n, satisfied, score sum), so intervals come for free and a
report over a million ratings is one scan of the (tenant, time) index range, not a million rows in
Python. Each row carries the previous period's counts for the same segment, because a figure with
nothing beside it cannot be read.

Attribution is as of the rating: segments read the snapshot columns of `ratings`
(see attribution.py), never the ticket's current owner. Periods are calendar days, ISO weeks
(Monday) and months, in UTC.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import Session

from feedbackloop.insight.metrics.periods import Window, bucket_start, shift
from feedbackloop.insight.segments import DIMENSION_NAMES as DIMENSION_NAMES
from feedbackloop.insight.segments import MIN_N as MIN_N
from feedbackloop.insight.segments import PERIODS as PERIODS
from feedbackloop.insight.stats import Rate, wilson
from feedbackloop.store import rollups
from feedbackloop.store.models import DailyRollup, Rating, Survey

if TYPE_CHECKING:
    from feedbackloop.insight.metrics.outcome_rates import OutcomeCounts

#: What a NULL segment value (no group, no AI intent …) is called on screens and in files.
NONE_LABEL = "(none)"
RESOLVERS = ("ai", "human", "ai_then_human", "ai_overridden")


@dataclass(frozen=True)
class Dimension:
    """A way to cut ratings: the rating's snapshot column, and the survey's own column (its
    segment as of the solve) for the response rate's denominator. Surveys written before
    migration 0009 have no segment of their own and count as "(none)"."""

    name: str
    column: Any
    survey_side: Any | None = None
    numeric: bool = False


DIMENSIONS: dict[str, Dimension] = {
    d.name: d for d in (
        Dimension("intent", Rating.intent, Survey.intent),
        Dimension("category", Rating.category, Survey.category),
        Dimension("product", Rating.product, Survey.product),
        Dimension("channel", Rating.channel, Survey.channel),
        Dimension("resolver", Rating.resolver, Survey.resolver),
        Dimension("agent", Rating.assignee_id, Survey.assignee_id, numeric=True),
        Dimension("group", Rating.group_id, Survey.group_id, numeric=True),
        Dimension("brand", Rating.brand_id, Survey.brand_id, numeric=True),
        Dimension("tenant", Rating.tenant_id, Survey.tenant_id),
        Dimension("language", Rating.language, Survey.language),
        Dimension("model", Rating.model, Survey.model),
        Dimension("prompt_version", Rating.prompt_version, Survey.prompt_version),
    )
}


# --- the question ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricsQuery:
    """Which ratings, cut how. `tenant_id=None` means every tenant (for `--by tenant`).

    Without `period` the range is one window and "previous" is the equally long window before it.
    With `period` the range is cut into calendar periods (its start rounded down to one) and each
    period is compared with the one before.
    """

    tenant_id: str | None
    since: datetime
    until: datetime
    by: tuple[str, ...] = ()
    period: str | None = None
    min_n: int = MIN_N
    filters: Mapping[str, str | None] = field(default_factory=dict)
    #: Without `period`: compare with [baseline_since, since) instead (the drop check's trailing baseline).
    baseline_since: datetime | None = None

    def __post_init__(self) -> None:
        unknown = [name for name in (*self.by, *self.filters) if name not in DIMENSIONS]
        if unknown:
            raise ValueError(f"unknown segment {unknown[0]!r}: choose from {', '.join(DIMENSIONS)}")
        if self.period is not None and self.period not in PERIODS:
            raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {self.period!r}")
        if self.until <= self.since:
            raise ValueError("the range is empty: --until must be after --since")

    @property
    def first_start(self) -> datetime:
        return bucket_start(self.since, self.period) if self.period else self.since

    def windows(self) -> list[Window]:
        """The reported windows, oldest first."""
        if self.period is None:
            return [Window(self.since, self.until)]
        out: list[Window] = []
        start = self.first_start
        while start < self.until:
            end = shift(start, self.period, 1)
            out.append(Window(start, min(end, self.until)))
            start = end
        return out

    def previous(self, window: Window) -> Window:
        """The window each figure is compared with."""
        if self.period is None and self.baseline_since is not None:
            return Window(self.baseline_since, window.start)
        if self.period is None:
            return Window(window.start - (window.end - window.start), window.start)
        return Window(shift(window.start, self.period, -1), window.start)

    def scanned(self) -> Window:
        """Everything any reported or previous window covers: the one range the SQL reads."""
        return Window(self.previous(self.windows()[0]).start, self.until)


# --- counts -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """What one segment-window holds: ratings of every scale, satisfied (4–5, thumbs up), bad (1–2,
    thumbs down); and the five-point ratings (`five`) with their score sum, the mean's only input:
    a thumbs rating is stored as 5 or 1 but is no 1–5 answer (issue 23: never pretend to a 1–5 we
    do not have)."""

    n: int = 0
    k: int = 0
    score_sum: int = 0
    bad: int = 0
    five: int = 0

    @property
    def csat(self) -> Rate:
        return wilson(self.k, self.n)

    @property
    def mean(self) -> float | None:
        """The mean score of the five-point ratings; None without any."""
        return self.score_sum / self.five if self.five else None

    @property
    def two_point(self) -> int:
        """Ratings on a two-point scale (thumbs: ours or Zendesk's good/bad), not in the mean."""
        return self.n - self.five

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.n + other.n, self.k + other.k, self.score_sum + other.score_sum, self.bad + other.bad,
            self.five + other.five,
        )


Key = tuple[str | None, ...]
EMPTY = Counts()


@dataclass(frozen=True)
class SegmentRow:
    """One segment in one window, beside the same segment's previous window."""

    key: Key
    window: Window
    current: Counts
    previous: Counts
    response: Rate | None = None
    previous_response: Rate | None = None
    suppressed: bool = False
    #: Reopens, re-contacts, overrides … of the same segment and windows (outcomes.py), when asked for.
    outcomes: OutcomeCounts | None = None
    previous_outcomes: OutcomeCounts | None = None

    @property
    def csat(self) -> Rate:
        return self.current.csat

    @property
    def previous_csat(self) -> Rate:
        return self.previous.csat

    @property
    def delta(self) -> float | None:
        """Change in CSAT since the previous window, in percentage points."""
        now, before = self.current.csat.value, self.previous.csat.value
        return None if now is None or before is None else 100 * (now - before)


def satisfied() -> ColumnElement[int]:
    """4–5 on the five-point scale; thumbs up is stored as 5."""
    return case((Rating.score >= 4, 1), else_=0)


def bad() -> ColumnElement[int]:
    return case((Rating.score <= 2, 1), else_=0)


def five_point() -> ColumnElement[bool]:
    """A rating on the five-point scale: the only ones the mean score is taken over."""
    return Rating.scale == rollups.FIVE


def bucket_label(session: Session, query: MetricsQuery, column: Any) -> Any:
    """SQL naming each row's window: current/previous, or the period's first day (PostgreSQL: a
    UTC timestamp, formatted in Python rather than per row; SQLite: the day as text)."""
    if query.period is None:
        return case((column >= query.since, literal("current")), else_=literal("previous"))
    if session.get_bind().dialect.name == "postgresql":
        return func.date_trunc(query.period, func.timezone("UTC", column))
    if query.period == "day":
        return func.date(column)
    if query.period == "week":
        return func.date(column, "weekday 0", "-6 days")  # SQLite: the Monday on or before
    return func.strftime("%Y-%m-01", column)


def window_of(query: MetricsQuery, label: Any) -> datetime:
    """The start of the window a bucket label names."""
    if query.period is None:
        return query.since if label == "current" else query.previous(query.windows()[0]).start
    if isinstance(label, datetime):
        return label.replace(tzinfo=timezone.utc) if label.tzinfo is None else label.astimezone(timezone.utc)
    return datetime.combine(date.fromisoformat(str(label)[:10]), time(), timezone.utc)


def key_of(values: Sequence[Any]) -> Key:
    return tuple(None if value is None else str(value) for value in values)


def filter_clauses(query: MetricsQuery, model: Any = Rating) -> list[ColumnElement[bool]]:
    """WHERE terms for the query's segment filters on ratings, surveys or signals (which carry the
    segment under the same column names); a value of None means "has no value"."""
    clauses: list[ColumnElement[bool]] = []
    for name, value in query.filters.items():
        dimension = DIMENSIONS[name]
        column: Any = getattr(model, dimension.column.key)
        if value is None:
            clauses.append(column.is_(None))
        else:
            clauses.append(column == (int(value) if dimension.numeric else value))
    return clauses


def tenant_clause(query: MetricsQuery, column: Any) -> list[ColumnElement[bool]]:
    return [] if query.tenant_id is None else [column == query.tenant_id]


def measures(current: ColumnElement[bool] | None = None) -> list[Any]:
    """n, satisfied, five-point score sum, bad, five-point n: of every row, or (CASE inside SUM) only
    of `current` rows."""
    if current is None:
        return [func.count(), func.sum(satisfied()), func.sum(case((five_point(), Rating.score), else_=0)),
                func.sum(bad()), func.sum(case((five_point(), 1), else_=0))]
    return [
        func.sum(case((current, 1), else_=0)),
        func.sum(case((and_(current, Rating.score >= 4), 1), else_=0)),
        func.sum(case((and_(current, five_point()), Rating.score), else_=0)),
        func.sum(case((and_(current, Rating.score <= 2), 1), else_=0)),
        func.sum(case((and_(current, five_point()), 1), else_=0)),
    ]


def rating_counts(
    session: Session, query: MetricsQuery, *, use_rollups: bool = True
) -> dict[tuple[Key, datetime], Counts]:
    """Counts per (segment, window start) over the scanned range.

    Whole UTC days come from the daily rollup (rollups.py: one row per tenant, day and segment);
    only the partial days at the range's edges and around window boundaries are read from
    `ratings`. The result is the same as one GROUP BY over the ratings (`use_rollups=False`, the
    oracle tests/store/test_rollups.py compares against), at the cost of a few days instead of all of them.
    """
    if not use_rollups or not _rollup_keeps(query, "rating"):
        return _raw_rating_counts(session, query, query.scanned())
    days, raw = _split(query)
    counts: dict[tuple[Key, datetime], Counts] = {}
    for start, end in raw:
        _merge(counts, _raw_rating_counts(session, query, Window(start, end)))
    _merge(counts, _rollup_rating_counts(session, query, days))
    if query.period is None:  # as the raw scan: every segment has both windows, empty or not
        before = query.previous(query.windows()[0]).start
        for key in {key for key, _ in counts}:
            counts.setdefault((key, query.since), EMPTY)
            counts.setdefault((key, before), EMPTY)
    return counts


def _raw_rating_counts(session: Session, query: MetricsQuery, scanned: Window) -> dict[tuple[Key, datetime], Counts]:
    """Counts per (segment, window start) of the ratings in `scanned`: one GROUP BY.

    Without periods the two windows are told apart inside the aggregates (SUM of CASE), not by
    grouping on a CASE: the planner then sees one group per segment and hashes a few bytes per
    row instead of a computed key (on PostgreSQL about twice as fast at a million rows).
    """
    columns = [DIMENSIONS[name].column for name in query.by]
    width = len(columns)
    where = (
        *tenant_clause(query, Rating.tenant_id),
        Rating.created_at >= scanned.start,
        Rating.created_at < scanned.end,
        *filter_clauses(query),
    )
    counts: dict[tuple[Key, datetime], Counts] = {}
    if query.period is None:
        statement = select(*columns, *measures(Rating.created_at >= query.since), *measures()).where(*where)
        before = query.previous(query.windows()[0]).start
        for row in session.execute(statement.group_by(*columns)):
            now, every = _counts(row[width : width + 5]), _counts(row[width + 5 :])
            counts[(key_of(row[:width]), query.since)] = now
            counts[(key_of(row[:width]), before)] = Counts(
                every.n - now.n, every.k - now.k, every.score_sum - now.score_sum, every.bad - now.bad,
                every.five - now.five,
            )
        return counts
    label = bucket_label(session, query, Rating.created_at).label("bucket")
    for row in session.execute(select(*columns, label, *measures()).where(*where).group_by(*columns, label)):
        key = (key_of(row[:width]), window_of(query, row[width]))
        counts[key] = counts.get(key, EMPTY) + _counts(row[width + 1 :])
    return counts


def _rollup_rating_counts(
    session: Session, query: MetricsQuery, days: list[tuple[date, date]]
) -> dict[tuple[Key, datetime], Counts]:
    """Counts per (segment, window start) of whole days, from the daily rollup."""
    counts: dict[tuple[Key, datetime], Counts] = {}
    for key, day, sums in rollup_days(session, query, days, "rating"):
        if sums["rated"] > 0:
            cell = (key, _window_of_day(query, day))
            counts[cell] = counts.get(cell, EMPTY) + Counts(sums["rated"], sums["satisfied"], sums["score_sum"],
                                                            sums["bad"], sums["five_rated"])
    return counts


#: session.info key of the reads `shared_rollup_reads` keeps.
_SHARED_READS = "feedbackloop.rollup_reads"


@contextmanager
def shared_rollup_reads(session: Session) -> Iterator[None]:
    """Within the block, `rollup_days` reads each (segment, filters, days) once: a report cuts
    ratings, surveys sent, solves and signals from the same rollup rows, which would otherwise be
    scanned once for each. Only around reads: a write inside the block would not be seen."""
    session.info[_SHARED_READS] = {}
    try:
        yield
    finally:
        session.info.pop(_SHARED_READS, None)


def rollup_days(session: Session, query: MetricsQuery, days: list[tuple[date, date]], side: str,
                ) -> list[tuple[Key, date, dict[str, int]]]:
    """Every measure of the rollup's whole `days`, per (the query's segment on `side`, day): one
    GROUP BY, or inside `shared_rollup_reads` one per distinct segment, filters and days."""
    if not days:
        return []
    shared: dict[Any, list[tuple[Key, date, dict[str, int]]]] | None = session.info.get(_SHARED_READS)
    cache_key = (tuple(_rollup_side(name, side) for name in query.by), query.tenant_id,
                 tuple((_rollup_side(name, side), value) for name, value in query.filters.items()), tuple(days))
    if shared is not None and cache_key in shared:
        return shared[cache_key]
    columns = _rollup_columns(query, side)
    statement = (
        select(*columns, DailyRollup.day, *(func.sum(getattr(DailyRollup, name)) for name in rollups.MEASURES))
        .where(*_rollup_where(query, days, side))
        .group_by(*columns, DailyRollup.day)
    )
    width = len(columns)
    rows = [(key_of(row[:width]), row[width], dict(zip(rollups.MEASURES, (int(v or 0) for v in row[width + 1:]),
                                                         strict=True)))
            for row in session.execute(statement)]
    if shared is not None:
        shared[cache_key] = rows
    return rows


def _rollup_side(name: str, side: str) -> str | None:
    """The rating's (or for surveys sent, the survey's) column name a dimension cuts by."""
    dimension = DIMENSIONS[name]
    column = dimension.column if side == "rating" else dimension.survey_side
    return None if column is None else str(column.key)


def _rollup_keeps(query: MetricsQuery, side: str) -> bool:
    """Whether the rollup holds every column the query cuts or filters by."""
    names = [_rollup_side(name, side) for name in (*query.by, *query.filters)]
    return all(name is not None and rollups.segment_column(name) is not None for name in names)


def _rollup_columns(query: MetricsQuery, side: str) -> list[Any]:
    return [rollups.segment_column(str(_rollup_side(name, side))) for name in query.by]


def _rollup_where(query: MetricsQuery, days: list[tuple[date, date]], side: str) -> list[ColumnElement[bool]]:
    """Tenant, day ranges and the query's filters, as WHERE terms on the rollup."""
    clauses = [*tenant_clause(query, DailyRollup.tenant_id), rollups.day_filter(days)]
    for name, value in query.filters.items():
        typed = None if value is None else int(value) if DIMENSIONS[name].numeric else value
        clauses.append(rollups.segment_filter(str(_rollup_side(name, side)), typed))
    return clauses


def _split(query: MetricsQuery) -> tuple[list[tuple[date, date]], list[tuple[datetime, datetime]]]:
    """The scanned range as whole days (rollup) and partial ones (raw): every window boundary that
    is not a UTC midnight makes its day partial, so each whole day lies in exactly one window."""
    windows = query.windows()
    cuts = [*(w.start for w in windows), *(w.end for w in windows), *(query.previous(w).start for w in windows)]
    scanned = query.scanned()
    return rollups.split_range(scanned.start, scanned.end, cuts)


def _window_of_day(query: MetricsQuery, day: date) -> datetime:
    """The start of the window holding a whole UTC day (as the raw scan labels its rows)."""
    moment = datetime.combine(day, time(), timezone.utc)
    if query.period is not None:
        return bucket_start(moment, query.period)
    return query.since if moment >= query.since else query.previous(query.windows()[0]).start


def _merge(into: dict[tuple[Key, datetime], Any], more: Mapping[tuple[Key, datetime], Any]) -> None:
    """Add counts (Counts or surveys sent) key by key."""
    for key, value in more.items():
        into[key] = into[key] + value if key in into else value


def _counts(values: Sequence[Any]) -> Counts:
    n, k, total, low, five = (int(value or 0) for value in values)
    return Counts(n, k, total, low, five)


def supports_response(query: MetricsQuery) -> bool:
    """Whether every dimension used can also cut the surveys (the response rate's denominator)."""
    return all(DIMENSIONS[name].survey_side is not None for name in (*query.by, *query.filters))


def sent_counts(
    session: Session, query: MetricsQuery, *, use_rollups: bool = True
) -> dict[tuple[Key, datetime], int] | None:
    """CSAT surveys sent per (segment, window), or None when the cut is not possible. CES-only
    surveys (scale "ces") are not counted: they ask no CSAT question.

    The response rate is ratings received in a window over surveys sent in it: GROUP BYs and no
    join, so it stays fast at any size. It differs from "share of this window's surveys answered"
    only by the surveys answered across a window boundary. Whole days come from the rollup, as in
    `rating_counts`.
    """
    if not supports_response(query):
        return None
    if not use_rollups or not _rollup_keeps(query, "survey"):
        return _raw_sent_counts(session, query, query.scanned())
    days, raw = _split(query)
    out: dict[tuple[Key, datetime], int] = {}
    for start, end in raw:
        _merge(out, _raw_sent_counts(session, query, Window(start, end)))
    for key, day, sums in rollup_days(session, query, days, "survey"):
        if sums["sent"] > 0:
            _merge(out, {(key, _window_of_day(query, day)): sums["sent"]})
    return out


def _raw_sent_counts(session: Session, query: MetricsQuery, scanned: Window) -> dict[tuple[Key, datetime], int]:
    """Surveys sent in `scanned` per (segment, window): one indexed GROUP BY."""
    columns: list[Any] = [DIMENSIONS[name].survey_side for name in query.by]
    label = bucket_label(session, query, Survey.sent_at).label("bucket")
    statement = (
        select(*columns, label, func.count())
        .where(
            *tenant_clause(query, Survey.tenant_id),
            Survey.sent_at >= scanned.start,
            Survey.sent_at < scanned.end,
            Survey.scale != rollups.CES,  # a CES-only survey is not a CSAT survey sent (issue 24)
            *filter_clauses(query, Survey),
        )
        .group_by(*columns, label)
    )
    out: dict[tuple[Key, datetime], int] = {}
    width = len(columns)
    for row in session.execute(statement):
        key = (key_of(row[:width]), window_of(query, row[width]))
        out[key] = out.get(key, 0) + int(row[width + 1])
    return out


def segment_rows(session: Session, query: MetricsQuery) -> list[SegmentRow]:
    """Every segment in every reported window, beside its previous window; ranked (see `rank`)."""
    return build_rows(query, rating_counts(session, query), sent_counts(session, query))


def segments_and_total(session: Session, query: MetricsQuery) -> tuple[list[SegmentRow], SegmentRow]:
    """The segment rows and the whole range's row, from one scan when there are no periods (every
    rating lies in exactly one segment, so the total is the segments' sum)."""
    if query.period is not None:
        return segment_rows(session, query), overall(session, query)
    counts, sent = rating_counts(session, query), sent_counts(session, query)
    whole = replace(query, by=())
    total_sent = sent if sent is not None else sent_counts(session, whole)
    return build_rows(query, counts, sent), total_row(whole, counts, total_sent)


def total_row(
    query: MetricsQuery,
    counts: dict[tuple[Key, datetime], Counts],
    sent: dict[tuple[Key, datetime], int] | None,
) -> SegmentRow:
    """Sum the segments' counts per window into the row for everything."""
    window = query.windows()[0]
    before = query.previous(window).start

    def total(start: datetime) -> Counts:
        return sum((c for (_, at), c in counts.items() if at == start), EMPTY)

    def surveys(start: datetime) -> dict[tuple[Key, datetime], int] | None:
        return None if sent is None else {((), start): sum(n for (_, at), n in sent.items() if at == start)}

    now, then = total(window.start), total(before)
    return SegmentRow(
        (),
        window,
        now,
        then,
        response=_response(surveys(window.start), (), window.start, now.n),
        previous_response=_response(surveys(before), (), before, then.n),
        suppressed=now.n < query.min_n,
    )


def build_rows(
    query: MetricsQuery,
    counts: dict[tuple[Key, datetime], Counts],
    sent: dict[tuple[Key, datetime], int] | None,
) -> list[SegmentRow]:
    """Pair each segment's windows with their previous ones; skip windows with nothing in them."""
    windows = query.windows()
    seen = [*counts, *(sent or {})]
    keys = sorted({key for key, start in seen if start >= windows[0].start}, key=_key_order)
    rows = []
    for window in windows:
        before = query.previous(window).start
        for key in keys:
            current = counts.get((key, window.start), EMPTY)
            previous = counts.get((key, before), EMPTY)
            if not current.n and not (sent or {}).get((key, window.start)):
                continue
            rows.append(
                SegmentRow(
                    key=key,
                    window=window,
                    current=current,
                    previous=previous,
                    response=_response(sent, key, window.start, current.n),
                    previous_response=_response(sent, key, before, previous.n),
                    suppressed=current.n < query.min_n,
                )
            )
    return rank(rows)


def _response(
    sent: dict[tuple[Key, datetime], int] | None, key: Key, start: datetime, ratings: int
) -> Rate | None:
    if sent is None:
        return None
    surveys = sent.get((key, start), 0)
    return wilson(min(ratings, surveys), surveys)


def _key_order(key: Key) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, value or "") for value in key)


def rank(rows: list[SegmentRow]) -> list[SegmentRow]:
    """Newest window first; inside it the worst CSAT first; segments below min n after the ranked
    ones (largest first), because their point estimate would rank on noise."""

    def order(row: SegmentRow) -> tuple[Any, ...]:
        value = row.csat.value if row.csat.value is not None else 2.0
        return (
            -row.window.start.timestamp(),
            row.suppressed,
            -row.current.n if row.suppressed else value,
            -row.current.n,
            _key_order(row.key),
        )

    return sorted(rows, key=order)


def overall(session: Session, query: MetricsQuery) -> SegmentRow:
    """The whole range (no segments, no periods) beside the previous equally long range."""
    whole = replace(query, by=(), period=None)
    rows = segment_rows(session, whole)
    window = whole.windows()[0]
    return rows[0] if rows else SegmentRow((), window, EMPTY, EMPTY, suppressed=True)


def trend(session: Session, query: MetricsQuery, period: str) -> list[SegmentRow]:
    """One row per period over the range, oldest first (charts), with every period present."""
    by_period = replace(query, by=(), period=period)
    found = {row.window.start: row for row in segment_rows(session, by_period)}
    return [
        found.get(window.start) or SegmentRow((), window, EMPTY, EMPTY, suppressed=True)
        for window in by_period.windows()
    ]
