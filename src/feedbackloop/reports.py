"""Aggregation with honest statistics: every rate carries its n and a Wilson 95 % interval.

The demo's summary is built here too, so what the demo prints is what reports compute.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from feedbackloop.models import Rating, ReviewTask, Signal, Survey, TicketState

Z95 = 1.959963984540054
#: Below this many responses a segment's CSAT is shown, but marked and not ranked.
MIN_N = 10


@dataclass(frozen=True)
class Rate:
    """k successes out of n, with a Wilson score interval."""

    k: int
    n: int
    low: float
    high: float

    @property
    def value(self) -> float | None:
        return self.k / self.n if self.n else None

    def __str__(self) -> str:
        if not self.n:
            return "n/a (n=0)"
        return f"{100 * self.k / self.n:.1f}% [{100 * self.low:.1f}–{100 * self.high:.1f}] n={self.n}"


def wilson(k: int, n: int, z: float = Z95) -> Rate:
    """The Wilson score interval: sane at small n and at 0 % / 100 %, unlike k/n ± z·se."""
    if n <= 0:
        return Rate(k, n, 0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Rate(k, n, max(0.0, centre - half), min(1.0, centre + half))


def _satisfied() -> object:
    """4–5 on the five-point scale; thumbs up is stored as 5."""
    return case((Rating.score >= 4, 1), else_=0)


@dataclass(frozen=True)
class Segment:
    name: str
    csat: Rate
    mean_score: float | None

    @property
    def small(self) -> bool:
        return self.csat.n < MIN_N


@dataclass(frozen=True)
class Summary:
    tickets: int
    solved: int
    surveys_sent: int
    surveys_skipped: int
    surveys_cancelled: int
    surveys_undeliverable: int
    ratings: int
    response_rate: Rate
    csat: Rate
    mean_score: float | None
    reopens: int
    failed_resolutions: int
    review_tasks: int
    by_category: list[Segment]


def csat_by(session: Session, tenant_id: str, column: object, since: datetime | None = None) -> list[Segment]:
    """CSAT per value of a Rating column, worst first; small segments last (not ranked)."""
    query = (
        select(column, func.count(), func.sum(_satisfied()), func.avg(Rating.score))  # type: ignore[call-overload]
        .where(Rating.tenant_id == tenant_id)
        .group_by(column)
    )
    if since is not None:
        query = query.where(Rating.created_at >= since)
    segments = [Segment(str(name or "uncategorised"), wilson(int(good or 0), int(n)), float(mean) if mean else None)
                for name, n, good, mean in session.execute(query)]
    return sorted(segments, key=lambda s: (s.small, s.csat.value if s.csat.value is not None else 1.0, s.name))


def summarize(session: Session, tenant_id: str, since: datetime | None = None) -> Summary:
    """The loop's headline figures for one tenant."""
    def count(model: type, *where: object) -> int:
        query = select(func.count()).select_from(model).where(model.tenant_id == tenant_id, *where)  # type: ignore[attr-defined]
        return int(session.scalar(query) or 0)

    survey_states = dict(
        session.execute(select(Survey.state, func.count()).where(Survey.tenant_id == tenant_id).group_by(Survey.state)).all()
    )
    ratings_n, good, mean = session.execute(
        select(func.count(), func.sum(_satisfied()), func.avg(Rating.score)).where(Rating.tenant_id == tenant_id)
    ).one()
    sent = int(survey_states.get("sent", 0))
    return Summary(
        tickets=count(TicketState, TicketState.is_review_task.is_(False)),
        solved=count(TicketState, TicketState.solved_at.is_not(None), TicketState.is_review_task.is_(False)),
        surveys_sent=sent,
        surveys_skipped=int(survey_states.get("skipped", 0)),
        surveys_cancelled=int(survey_states.get("cancelled", 0)),
        surveys_undeliverable=int(survey_states.get("undeliverable", 0)),
        ratings=int(ratings_n or 0),
        response_rate=wilson(int(ratings_n or 0), sent),
        csat=wilson(int(good or 0), int(ratings_n or 0)),
        mean_score=float(mean) if mean is not None else None,
        reopens=count(Signal, Signal.type == "reopen"),
        failed_resolutions=count(Signal, Signal.type == "failed_resolution"),
        review_tasks=count(ReviewTask),
        by_category=csat_by(session, tenant_id, Rating.category, since),
    )


def format_summary(summary: Summary) -> str:
    """The summary as an aligned block for a terminal."""
    lines = [
        f"{'tickets':<24}{summary.tickets}",
        f"{'solved':<24}{summary.solved}",
        f"{'surveys sent':<24}{summary.surveys_sent}   (skipped {summary.surveys_skipped}, cancelled "
        f"{summary.surveys_cancelled}, undeliverable {summary.surveys_undeliverable})",
        f"{'ratings':<24}{summary.ratings}",
        f"{'response rate':<24}{summary.response_rate}",
        f"{'CSAT (4-5 of 5)':<24}{summary.csat}",
        f"{'mean score':<24}{summary.mean_score:.2f}" if summary.mean_score is not None else f"{'mean score':<24}n/a",
        f"{'reopens':<24}{summary.reopens}   (failed resolutions {summary.failed_resolutions})",
        f"{'review tasks opened':<24}{summary.review_tasks}",
        "",
        "CSAT by category (worst first; 95% Wilson interval):",
    ]
    width = max([len(s.name) for s in summary.by_category] + [8])
    for segment in summary.by_category:
        flag = "  (n too small to rank)" if segment.small else ""
        lines.append(f"  {segment.name:<{width}}  {segment.csat}{flag}")
    return "\n".join(lines)
