"""Rate limits and injected faults: the ways a real Zendesk says "not now".

Not thread-safe on their own: `SandboxState` calls them under its one lock.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

API_PREFIX = "/api/v2"


@dataclass(frozen=True)
class Allowance:
    """One request's verdict from a budget, plus what the rate-limit headers report."""

    allowed: bool
    limit: int
    remaining: int
    resets_in: int  # whole seconds until the budget refills

    @property
    def retry_after(self) -> int:
        """Retry-After for a refusal: never 0, which zenpy would read as "retry at once"."""
        return max(1, self.resets_in)


class WindowBudget:
    """`limit` requests per fixed window, as Zendesk counts its per-minute account limit."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._started = clock()
        self._used = 0

    def _roll(self) -> float:
        """Start a new window when the old one is over; seconds left in the current one."""
        now = self._clock()
        if now - self._started >= self.window:
            self._started, self._used = now, 0
        return self.window - (now - self._started)

    def spend(self) -> Allowance:
        """Count one request if the window has room."""
        left = self._roll()
        allowed = self._used < self.limit
        if allowed:
            self._used += 1
        return Allowance(allowed, self.limit, max(0, self.limit - self._used), math.ceil(left))

    def peek(self) -> Allowance:
        """The budget as it stands, without counting a request."""
        left = self._roll()
        return Allowance(self._used < self.limit, self.limit, max(0, self.limit - self._used), math.ceil(left))


class KeyedWindow:
    """A sliding window per key: Zendesk's "30 updates per 10 minutes per user per ticket"."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[tuple[int, int], deque[float]] = {}

    def spend(self, key: tuple[int, int]) -> Allowance:
        """Count one update of `key` if its window has room."""
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        allowed = len(hits) < self.limit
        if allowed:
            hits.append(now)
        resets_in = math.ceil(self.window - (now - hits[0])) if hits else math.ceil(self.window)
        return Allowance(allowed, self.limit, max(0, self.limit - len(hits)), resets_in)


def normalise_prefix(prefix: str | None) -> str | None:
    """"/tickets" and "tickets" mean "/api/v2/tickets"; a full "/api/v2/..." or "/__sandbox" stays."""
    if not prefix:
        return None
    path = prefix if prefix.startswith("/") else "/" + prefix
    return path if path.startswith(("/api/", "/__sandbox")) else API_PREFIX + path


@dataclass
class Fault:
    """An answer to force on matching API requests: a status, a delay, or a dropped connection."""

    id: int
    status: int | None = None
    count: int | None = 1  # None: until cleared
    retry_after: float | None = None
    delay: float = 0.0
    reset: bool = False
    path_prefix: str | None = None
    method: str | None = None
    body: Any = None
    after: bool = False  # apply the request, then answer with the fault: "it worked but the reply was lost"
    hits: int = field(default=0)

    def __post_init__(self) -> None:
        if self.status is not None and not 100 <= self.status <= 599:
            raise ValueError(f"status must be an HTTP status, got {self.status}")
        if self.status is None and not self.reset and self.delay <= 0:
            raise ValueError("a fault needs a status, a delay or reset=True")
        if self.count is not None and self.count < 1:
            raise ValueError("count must be at least 1 (or None for 'until cleared')")
        if self.delay < 0:
            raise ValueError("delay cannot be negative")
        self.method = self.method.upper() if self.method else None
        self.path_prefix = normalise_prefix(self.path_prefix)

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        if self.method is not None and method.upper() != self.method:
            return False
        return self.path_prefix is None or path.startswith(self.path_prefix)

    def describe(self) -> str:
        """A short label for the request log ("429 retry-after 1", "reset", "delay 2.0s")."""
        parts = []
        if self.after:
            parts.append("after applying:")
        if self.delay > 0:
            parts.append(f"delay {self.delay:g}s")
        if self.reset:
            parts.append("reset")
        elif self.status is not None:
            parts.append(str(self.status) + (f" retry-after {self.retry_after:g}" if self.retry_after is not None else ""))
        return "fault: " + ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The fault as the /__sandbox/faults endpoint reports it."""
        return {
            "id": self.id, "status": self.status, "count": self.count, "retry_after": self.retry_after,
            "delay": self.delay, "reset": self.reset, "path_prefix": self.path_prefix,
            "method": self.method, "after": self.after, "hits": self.hits,
        }


class FaultList:
    """Injected faults in the order they were added; the first match wins and is used up."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        """Queue a fault behind those already injected."""
        self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The fault for this request, counting it against the fault's `count`."""
        for fault in self._faults:
            if fault.matches(method, path):
                fault.hits += 1
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        """Forget every injected fault."""
        self._faults.clear()

    def active(self) -> list[Fault]:
        """The faults not used up yet."""
        return list(self._faults)
