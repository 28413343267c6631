"""The sandbox's HTTP face: Zendesk's REST API under /api/v2, simulation controls under /__sandbox.

Every /api/v2 request goes through the same gate, in Zendesk's order as seen from outside:
injected faults (they stand for the network and Zendesk's edge), then authentication (401), then
the role (403 for an agent's token on an admin-only endpoint), then the account budget (429 with
Retry-After). Every /api/v2 answer carries the rate-limit headers in every spelling seen in
recorded Zendesk answers (the webhooks API only its own `x-rate-limit`, as recorded) and is written
to the request log. A ticket update also spends the account's Update Ticket budget (100 a minute,
20 on a trial account; agents' simulated updates spend it too) and reports it in
`zendesk-rate-limit-tickets-update`. The /__sandbox endpoints need no credentials: the sandbox is
for loopback use only.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from feedbackloop.helpdesks.sandbox.admin_resources import admin_api
from feedbackloop.helpdesks.sandbox.limits import Allowance, Fault
from feedbackloop.helpdesks.sandbox.paging import PageError, paginate
from feedbackloop.helpdesks.sandbox.resources import RESOURCE_KINDS
from feedbackloop.helpdesks.sandbox.shapes import (
    AUTH_FAILED,
    INVALID_ENDPOINT,
    NOT_FOUND,
    RATE_LIMITED,
    TICKET_UPDATES_LIMITED,
    UPDATE_CONFLICT,
    closed_ticket,
    endpoint_limit_header,
    gateway_page,
    iso,
    offset_page,
)
from feedbackloop.helpdesks.sandbox.state import (
    FORBIDDEN,
    TICKET_UPDATE_LIMITED,
    ApiError,
    RequestRecord,
    SandboxState,
)

API = "/api/v2"
JSON_TYPE = "application/json; charset=utf-8"
View = Callable[..., Any]


def create_sandbox_app(state: SandboxState | None = None, *, email: str | None = None,
                       api_token: str | None = None, **config: Any) -> Flask:
    """The sandbox Zendesk as a Flask app; credentials are ``{email}/token:{api_token}``.

    With an existing `state`, the given credentials and settings are applied to it and kept
    across `SandboxState.reset`.
    """
    settings = {k: v for k, v in dict(config, email=email, api_token=api_token).items() if v is not None}
    if state is None:
        state = SandboxState(**settings)
    elif settings:
        state.configure(persist=True, **settings)
    app = Flask(__name__)
    app.extensions["sandbox.state"] = state
    app.before_request(admit_request)
    app.after_request(finish_request)
    app.register_error_handler(ApiError, answer_api_error)
    app.register_error_handler(PageError, answer_page_error)
    app.register_error_handler(HTTPException, answer_http_error)
    app.register_blueprint(api)
    app.register_blueprint(admin_api)
    app.register_blueprint(simulation)
    return app


def sandbox_state() -> SandboxState:
    """The state of the app answering this request."""
    state: SandboxState = current_app.extensions["sandbox.state"]
    return state


def json_response(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON answer (no body for 204)."""
    data = b"" if status == 204 else json.dumps(body).encode("utf-8")
    return Response(data, status=status, headers=dict(headers or {}), content_type=JSON_TYPE)


def is_api_request() -> bool:
    """Whether this request is for the Zendesk API (gated, logged) rather than /__sandbox."""
    return request.path.startswith(API + "/")


def base_url() -> str:
    """Links in answers point back at the host the client used, as Zendesk's do."""
    return request.host_url.rstrip("/")


def client_info() -> dict[str, Any]:
    """The audit's ``metadata.system``."""
    return {"client": request.user_agent.string, "ip_address": request.remote_addr}


def body() -> Any:
    """The request's JSON (None when there is none); a body that is not JSON is a 400."""
    if not request.get_data(cache=True):
        return None
    payload = request.get_json(force=True, silent=True, cache=True)
    if payload is None:
        raise ApiError(400, {"error": "InvalidJSON", "description": "The request body is not valid JSON"})
    return payload


# --- the gate: faults, auth, budget; then headers and the log --------------------------------


def admit_request() -> Response | None:
    """Injected faults, then authentication, then the account's rate limit."""
    if not is_api_request():
        return None
    state = sandbox_state()
    g.generation = state.generation  # the account this request began on (state.log_request)
    state.settle_jobs()
    fault = state.take_fault(request.method, request.path)
    g.fault = fault
    if fault is not None and fault.after:
        g.fault_after = fault
    elif fault is not None:
        answer = carry_out(state, fault)
        if answer is not None:
            return answer
    user_id = authenticated_user(state)
    if user_id is None:
        return json_response(401, AUTH_FAILED, {"WWW-Authenticate": 'Basic realm="Web Password"'})
    g.user_id = user_id
    if admin_only(request.method, request.path) and state.role_of(user_id) != "admin":
        return json_response(403, FORBIDDEN)
    allowance, refusal = state.spend_request(request.path)
    g.allowance = allowance
    if refusal is not None:
        return json_response(429, refusal.body, {"Retry-After": str(refusal.retry_after)})
    return None


def authenticated_user(state: SandboxState) -> int | None:
    """The user of HTTP basic ``{email}/token:{api_token}``; passwords and other schemes are refused."""
    auth = request.authorization
    if auth is None or auth.type != "basic" or not auth.username or auth.password is None:
        return None
    email, _, kind = auth.username.rpartition("/")
    return state.user_for_token(email, auth.password) if kind == "token" else None


#: Collections only admins may change (agents may list them): Zendesk's "Allowed for: Admins".
ADMIN_WRITES = ("/api/v2/triggers", "/api/v2/ticket_fields", "/api/v2/groups")
#: APIs only admins may use at all: the incremental exports and the webhooks API.
ADMIN_APIS = ("/api/v2/incremental/", "/api/v2/webhooks")


def admin_only(method: str, path: str) -> bool:
    """Whether Zendesk allows this request to admins only."""
    if path.startswith(ADMIN_APIS):
        return True
    return method != "GET" and path.startswith(ADMIN_WRITES)


def acting_user() -> int | None:
    """The user the request's credentials belong to."""
    user_id: int | None = g.get("user_id")
    return user_id


def is_webhooks_api() -> bool:
    """The webhooks API reports its own limit in the account's header names (recorded)."""
    return request.path == API + "/webhooks" or request.path.startswith(API + "/webhooks/")


def carry_out(state: SandboxState, fault: Fault) -> Response | None:
    """Stall, drop the connection, or answer with the fault's status; None when it only stalls."""
    if fault.delay > 0:
        time.sleep(fault.delay)
    if fault.reset:
        return drop_connection(state, fault)
    if fault.status is not None:
        return fault_response(fault)
    return None


def fault_response(fault: Fault) -> Response:
    """The injected status, with Zendesk's body for it (5xx: the edge's HTML page)."""
    status = fault.status or 500
    headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
    if fault.body is not None:
        if isinstance(fault.body, str):
            return Response(fault.body, status=status, headers=headers, content_type="text/html; charset=utf-8")
        return json_response(status, fault.body, headers)
    default = {401: AUTH_FAILED, 404: NOT_FOUND, 409: UPDATE_CONFLICT, 422: closed_ticket(), 429: RATE_LIMITED}
    if status in default:
        return json_response(status, default[status], headers)
    if status >= 500:
        return Response(gateway_page(status), status=status, headers=headers, content_type="text/html; charset=utf-8")
    return json_response(status, {"error": "InjectedFault", "description": f"sandbox fault {fault.id}"}, headers)


def drop_connection(state: SandboxState, fault: Fault) -> Response:
    """Abort the TCP connection without an answer (the client sees a reset / remote disconnect)."""
    state.log_request(request_record(0, fault), g.get("generation"))
    g.logged = True
    sock = request.environ.get("werkzeug.socket")
    if not isinstance(sock, socket.socket):
        raise ConnectionResetError("sandbox fault: connection reset (no socket to drop)")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.shutdown(socket.SHUT_RDWR)
    return Response(b"", status=500)  # werkzeug's write fails on the dead socket and gives up quietly


def request_record(status: int, fault: Fault | None) -> RequestRecord:
    """This request as a log entry (the JSON body parsed when it is JSON)."""
    try:
        payload = request.get_json(force=True, silent=True, cache=True)
    except Exception:  # noqa: BLE001 - a log entry must never fail the request
        payload = None
    if payload is None and request.get_data(cache=True):
        payload = request.get_data(cache=True, as_text=True)[:2000]
    return RequestRecord(method=request.method, path=request.path, query=request.args.to_dict(),
                         body=payload, status=status, at=sandbox_state().now(),
                         fault=fault.describe() if fault is not None else None)


def finish_request(response: Response) -> Response:
    """Rate-limit headers on every API answer, and one line in the request log."""
    if not is_api_request() or g.get("logged"):
        return response
    state = sandbox_state()
    late: Fault | None = g.get("fault_after")
    if late is not None:
        answer = carry_out(state, late)
        if answer is not None and late.reset:
            return answer
        response = answer or response
    if is_webhooks_api():
        hooks: Allowance = g.get("allowance") or state.peek_webhooks_budget()
        response.headers["x-rate-limit"] = str(hooks.limit)
        response.headers["x-rate-limit-remaining"] = str(hooks.remaining)
    else:
        allowance: Allowance = g.get("allowance") or state.peek_budget()
        for name, value in (("x-rate-limit", allowance.limit), ("x-rate-limit-remaining", allowance.remaining),
                            ("ratelimit-limit", allowance.limit), ("ratelimit-remaining", allowance.remaining),
                            ("ratelimit-reset", allowance.resets_in), ("rate-limit", allowance.limit),
                            ("rate-limit-remaining", allowance.remaining), ("rate-limit-reset", allowance.resets_in)):
            response.headers[name] = str(value)
    endpoint: Allowance | None = g.get("ticket_update_budget")
    if endpoint is not None:  # the recorded spelling for this endpoint (2023); 2024 answers say zendesk-ratelimit-
        response.headers["zendesk-rate-limit-tickets-update"] = endpoint_limit_header(endpoint)
    per_ticket: Allowance | None = g.get("ticket_updates")
    if per_ticket is not None:
        response.headers["zendesk-ratelimit-per-ticket-updates"] = endpoint_limit_header(per_ticket)
    state.log_request(request_record(response.status_code, g.get("fault")), g.get("generation"))
    return response


def spend_ticket_update(ticket_id: int, *, endpoint: bool = False) -> None:
    """The Update Ticket limit (`endpoint`: per account, for PUT /tickets/{id}), then the per-ticket
    one; a 429 when either is spent."""
    state = sandbox_state()
    if endpoint:
        budget = state.spend_ticket_update_budget()
        g.ticket_update_budget = budget
        if not budget.allowed:
            raise ApiError(429, TICKET_UPDATE_LIMITED, {"Retry-After": str(budget.retry_after)})
    allowance = state.spend_ticket_update(ticket_id)
    g.ticket_updates = allowance
    if not allowance.allowed:
        raise ApiError(429, TICKET_UPDATES_LIMITED, {"Retry-After": str(allowance.retry_after)})


def answer_api_error(exc: ApiError) -> Response:
    """Zendesk's error JSON for an `ApiError`."""
    return json_response(exc.status, exc.body, exc.headers)


def answer_page_error(exc: PageError) -> Response:
    """400 for page parameters Zendesk would refuse."""
    return json_response(400, {"error": "InvalidPaginationParameter", "description": str(exc)})


def answer_http_error(exc: HTTPException) -> Response:
    """Routing errors in Zendesk's words under /api/v2, plain JSON elsewhere."""
    status = exc.code or 500
    if is_api_request():
        return json_response(status, INVALID_ENDPOINT if status in (404, 405) else {"error": exc.name})
    return json_response(status, {"error": exc.name, "description": exc.description})


# --- /api/v2 ------------------------------------------------------------------------------

api = Blueprint("sandbox_api", __name__, url_prefix=API)


def route(rule: str, methods: Sequence[str]) -> Callable[[View], View]:
    """Register `rule` with and without ``.json``, as Zendesk answers both."""
    def register(view: View) -> View:
        """Add the two rules for one view."""
        api.add_url_rule(rule + ".json", endpoint=view.__name__ + "_json", view_func=view, methods=list(methods))
        api.add_url_rule(rule, endpoint=view.__name__, view_func=view, methods=list(methods))
        return view
    return register


def id_list(name: str = "ids") -> list[int]:
    """``?ids=1,2,3`` as ints (a 400 otherwise)."""
    raw = request.args.get(name, "")
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise ApiError(400, {"error": "InvalidValue", "description": f"{name} must be comma-separated ids"}) from None


def page_of(key: str, items: list[dict[str, Any]]) -> Response:
    """A list answer, paginated the way the request asked (cursor or offset)."""
    return json_response(200, paginate(key, items, request.args.to_dict(), base_url() + request.path))


@route("/users/me", ["GET"])
def users_me() -> Response:
    """``GET /users/me.json``: the authenticated (API) user."""
    return json_response(200, sandbox_state().me(base=base_url(), user_id=acting_user()))


@route("/users", ["GET", "POST"])
def users() -> Response:
    """``GET /users.json`` (paginated) and ``POST /users.json`` (201)."""
    if request.method == "POST":
        return json_response(201, sandbox_state().create_user(body(), base=base_url()))
    return page_of("users", sandbox_state().list_users(base=base_url()))


@route("/users/show_many", ["GET"])
def users_show_many() -> Response:
    """``GET /users/show_many.json?ids=``."""
    found = sandbox_state().list_users(id_list(), base=base_url())
    return json_response(200, offset_page("users", found, len(found)))


@route("/users/<int:user_id>", ["GET"])
def user(user_id: int) -> Response:
    """``GET /users/{id}.json``."""
    return json_response(200, sandbox_state().get_user(user_id, base=base_url()))


@route("/tickets", ["GET", "POST"])
def tickets() -> Response:
    """``GET /tickets.json[?external_id=]`` (paginated) and ``POST /tickets.json`` (201, ticket + audit)."""
    state = sandbox_state()
    if request.method == "POST":
        return json_response(201, state.create_ticket(body(), base=base_url(), client=client_info(),
                                                      actor_id=acting_user()))
    return page_of("tickets", state.find_tickets(request.args.get("external_id"), base=base_url()))


@route("/tickets/show_many", ["GET"])
def tickets_show_many() -> Response:
    """``GET /tickets/show_many.json?ids=``; unknown ids are left out."""
    found = sandbox_state().show_many_tickets(id_list(), base=base_url())
    return json_response(200, offset_page("tickets", found, len(found)))


@route("/tickets/update_many", ["PUT"])
def tickets_update_many() -> Response:
    """``PUT /tickets/update_many.json``: a queued job status."""
    ids = id_list() if request.args.get("ids") else None
    return json_response(200, sandbox_state().update_many(ids, body(), base=base_url(), client=client_info(),
                                                          actor_id=acting_user()))


@route("/tickets/<int:ticket_id>", ["GET", "PUT"])
def ticket(ticket_id: int) -> Response:
    """``GET`` and ``PUT /tickets/{id}.json``; a PUT counts against the per-ticket update limit."""
    state = sandbox_state()
    if request.method == "PUT":
        spend_ticket_update(ticket_id, endpoint=True)
        return json_response(200, state.update_ticket(ticket_id, body(), base=base_url(), client=client_info(),
                                                      actor_id=acting_user()))
    return json_response(200, state.get_ticket(ticket_id, base=base_url()))


@route("/tickets/<int:ticket_id>/comments", ["GET"])
def ticket_comments(ticket_id: int) -> Response:
    """``GET /tickets/{id}/comments.json``, oldest first unless ``sort_order=desc``."""
    comments = sandbox_state().list_comments(ticket_id)
    if request.args.get("sort_order") == "desc":
        comments.reverse()
    return page_of("comments", comments)


@route("/tickets/<int:ticket_id>/audits", ["GET"])
def ticket_audits(ticket_id: int) -> Response:
    """``GET /tickets/{id}/audits.json``."""
    return page_of("audits", sandbox_state().list_audits(ticket_id))


@route("/tickets/<int:ticket_id>/tags", ["GET", "PUT", "POST", "DELETE"])
def ticket_tags(ticket_id: int) -> Response:
    """``GET`` lists; ``PUT`` adds, ``POST`` sets, ``DELETE`` removes; each answers the tags after."""
    state = sandbox_state()
    if request.method == "GET":
        return json_response(200, state.ticket_tags(ticket_id))
    spend_ticket_update(ticket_id)
    mode = {"PUT": "add", "POST": "set", "DELETE": "remove"}[request.method]
    return json_response(200, state.change_tags(ticket_id, mode, body(), client=client_info()))


@route("/job_statuses", ["GET"])
def job_statuses() -> Response:
    """``GET /job_statuses.json``."""
    found = sandbox_state().job_statuses(base=base_url())
    return json_response(200, offset_page("job_statuses", found, len(found)))


@route("/job_statuses/show_many", ["GET"])
def job_statuses_show_many() -> Response:
    """``GET /job_statuses/show_many.json?ids=``."""
    wanted = [part for part in request.args.get("ids", "").split(",") if part]
    found = sandbox_state().job_statuses(wanted, base=base_url())
    return json_response(200, offset_page("job_statuses", found, len(found)))


@route("/job_statuses/<job_id>", ["GET"])
def job_status(job_id: str) -> Response:
    """``GET /job_statuses/{id}.json``: each poll moves the job one step (queued, working, completed)."""
    return json_response(200, sandbox_state().job_status(job_id.removesuffix(".json"), base=base_url()))


@route("/incremental/tickets/cursor", ["GET"])
def incremental_tickets() -> Response:
    """``GET /incremental/tickets/cursor.json?start_time=`` or ``?cursor=``."""
    args = request.args
    try:
        start = int(args["start_time"]) if "start_time" in args else None
        per_page = int(args.get("per_page", 1000))
    except ValueError:
        raise ApiError(400, {"error": "InvalidValue", "description": "start_time and per_page must be whole numbers"}) from None
    return json_response(200, sandbox_state().export_tickets(start_time=start, cursor=args.get("cursor"),
                                                             per_page=per_page, base=base_url()))


@route("/satisfaction_ratings", ["GET"])
def satisfaction_ratings() -> Response:
    """``GET /satisfaction_ratings.json`` (agents may read it): ``score``, ``start_time``/``end_time``
    (Unix seconds), cursor or offset pagination."""
    return json_response(200, sandbox_state().list_satisfaction_ratings(
        request.args.to_dict(), base_url() + request.path, base=base_url()))


@route("/satisfaction_ratings/<int:rating_id>", ["GET"])
def satisfaction_rating(rating_id: int) -> Response:
    """``GET /satisfaction_ratings/{id}.json``."""
    return json_response(200, sandbox_state().get_satisfaction_rating(rating_id, base=base_url()))


@route("/search", ["GET"])
def search() -> Response:
    """``GET /search.json?query=`` (tickets only, offset pagination)."""
    query = request.args.get("query", "")
    results = sandbox_state().search(query, sort_by=request.args.get("sort_by"),
                                     sort_order=request.args.get("sort_order"), base=base_url())
    page = paginate("results", results, {k: v for k, v in request.args.items() if k != "page[size]"},
                    base_url() + request.path)
    return json_response(200, {**page, "facets": None})


@route("/webhooks", ["GET", "POST"])
def webhooks() -> Response:
    """``GET /webhooks`` (cursor-shaped list, ``filter[name_contains]``) and ``POST /webhooks`` (201)."""
    state = sandbox_state()
    if request.method == "POST":
        return json_response(201, state.create_webhook(body()))
    found = state.list_webhooks(request.args.get("filter[name_contains]"))
    return json_response(200, {"webhooks": found, "meta": {"has_more": False, "after_cursor": None, "before_cursor": None},
                               "links": {"next": None, "prev": None}})


@route("/webhooks/<webhook_id>", ["GET", "PUT", "PATCH", "DELETE"])
def webhook(webhook_id: str) -> Response:
    """``GET``, ``PUT``/``PATCH`` (204) and ``DELETE`` (204) ``/webhooks/{id}``."""
    state = sandbox_state()
    webhook_id = webhook_id.removesuffix(".json")
    if request.method == "GET":
        return json_response(200, state.get_webhook(webhook_id))
    if request.method == "DELETE":
        state.delete_webhook(webhook_id)
    else:
        state.update_webhook(webhook_id, body(), partial=request.method == "PATCH")
    return json_response(204, None)


@route("/webhooks/<webhook_id>/signing_secret", ["GET", "POST"])
def webhook_signing_secret(webhook_id: str) -> Response:
    """``GET`` shows (200), ``POST`` resets (201) a webhook's signing secret."""
    reset = request.method == "POST"
    return json_response(201 if reset else 200, sandbox_state().signing_secret(webhook_id, reset=reset))


def resource_collection(kind: str) -> Response:
    """``GET`` (paginated) and ``POST`` (201) for groups, ticket_fields, triggers, views, macros."""
    state = sandbox_state()
    if request.method == "POST":
        return json_response(201, state.save_resource(kind, None, body(), base=base_url()))
    return page_of(kind, state.list_resources(kind, base=base_url()))


def resource_record(kind: str, record_id: int) -> Response:
    """``GET``, ``PUT`` and ``DELETE`` (204) of one admin record."""
    state = sandbox_state()
    if request.method == "DELETE":
        state.delete_resource(kind, record_id)
        return json_response(204, None)
    if request.method == "PUT":
        return json_response(200, state.save_resource(kind, record_id, body(), base=base_url()))
    return json_response(200, state.get_resource(kind, record_id, base=base_url()))


for _kind in RESOURCE_KINDS:
    for _suffix, _name in ((".json", "_json"), ("", "")):
        api.add_url_rule(f"/{_kind}{_suffix}", endpoint=f"{_kind}_collection{_name}", view_func=resource_collection,
                         methods=["GET", "POST"], defaults={"kind": _kind})
        api.add_url_rule(f"/{_kind}/<int:record_id>{_suffix}", endpoint=f"{_kind}_record{_name}",
                         view_func=resource_record, methods=["GET", "PUT", "DELETE"], defaults={"kind": _kind})


# --- /__sandbox: what customers, agents and tests do ---------------------------------------

simulation = Blueprint("sandbox_simulation", __name__, url_prefix="/__sandbox")


def args_of(allowed: Sequence[str], required: Sequence[str] = ()) -> dict[str, Any]:
    """The request's JSON object, limited to known keys (a 400 names the unknown or missing ones)."""
    payload = body() or {}
    if not isinstance(payload, Mapping):
        raise ApiError(400, {"error": "BadRequest", "description": "expected a JSON object"})
    unknown = sorted(set(payload) - set(allowed))
    missing = sorted(set(required) - set(payload))
    if unknown or missing:
        raise ApiError(400, {"error": "BadRequest", "description": f"unknown: {unknown}; missing: {missing}"})
    return dict(payload)


def ticket_answer(ticket_id: int, /, status: int = 200, **extra: Any) -> Response:
    """A simulation answer: the ticket and its comments (plus `extra`)."""
    state = sandbox_state()
    return json_response(status, {"ticket": state.ticket(ticket_id), "comments": state.ticket_comments(ticket_id), **extra})


@simulation.post("/tickets")
def simulate_ticket() -> Response:
    """A customer writes in: {subject, body, name?, email?, requester_id?, channel?, tags?, custom_fields?, ...}."""
    options = args_of(("subject", "body", "name", "email", "requester_id", "channel", "tags", "custom_fields",
                       "priority", "type", "group_id", "external_id"), required=("subject", "body"))
    if "type" in options:
        options["ticket_type"] = options.pop("type")
    if isinstance(options.get("custom_fields"), Mapping):
        options["custom_fields"] = {int(k): v for k, v in options["custom_fields"].items()}
    return ticket_answer(sandbox_state().simulate_customer_ticket(**options), 201)


@simulation.get("/tickets/<int:ticket_id>")
def simulated_ticket(ticket_id: int) -> Response:
    """A ticket with its comments and audits, as the sandbox holds it."""
    return ticket_answer(ticket_id, audits=sandbox_state().ticket_audits(ticket_id))


@simulation.post("/tickets/<int:ticket_id>/agent_reply")
def simulate_agent_reply(ticket_id: int) -> Response:
    """An agent answers: {body, public?=true, author_id?, status?}."""
    options = args_of(("body", "public", "author_id", "status"), required=("body",))
    comment_id = sandbox_state().simulate_agent_reply(ticket_id, options.pop("body"), **options)
    return ticket_answer(ticket_id, comment_id=comment_id)


@simulation.post("/tickets/<int:ticket_id>/agent_update")
def simulate_agent_update(ticket_id: int) -> Response:
    """An agent edits the ticket: {changes: {...REST ticket properties...}, author_id?}."""
    options = args_of(("changes", "author_id"), required=("changes",))
    sandbox_state().simulate_agent_update(ticket_id, options["changes"], author_id=options.get("author_id"))
    return ticket_answer(ticket_id)


@simulation.post("/tickets/<int:ticket_id>/status")
def simulate_status(ticket_id: int) -> Response:
    """An agent sets the status: {status, author_id?}."""
    options = args_of(("status", "author_id"), required=("status",))
    sandbox_state().simulate_status(ticket_id, options["status"], author_id=options.get("author_id"))
    return ticket_answer(ticket_id)


@simulation.post("/tickets/<int:ticket_id>/solve")
def simulate_solve(ticket_id: int) -> Response:
    """An agent solves the ticket (and is assigned if nobody was)."""
    sandbox_state().simulate_solve(ticket_id)
    return ticket_answer(ticket_id)


@simulation.post("/tickets/<int:ticket_id>/close")
def simulate_close(ticket_id: int) -> Response:
    """The close-solved-tickets automation runs on the ticket."""
    sandbox_state().simulate_close(ticket_id)
    return ticket_answer(ticket_id)


@simulation.post("/tickets/<int:ticket_id>/customer_reply")
def simulate_customer_reply(ticket_id: int) -> Response:
    """The requester writes back: {body}; answers the ticket the comment landed on (a follow-up if closed)."""
    options = args_of(("body",), required=("body",))
    landed = sandbox_state().simulate_customer_reply(ticket_id, options["body"])
    return ticket_answer(landed, ticket_id=landed)


@simulation.post("/tickets/<int:ticket_id>/satisfaction")
def simulate_satisfaction(ticket_id: int) -> Response:
    """Zendesk's own CSAT: {score: offered | good | bad, comment?, reason_code?} (the requester rates a
    solved ticket; "offered" is the survey going out). A change runs the satisfaction triggers."""
    options = args_of(("score", "comment", "reason_code"), required=("score",))
    rating = sandbox_state().simulate_satisfaction(ticket_id, str(options.pop("score")), **options)
    return ticket_answer(ticket_id, satisfaction_rating=rating)


@simulation.post("/tickets/<int:ticket_id>/tags")
def simulate_tags(ticket_id: int) -> Response:
    """An agent adds/removes tags: {add?: [...], remove?: [...]}."""
    options = args_of(("add", "remove"))
    return json_response(200, {"tags": sandbox_state().simulate_tags(ticket_id, options.get("add", ()),
                                                                     options.get("remove", ()))})


@simulation.get("/requests")
def logged_requests() -> Response:
    """The API request log: ?method=PUT&path=/tickets."""
    calls = sandbox_state().api_calls(request.args.get("method"), request.args.get("path"))
    return json_response(200, {"requests": [c.to_json() for c in calls], "count": len(calls)})


@simulation.get("/deliveries")
def deliveries() -> Response:
    """Every webhook delivery attempt, oldest first."""
    return json_response(200, {"deliveries": [d.to_json() for d in sandbox_state().deliveries]})


@simulation.post("/flush")
def flush() -> Response:
    """Wait for queued webhook deliveries: {timeout?=10}."""
    options = args_of(("timeout",))
    return json_response(200, {"drained": sandbox_state().flush(float(options.get("timeout", 10.0)))})


@simulation.route("/faults", methods=["GET", "POST", "DELETE"])
def faults() -> Response:
    """POST {status?, count?=1, retry_after?, delay?, reset?, path_prefix?, method?, body?, after?}; DELETE clears."""
    state = sandbox_state()
    if request.method == "DELETE":
        state.clear_faults()
        return json_response(204, None)
    if request.method == "POST":
        options = args_of(("status", "count", "retry_after", "delay", "reset", "path_prefix", "method", "body", "after"))
        try:
            fault = state.inject(**options)
        except (TypeError, ValueError) as exc:
            raise ApiError(400, {"error": "BadRequest", "description": str(exc)}) from None
        return json_response(201, {"fault": fault.to_json()})
    return json_response(200, {"faults": [f.to_json() for f in state.faults()]})


@simulation.post("/webhook_target")
def webhook_target() -> Response:
    """Deliver ticket events to {url} signed with {secret}; {subscriptions?} defaults to feedbackloop's."""
    options = args_of(("url", "secret", "subscriptions"), required=("url", "secret"))
    return json_response(201, {"webhook_id": sandbox_state().set_webhook_target(**options)})


@simulation.post("/delivery")
def delivery_options() -> Response:
    """Best-effort delivery: {duplicate_share?, drop_share?, shuffle?, shuffle_window?, timeout?, retry_delay?, seed?}."""
    state = sandbox_state()
    try:
        state.configure_delivery(**(body() or {}))
    except (TypeError, ValueError) as exc:
        raise ApiError(400, {"error": "BadRequest", "description": str(exc)}) from None
    return json_response(200, {"delivery": state.deliverer.options.__dict__})


@simulation.post("/config")
def config() -> Response:
    """Live limits: {rate_limit?, export_rate_limit?, ticket_update_limit?, export_lag?, ...}."""
    state = sandbox_state()
    try:
        current = state.configure(**(body() or {}))
    except (TypeError, ValueError) as exc:
        raise ApiError(400, {"error": "BadRequest", "description": str(exc)}) from None
    return json_response(200, {"config": {**current.__dict__, "api_token": "***"}})


@simulation.post("/clock")
def clock() -> Response:
    """Move the sandbox clock: {advance: seconds}."""
    options = args_of(("advance",), required=("advance",))
    return json_response(200, {"now": iso(sandbox_state().advance(float(options["advance"])))})


@simulation.post("/jobs/run")
def run_jobs() -> Response:
    """Complete every pending bulk job now."""
    sandbox_state().run_jobs()
    return json_response(204, None)


@simulation.post("/reset")
def reset() -> Response:
    """Back to a fresh account."""
    sandbox_state().reset()
    return json_response(204, None)


@simulation.get("/state")
def state_snapshot() -> Response:
    """Tickets, users, webhooks, counts and active faults."""
    return json_response(200, sandbox_state().snapshot())
