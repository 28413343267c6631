"""Agents by name on the dashboard: helpdesk user ids looked up once through the helpdesk client and
kept in this process for a day.

A page never waits long for names: it resolves at most MAX_PER_PAGE new ids within PAGE_BUDGET
seconds; an id not resolved yet (or whose lookup failed) shows as "#id" and is tried on a later page.
A lookup that fails is not retried for FAILED_TTL seconds, so a helpdesk outage costs one attempt.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from feedbackloop.helpdesks.base import HelpdeskClient

NAME_TTL = 86400.0
FAILED_TTL = 300.0
MAX_PER_PAGE = 30
PAGE_BUDGET = 3.0
#: (tenant, user id) → (name or None when the lookup failed, when it expires)
_cache: dict[tuple[str, int], tuple[str | None, float]] = {}
_lock = threading.Lock()


def cached_name(tenant_id: str, user_id: int, now: float | None = None) -> tuple[bool, str | None]:
    """(known, name) from the cache; known is False when the id must still be looked up."""
    with _lock:
        found = _cache.get((tenant_id, user_id))
    if found is None or found[1] <= (now if now is not None else time.monotonic()):
        return False, None
    return True, found[0]


def resolve(tenant_id: str, user_ids: Iterable[int | None], client: Callable[[], HelpdeskClient]) -> None:
    """Look up the names of ids not in the cache yet, within the page's budget."""
    deadline = time.monotonic() + PAGE_BUDGET
    missing = sorted({i for i in user_ids if i is not None and not cached_name(tenant_id, i)[0]})
    try:
        helpdesk = client() if missing else None
    except Exception:  # noqa: BLE001 - no account configured: ids stay ids
        return
    for user_id in missing[:MAX_PER_PAGE]:
        if time.monotonic() >= deadline or helpdesk is None:
            return
        try:
            name, ttl = helpdesk.get_user(user_id).name, NAME_TTL
        except Exception:  # noqa: BLE001 - a name is a convenience: never fail the page for it
            name, ttl = None, FAILED_TTL
        with _lock:
            _cache[(tenant_id, user_id)] = (name, time.monotonic() + ttl)


def label(tenant_id: str, user_id: int | None) -> str | None:
    """The agent's name when known, else "#id" (None for no agent)."""
    if user_id is None:
        return None
    known, name = cached_name(tenant_id, user_id)
    return name if known and name else f"#{user_id}"


def forget() -> None:
    """Empty the cache (tests)."""
    with _lock:
        _cache.clear()
