"""Reports with honest statistics: every rate carries its n and a Wilson 95 % interval.

The demo's summary, `feedbackloop report` and the dashboard all count through metrics.py, so the
figures agree wherever they are shown. This module turns those counts into a terminal table,
JSON and CSV.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from feedbackloop.insight import metrics, outcomes
from feedbackloop.insight.drops import DropView, drops_in
from feedbackloop.insight.metrics import (
    EMPTY,
    MIN_N,
    NONE_LABEL,
    AiVsHuman,
    Counts,
    MetricsQuery,
    OutcomeCounts,
    Outcomes,
    SegmentRow,
    Window,
)
from feedbackloop.insight.stats import Z95, Rate, wilson
from feedbackloop.store.models import Rating, ReviewTask, Signal, Survey, SurveyAnswer, TicketState

__all__ = ["MIN_N", "Z95", "Rate", "Report", "Segment", "Summary", "build_report", "format_summary", "render",
           "summarize", "wilson"]

#: "All time" for the demo summary: wide enough for any rating, narrow enough for date arithmetic.
ALL_SINCE = datetime(2000, 1, 1, tzinfo=timezone.utc)
ALL_UNTIL = datetime(2100, 1, 1, tzinfo=timezone.utc)


# --- the demo's summary ----------------------------------------------------------------------------


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


def csat_by_category(session: Session, tenant_id: str, since: datetime | None = None) -> list[Segment]:
    """CSAT per category, worst first, small segments last: the report's own ranking."""
    query = MetricsQuery(tenant_id, since or ALL_SINCE, ALL_UNTIL, by=("category",))
    return [Segment(row.key[0] or "uncategorised", row.csat, row.current.mean)
            for row in metrics.segment_rows(session, query) if row.current.n]


def summarize(session: Session, tenant_id: str, since: datetime | None = None) -> Summary:
    """The loop's headline figures for one tenant."""
    def count(model: Any, *where: ColumnElement[bool]) -> int:
        query = select(func.count()).select_from(model).where(model.tenant_id == tenant_id, *where)
        return int(session.scalar(query) or 0)

    survey_states = dict(
        session.execute(
            select(Survey.state, func.count())
            .where(Survey.tenant_id == tenant_id, Survey.scale != "ces")  # CSAT surveys: not CES-only ones
            .group_by(Survey.state)
        ).all()
    )
    whole = metrics.overall(session, MetricsQuery(tenant_id, ALL_SINCE, ALL_UNTIL)).current
    sent = int(survey_states.get("sent", 0))
    return Summary(
        tickets=count(TicketState, TicketState.is_review_task.is_(False)),
        solved=count(TicketState, TicketState.solved_at.is_not(None), TicketState.is_review_task.is_(False)),
        surveys_sent=sent,
        surveys_skipped=int(survey_states.get("skipped", 0)),
        surveys_cancelled=int(survey_states.get("cancelled", 0)),
        surveys_undeliverable=int(survey_states.get("undeliverable", 0)),
        ratings=count(Rating),
        response_rate=wilson(whole.n, sent),
        csat=whole.csat,
        mean_score=whole.mean,
        reopens=count(Signal, Signal.type == "reopen"),
        failed_resolutions=count(Signal, Signal.type == "failed_resolution"),
        review_tasks=count(ReviewTask),
        by_category=csat_by_category(session, tenant_id, since),
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
        f"{'mean score':<24}{summary.mean_score:.2f}"
        if summary.mean_score is not None
        else f"{'mean score':<24}n/a",
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


# --- `feedbackloop report` -------------------------------------------------------------------------

ANSWER_VERDICTS = ("counted", "pending", "superseded", "bot")


@dataclass(frozen=True)
class Report:
    """Everything one report shows, computed once and rendered three ways."""

    query: MetricsQuery
    generated_at: datetime
    overall: SegmentRow
    outcomes: Outcomes
    rows: list[SegmentRow]
    ai_vs_human: AiVsHuman
    drops: list[DropView]
    #: Survey link clicks and page posts in the range by verdict (answers.py): counted, pending,
    #: superseded, bot. Bot answers are kept for audit and never counted as ratings.
    answers: dict[str, int] = field(default_factory=dict)


def answer_counts(session: Session, query: MetricsQuery) -> dict[str, int]:
    """Survey answers in the report's range, by verdict (every verdict present, zeros included)."""
    where = [SurveyAnswer.created_at >= query.since, SurveyAnswer.created_at < query.until]
    if query.tenant_id:
        where.append(SurveyAnswer.tenant_id == query.tenant_id)
    found = dict(session.execute(
        select(SurveyAnswer.verdict, func.count()).where(*where).group_by(SurveyAnswer.verdict)).all())
    return {verdict: int(found.get(verdict, 0)) for verdict in ANSWER_VERDICTS}


def build_report(session: Session, query: MetricsQuery, now: datetime) -> Report:
    """Segments, the headline, outcome rates, AI vs human and the drops found in the range."""
    window = Window(query.since, query.until)
    with metrics.shared_rollup_reads(session):  # ratings, sends, solves and signals: one scan of their days
        rows, total, ai = metrics.report_figures(session, query)
        counts = outcomes.outcome_counts(session, query) if query.by else None
    return Report(
        query=query,
        generated_at=now,
        overall=total,
        outcomes=metrics.outcome_rates(session, query.tenant_id, window, counted=headline_counts(query, counts)),
        rows=with_outcomes(query, rows, counts) if counts is not None else rows,
        ai_vs_human=ai,
        drops=drops_in(session, query.tenant_id, window),
        answers=answer_counts(session, query),
    )


def headline_counts(query: MetricsQuery, counts: dict[outcomes.Cell, OutcomeCounts] | None) -> OutcomeCounts | None:
    """The range's solves and signals summed over the segments, when those are the headline's rows:
    one window (no period, whose first one may start before --since) and no segment filter (the
    headline outcomes are the tenant's whole range)."""
    if counts is None or query.period is not None or query.filters:
        return None
    return outcomes.total(counts, query.since)


def with_outcomes(query: MetricsQuery, rows: list[SegmentRow], counts: dict[outcomes.Cell, OutcomeCounts],
                  ) -> list[SegmentRow]:
    """Each segment row with its outcome counts beside its previous window's; segments with solves
    but no ratings (nobody answered, or no survey was sent) join as unranked rows."""
    seen = {(row.key, row.window.start) for row in rows}
    extra = [
        SegmentRow(key, window, EMPTY, EMPTY, suppressed=True)
        for window in query.windows()
        for key, start in counts
        if start == window.start and (key, start) not in seen and counts[(key, start)].solves
    ]
    return metrics.rank([
        replace(row, outcomes=counts.get((row.key, row.window.start), outcomes.EMPTY),
                previous_outcomes=counts.get((row.key, query.previous(row.window).start), outcomes.EMPTY))
        for row in [*rows, *extra]
    ])


def render(report: Report, fmt: str) -> str:
    """The report as `table`, `json` or `csv` text."""
    if fmt == "json":
        return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return report_csv(report)
    if fmt == "table":
        return report_table(report)
    raise ValueError(f"format must be table, json or csv, got {fmt!r}")


def percent(rate: Rate | None) -> str:
    return "—" if rate is None or rate.value is None else f"{100 * rate.k / rate.n:.1f}%"


def interval(rate: Rate | None) -> str:
    return "—" if rate is None or not rate.n else f"[{100 * rate.low:.1f}–{100 * rate.high:.1f}]"


def signed(points: float | None) -> str:
    return "—" if points is None else f"{points:+.1f}"


def day_text(moment: datetime) -> str:
    return (
        moment.strftime("%Y-%m-%d %H:%M")
        if (moment.hour, moment.minute) != (0, 0)
        else moment.strftime("%Y-%m-%d")
    )


def segment_text(value: str | None) -> str:
    return NONE_LABEL if value is None else value


# --- table ------------------------------------------------------------------------------------------

RESPONSE_NOTE = (
    "response: — by {by}: a survey nobody answered has no {by} of its own, so the rate "
    "cannot be cut this way (try --by channel, category, agent, group or brand)"
)
TABLE_TITLE = "CSAT by {by} · {start} → {end} UTC{period} · {tenant} · min n {min_n}"


def report_table(report: Report) -> str:
    """An aligned terminal table, worst segments first, intervals shown; headline above, drops below."""
    query = report.query
    title = TABLE_TITLE.format(
        by=", ".join(query.by) or "everything",
        start=day_text(query.since),
        end=day_text(query.until),
        period=f" · per {query.period}"
        if query.period
        else f" · vs the {report.overall.window.days:.0f} days before",
        tenant=f"tenant {query.tenant_id}" if query.tenant_id else "all tenants",
        min_n=query.min_n,
    )
    lines = [title, "", *headline_lines(report), ""]
    lines += align(table_rows(report)) if report.rows else ["(no ratings in this range)"]
    if report.rows and not metrics.supports_response(query):
        lines.append(RESPONSE_NOTE.format(by=", ".join(query.by)))
    if any(row.current.two_point and row.current.five for row in report.rows):
        lines.append(MIXED_NOTE)
    if any(row.outcomes is not None for row in report.rows):
        lines += ["", OUTCOMES_TITLE.format(by=", ".join(query.by)), *align(outcome_rows(report))]
    lines += ["", *ai_lines(report.ai_vs_human), "", *drop_lines(report.drops)]
    return "\n".join(lines) + "\n"


MIXED_NOTE = ("mean*: this segment mixes scales; the mean is of its five-point ratings only (good/bad ratings "
              "count in CSAT, not in the mean)")


def mean_text(counts: Counts) -> str:
    """The headline's mean score and what it is taken over: five-point ratings only."""
    if counts.mean is None:
        return f"— (no five-point ratings; {counts.two_point} good/bad)" if counts.two_point else "n/a"
    mixed = f", {counts.two_point} good/bad not in it" if counts.two_point else ""
    return f"{counts.mean:.2f}   (of {counts.five} five-point ratings{mixed})"


def mean_cell(counts: Counts) -> str:
    """A table's mean: "—" without five-point ratings, starred where good/bad ratings are left out."""
    if counts.mean is None:
        return "—"
    return f"{counts.mean:.2f}{'*' if counts.two_point else ''}"


def headline_lines(report: Report) -> list[str]:
    row, rates = report.overall, report.outcomes
    return [
        f"{'CSAT (4-5 of 5)':<20}{row.csat}   previous {percent(row.previous_csat)} n={row.previous.n}"
        f"   Δ {signed(row.delta)} pts",
        f"{'mean score':<20}{mean_text(row.current)}",
        f"{'response rate':<20}{row.response if row.response is not None else 'n/a'}",
        f"{'reopen rate':<20}{rates.reopen}   (failed resolutions {rates.failed_resolution})",
        f"{'re-contact rate':<20}{rates.recontact}   (same issue again within the re-contact window)",
        f"{'first-contact res.':<20}{rates.first_contact_resolution}   (of tickets closed)",
        f"{'time to resolution':<20}{hours_text(rates.median_hours_to_resolution)}   "
        f"(median of {rates.resolved} closed tickets)",
        f"{'override rate':<20}{rates.override}   (tickets the AI worked on that a human corrected)",
        f"{'review verdicts':<20}{verdicts_text(rates.verdicts)}",
        f"{'survey link clicks':<20}{answers_text(report.answers)}",
    ]


def answers_text(answers: dict[str, int]) -> str:
    if not answers:
        return "n/a"
    return (f"{answers.get('counted', 0)} counted, {answers.get('pending', 0)} waiting to settle, "
            f"{answers.get('superseded', 0)} changed by the customer, {answers.get('bot', 0)} by mail scanners "
            "(never counted)")


def hours_text(hours: float | None) -> str:
    if hours is None:
        return "n/a"
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def verdicts_text(verdicts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in verdicts.items()) or "none recorded"


def table_rows(report: Report) -> list[list[str]]:
    query = report.query
    header = [
        *query.by,
        *(["period"] if query.period else []),
        "n",
        "CSAT",
        "95% CI",
        "mean",
        "previous",
        "prev n",
        "Δ pts",
        "response",
        "",
    ]
    rows = [header]
    for row in report.rows:
        shown = not row.suppressed
        rows.append(
            [
                *(segment_text(value) for value in row.key),
                *([day_text(row.window.start)] if query.period else []),
                str(row.current.n),
                percent(row.csat) if shown else "—",
                interval(row.csat) if shown else "—",
                mean_cell(row.current) if shown else "—",
                percent(row.previous_csat),
                str(row.previous.n),
                signed(row.delta) if shown and row.previous.n >= query.min_n else "—",
                percent(row.response),
                f"n<{query.min_n}: not ranked" if row.suppressed else "",
            ]
        )
    return rows


OUTCOMES_TITLE = (
    "Outcomes by {by} (same order; 95% Wilson intervals; the previous window's rate after ←):"
)
#: (column, OutcomeCounts rate attribute, denominator attribute) of the outcomes table.
OUTCOME_COLUMNS = (
    ("reopen", "reopen", "solves"),
    ("re-contact", "recontact", "solves"),
    ("failed res.", "failed_resolution", "solves"),
    ("override", "override", "ai_solves"),
    ("FCR", "first_contact_resolution", "fcr_n"),
)


def outcome_rows(report: Report) -> list[list[str]]:
    """Per segment: solves, then each outcome rate with its interval and the previous window's rate."""
    query = report.query
    header = [*query.by, *(["period"] if query.period else []), "solves", *(c[0] for c in OUTCOME_COLUMNS),
              "AI solves", "closed", "TTR median"]
    rows = [header]
    for row in report.rows:
        now, before = row.outcomes or outcomes.EMPTY, row.previous_outcomes or outcomes.EMPTY
        rows.append([
            *(segment_text(value) for value in row.key),
            *([day_text(row.window.start)] if query.period else []),
            str(now.solves),
            *(rate_cell(getattr(now, name), getattr(before, name)) for _, name, _ in OUTCOME_COLUMNS),
            str(now.ai_solves),
            str(now.fcr_n),
            hours_text(now.median_hours),
        ])
    return rows


def rate_cell(rate: Rate, previous: Rate) -> str:
    """`12.0% [8.1–17.4] ← 10.0%`: the rate, its interval, the previous window's rate."""
    if not rate.n:
        return "—" if not previous.n else f"— ← {percent(previous)}"
    return f"{percent(rate)} {interval(rate)} ← {percent(previous)}"


NUMERIC_COLUMNS = frozenset({"n", "CSAT", "mean", "previous", "prev n", "Δ pts", "response", "solves",
                             "AI solves", "closed", "TTR median"})


def align(rows: list[list[str]]) -> list[str]:
    """Left-align text columns, right-align numbers; two spaces between columns."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    numeric = [name in NUMERIC_COLUMNS for name in rows[0]]
    out = []
    for row in rows:
        cells = [cell.rjust(w) if num else cell.ljust(w) for cell, w, num in zip(row, widths, numeric)]
        out.append("  ".join(cells).rstrip())
    return out


def ai_lines(comparison: AiVsHuman) -> list[str]:
    crude = ", ".join(f"{name} {rate}" for name, rate in comparison.crude.items()) or "no ratings"
    lines = [f"AI vs human, crude (mixes differ): {crude}"]
    diff = comparison.adjusted
    if diff is None:
        lines.append("AI vs human on the same intents: no intent has ratings from both")
    else:
        lines.append(
            f"AI vs human on the same intents (Mantel–Haenszel, {diff.strata} intents): AI − human = "
            f"{100 * diff.estimate:+.1f} pts [{100 * diff.low:+.1f}, {100 * diff.high:+.1f}]"
        )
    return lines


def drop_lines(drops: list[DropView]) -> list[str]:
    if not drops:
        return ["CSAT drops: none found in this range"]
    return [
        "CSAT drops (two-proportion test vs trailing baseline, Benjamini–Hochberg q ≤ FDR):",
        *(f"  {drop.describe()}" for drop in drops),
    ]


# --- JSON and CSV -----------------------------------------------------------------------------------


def rate_json(rate: Rate | None) -> dict[str, Any] | None:
    if rate is None:
        return None
    return {
        "k": rate.k,
        "n": rate.n,
        "rate": _round(rate.value),
        "low": _round(rate.low) if rate.n else None,  # no data is no interval, not [0, 1]
        "high": _round(rate.high) if rate.n else None,
    }


def _round(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(value, digits)


def counts_json(counts: Counts, window: Window) -> dict[str, Any]:
    rate = counts.csat
    return {
        "period_start": window.start.isoformat(),
        "period_end": window.end.isoformat(),
        "n": counts.n,
        "satisfied": counts.k,
        "bad": counts.bad,
        "csat": _round(rate.value),
        "csat_low": _round(rate.low) if rate.n else None,
        "csat_high": _round(rate.high) if rate.n else None,
        "mean_score": _round(counts.mean),  # over the five-point ratings only (None without any)
        "rated_five": counts.five,
        "rated_two_point": counts.two_point,  # thumbs / Zendesk good/bad: in csat, not in mean_score
    }


def row_json(row: SegmentRow, query: MetricsQuery) -> dict[str, Any]:
    return {
        "segment": dict(zip(query.by, row.key)),
        **counts_json(row.current, row.window),
        "suppressed": row.suppressed,
        "previous": counts_json(row.previous, query.previous(row.window)),
        "delta_pts": _round(row.delta, 3),
        "response_rate": rate_json(row.response),
        "previous_response_rate": rate_json(row.previous_response),
        **({} if row.outcomes is None else {
            "outcomes": outcomes_json(row.outcomes),
            "previous_outcomes": outcomes_json(row.previous_outcomes or outcomes.EMPTY),
        }),
    }


OUTCOME_RATES = ("reopen", "failed_resolution", "recontact", "override", "first_contact_resolution")


def outcomes_json(counts: OutcomeCounts) -> dict[str, Any]:
    """One segment-window's outcome rates (each k over n with its interval), TTR and verdicts."""
    return {
        "solves": counts.solves,
        "ai_solves": counts.ai_solves,
        **{name: rate_json(getattr(counts, name)) for name in OUTCOME_RATES},
        "median_hours_to_resolution": _round(counts.median_hours, 3),
        "resolved": len(counts.hours),
        "review_verdicts": dict(sorted(counts.verdicts.items(), key=lambda item: (-item[1], item[0]))),
    }


def report_json(report: Report) -> dict[str, Any]:
    query, ai = report.query, report.ai_vs_human
    return {
        "tenant_id": query.tenant_id,
        "since": query.since.isoformat(),
        "until": query.until.isoformat(),
        "period": query.period,
        "by": list(query.by),
        "min_n": query.min_n,
        "interval": "wilson 95%",
        "generated_at": report.generated_at.isoformat(),
        "overall": row_json(report.overall, replace_by(query)),
        "outcomes": {
            **{
                name: rate_json(getattr(report.outcomes, name))
                for name in (
                    "reopen",
                    "failed_resolution",
                    "recontact",
                    "first_contact_resolution",
                    "override",
                )
            },
            "median_hours_to_resolution": _round(report.outcomes.median_hours_to_resolution, 3),
            "resolved": report.outcomes.resolved,
            "review_verdicts": report.outcomes.verdicts,
        },
        "segments": [row_json(row, query) for row in report.rows],
        "ai_vs_human": {
            "method": "mantel-haenszel risk difference (ai - human) within intents, Sato variance",
            "crude": {name: rate_json(rate) for name, rate in ai.crude.items()},
            "adjusted": None
            if ai.adjusted is None
            else {
                "difference": _round(ai.adjusted.estimate),
                "low": _round(ai.adjusted.low),
                "high": _round(ai.adjusted.high),
                "intents": ai.adjusted.strata,
            },
            "intents": [
                {"intent": item.intent, **{r: rate_json(rate) for r, rate in item.by_resolver.items()}}
                for item in ai.intents
            ],
        },
        "drops": [drop.as_json() for drop in report.drops],
        "survey_answers": dict(report.answers),
    }


def replace_by(query: MetricsQuery) -> MetricsQuery:
    return replace(query, by=(), period=None)


CSV_FIELDS = (
    "period_start",
    "period_end",
    "n",
    "satisfied",
    "bad",
    "csat",
    "csat_low",
    "csat_high",
    "mean_score",
    "rated_five",
    "rated_two_point",
    "suppressed",
    "prev_n",
    "prev_satisfied",
    "prev_csat",
    "prev_csat_low",
    "prev_csat_high",
    "delta_pts",
    "surveys_sent",
    "responses",
    "response_rate",
    "response_low",
    "response_high",
    "solves",
    "ai_solves",
    *(f"{name}_{part}" for name in OUTCOME_RATES for part in ("k", "n", "rate", "low", "high", "prev_rate")),
    "median_hours_to_resolution",
    "prev_median_hours_to_resolution",
    "review_verdicts",
)


def report_csv(report: Report) -> str:
    """One line per segment and period, rates as fractions (0–1), empty where there is no value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*report.query.by, *CSV_FIELDS])
    for row in report.rows:
        data = row_json(row, report.query)
        previous, response = data["previous"], data["response_rate"] or {}
        values = [
            *(data[name] for name in CSV_FIELDS[:CSV_FIELDS.index("suppressed") + 1]),
            previous["n"],
            previous["satisfied"],
            previous["csat"],
            previous["csat_low"],
            previous["csat_high"],
            data["delta_pts"],
            response.get("n"),
            response.get("k"),
            response.get("rate"),
            response.get("low"),
            response.get("high"),
            *outcome_csv_values(data),
        ]
        writer.writerow([*(csv_value(v) for v in row.key), *(csv_value(v) for v in values)])
    return out.getvalue()


def outcome_csv_values(data: dict[str, Any]) -> list[Any]:
    """The outcome columns of one CSV line (empty when the report has no segments)."""
    now, before = data.get("outcomes"), data.get("previous_outcomes")
    if now is None or before is None:
        return [None] * (len(CSV_FIELDS) - CSV_FIELDS.index("solves"))
    values: list[Any] = [now["solves"], now["ai_solves"]]
    for name in OUTCOME_RATES:
        rate, previous = now[name] or {}, before[name] or {}
        values += [rate.get("k"), rate.get("n"), rate.get("rate"), rate.get("low"), rate.get("high"),
                   previous.get("rate")]
    verdicts = ";".join(f"{name}={n}" for name, n in now["review_verdicts"].items())
    return [*values, now["median_hours_to_resolution"], before["median_hours_to_resolution"], verdicts]


def csv_value(value: Any) -> Any:
    """Empty for no value; true/false (not Python's True/False) for flags."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
