"""`feedbackloop costs`: the handling-time row of the signal matrix, and cost per resolution, AI
against human, for the same intents.

A resolved ticket is a solve in the range (its survey row: one per solve, whatever happened next),
counted once per ticket, in the intent and resolver it had at the solve (attribution.py):

- AI (resolver `ai`): from the decision log, the ticket's live decisions summed: decision steps,
  latency (seconds), tokens (in + out) and `cost` (the agent's own figure; tickets whose decisions
  carry no cost are counted apart, not as free);
- human (resolver `human`): handling time × FEEDBACKLOOP_AGENT_HOUR_COST. Handling time is
  FEEDBACKLOOP_AGENT_HANDLING_MINUTES when set (the team's measured average handle time, e.g. from
  its workforce tool), else the ticket's time to resolution (opened → first solve), which is elapsed
  time, not work time: an upper bound, and labelled so.

Tickets a person finished after the AI (`ai_then_human`, `ai_overridden`) are neither: they are
listed apart. Both sides are compared within each intent; the overall figures are standardised to
the intents both handled, each weighted by its tickets on both sides, so an AI that takes the
cheap intents does not look cheaper for that reason. Amounts are in FEEDBACKLOOP_COST_CURRENCY,
which must be the unit the agent reports `cost` in.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from statistics import mean
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackloop.insight.metrics import NONE_LABEL
from feedbackloop.store.models import AiDecision, Signal, Survey

BATCH = 500


@dataclass(frozen=True)
class CostConfig:
    agent_hour_cost: float | None
    handling_minutes: float | None
    currency: str = "USD"


@dataclass
class AiTicket:
    steps: int = 0
    latency_s: float = 0.0
    tokens: int = 0
    cost: float | None = None


@dataclass(frozen=True)
class IntentCosts:
    intent: str
    ai_tickets: int
    ai_steps: float | None
    ai_latency_s: float | None
    ai_tokens: float | None
    ai_cost: float | None
    ai_cost_unknown: int
    human_tickets: int
    human_hours: float | None
    human_cost: float | None
    handed_over: int

    @property
    def saving(self) -> float | None:
        if self.ai_cost is None or self.human_cost is None:
            return None
        return self.human_cost - self.ai_cost


@dataclass(frozen=True)
class CostReport:
    tenant_id: str
    since: datetime
    until: datetime
    config: CostConfig
    rows: list[IntentCosts]
    standardised_ai: float | None
    standardised_human: float | None
    shared_intents: int
    hours_source: str


def _solved(session: Session, tenant_id: str, since: datetime, until: datetime) -> dict[int, tuple[str, str]]:
    """ticket → (resolver, intent) of its first solve in the range."""
    out: dict[int, tuple[str, str]] = {}
    for ticket_id, resolver, intent in session.execute(
            select(Survey.ticket_id, Survey.resolver, Survey.intent)
            .where(Survey.tenant_id == tenant_id, Survey.solved_at >= since, Survey.solved_at < until)
            .order_by(Survey.solved_at, Survey.id)):
        out.setdefault(ticket_id, (resolver or "human", (intent or NONE_LABEL)[:120]))
    return out


def _ai_tickets(session: Session, tenant_id: str, tickets: list[int]) -> dict[int, AiTicket]:
    out: dict[int, AiTicket] = {ticket: AiTicket() for ticket in tickets}
    for start in range(0, len(tickets), BATCH):
        chunk = tickets[start:start + BATCH]
        for ticket_id, steps, latency, tokens_in, tokens_out, cost, costed in session.execute(
                select(AiDecision.ticket_id, func.count(), func.sum(AiDecision.latency_ms),
                       func.sum(AiDecision.tokens_in), func.sum(AiDecision.tokens_out), func.sum(AiDecision.cost),
                       func.count(AiDecision.cost))
                .where(AiDecision.tenant_id == tenant_id, AiDecision.mode == "live", AiDecision.ticket_id.in_(chunk))
                .group_by(AiDecision.ticket_id)):
            out[ticket_id] = AiTicket(int(steps or 0), float(latency or 0) / 1000,
                                      int(tokens_in or 0) + int(tokens_out or 0),
                                      float(cost) if costed and cost is not None else None)
    return out


def _hours(session: Session, tenant_id: str, tickets: list[int]) -> dict[int, float]:
    """Each ticket's time to resolution in hours (recorded at close)."""
    out: dict[int, float] = {}
    for start in range(0, len(tickets), BATCH):
        chunk = tickets[start:start + BATCH]
        for ticket_id, seconds in session.execute(
                select(Signal.ticket_id, Signal.value).where(
                    Signal.tenant_id == tenant_id, Signal.type == "time_to_resolution",
                    Signal.ticket_id.in_(chunk), Signal.value.is_not(None))):
            out.setdefault(ticket_id, float(seconds or 0) / 3600)
    return out


def _mean(values: list[float]) -> float | None:
    return mean(values) if values else None


def cost_report(session: Session, tenant_id: str, since: datetime, until: datetime, config: CostConfig) -> CostReport:
    solved = _solved(session, tenant_id, since, until)
    ai_ids = sorted(t for t, (resolver, _) in solved.items() if resolver == "ai")
    human_ids = sorted(t for t, (resolver, _) in solved.items() if resolver == "human")
    ai = _ai_tickets(session, tenant_id, ai_ids)
    measured = {} if config.handling_minutes else _hours(session, tenant_id, human_ids)
    by_intent: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for ticket, (resolver, intent) in solved.items():
        group = by_intent[intent]
        if resolver == "ai":
            group["ai"].append(ai[ticket])
        elif resolver == "human":
            spent = config.handling_minutes / 60 if config.handling_minutes else measured.get(ticket)
            group["human"].append(spent)
        else:
            group["handed_over"].append(ticket)
    rows = []
    for intent, group in by_intent.items():
        ai_rows: list[AiTicket] = group["ai"]
        costs = [t.cost for t in ai_rows if t.cost is not None]
        hours = [h for h in group["human"] if h is not None]
        rows.append(IntentCosts(
            intent, len(ai_rows), _mean([t.steps for t in ai_rows]), _mean([t.latency_s for t in ai_rows]),
            _mean([t.tokens for t in ai_rows]), _mean(costs), len(ai_rows) - len(costs), len(group["human"]),
            _mean(hours), mean(hours) * config.agent_hour_cost if hours and config.agent_hour_cost else None,
            len(group["handed_over"])))
    rows.sort(key=lambda row: (-(row.ai_tickets + row.human_tickets), row.intent))
    shared = [r for r in rows if r.ai_cost is not None and r.human_cost is not None]
    weight = sum(r.ai_tickets + r.human_tickets for r in shared)
    std_ai = sum((r.ai_tickets + r.human_tickets) * (r.ai_cost or 0) for r in shared) / weight if weight else None
    std_human = sum((r.ai_tickets + r.human_tickets) * (r.human_cost or 0) for r in shared) / weight if weight else None
    source = (f"assumed {config.handling_minutes:g} min per ticket (FEEDBACKLOOP_AGENT_HANDLING_MINUTES)"
              if config.handling_minutes else "time to resolution (elapsed, an upper bound on work time)")
    return CostReport(tenant_id, since, until, config, rows, std_ai, std_human, len(shared), source)


# --- rendering ---------------------------------------------------------------------------------------


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _row_json(row: IntentCosts) -> dict[str, Any]:
    return {"intent": row.intent,
            "ai": {"tickets": row.ai_tickets, "steps_per_ticket": _r(row.ai_steps),
                   "latency_s_per_ticket": _r(row.ai_latency_s), "tokens_per_ticket": _r(row.ai_tokens),
                   "cost_per_resolution": _r(row.ai_cost), "tickets_without_cost": row.ai_cost_unknown},
            "human": {"tickets": row.human_tickets, "handling_hours_per_ticket": _r(row.human_hours),
                      "cost_per_resolution": _r(row.human_cost)},
            "handed_over": row.handed_over, "saving_per_resolution": _r(row.saving)}


def report_json(report: CostReport) -> dict[str, Any]:
    return {"tenant": report.tenant_id, "since": report.since.isoformat(), "until": report.until.isoformat(),
            "currency": report.config.currency, "agent_hour_cost": report.config.agent_hour_cost,
            "human_handling_time": report.hours_source,
            "intents": [_row_json(row) for row in report.rows],
            "standardised": {"intents": report.shared_intents, "ai_cost_per_resolution": _r(report.standardised_ai),
                             "human_cost_per_resolution": _r(report.standardised_human)}}


def _money(value: float | None, currency: str) -> str:
    return "—" if value is None else f"{value:,.4f} {currency}" if value < 1 else f"{value:,.2f} {currency}"


def _num(value: float | None, fmt: str) -> str:
    return "—" if value is None else format(value, fmt)


def report_table(report: CostReport) -> str:
    c = report.config.currency
    lines = [f"Cost per resolution, AI against human, {report.since:%Y-%m-%d %H:%M} to "
             f"{report.until:%Y-%m-%d %H:%M} UTC (tenant {report.tenant_id})",
             f"Human: {report.hours_source} x "
             + (f"{report.config.agent_hour_cost:g} {c} per agent-hour" if report.config.agent_hour_cost
                else "no FEEDBACKLOOP_AGENT_HOUR_COST set (hours only)"), ""]
    width = max([len(r.intent) for r in report.rows] + [8])
    lines.append(f"  {'intent':<{width}}  {'AI n':>5}  {'steps':>6}  {'latency s':>9}  {'tokens':>8}  "
                 f"{'AI cost':>14}  {'human n':>7}  {'hours':>7}  {'human cost':>14}  {'handed over':>11}")
    for r in report.rows:
        lines.append(f"  {r.intent:<{width}}  {r.ai_tickets:>5}  {_num(r.ai_steps, '.1f'):>6}  "
                     f"{_num(r.ai_latency_s, '.1f'):>9}  {_num(r.ai_tokens, ',.0f'):>8}  {_money(r.ai_cost, c):>14}  "
                     f"{r.human_tickets:>7}  {_num(r.human_hours, '.2f'):>7}  {_money(r.human_cost, c):>14}  "
                     f"{r.handed_over:>11}")
    if not report.rows:
        lines.append("  (no solves in the range)")
    lines.append("")
    if report.shared_intents:
        lines.append(f"Standardised to the {report.shared_intents} intent(s) both resolved: AI "
                     f"{_money(report.standardised_ai, c)}, human {_money(report.standardised_human, c)} "
                     "per resolution.")
    else:
        lines.append("No intent has costed resolutions on both sides yet: no like-for-like comparison.")
    unknown = sum(r.ai_cost_unknown for r in report.rows)
    if unknown:
        lines.append(f"{unknown} AI ticket(s) logged no cost and are left out of the AI cost.")
    return "\n".join(lines) + "\n"


CSV_COLUMNS = ("intent", "ai_tickets", "ai_steps_per_ticket", "ai_latency_s_per_ticket", "ai_tokens_per_ticket",
               "ai_cost_per_resolution", "ai_tickets_without_cost", "human_tickets", "human_hours_per_ticket",
               "human_cost_per_resolution", "handed_over", "saving_per_resolution", "currency")


def report_csv(report: CostReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in report.rows:
        cells = [r.intent, r.ai_tickets, _r(r.ai_steps), _r(r.ai_latency_s), _r(r.ai_tokens), _r(r.ai_cost),
                 r.ai_cost_unknown, r.human_tickets, _r(r.human_hours), _r(r.human_cost), r.handed_over, _r(r.saving),
                 report.config.currency]
        writer.writerow(["" if cell is None else cell for cell in cells])
    return out.getvalue()


def render(report: CostReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return report_csv(report)
    return report_table(report)
