"""Outcome rates beside CSAT, cut by the same segments: reopens, re-contacts, failed resolutions,
first-contact resolution, overrides, time to resolution and review verdicts.

A rate needs a denominator with the same segment as its numerator. Solves are surveys (one per
solve, written whatever happens next) carrying the segment as of the solve; the outcomes are
signals carrying the segment as of the signal (attribution.py). So "reopen rate for intent=billing"
is billing reopens over billing solves in the same window, each counted by indexed GROUP BYs, and
every figure sits beside the previous window's, like CSAT (metrics.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session

from feedbackloop.insight import metrics
from feedbackloop.insight.metrics import DIMENSIONS, Key, MetricsQuery, Window, bucket_label, key_of, window_of
from feedbackloop.insight.metrics import OutcomeCounts as OutcomeCounts
from feedbackloop.store.models import ReviewTask, Signal, Survey
from feedbackloop.store.rollups import AI_RESOLVERS, SIGNAL_MEASURES

EMPTY = OutcomeCounts()
Cell = tuple[Key, datetime]


def outcome_counts(session: Session, query: MetricsQuery, *, use_rollups: bool = True) -> dict[Cell, OutcomeCounts]:
    """Outcome counts per (segment, window start) over the query's scanned range: one GROUP BY
    over surveys (solves), one over signals, one for times to resolution and one for verdicts; solves
    and counted signals read whole days from the daily rollup (`use_rollups=False`: the raw oracle)."""
    parts: dict[Cell, dict[str, Any]] = defaultdict(dict)
    for cell, values in (*_solves(session, query, use_rollups), *_signals(session, query, use_rollups)):
        for name, value in values.items():
            parts[cell][name] = parts[cell].get(name, 0) + value
    for cell, hours in _hours(session, query).items():
        parts[cell]["hours"] = tuple(hours)
    for cell, verdicts in _verdicts(session, query).items():
        parts[cell]["verdicts"] = verdicts
    return {cell: OutcomeCounts(**values) for cell, values in parts.items()}


def total(counts: dict[Cell, OutcomeCounts], start: datetime) -> OutcomeCounts:
    """Every segment's counts of one window, summed (each solve and signal lies in one segment)."""
    return sum((value for (_, at), value in counts.items() if at == start), EMPTY)


def _columns(model: Any, query: MetricsQuery) -> list[Any]:
    return [getattr(model, DIMENSIONS[name].column.key) for name in query.by]


def _where(model: Any, time_column: Any, query: MetricsQuery, scanned: Window | None = None) -> list[Any]:
    scanned = scanned or query.scanned()
    return [time_column >= scanned.start, time_column < scanned.end,
            *metrics.tenant_clause(query, model.tenant_id), *metrics.filter_clauses(query, model)]


def _grouped(session: Session, query: MetricsQuery, model: Any, time_column: Any, measures: list[Any],
             *extra_where: Any, extra_group: Iterable[Any] = (), scanned: Window | None = None,
             ) -> Iterable[tuple[Cell, tuple[Any, ...]]]:
    """Rows of one GROUP BY by the segment columns and the window, as (cell, remaining values).

    Its parameters are the pieces of one GROUP BY, keywords past the measures.
    """
    columns, extra = _columns(model, query), list(extra_group)
    label = bucket_label(session, query, time_column).label("bucket")
    statement = (
        select(*columns, label, *extra, *measures)
        .where(*_where(model, time_column, query, scanned), *extra_where)
        .group_by(*columns, label, *extra)
    )
    width = len(columns)
    for row in session.execute(statement):
        yield (key_of(row[:width]), window_of(query, row[width])), tuple(row[width + 1:])


def _solves(session: Session, query: MetricsQuery, use_rollups: bool) -> Iterable[tuple[Cell, dict[str, int]]]:
    """Solves and AI solves: whole UTC days from the daily rollup, partial days from `surveys`
    (as metrics.rating_counts does for ratings), so a year of solves costs days, not rows."""
    ai = case((Survey.resolver.in_(AI_RESOLVERS), 1), else_=0)
    usable = use_rollups and metrics._rollup_keeps(query, "survey")
    days, raw = metrics._split(query) if usable else ([], [(query.scanned().start, query.scanned().end)])
    for start, end in raw:
        for cell, (solves, ai_solves) in _grouped(session, query, Survey, Survey.solved_at,
                                                  [func.count(), func.sum(ai)], scanned=Window(start, end)):
            yield cell, {"solves": int(solves or 0), "ai_solves": int(ai_solves or 0)}
    for key, day, sums in metrics.rollup_days(session, query, days, "survey"):
        if sums["solved"] > 0:
            yield (key, metrics._window_of_day(query, day)), {"solves": sums["solved"], "ai_solves": sums["ai_solved"]}


def _signals(session: Session, query: MetricsQuery, use_rollups: bool) -> Iterable[tuple[Cell, dict[str, int]]]:
    """Per-solve signals and first-contact resolution counted: whole UTC days from the daily rollup,
    partial days from `signals` (as `_solves`); overrides as distinct tickets, always from
    `signals` (distinct tickets cannot be summed over days; there are few)."""
    kinds = list(SIGNAL_MEASURES)  # each kind counts into the OutcomeCounts field of its rollup measure
    hit = func.sum(case((Signal.value >= 0.5, 1), else_=0))
    usable = use_rollups and metrics._rollup_keeps(query, "rating")  # signals carry the rating's columns
    days, raw = metrics._split(query) if usable else ([], [(query.scanned().start, query.scanned().end)])
    for start, end in raw:
        for cell, (kind, n, k) in _grouped(session, query, Signal, Signal.occurred_at, [func.count(), hit],
                                           Signal.type.in_(kinds), extra_group=[Signal.type],
                                           scanned=Window(start, end)):
            if kind == "first_contact_resolution":
                yield cell, {"fcr_n": int(n or 0), "fcr_k": int(k or 0)}
            else:
                yield cell, {SIGNAL_MEASURES[kind]: int(n or 0)}
    counted = list(SIGNAL_MEASURES.values())
    for key, day, sums in metrics.rollup_days(session, query, days, "rating"):
        if any(sums[name] for name in counted):  # as the raw scan: only cells with signals
            yield (key, metrics._window_of_day(query, day)), {name: sums[name] for name in (*counted, "fcr_k")}
    for cell, (tickets,) in _grouped(session, query, Signal, Signal.occurred_at,
                                     [func.count(func.distinct(Signal.ticket_id))], Signal.type == "override"):
        yield cell, {"overridden": int(tickets or 0)}


def _hours(session: Session, query: MetricsQuery) -> dict[Cell, list[float]]:
    """Each closed ticket's time to resolution, per cell (a median cannot be summed, so the values
    come back; there is one per closed ticket in the range)."""
    columns = _columns(Signal, query)
    label = bucket_label(session, query, Signal.occurred_at).label("bucket")
    statement = select(*columns, label, Signal.value).where(
        *_where(Signal, Signal.occurred_at, query), Signal.type == "time_to_resolution", Signal.value.is_not(None)
    )
    out: dict[Cell, list[float]] = defaultdict(list)
    width = len(columns)
    for row in session.execute(statement):
        out[(key_of(row[:width]), window_of(query, row[width]))].append(float(row[width + 1]) / 3600)
    return out


def _verdicts(session: Session, query: MetricsQuery) -> dict[Cell, dict[str, int]]:
    """Reviewers' root causes per cell: the verdict signal (segment as of the verdict) joined to its
    review task (the verdict itself); the signal's key is `verdict:<review task id>`."""
    task_key = literal("verdict:") + cast(ReviewTask.id, String)
    joined = and_(ReviewTask.tenant_id == Signal.tenant_id, Signal.dedupe_key == task_key)
    columns = _columns(Signal, query)
    label = bucket_label(session, query, Signal.occurred_at).label("bucket")
    statement = (
        select(*columns, label, ReviewTask.verdict, func.count())
        .join(ReviewTask, joined)
        .where(*_where(Signal, Signal.occurred_at, query), Signal.type == "review_verdict",
               ReviewTask.verdict.is_not(None))
        .group_by(*columns, label, ReviewTask.verdict)
    )
    out: dict[Cell, dict[str, int]] = defaultdict(dict)
    width = len(columns)
    for row in session.execute(statement):
        out[(key_of(row[:width]), window_of(query, row[width]))][str(row[width + 1])] = int(row[width + 2])
    return out
