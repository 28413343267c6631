"""The application factory: a short list of register_* calls, nothing at import time."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from flask.typing import ResponseReturnValue
from itsdangerous import URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException

from feedbackloop.core import i18n, logs
from feedbackloop.core.branding import look_of
from feedbackloop.core.errors import BadRequest
from feedbackloop.core.settings import Settings, load_settings
from feedbackloop.loop import ratings, receive
from feedbackloop.store.db import UNAVAILABLE_RETRY_AFTER, database_unavailable
from feedbackloop.web import api, dashboard, health, prom, sidebar
from feedbackloop.wiring import ratelimit
from feedbackloop.wiring.services import Services, build_services

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the web app. Job running is the caller's choice (`serve`), never the factory's."""
    settings = settings or (services.settings if services else load_settings())
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=1024 * 1024, JSON_SORT_KEYS=False)
    app.extensions["feedbackloop"] = services or build_services(settings)
    app.session_interface = CachedSerializerSessionInterface()
    look_of(settings)  # a bad FEEDBACKLOOP_BRAND_* / SURVEY_* setting stops the start, naming it
    i18n.register_i18n(app)  # the customer's language on the survey pages (Flask-Babel)
    logs.register_request_context(app)  # operability: request id/method/path on every log line (first hook)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    ratelimit.register_rate_limits(app)  # 429 for floods on the survey page, sidebar load, bad webhook signatures
    register_input_guard(app)  # after the limiter, so refused requests still count
    app.wsgi_app = receive.WebhookDoor(app, app.wsgi_app, SECURITY_HEADERS)  # type: ignore[method-assign]
    return app


class CachedSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer built once per key set.

    Flask builds a new serializer (and its signer) for every request, cookie or not: 5-10 % of a
    webhook's Python time (bench/README.md). The keys are compared on each request, so a changed
    SECRET_KEY (or its fallbacks) still takes effect at once.
    """

    _cached: tuple[tuple[Any, ...], URLSafeTimedSerializer] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = self._cached
        if cached is not None and cached[0] == keys:
            return cached[1]
        serializer = super().get_signing_serializer(app)
        if serializer is not None:
            self._cached = (keys, serializer)
        return serializer


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(receive.bp)
    app.register_blueprint(ratings.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(prom.bp)  # /metrics: Prometheus (loopback, or FEEDBACKLOOP_METRICS_TOKEN)
    app.register_blueprint(api.bp)  # /api/v1: decisions, ticket timeline (admin token)
    app.register_blueprint(sidebar.bp)  # /zendesk/sidebar: the ticket sidebar app (ZAF JWT, then a session)
    app.register_blueprint(dashboard.bp)  # /dashboard: insight for admins (login form, session cookie)


def _wants_json() -> bool:
    return request.path.startswith(("/webhooks/", "/api/", "/healthz", "/zendesk/sidebar/api/")) or request.is_json


def register_errorhandlers(app: Flask) -> None:
    """One shape for every refusal: JSON `{"error", "message"}` for APIs, a page for people."""

    @app.errorhandler(BadRequest)
    def _bad_request(exc: BadRequest) -> ResponseReturnValue:
        code = {401: "unauthorized", 413: "too_large"}.get(exc.status_code, "bad_request")
        return jsonify(error=code, message=exc.reason), exc.status_code

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        # keep what the exception says beside its body: Retry-After (429), Allow (405), WWW-Authenticate
        headers = [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]
        if _wants_json():
            return jsonify(error=(exc.name or "error").lower().replace(" ", "_"), message=exc.description), status, headers
        from flask import render_template

        title, message, hint = PAGE_ERRORS.get(status, (exc.name, exc.description, None))
        return render_template("survey/error.html", title=title, message=message, hint=hint), status, headers

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> ResponseReturnValue:
        if database_unavailable(exc):
            return _unavailable(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return jsonify(error="internal_error", message="unexpected error; it has been logged"), 500


#: What a person is told, in their language (survey/error.html translates), for the refusals a page can
#: meet outside the survey's own errors: the limiter's 429, an unknown address, a wrong method.
PAGE_ERRORS = {
    404: (i18n.N_("Page not found"), i18n.N_("There is nothing at this address."),
          i18n.N_("Please open the survey from the message we sent you.")),
    405: (i18n.N_("Please use the page's buttons"), i18n.N_("This address cannot be used that way."),
          i18n.N_("Go back, reload the page and send your answer again.")),
    413: (i18n.N_("Too much text"), i18n.N_("What you sent is too long."),
          i18n.N_("Please shorten it and send it again.")),
    429: (i18n.N_("Too many requests"), i18n.N_("Too many requests came from your network just now."),
          i18n.N_("Please wait a minute, then reload the page.")),
}


def _unavailable(exc: Exception) -> ResponseReturnValue:
    """The database is down or busy: 503 with Retry-After, so Zendesk (and people) try again.

    Zendesk retries a webhook on 503 (and 409, 429), never on a 500: a 500 here would lose an event
    that the next attempt would have stored."""
    log.warning("database unavailable on %s %s (%s): answered 503", request.method, request.path,
                type(exc).__name__)
    headers = {"Retry-After": str(UNAVAILABLE_RETRY_AFTER)}
    if _wants_json() or (request.method == "POST" and request.path.startswith("/webhooks/")):
        return (jsonify(error="unavailable", message="the database is unavailable; try again shortly"), 503,
                headers)
    from flask import render_template

    return (render_template("survey/error.html", title=i18n.N_("Please try again in a moment"),
                            message=i18n.N_("We could not save or show this just now. Please try again in a minute.")),
            503, headers)


def register_input_guard(app: Flask) -> None:
    """NUL characters are never meaningful in a URL or a form, and PostgreSQL refuses them in
    text: answer 400 at the door instead of letting one reach a query deep inside a route."""

    @app.before_request
    def _refuse_nul() -> ResponseReturnValue | None:
        if "\x00" in request.path or b"%00" in request.query_string or b"\x00" in request.query_string:
            return jsonify(error="bad_request", message="NUL characters are not allowed in URLs"), 400
        # Not on webhooks: reading the form would consume the raw body, whose signature is checked
        # over its bytes whatever Content-Type the sender set.
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data") and \
                not request.path.startswith("/webhooks/"):
            if any("\x00" in value for value in request.form.values()):
                return jsonify(error="bad_request", message="NUL characters are not allowed in form fields"), 400
        return None


#: On every response unless a route set its own (the webhook door adds them too).
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'"),
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response: Any) -> Any:
        for name, value in SECURITY_HEADERS:
            response.headers.setdefault(name, value)
        return response
