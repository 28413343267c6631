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

from feedbackloop.models import DEFAULT_TENANT
from feedbackloop.services import services_of

BEARER_PREFIX = "bearer "
WWW_AUTHENTICATE = 'Bearer realm="feedbackloop-admin"'


def require_admin_token() -> ResponseReturnValue | None:
    """Refuse the request unless it carries the admin bearer token; remember its tenant.

    Registered as a `before_request` hook, so returning a response ends the request there.
    """
    expected = services_of(current_app).settings.admin_token
    if not expected:
        return jsonify(error="not_found",
                       message="the admin API is disabled: FEEDBACKLOOP_ADMIN_TOKEN is not set"), 404
    given = bearer_token(request.headers.get("Authorization", ""))
    if given is None:
        return _unauthorized("missing bearer token: send 'Authorization: Bearer <FEEDBACKLOOP_ADMIN_TOKEN>'")
    if not tokens_match(given, expected):
        return _unauthorized("invalid bearer token")
    g.feedbackloop_tenant = DEFAULT_TENANT
    return None


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
