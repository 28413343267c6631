"""Outcome rates beside CSAT for a whole range (reopens, failed resolutions, re-contacts, first-contact
resolution, overrides, time to resolution, verdicts), and the per-segment counts they are summed from."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from feedbackloop.insight.metrics.periods import Window
from feedbackloop.insight.segments import DIMENSION_NAMES as DIMENSION_NAMES
from feedbackloop.insight.segments import MIN_N as MIN_N
from feedbackloop.insight.segments import PERIODS as PERIODS
from feedbackloop.insight.stats import Rate, wilson
from feedbackloop.store.models import AiDecision, Override, ReviewTask, Signal, Survey

# --- other outcome rates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeCounts:
    """What one segment-window holds besides ratings: solves and what followed them."""

    solves: int = 0
    ai_solves: int = 0
    reopens: int = 0
    failed: int = 0
    recontacts: int = 0
    overridden: int = 0  # tickets a human corrected (any override but a hand-off)
    fcr_k: int = 0
    fcr_n: int = 0
    hours: tuple[float, ...] = ()  # time to resolution of each ticket closed, in hours
    verdicts: dict[str, int] = field(default_factory=dict)

    def __add__(self, other: OutcomeCounts) -> OutcomeCounts:
        verdicts = dict(self.verdicts)
        for name, n in other.verdicts.items():
            verdicts[name] = verdicts.get(name, 0) + n
        return OutcomeCounts(
            self.solves + other.solves, self.ai_solves + other.ai_solves, self.reopens + other.reopens,
            self.failed + other.failed, self.recontacts + other.recontacts, self.overridden + other.overridden,
            self.fcr_k + other.fcr_k, self.fcr_n + other.fcr_n, self.hours + other.hours, verdicts,
        )

    @property
    def reopen(self) -> Rate:
        return wilson(min(self.reopens, self.solves), self.solves)

    @property
    def failed_resolution(self) -> Rate:
        return wilson(min(self.failed, self.solves), self.solves)

    @property
    def recontact(self) -> Rate:
        return wilson(min(self.recontacts, self.solves), self.solves)

    @property
    def override(self) -> Rate:
        """Corrected tickets per solve the AI worked on (capped: a correction can follow a solve
        of an earlier window)."""
        return wilson(min(self.overridden, self.ai_solves), self.ai_solves)

    @property
    def first_contact_resolution(self) -> Rate:
        return wilson(self.fcr_k, self.fcr_n)

    @property
    def median_hours(self) -> float | None:
        return median(self.hours) if self.hours else None


@dataclass(frozen=True)
class Outcomes:
    """Outcomes beside CSAT for the whole range: k events over n opportunities, each with an interval."""

    reopen: Rate
    failed_resolution: Rate
    recontact: Rate
    first_contact_resolution: Rate
    override: Rate
    median_hours_to_resolution: float | None
    resolved: int  # tickets closed in the range with a time to resolution
    verdicts: dict[str, int]  # review tasks' verdicts recorded in the range


def outcome_rates(session: Session, tenant_id: str | None, window: Window,
                  counted: OutcomeCounts | None = None) -> Outcomes:
    """Reopens, failed resolutions and re-contacts per solve; first-contact resolution per closed
    ticket; overridden tickets per ticket the AI worked on; median time to resolution; verdicts.
    Each is one small indexed query (signals by type and time). `counted` is the window's solves
    and signals already summed by the caller (the report, from its per-segment counts, which read
    whole days from the rollup): then they are not read a second time."""
    if counted is None:
        solves = _count(session, select(func.count(Survey.id)).where(
            *_tenant(Survey.tenant_id, tenant_id), Survey.solved_at >= window.start,
            Survey.solved_at < window.end))
        per_kind = {kind: _signal_sum(session, tenant_id, window, kind)[1]
                    for kind in ("reopen", "failed_resolution", "recontact")}
        fcr_k, fcr_n = _signal_sum(session, tenant_id, window, "first_contact_resolution")
        median, resolved = _median_signal(session, tenant_id, window, "time_to_resolution")
        median_hours = median / 3600 if median is not None else None
    else:
        solves = counted.solves
        per_kind = {"reopen": counted.reopens, "failed_resolution": counted.failed,
                    "recontact": counted.recontacts}
        fcr_k, fcr_n = counted.fcr_k, counted.fcr_n
        median_hours, resolved = counted.median_hours, len(counted.hours)
    ai_tickets = _count(
        session,
        select(func.count(func.distinct(AiDecision.ticket_id))).where(
            *_tenant(AiDecision.tenant_id, tenant_id),
            AiDecision.created_at >= window.start,
            AiDecision.created_at < window.end,
            AiDecision.mode == "live",
        ),
    )
    overridden = _count(
        session,
        select(func.count(func.distinct(Override.ticket_id))).where(
            *_tenant(Override.tenant_id, tenant_id),
            Override.kind != "handoff",
            Override.occurred_at >= window.start,
            Override.occurred_at < window.end,
        ),
    )

    def per_solve(kind: str) -> Rate:
        return wilson(min(per_kind[kind], solves), solves)

    return Outcomes(
        reopen=per_solve("reopen"),
        failed_resolution=per_solve("failed_resolution"),
        recontact=per_solve("recontact"),
        first_contact_resolution=wilson(fcr_k, fcr_n),
        override=wilson(min(overridden, ai_tickets), ai_tickets),
        median_hours_to_resolution=median_hours,
        resolved=resolved,
        verdicts=verdict_counts(session, tenant_id, window),
    )


def _signal_where(tenant_id: str | None, window: Window, kind: str) -> list[ColumnElement[bool]]:
    return [
        *_tenant(Signal.tenant_id, tenant_id),
        Signal.type == kind,
        Signal.occurred_at >= window.start,
        Signal.occurred_at < window.end,
    ]


def _signal_sum(session: Session, tenant_id: str | None, window: Window, kind: str) -> tuple[int, int]:
    """(sum of values ≥ 0.5, count) of one signal type in the window: successes out of n."""
    hits, n = session.execute(
        select(func.sum(case((Signal.value >= 0.5, 1), else_=0)), func.count(Signal.id)).where(
            *_signal_where(tenant_id, window, kind)
        )
    ).one()
    return int(hits or 0), int(n or 0)


def _median_signal(
    session: Session, tenant_id: str | None, window: Window, kind: str
) -> tuple[float | None, int]:
    """The median value of one signal type in the window (portable: the middle row by OFFSET)."""
    where = [*_signal_where(tenant_id, window, kind), Signal.value.is_not(None)]
    n = _count(session, select(func.count(Signal.id)).where(*where))
    if not n:
        return None, 0
    values = session.scalars(
        select(Signal.value).where(*where).order_by(Signal.value).offset((n - 1) // 2).limit(2 - n % 2)
    ).all()
    return sum(v or 0.0 for v in values) / len(values), n


def verdict_counts(session: Session, tenant_id: str | None, window: Window) -> dict[str, int]:
    """How reviews ended: the reviewers' root causes recorded in the window, most frequent first."""
    rows = session.execute(
        select(ReviewTask.verdict, func.count())
        .where(
            *_tenant(ReviewTask.tenant_id, tenant_id),
            ReviewTask.verdict.is_not(None),
            ReviewTask.verdict_at >= window.start,
            ReviewTask.verdict_at < window.end,
        )
        .group_by(ReviewTask.verdict)
    ).all()
    return {str(verdict): int(n) for verdict, n in sorted(rows, key=lambda row: (-row[1], str(row[0])))}


def _tenant(column: Any, tenant_id: str | None) -> list[ColumnElement[bool]]:
    return [] if tenant_id is None else [column == tenant_id]


def _count(session: Session, statement: Any) -> int:
    return int(session.scalar(statement) or 0)
