from __future__ import annotations

import pytest

from feedbackloop.insight.reports import wilson


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # reference values: Wilson score interval, z = 1.96 (e.g. statsmodels proportion_confint method="wilson")
        (81, 100, 0.7222, 0.8749),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (1, 2, 0.0945, 0.9055),
    ],
)
def test_wilson_matches_reference_values(k: int, n: int, low: float, high: float) -> None:
    rate = wilson(k, n)
    assert rate.low == pytest.approx(low, abs=1e-3)
    assert rate.high == pytest.approx(high, abs=1e-3)


def test_wilson_with_no_data_is_the_whole_range() -> None:
    rate = wilson(0, 0)
    assert (rate.low, rate.high, rate.value) == (0.0, 1.0, None)
    assert "n=0" in str(rate)
