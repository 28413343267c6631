"""The names reports cut by, with no imports: the CLI lists them without loading the database layer.

metrics.py maps each name to its column; a test keeps the two lists equal.
"""

from __future__ import annotations

#: Ways to cut ratings (`--by`, dashboard filters), in display order.
DIMENSION_NAMES = (
    "intent",
    "category",
    "product",
    "channel",
    "resolver",
    "agent",
    "group",
    "brand",
    "tenant",
    "language",
    "model",
    "prompt_version",
)
#: Calendar periods: day, ISO week (Monday), month; all in UTC.
PERIODS = ("day", "week", "month")
#: Below this many ratings a segment's CSAT is shown as "n too small" and not ranked.
MIN_N = 10
