"""Bearer-token authentication for the admin API (/api/v1).

The token is `FEEDBACKLOOP_ADMIN_TOKEN`. Without one configured the admin API is off and answers
404 with a reason, so an unconfigured deployment exposes nothing. Routes read their tenant through
`current_tenant()`: today every admin request acts for the default tenant; per-tenant ingest
tokens (issue 3) will resolve it here without touching the routes.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from feedbackloop.store.db import session_scope
from feedbackloop.store.models import DEFAULT_TENANT
from feedbackloop.wiring import ratelimit
from feedbackloop.wiring.services import services_of

BEARER_PREFIX = "bearer "
WWW_AUTHENTICATE = 'Bearer realm="feedbackloop-admin"'


def require_admin_token() -> ResponseReturnValue | None:
    """Refuse the request unless it carries the admin token or a tenant's ingest token; remember
    the tenant it acts for.

    The admin token acts for the tenant named by the `X-Feedbackloop-Tenant` header (default: the
    env-configured account); a tenant's ingest token acts for that tenant only, and only on the
    decisions API, so an AI agent's credential cannot read anything back. Registered as a
    `before_request` hook, so returning a response ends the request there.
    """
    services = services_of(current_app)
    expected = services.settings.admin_token
    given = bearer_token(request.headers.get("Authorization", ""))
    if given is None:
        if not expected:
            return jsonify(error="not_found",
                           message="the admin API is disabled: FEEDBACKLOOP_ADMIN_TOKEN is not set"), 404
        return _unauthorized("missing bearer token: send 'Authorization: Bearer <FEEDBACKLOOP_ADMIN_TOKEN>'")
    ratelimit.guard_login()  # the dashboard login's budget: a spent one refuses (429) before comparing
    if expected and tokens_match(given, expected):
        tenant_id = request.headers.get("X-Feedbackloop-Tenant", "").strip() or DEFAULT_TENANT
        if tenant_id != DEFAULT_TENANT and not _tenant_exists(tenant_id):
            return jsonify(error="not_found", message=f"no tenant {tenant_id[:64]!r}"), 404
        g.feedbackloop_tenant = tenant_id
        return None
    tenant = _tenant_of_ingest_token(given)
    if tenant is None:
        try:
            ratelimit.count_failed_login()
        except ratelimit.RateLimited:
            pass  # this wrong token spent the last one: it is answered 401; the next attempt gets 429
        if not expected:
            return jsonify(error="not_found",
                           message="the admin API is disabled: FEEDBACKLOOP_ADMIN_TOKEN is not set"), 404
        return _unauthorized("invalid bearer token")
    if request.endpoint not in INGEST_ENDPOINTS:
        return jsonify(error="forbidden", message="a tenant ingest token may only post AI decisions"), 403
    g.feedbackloop_tenant = tenant
    return None


#: What a tenant's ingest token may call.
INGEST_ENDPOINTS = frozenset({"api_v1.decisions.post_decisions"})


def _tenant_exists(tenant_id: str) -> bool:
    from feedbackloop.store.tenants import TENANT_ID, get_tenant

    if not TENANT_ID.fullmatch(tenant_id):  # not a name we could have stored (and NUL would fail the query)
        return False

    with session_scope(services_of(current_app).factory) as session:
        row = get_tenant(session, tenant_id[:64])
        return row is not None and row.active


def _tenant_of_ingest_token(token: str) -> str | None:
    from feedbackloop.store.tenants import tenant_by_ingest_token

    with session_scope(services_of(current_app).factory) as session:
        row = tenant_by_ingest_token(session, token)
        return row.id if row is not None else None


def bearer_token(header: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), else None."""
    if header[: len(BEARER_PREFIX)].lower() != BEARER_PREFIX:
        return None
    return header[len(BEARER_PREFIX):].strip() or None


def tokens_match(given: str, expected: str) -> bool:
    """Constant-time compare of digests, so neither the token's content nor its length leaks."""
    given_digest = hashlib.sha256(given.encode("utf-8", "replace")).digest()
    expected_digest = hashlib.sha256(expected.encode("utf-8")).digest()
    return hmac.compare_digest(given_digest, expected_digest)


def current_tenant() -> str:
    """The tenant the authenticated admin request acts for (set by `require_admin_token`)."""
    tenant: str = g.feedbackloop_tenant
    return tenant


def _unauthorized(message: str) -> ResponseReturnValue:
    return jsonify(error="unauthorized", message=message), 401, {"WWW-Authenticate": WWW_AUTHENTICATE}
