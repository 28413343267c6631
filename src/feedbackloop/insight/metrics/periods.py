"""Periods and moments: calendar windows in UTC (day, ISO week, month) and the `--since/--until` forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from feedbackloop.insight.segments import DIMENSION_NAMES as DIMENSION_NAMES
from feedbackloop.insight.segments import MIN_N as MIN_N
from feedbackloop.insight.segments import PERIODS as PERIODS

if TYPE_CHECKING:
    pass


# --- time ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A half-open stretch of time [start, end)."""

    start: datetime
    end: datetime

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400


def bucket_start(moment: datetime, period: str) -> datetime:
    """The start of the calendar day, ISO week (Monday) or month holding `moment`, in UTC."""
    day = moment.astimezone(timezone.utc).date()
    if period == "week":
        day -= timedelta(days=day.weekday())
    elif period == "month":
        day = day.replace(day=1)
    elif period != "day":
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
    return datetime.combine(day, time(), timezone.utc)


def shift(start: datetime, period: str, count: int) -> datetime:
    """`start` moved by `count` periods (months by calendar, not by 30 days)."""
    if period == "day":
        return start + timedelta(days=count)
    if period == "week":
        return start + timedelta(weeks=count)
    months = start.year * 12 + start.month - 1 + count
    return start.replace(year=months // 12, month=months % 12 + 1)


RELATIVE = re.compile(r"^(\d+)\s*([hdwm])$")
RELATIVE_UNITS = {
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
    "m": timedelta(days=30),
}


#: Reports cover times in this span: earlier or later is a typo, and would overflow date arithmetic
#: (the previous window of a range starting in year 1 starts before year 1).
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc)
TIME_HELP = "use 30d, 12h, 6w, 3m, 2026-03-01 or 2026-03-01T12:00Z"


def parse_moment(text: str, now: datetime, *, end_of_day: bool = False) -> datetime:
    """`30d` / `12h` / `6w` / `3m` (ago), an ISO date (midnight UTC; the next midnight with
    `end_of_day`, so `--until 2026-03-31` includes that day) or an ISO time; between 1970 and 2200."""
    try:
        moment = _parse_moment(text.strip(), now, end_of_day)
    except (ValueError, OverflowError):
        raise ValueError(f"{text[:40]!r} is not a time: {TIME_HELP}") from None
    if not EARLIEST <= moment <= LATEST:
        raise ValueError(f"{text[:40]!r} is out of range: times must lie between 1970 and 2200")
    return moment


def _parse_moment(text: str, now: datetime, end_of_day: bool) -> datetime:
    relative = RELATIVE.match(text.lower())
    if relative:
        return now - int(relative.group(1)) * RELATIVE_UNITS[relative.group(2)]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = datetime.combine(date.fromisoformat(text), time(), timezone.utc)
        return day + timedelta(days=1) if end_of_day else day
    moment = datetime.fromisoformat(text)
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
