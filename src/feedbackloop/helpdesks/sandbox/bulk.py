"""The sandbox's bulk updates (`update_many`) and job statuses, like Zendesk's: queued, then completed
with one result per ticket (a mixin of SandboxState; the state itself lives in state.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

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
from feedbackloop.helpdesks.sandbox.common import payload_object
from feedbackloop.helpdesks.sandbox.shapes import (
    API_VIA,
    JSON,
    NOT_FOUND,
    job_id,
    job_status_json,
)


class BulkJobs:
    """Part of SandboxState: the methods below expect its lock and records (declared here for mypy)."""

    if TYPE_CHECKING:
        config: SandboxConfig
        api_user_id: int
        _tickets: dict[int, JSON]
        _lock: threading.RLock
        _jobs: dict[str, JSON]
        def _base(self, base: str | None) -> str: ...
        def _emit(self, ticket: JSON, notices: Iterable[tuple[str, JSON]], actor_id: int) -> None: ...
        def _ticket(self, ticket_id: int) -> JSON: ...
        def _update(self, ticket: JSON, changes: Mapping[str, Any], actor_id: int, via: Mapping[str, Any],
                    *, creating: bool = False,
                    client: Mapping[str, Any] | None = None) -> tuple[_Change, JSON]: ...
        def now(self) -> datetime: ...

    # --- bulk updates and job statuses -------------------------------------------------------

    def update_many(self, ids: Sequence[int] | None, payload: Any, *, base: str | None = None,
                    client: Mapping[str, Any] | None = None, actor_id: int | None = None) -> JSON:
        """``PUT /tickets/update_many.json``: bulk (``?ids=`` + ``ticket``) or batch (``tickets``)."""
        with self._lock:
            work = self._bulk_work(ids, payload)
            if len(work) > MAX_BULK:
                raise ApiError(400, {"error": "TooManyValues", "description": "Parameter ids cannot specify more "
                                     f"than {MAX_BULK} values", "max_count": MAX_BULK})  # recorded shape
            running = sum(1 for j in self._jobs.values() if j["status"] != "completed")
            if running >= self.config.job_queue_limit:
                raise ApiError(429, TOO_MANY_JOBS, {"Retry-After": "5"})
            # Zendesk safe-updates every bulk job from the moment it is queued: a ticket changed since
            # fails in the results. The stamps are what "changed" is measured against.
            stamps = {ticket_id: self._tickets[ticket_id]["updated_at"] for _, ticket_id, _ in work
                      if ticket_id in self._tickets}
            job: JSON = {"id": job_id(), "job_type": "bulk_update", "total": len(work), "progress": None,
                   "status": "queued", "message": None, "results": None, "_work": work, "_stamps": stamps,
                   "_created": time.monotonic(), "_actor": actor_id or self.api_user_id,
                   "_client": dict(client or {})}
            self._jobs[job["id"]] = job
            return {"job_status": job_status_json(job, self._base(base))}

    @staticmethod
    def _bulk_work(ids: Sequence[int] | None, payload: Any) -> list[tuple[int, int, JSON]]:
        if isinstance(payload, Mapping) and isinstance(payload.get("tickets"), list):
            work = []
            for index, item in enumerate(payload["tickets"]):
                if not isinstance(item, Mapping) or _as_id("id", item.get("id")) is None:
                    raise ApiError(400, {"error": "InvalidParameter", "description": "every ticket needs an id"})
                work.append((index, int(item["id"]), {k: v for k, v in item.items() if k != "id"}))
            return work
        if ids:
            changes = dict(payload_object(payload, "ticket"))
            return [(index, ticket_id, changes) for index, ticket_id in enumerate(ids)]
        raise ApiError(400, {"error": "InvalidParameter", "description": "Pass ?ids= with a ticket, or a tickets list"})

    def _run_job(self, job: JSON) -> None:
        """Do a bulk job's work now; each ticket succeeds or fails on its own: a missing ticket, a
        closed one (as in a single update) and one changed after the job was queued all fail."""
        results = []
        for index, ticket_id, changes in job["_work"]:
            result = {"id": ticket_id, "index": index, "action": "update"}
            try:
                ticket = self._ticket(ticket_id)
                if ticket["updated_at"] != job["_stamps"].get(ticket_id):
                    raise ApiError(409, {"error": "TicketUpdateConflict", "description": JOB_CONFLICT})
                change, _ = self._update(ticket, changes, job["_actor"], API_VIA, client=job["_client"])
                self._emit(ticket, change.notices, job["_actor"])
                result.update(status="Updated", success=True)
            except ApiError as exc:
                body = exc.body if isinstance(exc.body, Mapping) else {}
                result.update(status="Failed", success=False, error=body.get("error", "Error"),
                              details=str(body.get("details") or body.get("description") or ""))
            results.append(result)
        job.update(status="completed", progress=job["total"], results=results,
                   message=f"Completed at {self.now():%Y-%m-%d %H:%M:%S} +0000")

    def _advance_job(self, job: JSON) -> None:
        """queued → working → completed, one step per poll."""
        if job["status"] == "queued":
            first = job["_work"][0][1] if job["_work"] else None
            job.update(status="working", progress=job["total"] // 2,
                       message=f"Updating ticket #{first}" if first else None)
        elif job["status"] == "working":
            self._run_job(job)

    def job_status(self, job_id_: str, *, base: str | None = None) -> JSON:
        """``GET /job_statuses/{id}.json``; each poll moves the job one step on."""
        with self._lock:
            job = self._jobs.get(job_id_)
            if job is None:
                raise ApiError(404, NOT_FOUND)
            self._advance_job(job)
            return {"job_status": job_status_json(job, self._base(base))}

    def job_statuses(self, ids: Sequence[str] | None = None, *, base: str | None = None) -> list[JSON]:
        """Job statuses (all, or those in `ids`) without moving them on."""
        with self._lock:
            return [job_status_json(j, self._base(base)) for j in self._jobs.values() if ids is None or j["id"] in ids]

    def settle_jobs(self) -> None:
        """Complete bulk jobs nobody polled once they are old enough (Zendesk runs them anyway)."""
        with self._lock:
            limit = time.monotonic() - self.config.job_settle_seconds
            for job in self._jobs.values():
                if job["status"] != "completed" and job["_created"] <= limit:
                    self._run_job(job)

    def run_jobs(self) -> None:
        """Complete every pending bulk job now."""
        with self._lock:
            for job in self._jobs.values():
                if job["status"] != "completed":
                    self._run_job(job)
