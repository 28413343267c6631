"""The sandbox's webhook monitoring API: invocations and their attempts, from the delivery log.

`feedbackloop doctor` reads a webhook's recent invocations to tell "Zendesk could not reach you"
(or "you refused its signature") from "nothing happened". The sandbox already records every
delivery attempt (`SandboxState.deliveries`); this module answers them in the shape of
Zendesk's Webhooks API:

* ``GET /api/v2/webhooks/{id}/invocations``: newest first, cursor-paged (``page[size]``), each
  ``{"id", "status", "status_code", "latest_completed_at"}`` [cassette
  ``TestWebhooks.test_invocations``, zendesk-notes §2];
* ``GET /api/v2/webhooks/{id}/invocations/{invocation_id}/attempts``: every attempt of one
  invocation with the request that was sent and the status that came back.

Status words: an invocation that got a 2xx is ``success``; one Zendesk gave up on is ``failed``
(the recorded Zendesk answer also shows ``terminated``, ``throttled`` and ``circuit broken``,
which the sandbox does not produce); one still being retried is ``retrying`` [unverified].
A delivery the sandbox dropped on purpose (``drop_share``) never reached Zendesk's log, so it is
not listed. The webhook CRUD, signing-secret, trigger, ticket-field, group, view, macro and
users/me endpoints live in app.py / resources.py; this module only adds what they lacked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Blueprint, Response, current_app, request

from feedbackloop.helpdesks.sandbox.deliver import DeliveryRecord
from feedbackloop.helpdesks.sandbox.shapes import JSON, iso, webhook_error
from feedbackloop.helpdesks.sandbox.state import ApiError, SandboxState

JSON_TYPE = "application/json; charset=utf-8"
#: DeliveryRecord.outcome → the invocation status Zendesk's API reports.
INVOCATION_STATUS = {"delivered": "success", "failed": "failed", "retrying": "retrying"}
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 100

admin_api = Blueprint("sandbox_admin", __name__, url_prefix="/api/v2")


def state_of_app() -> SandboxState:
    """The state of the sandbox answering this request."""
    state: SandboxState = current_app.extensions["sandbox.state"]
    return state


def answer(status: int, body: Any) -> Response:
    """A JSON answer."""
    return Response(json.dumps(body).encode("utf-8"), status=status, content_type=JSON_TYPE)


def invocations_of(records: Sequence[DeliveryRecord], webhook_id: str) -> list[JSON]:
    """One entry per invocation of `webhook_id`, from its latest attempt, newest first."""
    latest: dict[str, DeliveryRecord] = {}
    for record in records:
        if record.webhook_id == webhook_id and record.outcome in INVOCATION_STATUS:
            latest[record.invocation_id] = record
    ordered = sorted(latest.values(), key=lambda r: (r.at, r.invocation_id), reverse=True)
    return [invocation_json(record) for record in ordered]


def invocation_json(record: DeliveryRecord) -> JSON:
    """An invocation as Zendesk lists it (status_code only when an answer came back)."""
    body: JSON = {"id": record.invocation_id, "status": INVOCATION_STATUS[record.outcome],
                  "latest_completed_at": iso(record.at)}
    if record.status_code is not None:
        body["status_code"] = record.status_code
    return body


def attempt_json(record: DeliveryRecord) -> JSON:
    """One attempt: what was sent, and what came back (or why nothing did)."""
    return {
        "id": f"{record.invocation_id}-{record.attempt}",
        "status": INVOCATION_STATUS[record.outcome],
        "invoked_at": iso(record.at),
        "completed_at": iso(record.at),
        "request": {"headers": [{"key": k, "value": v} for k, v in sorted(record.headers.items())],
                    "payload": record.body.decode("utf-8", errors="replace")},
        "response": {"status_code": record.status_code, "error": record.error},
    }


def page_size(args: Mapping[str, str]) -> int:
    """``page[size]`` within Zendesk's bounds (a 400 otherwise)."""
    raw = args.get("page[size]", str(DEFAULT_PAGE_SIZE))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ApiError(400, webhook_error("InvalidPaginationParameter", "Invalid page[size]",
                                          f"page[size] must be between 1 and {MAX_PAGE_SIZE}"))
    return int(raw)


def cursor_page(key: str, items: list[JSON], args: Mapping[str, str], url: str) -> JSON:
    """A cursor page (``meta``/``links``) whose cursor is the last listed item's id."""
    size = page_size(args)
    after = args.get("page[after]")
    start = next((i + 1 for i, item in enumerate(items) if item["id"] == after), 0) if after else 0
    page = items[start:start + size]
    has_more = start + size < len(items)
    last = page[-1]["id"] if page else None
    return {key: page,
            "meta": {"has_more": has_more, "after_cursor": last if has_more else None,
                     "before_cursor": page[0]["id"] if page else None},
            "links": {"next": f"{url}?page[size]={size}&page[after]={last}" if has_more else None,
                      "prev": None}}


def known_webhook(state: SandboxState, webhook_id: str) -> str:
    """The id of an existing webhook (Zendesk's 404 otherwise)."""
    webhook_id = webhook_id.removesuffix(".json")
    state.get_webhook(webhook_id)
    return webhook_id


@admin_api.get("/webhooks/<webhook_id>/invocations")
@admin_api.get("/webhooks/<webhook_id>/invocations.json")
def webhook_invocations(webhook_id: str) -> Response:
    """``GET /webhooks/{id}/invocations``: the webhook's invocations, newest first."""
    state = state_of_app()
    webhook_id = known_webhook(state, webhook_id)
    items = invocations_of(state.deliveries, webhook_id)
    return answer(200, cursor_page("invocations", items, request.args.to_dict(), request.base_url))


@admin_api.get("/webhooks/<webhook_id>/invocations/<invocation_id>/attempts")
def webhook_invocation_attempts(webhook_id: str, invocation_id: str) -> Response:
    """``GET /webhooks/{id}/invocations/{invocation_id}/attempts``: every attempt, oldest first."""
    state = state_of_app()
    webhook_id = known_webhook(state, webhook_id)
    attempts = [attempt_json(r) for r in state.deliveries if r.webhook_id == webhook_id
                and r.invocation_id == invocation_id and r.outcome in INVOCATION_STATUS]
    if not attempts:
        raise ApiError(404, webhook_error("InvocationNotFound", "Not Found", f"Invocation {invocation_id} not found"))
    return answer(200, {"attempts": attempts})
