"""The Zendesk ticket sidebar app's backend: the feedback timeline and the "Override AI decision" form.

Zendesk loads the sidebar with a POST carrying a JWT (`signedUrls: true` in the manifest), signed
RS256 with the app's key. We verify it once (zaf.verify_app_token: RS256 only, `aud` and `iss`
checked) and answer with the page and our own short-lived session token. The page sends that
token as a bearer header on its XHRs: a header is not sent by browsers on their own, so the form
is CSRF-safe, and no third-party cookie is needed inside Zendesk's iframe (browsers block those).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from feedbackloop.core.errors import SignatureInvalid
from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.zendesk.zaf import agent_id_from_sub, verify_app_token
from feedbackloop.loop.decisions import MAX_TICKET_ID, FieldInvalid, check_storable
from feedbackloop.loop.overrides import describe_decision, latest_decision, record_override
from feedbackloop.store.db import session_scope, utcnow
from feedbackloop.store.models import DEFAULT_TENANT
from feedbackloop.web import agent_view
from feedbackloop.web.timeline import build_timeline
from feedbackloop.wiring.adminauth import bearer_token
from feedbackloop.wiring.ratelimit import RateLimited
from feedbackloop.wiring.services import services_of

bp = Blueprint("sidebar", __name__, url_prefix="/zendesk/sidebar")

SESSION_SALT = "feedbackloop-sidebar-session"
SESSION_SECONDS = 3600
FIELD_LIMITS = {"ai_decision": 5000, "final_action": 5000, "rationale": 5000, "policy_clause": 1000}
ZAF_SDK = "https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js"


class SidebarAuthError(Exception):
    """A refused sidebar request: 401 with the reason."""


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt=SESSION_SALT)


def expected_issuer(settings: Settings) -> str:
    """ZAF's `iss` is the account's host, `<subdomain>.zendesk.com`."""
    subdomain = settings.zendesk.subdomain if settings.zendesk else ""
    return f"{subdomain}.zendesk.com"


def issue_session(settings: Settings, claims: dict[str, Any], tenant_id: str) -> str:
    """Our own token for the page's later requests; carries the tenant and the agent (JWT `sub`: the
    agent's API URL on the account's host, or a bare id)."""
    agent_id = agent_id_from_sub(claims.get("sub"), str(claims.get("iss") or expected_issuer(settings)))
    return str(_serializer(settings).dumps({"tenant": tenant_id, "agent": agent_id}))


def read_session(settings: Settings, header: str) -> dict[str, Any]:
    """The session a bearer header names; SidebarAuthError when missing, forged or expired."""
    token = bearer_token(header)
    if token is None:
        raise SidebarAuthError("missing sidebar session: open the app from a Zendesk ticket")
    try:
        data: dict[str, Any] = _serializer(settings).loads(token, max_age=SESSION_SECONDS)
    except SignatureExpired:
        raise SidebarAuthError("sidebar session expired: reload the app") from None
    except BadSignature:
        raise SidebarAuthError("invalid sidebar session") from None
    return data


@bp.errorhandler(SidebarAuthError)
def _refused(exc: SidebarAuthError) -> ResponseReturnValue:
    return jsonify(error="unauthorized", message=str(exc)), 401


@bp.errorhandler(SignatureInvalid)
def _bad_jwt(exc: SignatureInvalid) -> ResponseReturnValue:
    return _page("sidebar/error.html", 401, message=str(exc))


@bp.errorhandler(RateLimited)
def _throttled(exc: RateLimited) -> ResponseReturnValue:
    """The sidebar's own page (framable by Zendesk), so the agent reads the reason in the iframe."""
    response = _page("sidebar/error.html", 429, message=exc.description)
    response.headers.update({name: value for name, value in exc.get_headers() if name == "Retry-After"})
    return response


def _page(template: str, status: int, **context: Any) -> Response:
    """A sidebar page: framable by Zendesk only, scripts only with this response's nonce."""
    nonce = secrets.token_urlsafe(16)
    response = current_app.response_class(render_template(template, nonce=nonce, zaf_sdk=ZAF_SDK, **context),
                                          status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'nonce-{nonce}' https://static.zdassets.com; connect-src 'self'; "
        "style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
        "frame-ancestors https://*.zendesk.com"
    )
    return response


@bp.post("")
def load() -> ResponseReturnValue:
    """Zendesk's signed first load: verify the JWT, answer with the app and a session."""
    settings = services_of(current_app).settings
    if not settings.app_public_key or not settings.app_audience:
        raise SignatureInvalid("the sidebar is not configured: set ZENDESK_APP_PUBLIC_KEY and ZENDESK_APP_AUDIENCE")
    claims = verify_app_token(request.form.get("token", ""), settings.app_public_key, settings.app_audience,
                              expected_issuer(settings), utcnow())
    session_token = issue_session(settings, claims, DEFAULT_TENANT)
    return _page("sidebar/app.html", 200, session=session_token, origin=request.args.get("origin", ""))


@bp.get("")
def load_without_token() -> ResponseReturnValue:
    return _page("sidebar/error.html", 401,
                 message="Open this app from a ticket in Zendesk: it needs Zendesk's signed request.")


@bp.get("/api/tickets/<int:ticket_id>")
def ticket_feedback(ticket_id: int) -> ResponseReturnValue:
    """The ticket's feedback timeline and the AI decision to prefill the override form with."""
    services = services_of(current_app)
    auth = read_session(services.settings, request.headers.get("Authorization", ""))
    check_ticket_id(ticket_id)
    with session_scope(services.reader) as session:  # each ticket view: no SQLite write lock for it
        timeline = build_timeline(session, auth["tenant"], ticket_id)
        decision = latest_decision(session, auth["tenant"], ticket_id)
        prefill = {"ai_decision": describe_decision(decision) if decision else "",
                   "ai_confidence": decision.confidence if decision else None}
        body = {"ticket_id": ticket_id, "timeline": [entry.as_json() for entry in timeline.entries],
                "prefill": prefill, "summary": agent_view.summarize(timeline, _task_url(auth["tenant"])),
                "history": agent_view.history(timeline)}
    return jsonify(body)


def _task_url(tenant_id: str) -> Callable[[int], str | None]:
    """The agent-facing URL of a review task (None without a helpdesk account: the app routes by id)."""
    def url(task_id: int) -> str | None:
        try:
            return services_of(current_app).client_for(tenant_id).ticket_url(task_id)
        except Exception:  # noqa: BLE001 - a link is a convenience; the app still routes to the task by id
            return None
    return url


def _words(field: str) -> str:
    """A form field as the agent reads it ("Your final action"), for messages."""
    text = agent_view.FIELD_WORDS.get(field, field)
    return text[0].upper() + text[1:]


def check_ticket_id(ticket_id: int) -> None:
    """No ticket past BIGINT can exist; the database would refuse the query (a 500), so 404 it here."""
    if ticket_id > MAX_TICKET_ID:
        abort(404, description=f"no ticket {ticket_id}")


@bp.post("/api/tickets/<int:ticket_id>/overrides")
def add_override(ticket_id: int) -> ResponseReturnValue:
    """Record an agent's override from the form; missing parts are listed, not refused."""
    services = services_of(current_app)
    auth = read_session(services.settings, request.headers.get("Authorization", ""))
    check_ticket_id(ticket_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error="invalid", message="send a JSON object"), 422
    values: dict[str, Any] = {}
    for name, limit in FIELD_LIMITS.items():
        value = payload.get(name)
        if value is not None and not isinstance(value, str):
            return jsonify(error="invalid", field=name, message=f"{_words(name)} must be text."), 422
        if value is not None and len(value) > limit:
            return jsonify(error="invalid", field=name,
                           message=f"{_words(name)} is too long: keep it under {limit} characters."), 422
        try:
            check_storable(value or "")  # NUL or a lone surrogate: the database would refuse it (a 500)
        except FieldInvalid as exc:
            return jsonify(error="invalid", field=name, message=f"{_words(name)} {exc}."), 422
        values[name] = value.strip() if value else None
    if not values["final_action"] and not values["rationale"]:
        return jsonify(error="invalid", field="final_action",
                       message="Write what you did instead, or why: at least one of the two."), 422
    key = request.headers.get("Idempotency-Key", "").strip()[:100] or uuid.uuid4().hex
    now = utcnow()
    # Scoped to the ticket and the agent: another agent's (or ticket's) key can never swallow this one.
    scoped = f"sidebar:{ticket_id}:{auth.get('agent')}:{key}"
    with session_scope(services.factory) as session:
        row = record_override(session, auth["tenant"], ticket_id, source="sidebar", kind="override",
                              dedupe_key=scoped, occurred_at=now, now=now, agent_id=auth.get("agent"),
                              **values)
        if row is None:
            return jsonify(status="duplicate", message="You already recorded this override."), 200
        body = {"id": row.id, "missing": row.missing, "ai_decision": row.ai_decision}
    message = "Override recorded. Thank you: it goes into the AI's next review."
    if row.missing:
        message += f" Adding {agent_view.missing_in_words(row.missing)} would make it more useful."
    return jsonify(status="recorded", override=body, message=message), 201
