"""Policy compliance by clause (issue 24, the policy-compliance row of the signal matrix): which rules
the AI gets wrong.

The AI says which policy clauses it applied in its decision log (`policy_refs`, usually on
`policy_check` steps); people say which clause the AI got wrong in an override's `policy_clause`
(sidebar form, macro note) and with a `policy_violation` review verdict. Per clause:

- `ai_tickets`: tickets on which the AI applied the clause (any decision in the range naming it);
- `overridden`: of those, tickets with an override citing the clause → `override_rate`;
- `violations`: of those, tickets a reviewer judged `policy_violation`;
- `compliance`: the share of `ai_tickets` with neither (a Wilson 95 % interval in JSON);
- `cited_not_applied`: tickets whose override cites the clause although the AI never named it (the
  AI missed the rule altogether; no rate, there is no denominator).

Clauses match after trimming and case-folding ("Returns#3.2" and "returns#3.2 " are one clause).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.core.sections import Section, rate
from feedbackloop.insight.stats import wilson
from feedbackloop.learn.exports.source import HANDOFF, VERDICT_SIGNAL
from feedbackloop.store.models import AiDecision, Override, Signal

POLICY_VIOLATION = "policy_violation"
COLUMNS = ("clause", "ai_tickets", "policy_checks", "overridden", "override_rate", "violations", "compliance",
           "cited_not_applied")


def clause_key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class Clause:
    name: str
    applied: set[int] = field(default_factory=set)
    checks: int = 0
    cited: set[int] = field(default_factory=set)


def policy_compliance(session: Session, tenant_id: str, since: datetime, until: datetime) -> Section:
    clauses: dict[str, Clause] = {}

    def clause(text: str) -> Clause:
        return clauses.setdefault(clause_key(text), Clause(" ".join(text.split())))

    decisions = session.execute(
        select(AiDecision.ticket_id, AiDecision.step, AiDecision.policy_refs)
        .where(AiDecision.tenant_id == tenant_id, AiDecision.created_at >= since, AiDecision.created_at < until)
    )
    for ticket_id, step, refs in decisions:
        for ref in {clause_key(r): r for r in (refs or []) if isinstance(r, str) and r.strip()}.values():
            entry = clause(ref)
            entry.applied.add(ticket_id)
            entry.checks += step == "policy_check"
    overrides = session.execute(
        select(Override.ticket_id, Override.policy_clause)
        .where(Override.tenant_id == tenant_id, Override.kind != HANDOFF, Override.policy_clause.is_not(None),
               Override.occurred_at >= since, Override.occurred_at < until)
    )
    for ticket_id, text in overrides:
        if text and text.strip():
            clause(text).cited.add(ticket_id)
    violated: set[int] = set()
    verdicts = session.execute(
        select(Signal.ticket_id, Signal.details)
        .where(Signal.tenant_id == tenant_id, Signal.type == VERDICT_SIGNAL,
               Signal.occurred_at >= since, Signal.occurred_at < until)
    )
    for ticket_id, details in verdicts:
        if (details or {}).get("verdict") == POLICY_VIOLATION:
            violated.add(ticket_id)
    rows: list[dict[str, Any]] = []
    for entry in clauses.values():
        overridden = entry.cited & entry.applied
        violations = violated & entry.applied
        wrong = overridden | violations
        n = len(entry.applied)
        compliance = wilson(n - len(wrong), n)
        rows.append({
            "clause": entry.name, "ai_tickets": n, "policy_checks": entry.checks, "overridden": len(overridden),
            "override_rate": rate(len(overridden), n), "violations": len(violations),
            "compliance": rate(n - len(wrong), n),
            "compliance_low": round(compliance.low, 4) if n else None,
            "compliance_high": round(compliance.high, 4) if n else None,
            "cited_not_applied": len(entry.cited - entry.applied),
            "tickets_wrong": sorted(wrong)[:20],
        })
    rows.sort(key=lambda r: (-(int(r["overridden"]) + int(r["violations"]) + int(r["cited_not_applied"])),
                             -float(r["override_rate"] or 0), str(r["clause"])))
    return Section(
        "compliance",
        f"Policy compliance by clause · {since:%Y-%m-%d %H:%M} → {until:%Y-%m-%d %H:%M} UTC · {tenant_id}",
        COLUMNS, rows,
        notes=["ai_tickets: tickets where the AI's decision log names the clause; overridden: of them, an override "
               "cites it; violations: a policy_violation review verdict; compliance: neither; cited_not_applied: "
               "an override cites a clause the AI never named."],
        meta={"tenant": tenant_id, "since": since, "until": until},
    )
