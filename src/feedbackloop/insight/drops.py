"""Recorded CSAT drops as the report and the dashboard show them, each with its review task's status.

The read side of alerts.py, apart from it so that `feedbackloop report` does not import what
finding and sending alerts needs (the job queue, the helpdesk client, requests): start-up is most
of a report's time on SQLite (bench/README.md, reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from feedbackloop.insight.metrics import Window, shift
from feedbackloop.insight.stats import Rate, wilson
from feedbackloop.store.models import DropAlert, TicketState

#: The longest alert period (a month): drops that started this long before a window may overlap it.
LONGEST_PERIOD = timedelta(days=31)


@dataclass(frozen=True)
class DropView:
    """A recorded drop as reports show it, with its task's current status."""

    id: int
    label: str
    segment: dict[str, Any]
    period: str
    period_start: datetime
    baseline_start: datetime
    current: Rate
    baseline: Rate
    p_value: float
    q_value: float
    tested: int
    state: str
    task_ticket_id: int | None
    task_status: str | None

    @property
    def window(self) -> Window:
        return Window(self.period_start, shift(self.period_start, self.period, 1))

    def describe(self) -> str:
        task = (
            f"task #{self.task_ticket_id} {self.task_status or 'open'}"
            if self.task_ticket_id
            else f"task {self.state}"
        )
        return (
            f"{self.label} · {self.period} of {self.period_start:%Y-%m-%d}: {self.current} vs {self.baseline}"
            f" (p={self.p_value:.2g}, q={self.q_value:.2g}) · {task}"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "segment": self.segment,
            "label": self.label,
            "period": self.period,
            "period_start": self.period_start.isoformat(),
            "baseline_start": self.baseline_start.isoformat(),
            "current": {"k": self.current.k, "n": self.current.n, "rate": self.current.value},
            "baseline": {"k": self.baseline.k, "n": self.baseline.n, "rate": self.baseline.value},
            "p_value": self.p_value,
            "q_value": self.q_value,
            "tested": self.tested,
            "state": self.state,
            "task_ticket_id": self.task_ticket_id,
            "task_status": self.task_status,
        }


def with_task_status() -> Select[DropAlert, str | None]:
    """Recorded drops, each with its review task's ticket status (None while it has no task)."""
    return select(DropAlert, TicketState.status).outerjoin(
        TicketState,
        and_(TicketState.tenant_id == DropAlert.tenant_id, TicketState.ticket_id == DropAlert.task_ticket_id),
    )


def drops_in(session: Session, tenant_id: str | None, window: Window, limit: int = 100) -> list[DropView]:
    """Drops whose period overlaps the window, newest period first, most significant first."""
    statement = (
        with_task_status()
        .where(DropAlert.period_start >= window.start - LONGEST_PERIOD, DropAlert.period_start < window.end)
        .order_by(DropAlert.period_start.desc(), DropAlert.q_value, DropAlert.id)
        .limit(limit)
    )
    if tenant_id is not None:
        statement = statement.where(DropAlert.tenant_id == tenant_id)
    views = [drop_view(alert, status) for alert, status in session.execute(statement)]
    return [view for view in views if view.window.end > window.start]


def drop_view(alert: DropAlert, task_status: str | None) -> DropView:
    return DropView(
        id=alert.id,
        label=alert.label,
        segment=dict(alert.segment),
        period=alert.period,
        period_start=alert.period_start,
        baseline_start=alert.baseline_start,
        current=wilson(alert.current_k, alert.current_n),
        baseline=wilson(alert.baseline_k, alert.baseline_n),
        p_value=alert.p_value,
        q_value=alert.q_value,
        tested=alert.tested,
        state=alert.state,
        task_ticket_id=alert.task_ticket_id,
        task_status=task_status,
    )
