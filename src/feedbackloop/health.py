"""GET /healthz: is the database reachable, is a job runner alive, how deep is the queue."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from feedbackloop import jobs
from feedbackloop.db import session_scope, utcnow
from feedbackloop.services import services_of

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    services = services_of(current_app)
    now = utcnow()
    try:
        with session_scope(services.factory) as session:
            session.execute(text("SELECT 1"))
            depth = jobs.queue_depth(session, now)
    except Exception as exc:  # the check's whole purpose is to report this, not raise it
        return jsonify(status="error", database="unreachable", error=type(exc).__name__), 503
    runner = current_app.extensions.get("feedbackloop.runner")
    runner_state = "off"
    if runner is not None and runner.last_tick is not None:
        age = (now - runner.last_tick).total_seconds()
        runner_state = "ok" if age < max(30.0, services.settings.poll_interval * 10) else f"stale ({int(age)} s)"
    return jsonify(status="ok", database="ok", job_runner=runner_state, queue=depth), 200
