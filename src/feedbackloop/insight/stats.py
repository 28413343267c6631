"""The statistics behind every figure: intervals, drop tests, false-discovery control, stratification.

Plain Python on counts (no numpy/scipy): the database does the counting, and these formulas are
short enough to read and check against published values (see tests/insight/test_metrics.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054


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


def normal_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2))


def drop_p_value(k_now: int, n_now: int, k_base: int, n_base: int) -> float:
    """One-sided two-proportion z-test (pooled variance) of "the current rate is below the baseline".

    One-sided because only a drop opens a task; a rise is good news, not an alert.
    """
    if n_now <= 0 or n_base <= 0:
        return 1.0
    pooled = (k_now + k_base) / (n_now + n_base)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_now + 1 / n_base))
    if se == 0:
        return 1.0  # both at 0 % or both at 100 %: no evidence of any difference
    return normal_sf((k_base / n_base - k_now / n_now) / se)


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """BH-adjusted p-values (q-values) in input order: flag q ≤ α to keep the expected share of
    false alarms among all alarms at α, however many segments are tested."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        adjusted[index] = min(1.0, running)
    return adjusted


@dataclass(frozen=True)
class Stratum:
    """One issue type: successes and counts for the two groups compared (1 = AI, 0 = human)."""

    name: str
    k1: int
    n1: int
    k0: int
    n0: int


@dataclass(frozen=True)
class Difference:
    """A rate difference (group 1 − group 0) with its 95 % interval."""

    estimate: float
    low: float
    high: float
    strata: int  # how many strata had both groups (the only ones that inform the estimate)


def mantel_haenszel_difference(strata: Sequence[Stratum], z: float = Z95) -> Difference | None:
    """The Mantel–Haenszel common risk difference with Sato's (1989) variance.

    Comparing like with like: within each issue type, AI's CSAT minus humans', averaged with weights
    n1·n0/N. If the AI takes the easy intents, the crude difference flatters it; this does not.
    Sato's variance stays valid both with many small strata and with few large ones.
    None when no issue type has ratings from both groups.
    """
    usable = [s for s in strata if s.n1 > 0 and s.n0 > 0]
    if not usable:
        return None
    weight = sum(s.n1 * s.n0 / (s.n1 + s.n0) for s in usable)
    estimate = sum((s.k1 * s.n0 - s.k0 * s.n1) / (s.n1 + s.n0) for s in usable) / weight
    p_term = sum(_sato_p(s) for s in usable)
    q_term = sum(_sato_q(s) for s in usable)
    variance = max(0.0, (estimate * p_term + q_term) / (weight * weight))
    half = z * math.sqrt(variance)
    return Difference(estimate, max(-1.0, estimate - half), min(1.0, estimate + half), len(usable))


def _sato_p(s: Stratum) -> float:
    total = s.n1 + s.n0
    return (s.n1 * s.n1 * s.k0 - s.n0 * s.n0 * s.k1 + s.n1 * s.n0 * (s.n0 - s.n1) / 2) / (total * total)


def _sato_q(s: Stratum) -> float:
    total = s.n1 + s.n0
    return (s.k1 * (s.n0 - s.k0) + s.k0 * (s.n1 - s.k1)) / (2 * total)
