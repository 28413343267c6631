"""The sandbox's cursor-based incremental ticket export and search (a mixin of SandboxState)."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING

from feedbackloop.helpdesks.sandbox import search as search_syntax
from feedbackloop.helpdesks.sandbox.common import BRAND_ID as BRAND_ID
from feedbackloop.helpdesks.sandbox.common import CHANNEL_ALIASES as CHANNEL_ALIASES
from feedbackloop.helpdesks.sandbox.common import EXPORT_PER_PAGE as EXPORT_PER_PAGE
from feedbackloop.helpdesks.sandbox.common import FORBIDDEN as FORBIDDEN
from feedbackloop.helpdesks.sandbox.common import ID_FIELDS as ID_FIELDS
from feedbackloop.helpdesks.sandbox.common import ID_STARTS as ID_STARTS
from feedbackloop.helpdesks.sandbox.common import JOB_CONFLICT as JOB_CONFLICT
from feedbackloop.helpdesks.sandbox.common import MAX_BULK as MAX_BULK
from feedbackloop.helpdesks.sandbox.common import NOTICE_FIELDS as NOTICE_FIELDS
from feedbackloop.helpdesks.sandbox.common import SCALAR_FIELDS as SCALAR_FIELDS
from feedbackloop.helpdesks.sandbox.common import TICKET_FORM_ID as TICKET_FORM_ID
from feedbackloop.helpdesks.sandbox.common import TICKET_UPDATE_LIMITED as TICKET_UPDATE_LIMITED
from feedbackloop.helpdesks.sandbox.common import TOO_MANY_JOBS as TOO_MANY_JOBS
from feedbackloop.helpdesks.sandbox.common import TRIAL_TICKET_UPDATE_LIMIT as TRIAL_TICKET_UPDATE_LIMIT
from feedbackloop.helpdesks.sandbox.common import UI_CLIENT as UI_CLIENT
from feedbackloop.helpdesks.sandbox.common import UPPER_FIELDS as UPPER_FIELDS
from feedbackloop.helpdesks.sandbox.common import ApiError as ApiError
from feedbackloop.helpdesks.sandbox.common import Refusal as Refusal
from feedbackloop.helpdesks.sandbox.common import RequestRecord as RequestRecord
from feedbackloop.helpdesks.sandbox.common import SandboxConfig as SandboxConfig
from feedbackloop.helpdesks.sandbox.common import _as_id as _as_id
from feedbackloop.helpdesks.sandbox.common import _audit_value as _audit_value
from feedbackloop.helpdesks.sandbox.common import _Change as _Change
from feedbackloop.helpdesks.sandbox.common import _custom_pairs as _custom_pairs
from feedbackloop.helpdesks.sandbox.common import _notice_value as _notice_value
from feedbackloop.helpdesks.sandbox.common import _truthy as _truthy
from feedbackloop.helpdesks.sandbox.common import _upper as _upper
from feedbackloop.helpdesks.sandbox.shapes import (
    JSON,
    decode_cursor,
    encode_cursor,
)


class ExportAndSearch:
    """Part of SandboxState: the methods below expect its lock and records (declared here for mypy)."""

    if TYPE_CHECKING:
        config: SandboxConfig
        _tickets: dict[int, JSON]
        _lock: threading.RLock
        def _base(self, base: str | None) -> str: ...
        def _render_ticket(self, ticket: JSON, base: str | None = None) -> JSON: ...
        def now(self) -> datetime: ...

    # --- incremental export and search -------------------------------------------------------

    def export_tickets(self, *, start_time: int | None = None, cursor: str | None = None,
                       per_page: int = EXPORT_PER_PAGE, base: str | None = None) -> JSON:
        """Cursor-based incremental ticket export, oldest change first, the last minute left out."""
        with self._lock:
            # Stamps bumped past the clock (see the module docstring) must not hide from a lag-free export.
            horizon = int(self.now().timestamp() - self.config.export_lag) if self.config.export_lag > 0 else 2**62
            position = self._export_position(start_time, cursor, horizon)
            ready = sorted((t for t in self._tickets.values()
                            if (t["generated_timestamp"], t["id"]) > position and t["generated_timestamp"] <= horizon),
                           key=lambda t: (t["generated_timestamp"], t["id"]))
            page = ready[:max(1, min(per_page, EXPORT_PER_PAGE))]
            last = (page[-1]["generated_timestamp"], page[-1]["id"]) if page else position
            after = encode_cursor(f"{last[0]}.0||{last[1]}|")
            return {
                "tickets": [self._render_ticket(t, base) for t in page],
                "after_url": f"{self._base(base)}/api/v2/incremental/tickets/cursor.json?cursor={after}",
                "after_cursor": after, "before_url": None, "before_cursor": None,
                "end_of_stream": len(ready) <= len(page),
            }

    def _export_position(self, start_time: int | None, cursor: str | None, horizon: int) -> tuple[int, int]:
        """(generated_timestamp, id) after which the page starts.

        A request with both a start_time and a cursor that is not one (node-zendesk 6.0.1 sends
        ``cursor=undefined`` with its first request) is read by its start_time: Zendesk's answer to it is
        not recorded, and a call that works for one client must not fail for another without cause.
        """
        if start_time is None and cursor is None:
            raise ApiError(400, {"error": "InvalidValue", "description": "Send either start_time or cursor"})
        if cursor is not None:
            try:
                stamp, _, rest = decode_cursor(cursor).partition("||")
                return int(float(stamp)), int(rest.strip("|") or 0)
            except ValueError:
                if start_time is None:
                    raise ApiError(400, {"error": "InvalidValue", "description": "Invalid cursor"}) from None
        assert start_time is not None
        if self.config.export_lag > 0 and start_time > horizon:
            raise ApiError(400, {"error": "InvalidValue",
                                 "description": f"start_time must be at least {self.config.export_lag:g} seconds "
                                                "in the past"})
        return start_time, 0

    def search(self, query: str, *, sort_by: str | None = None, sort_order: str | None = None,
               base: str | None = None) -> list[JSON]:
        """``GET /search.json``: tickets matching the query (see `search` for the syntax), as results."""
        terms = search_syntax.parse_query(query)
        if search_syntax.result_type(terms) != "ticket":
            return []
        with self._lock:
            now = self.now()
            found = [dict(self._render_ticket(t, base), result_type="ticket") for t in self._tickets.values()]
        matches = [t for t in found if search_syntax.ticket_matches(t, terms, now)]
        key = {"updated_at": "updated_at", "created_at": "created_at", "status": "status",
               "priority": "priority", "ticket_type": "type"}.get(sort_by or "")
        if key is not None:
            matches.sort(key=lambda t: (t.get(key) or ""), reverse=(sort_order or "desc") == "desc")
        return matches
