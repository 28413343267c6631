"""`feedbackloop compare`: is prompt version (or model) A better than B, for the same kind of request?

Two versions rarely see the same requests: a new prompt rolled out to one channel first, or the
router sends it the easy intents. The crude rates then compare the intent mix, not the versions.
So every outcome is compared within each stratum (by default the intent) and the strata combined:

- proportions (CSAT % satisfied, reopen, re-contact, override and first-contact resolution rates):
  the Mantel–Haenszel common risk difference A − B with Sato's variance (stats.py), and the
  Cochran–Mantel–Haenszel test (continuity-corrected, 1 degree of freedom) for "no difference in any
  stratum"; beside them each version's crude rate with a Wilson interval and the crude difference
  with Newcombe's hybrid score interval, so the confounding is visible;
- the mean CSAT score: a stratified difference of means with the same weights n_A·n_B/(n_A + n_B),
  its variance from each stratum's sample variances, and a z-test.

Strata that only one version saw carry no information about the difference and are left out (their
count is reported). When a difference is not significant, the sample size per version needed to
detect it (or `--min-difference`, when the observed one is smaller) with 80 % power at a two-sided
5 % level is given (the two-proportion formula of Fleiss, Levin & Paik, without continuity
correction; an approximation for the stratified test when the strata's rates are similar).

Attribution: each solve, signal and rating carries the model and prompt version of the live decision
in force at its moment (attribution.py). Figures read the raw tables, not the rollup: a comparison
is an analyst's question over two versions, not a dashboard refreshed every minute.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from statistics import NormalDist
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from feedbackloop.insight.metrics import DIMENSIONS, NONE_LABEL
from feedbackloop.insight.stats import Z95, Rate, Stratum, benjamini_hochberg, mantel_haenszel_difference, wilson
from feedbackloop.store.models import AiDecision, Rating, Signal, Survey
from feedbackloop.store.rollups import AI_RESOLVERS, FIVE

#: What `--by` may compare.
COMPARABLE = ("prompt_version", "model")
ALPHA = 0.05
POWER = 0.80
#: Below this many observations in either version, a metric's verdict is "not enough data".
MIN_N = 10
#: The smallest difference worth detecting, by default (5 percentage points; 0.25 points of mean score).
MIN_DIFFERENCE = 0.05


class CompareError(ValueError):
    """The question cannot be answered as asked (unknown version, bad stratum); the message says why."""


@dataclass(frozen=True)
class CompareQuery:
    """Versions `a` and `b` of `by`, compared within `within` (None: no stratification)."""

    tenant_id: str
    by: str
    a: str
    b: str
    since: datetime
    until: datetime
    within: str | None = "intent"
    min_difference: float = MIN_DIFFERENCE

    def __post_init__(self) -> None:
        if self.by not in COMPARABLE:
            raise CompareError(f"--by must be one of {', '.join(COMPARABLE)}, got {self.by!r}")
        if self.a == self.b:
            raise CompareError(f"compare two different versions (both are {self.a!r})")
        if self.within is not None and (self.within not in DIMENSIONS or self.within in (self.by, "tenant")):
            choices = [name for name in DIMENSIONS if name not in (self.by, "tenant")]
            raise CompareError(f"--within must be one of {', '.join(choices)} or none, got {self.within!r}")
        if self.until <= self.since:
            raise CompareError("the range is empty: --until must be after --since")
        if not 0 < self.min_difference < 1:
            raise CompareError("--min-difference must lie between 0 and 1 (0.05 = 5 points)")


@dataclass
class Tally:
    """One version's counts in one stratum."""

    rated: int = 0
    satisfied: int = 0
    #: five-point ratings and their scores' sum and sum of squares: the mean's only input (a thumbs
    #: rating is stored as 5 or 1 but is no 1–5 answer)
    five_rated: int = 0
    score_sum: float = 0.0
    score_squares: float = 0.0
    solves: int = 0
    ai_solves: int = 0
    reopens: int = 0
    recontacts: int = 0
    overridden: int = 0
    fcr_n: int = 0
    fcr_k: int = 0


#: metric → (label, higher is better, successes, trials) read off a Tally.
PROPORTIONS: dict[str, tuple[str, bool, str, str]] = {
    "csat": ("CSAT (% satisfied, 4-5 of 5)", True, "satisfied", "rated"),
    "reopen": ("reopen rate (per solve)", False, "reopens", "solves"),
    "recontact": ("re-contact rate (per solve)", False, "recontacts", "solves"),
    "override": ("override rate (per AI solve)", False, "overridden", "ai_solves"),
    "fcr": ("first-contact resolution", True, "fcr_k", "fcr_n"),
}


@dataclass(frozen=True)
class Estimate:
    estimate: float
    low: float
    high: float

    def as_json(self) -> dict[str, float]:
        return {"estimate": round(self.estimate, 6), "low": round(self.low, 6), "high": round(self.high, 6)}


@dataclass(frozen=True)
class Verdict:
    """The plain answer: which version is better, or why there is no answer yet."""

    text: str
    significant: bool
    enough_data: bool
    difference_to_detect: float | None = None
    needed_per_version: int | None = None
    more_needed: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MetricResult:
    name: str
    label: str
    higher_is_better: bool
    a: Rate | None  # proportions; None for the mean score
    b: Rate | None
    a_mean: float | None
    b_mean: float | None
    n_a: int
    n_b: int
    crude: Estimate | None
    stratified: Estimate | None
    p_value: float | None
    strata_used: int
    strata_skipped: int
    per_stratum: list[tuple[str, int, int, int, int]]  # name, k_a, n_a, k_b, n_b (means: sum, n)
    q_value: float | None = None
    verdict: Verdict | None = None


@dataclass(frozen=True)
class Comparison:
    query: CompareQuery
    generated_at: datetime
    metrics: list[MetricResult]


# --- counting --------------------------------------------------------------------------------------


def _stratum_column(model: Any, within: str | None) -> Any:
    return getattr(model, DIMENSIONS[within].column.key) if within else None


def _grouped(session: Session, query: CompareQuery, model: Any, time_column: Any, measures: list[Any],
             *where: Any) -> list[tuple[str, str, tuple[Any, ...]]]:
    """(version, stratum label, measures) rows of one GROUP BY over a raw table."""
    version = getattr(model, query.by)
    stratum = _stratum_column(model, query.within)
    keys = [version, *([stratum] if stratum is not None else [])]
    statement = (
        select(*keys, *measures)
        .where(model.tenant_id == query.tenant_id, time_column >= query.since, time_column < query.until,
               version.in_([query.a, query.b]), *where)
        .group_by(*keys)
    )
    out: list[tuple[str, str, tuple[Any, ...]]] = []
    for row in session.execute(statement):
        label = (NONE_LABEL if row[1] is None else str(row[1])) if stratum is not None else "(all)"
        out.append((str(row[0]), label, tuple(row[len(keys):])))
    return out


def tallies(session: Session, query: CompareQuery) -> dict[str, dict[str, Tally]]:
    """version → stratum → Tally, counted by four GROUP BYs over ratings, surveys and signals."""
    out: dict[str, dict[str, Tally]] = {query.a: defaultdict(Tally), query.b: defaultdict(Tally)}
    score, five = Rating.score, Rating.scale == FIVE
    for version, stratum, (n, sat, n_five, total, squares) in _grouped(
            session, query, Rating, Rating.created_at,
            [func.count(), func.sum(case((score >= 4, 1), else_=0)), func.sum(case((five, 1), else_=0)),
             func.sum(case((five, score), else_=0)), func.sum(case((five, score * score), else_=0))]):
        tally = out[version][stratum]
        tally.rated, tally.satisfied, tally.five_rated = int(n or 0), int(sat or 0), int(n_five or 0)
        tally.score_sum, tally.score_squares = float(total or 0), float(squares or 0)
    ai = case((Survey.resolver.in_(AI_RESOLVERS), 1), else_=0)
    for version, stratum, (n, ai_n) in _grouped(session, query, Survey, Survey.solved_at,
                                                [func.count(), func.sum(ai)]):
        out[version][stratum].solves, out[version][stratum].ai_solves = int(n or 0), int(ai_n or 0)
    counted = {"reopen": "reopens", "recontact": "recontacts"}
    met = func.sum(case((Signal.value >= 0.5, 1), else_=0))
    for kind in (*counted, "first_contact_resolution"):
        for version, stratum, (n, k) in _grouped(session, query, Signal, Signal.occurred_at,
                                                 [func.count(), met], Signal.type == kind):
            tally = out[version][stratum]
            if kind == "first_contact_resolution":
                tally.fcr_n, tally.fcr_k = int(n or 0), int(k or 0)
            else:
                setattr(tally, counted[kind], int(n or 0))
    for version, stratum, (tickets,) in _grouped(session, query, Signal, Signal.occurred_at,
                                                 [func.count(func.distinct(Signal.ticket_id))],
                                                 Signal.type == "override"):
        out[version][stratum].overridden = int(tickets or 0)
    return out


def known_versions(session: Session, query: CompareQuery) -> list[str]:
    """The versions of `by` the decision log and the attributed solves hold for the tenant."""
    values: set[str] = set()
    for model in (AiDecision, Survey):
        column = getattr(model, query.by)
        values.update(v for v in session.scalars(select(column).distinct().where(
            model.tenant_id == query.tenant_id, column.is_not(None)).limit(200)) if v is not None)
    return sorted(values)


# --- statistics ----------------------------------------------------------------------------------------


def newcombe_difference(k1: int, n1: int, k0: int, n0: int, z: float = Z95) -> Estimate | None:
    """p1 − p0 with Newcombe's (1998) hybrid score interval (method 10), built from Wilson intervals."""
    if n1 <= 0 or n0 <= 0:
        return None
    a, b = wilson(k1, n1, z), wilson(k0, n0, z)
    p1, p0 = k1 / n1, k0 / n0
    low = (p1 - p0) - math.sqrt((p1 - a.low) ** 2 + (b.high - p0) ** 2)
    high = (p1 - p0) + math.sqrt((a.high - p1) ** 2 + (p0 - b.low) ** 2)
    return Estimate(p1 - p0, max(-1.0, low), min(1.0, high))


def cmh_p_value(strata: Sequence[Stratum]) -> float | None:
    """Two-sided p of the Cochran–Mantel–Haenszel chi-square (continuity-corrected, 1 df), as R's
    `mantelhaen.test(correct=TRUE)`; None when no stratum has both groups."""
    usable = [s for s in strata if s.n1 > 0 and s.n0 > 0 and s.n1 + s.n0 > 1]
    if not usable:
        return None
    observed = expected = variance = 0.0
    for s in usable:
        total, successes = s.n1 + s.n0, s.k1 + s.k0
        observed += s.k1
        expected += s.n1 * successes / total
        variance += s.n1 * s.n0 * successes * (total - successes) / (total * total * (total - 1))
    if variance <= 0:
        return 1.0
    statistic = max(0.0, abs(observed - expected) - 0.5) ** 2 / variance
    return math.erfc(math.sqrt(statistic / 2))  # P(chi-square with 1 df > statistic)


def needed_per_group(p0: float, difference: float, alpha: float = ALPHA, power: float = POWER) -> int:
    """Observations per group for a two-sided two-proportion z-test to detect p0 → p0 + difference."""
    p1 = min(0.999, max(0.001, p0 + difference))
    p0 = min(0.999, max(0.001, p0))
    delta = abs(p1 - p0)
    if delta == 0:
        return 0
    normal = NormalDist()
    z_a, z_b = normal.inv_cdf(1 - alpha / 2), normal.inv_cdf(power)
    mean = (p0 + p1) / 2
    root = z_a * math.sqrt(2 * mean * (1 - mean)) + z_b * math.sqrt(p0 * (1 - p0) + p1 * (1 - p1))
    return math.ceil((root / delta) ** 2)


def needed_for_means(sd: float, difference: float, alpha: float = ALPHA, power: float = POWER) -> int:
    """Observations per group for a two-sided z-test of two means with common standard deviation `sd`."""
    if difference == 0:
        return 0
    normal = NormalDist()
    z = normal.inv_cdf(1 - alpha / 2) + normal.inv_cdf(power)
    return math.ceil(2 * (z * sd / difference) ** 2)


def _proportion(name: str, tallies_: dict[str, dict[str, Tally]], query: CompareQuery) -> MetricResult:
    label, higher, k_name, n_name = PROPORTIONS[name]
    strata_names = sorted(set(tallies_[query.a]) | set(tallies_[query.b]))
    rows: list[tuple[str, int, int, int, int]] = []
    for stratum in strata_names:
        a, b = tallies_[query.a].get(stratum, Tally()), tallies_[query.b].get(stratum, Tally())
        n_a, n_b = getattr(a, n_name), getattr(b, n_name)
        k_a, k_b = min(getattr(a, k_name), n_a), min(getattr(b, k_name), n_b)  # a signal of an earlier solve
        if n_a or n_b:
            rows.append((stratum, k_a, n_a, k_b, n_b))
    strata = [Stratum(s, k_a, n_a, k_b, n_b) for s, k_a, n_a, k_b, n_b in rows]
    usable = [s for s in strata if s.n1 > 0 and s.n0 > 0]
    ka, na = sum(s.k1 for s in strata), sum(s.n1 for s in strata)
    kb, nb = sum(s.k0 for s in strata), sum(s.n0 for s in strata)
    difference = mantel_haenszel_difference(strata)
    stratified = Estimate(difference.estimate, difference.low, difference.high) if difference else None
    result = MetricResult(
        name, label, higher, wilson(ka, na), wilson(kb, nb), None, None,
        sum(s.n1 for s in usable), sum(s.n0 for s in usable), newcombe_difference(ka, na, kb, nb), stratified,
        cmh_p_value(strata), len(usable), len(strata) - len(usable), rows)
    baseline_k, baseline_n = sum(s.k0 for s in usable), sum(s.n0 for s in usable)
    baseline = baseline_k / baseline_n if baseline_n else (kb / nb if nb else 0.5)
    return _with_verdict(result, query, lambda d: needed_per_group(baseline, d))


def _mean_score(tallies_: dict[str, dict[str, Tally]], query: CompareQuery) -> MetricResult:
    """The stratified difference of mean scores (weights n_A·n_B/(n_A + n_B)) and its z-test, over the
    five-point ratings only."""
    rows: list[tuple[str, int, int, int, int]] = []
    weight = estimate = variance = 0.0
    pooled_sd: list[float] = []
    used = skipped = 0
    for stratum in sorted(set(tallies_[query.a]) | set(tallies_[query.b])):
        a, b = tallies_[query.a].get(stratum, Tally()), tallies_[query.b].get(stratum, Tally())
        if not (a.five_rated or b.five_rated):
            continue
        rows.append((stratum, int(a.score_sum), a.five_rated, int(b.score_sum), b.five_rated))
        if not (a.five_rated and b.five_rated):
            skipped += 1
            continue
        used += 1
        w = a.five_rated * b.five_rated / (a.five_rated + b.five_rated)
        weight += w
        estimate += w * (a.score_sum / a.five_rated - b.score_sum / b.five_rated)
        variance += w * w * (_variance(a) / a.five_rated + _variance(b) / b.five_rated)
        pooled_sd.extend([math.sqrt(_variance(a)), math.sqrt(_variance(b))])
    n_a = sum(t.five_rated for t in tallies_[query.a].values())
    n_b = sum(t.five_rated for t in tallies_[query.b].values())
    mean_a = sum(t.score_sum for t in tallies_[query.a].values()) / n_a if n_a else None
    mean_b = sum(t.score_sum for t in tallies_[query.b].values()) / n_b if n_b else None
    stratified = p_value = None
    if weight > 0:
        centre, se = estimate / weight, math.sqrt(variance) / weight
        stratified = Estimate(centre, centre - Z95 * se, centre + Z95 * se)
        p_value = math.erfc(abs(centre) / se / math.sqrt(2)) if se > 0 else (1.0 if centre == 0 else 0.0)
    crude = None
    if mean_a is not None and mean_b is not None:
        se = math.sqrt(_pooled(tallies_[query.a]) / n_a + _pooled(tallies_[query.b]) / n_b)
        crude = Estimate(mean_a - mean_b, mean_a - mean_b - Z95 * se, mean_a - mean_b + Z95 * se)
    used_a = sum(r[2] for r in rows if r[2] and r[4])
    used_b = sum(r[4] for r in rows if r[2] and r[4])
    result = MetricResult("csat_mean", "mean CSAT score (1-5; five-point ratings only)", True, None, None, mean_a, mean_b, used_a, used_b,
                          crude, stratified, p_value, used, skipped, rows)
    sd = max(pooled_sd) if pooled_sd else 1.0
    return _with_verdict(result, query, lambda d: needed_for_means(max(sd, 0.5), d), scale=5.0)


def _variance(t: Tally) -> float:
    """A stratum's sample variance of the score (0 for a single rating)."""
    if t.five_rated < 2:
        return 0.0
    return max(0.0, (t.score_squares - t.score_sum * t.score_sum / t.five_rated) / (t.five_rated - 1))


def _pooled(strata: dict[str, Tally]) -> float:
    n = sum(t.five_rated for t in strata.values())
    if n < 2:
        return 0.0
    total = sum(t.score_sum for t in strata.values())
    squares = sum(t.score_squares for t in strata.values())
    return max(0.0, (squares - total * total / n) / (n - 1))


Needed = Callable[[float], int]


def _with_verdict(result: MetricResult, query: CompareQuery, needed: Needed, scale: float = 1.0) -> MetricResult:
    return replace(result, verdict=verdict_of(result, query, needed, scale))


def verdict_of(result: MetricResult, query: CompareQuery, needed: Needed, scale: float = 1.0) -> Verdict:
    """Better, worse, no detectable difference yet, or not enough data, in one sentence."""
    a, b = query.a, query.b
    unit = "points" if scale == 1.0 else "score points"
    observed = result.stratified.estimate if result.stratified is not None else None
    minimum = query.min_difference * scale
    target = max(abs(observed), minimum) if observed is not None else minimum
    shown = target * 100 if scale == 1.0 else target
    n_needed = needed(target)
    more = {a: max(0, n_needed - result.n_a), b: max(0, n_needed - result.n_b)}
    if result.strata_used == 0:
        return Verdict(f"not enough data: no {query.within or 'range'} has {result.label} for both {a} and {b}; "
                       f"each needs about {n_needed} to detect a difference of {shown:.1f} {unit}",
                       False, False, target, n_needed, more)
    if min(result.n_a, result.n_b) < MIN_N:
        return Verdict(f"not enough data yet ({a}: n={result.n_a}, {b}: n={result.n_b}); to detect a difference "
                       f"of {shown:.1f} {unit} with 80% power each needs about {n_needed} "
                       f"({more[a]} more for {a}, {more[b]} more for {b})", False, False, target, n_needed, more)
    assert result.p_value is not None and observed is not None
    if result.p_value < ALPHA:
        better = (observed > 0) == result.higher_is_better
        winner, loser = (a, b) if better else (b, a)
        size = abs(observed) * (100 if scale == 1.0 else 1)
        return Verdict(f"{winner} is better than {loser} by {size:.1f} {unit} within the same "
                       f"{query.within or 'range'} (p={result.p_value:.3g})", True, True, None, None, {})
    return Verdict(f"no significant difference yet (p={result.p_value:.2g}); to detect {shown:.1f} {unit} "
                   f"with 80% power each needs about {n_needed} ({more[a]} more for {a}, {more[b]} more for {b})",
                   False, True, target, n_needed, more)


def compare(session: Session, query: CompareQuery, now: datetime) -> Comparison:
    """Every metric for A against B; CompareError when a version has nothing in the range."""
    counted = tallies(session, query)
    for version in (query.a, query.b):
        if not counted[version]:
            known = known_versions(session, query)
            listed = ", ".join(known[:20]) if known else "none logged yet"
            raise CompareError(f"{query.by} {version!r} has no solves, ratings or signals from "
                               f"{query.since:%Y-%m-%d %H:%M} to {query.until:%Y-%m-%d %H:%M} UTC "
                               f"(known {query.by} values: {listed})")
    results = [_proportion(name, counted, query) for name in PROPORTIONS]
    results.insert(1, _mean_score(counted, query))
    tested = [i for i, r in enumerate(results) if r.p_value is not None]
    adjusted = benjamini_hochberg([results[i].p_value or 1.0 for i in tested])
    for i, q in zip(tested, adjusted):
        results[i] = replace(results[i], q_value=q)
    return Comparison(query, now, results)


# --- rendering ---------------------------------------------------------------------------------------

METHOD = ("Mantel-Haenszel risk difference (Sato variance) and Cochran-Mantel-Haenszel test within strata; "
          "Wilson intervals per version, Newcombe interval for the crude difference; mean score: stratified "
          "difference of means, z-test; sample sizes for 80% power at a two-sided 5% level")


def _rate_json(rate: Rate | None) -> dict[str, Any] | None:
    if rate is None:
        return None
    return {"k": rate.k, "n": rate.n, "rate": None if rate.value is None else round(rate.value, 6),
            "low": round(rate.low, 6), "high": round(rate.high, 6)}


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    q = comparison.query
    return {
        "by": q.by, "a": q.a, "b": q.b, "within": q.within, "tenant": q.tenant_id,
        "since": q.since.isoformat(), "until": q.until.isoformat(),
        "generated_at": comparison.generated_at.isoformat(), "method": METHOD, "alpha": ALPHA, "power": POWER,
        "metrics": [{
            "metric": r.name, "label": r.label, "higher_is_better": r.higher_is_better,
            "a": _rate_json(r.a) if r.a is not None else {"mean": _round(r.a_mean), "n": r.n_a},
            "b": _rate_json(r.b) if r.b is not None else {"mean": _round(r.b_mean), "n": r.n_b},
            "crude_difference": r.crude.as_json() if r.crude else None,
            "stratified_difference": r.stratified.as_json() if r.stratified else None,
            "p_value": _round(r.p_value), "q_value": _round(r.q_value),
            "strata_used": r.strata_used, "strata_skipped": r.strata_skipped,
            "n_a_in_shared_strata": r.n_a, "n_b_in_shared_strata": r.n_b,
            "significant": bool(r.verdict and r.verdict.significant),
            "enough_data": bool(r.verdict and r.verdict.enough_data),
            "verdict": r.verdict.text if r.verdict else None,
            "needed_per_version": r.verdict.needed_per_version if r.verdict else None,
            "more_needed": r.verdict.more_needed if r.verdict else {},
            "strata": [{"name": name, "a": {"k": ka, "n": na}, "b": {"k": kb, "n": nb}}
                       for name, ka, na, kb, nb in r.per_stratum],
        } for r in comparison.metrics],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _figure(r: MetricResult, side: str) -> str:
    rate, mean = (r.a, r.a_mean) if side == "a" else (r.b, r.b_mean)
    if rate is not None:
        return str(rate)
    n = sum(row[2] if side == "a" else row[4] for row in r.per_stratum)
    return "n/a (n=0)" if mean is None else f"{mean:.2f} n={n}"


def _difference(estimate: Estimate | None, percent: bool) -> str:
    if estimate is None:
        return "—"
    factor, unit = (100, "") if percent else (1, "")
    return (f"{factor * estimate.estimate:+.1f}{unit} [{factor * estimate.low:+.1f}, "
            f"{factor * estimate.high:+.1f}]")


def comparison_table(comparison: Comparison) -> str:
    q = comparison.query
    within = q.within or "none"
    lines = [f"{q.by}: {q.a} (A) against {q.b} (B), within {within}, "
             f"{q.since:%Y-%m-%d %H:%M} to {q.until:%Y-%m-%d %H:%M} UTC (tenant {q.tenant_id})",
             "Differences are A - B in points (mean score: score points), with 95% intervals.", ""]
    for r in comparison.metrics:
        percent = r.a is not None
        lines.append(f"{r.label}")
        lines.append(f"  A {q.a:<20} {_figure(r, 'a')}")
        lines.append(f"  B {q.b:<20} {_figure(r, 'b')}")
        lines.append(f"  crude difference        {_difference(r.crude, percent)}")
        lines.append(f"  within {within:<16} {_difference(r.stratified, percent)}  "
                     f"p={'—' if r.p_value is None else format(r.p_value, '.3g')}  "
                     f"q={'—' if r.q_value is None else format(r.q_value, '.3g')}  "
                     f"({r.strata_used} strata with both; {r.strata_skipped} with one only)")
        if r.verdict is not None:
            lines.append(f"  → {r.verdict.text}")
        lines.append("")
    lines.append(f"Per {within} (A k/n, B k/n; mean score: A sum/n, B sum/n):")
    width = max([len(name) for r in comparison.metrics for name, *_ in r.per_stratum] + [8])
    for r in comparison.metrics:
        for name, ka, na, kb, nb in r.per_stratum:
            lines.append(f"  {r.name:<10} {name:<{width}}  A {ka}/{na}  B {kb}/{nb}")
    lines.append("")
    lines.append(f"Method: {METHOD}.")
    return "\n".join(lines) + "\n"


CSV_COLUMNS = ("metric", "stratum", "a", "b", "a_k", "a_n", "a_rate", "a_low", "a_high", "b_k", "b_n", "b_rate",
               "b_low", "b_high", "crude_difference", "crude_low", "crude_high", "stratified_difference",
               "stratified_low", "stratified_high", "p_value", "q_value", "significant", "verdict")


def comparison_csv(comparison: Comparison) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    q = comparison.query
    for r in comparison.metrics:
        a, b = _rate_json(r.a) or {"k": "", "n": r.n_a, "rate": _round(r.a_mean), "low": "", "high": ""}, \
            _rate_json(r.b) or {"k": "", "n": r.n_b, "rate": _round(r.b_mean), "low": "", "high": ""}
        crude = r.crude.as_json() if r.crude else {"estimate": "", "low": "", "high": ""}
        strat = r.stratified.as_json() if r.stratified else {"estimate": "", "low": "", "high": ""}
        writer.writerow([r.name, "(all)", q.a, q.b, a["k"], a["n"], a["rate"], a["low"], a["high"], b["k"], b["n"],
                         b["rate"], b["low"], b["high"], crude["estimate"], crude["low"], crude["high"],
                         strat["estimate"], strat["low"], strat["high"], _blank(r.p_value), _blank(r.q_value),
                         int(bool(r.verdict and r.verdict.significant)), r.verdict.text if r.verdict else ""])
        for name, ka, na, kb, nb in r.per_stratum:
            if r.a is not None:
                ra, rb = wilson(ka, na), wilson(kb, nb)
                cells = [ka, na, _blank(ra.value), round(ra.low, 6), round(ra.high, 6),
                         kb, nb, _blank(rb.value), round(rb.low, 6), round(rb.high, 6)]
            else:
                cells = ["", na, _blank(ka / na if na else None), "", "", "", nb, _blank(kb / nb if nb else None),
                         "", ""]
            writer.writerow([r.name, name, q.a, q.b, *cells, *([""] * 10)])
    return out.getvalue()


def _blank(value: float | None) -> Any:
    return "" if value is None else round(value, 6)


def render(comparison: Comparison, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(comparison_json(comparison), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return comparison_csv(comparison)
    if fmt == "table":
        return comparison_table(comparison)
    raise ValueError(f"format must be table, json or csv, got {fmt!r}")
