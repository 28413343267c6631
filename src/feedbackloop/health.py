"""GET /healthz: is the database reachable (503 if not), is a job runner alive, how deep and how old is
the queue. Keys only ever get added, so probes written against older answers keep working."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from feedbackloop import access, heartbeat, jobs, prom
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
            oldest_due = prom.oldest_due_age(session, now)  # operability
            beat = heartbeat.last_beat(session)  # operability: a runner in any process (`worker`)
            features = {f"{row.tenant_id}/{row.feature}": f"disabled: {row.reason}" for row in access.disabled(session)}
    except Exception as exc:  # the check's whole purpose is to report this, not raise it
        return jsonify(status="error", database="unreachable", error=type(exc).__name__), 503
    runner = current_app.extensions.get("feedbackloop.runner")
    ticks = [tick for tick in (beat, runner.last_tick if runner is not None else None) if tick is not None]
    runner_state, age = "off", None
    if ticks:
        age = max(0.0, (now - max(ticks)).total_seconds())
        runner_state = "ok" if age < max(30.0, services.settings.poll_interval * 10) else f"stale ({int(age)} s)"
    return jsonify(status="ok", database="ok", job_runner=runner_state, queue=depth,
                   job_runner_age_seconds=None if age is None else round(age, 1),
                   oldest_due_job_age_seconds=round(oldest_due, 1),
                   features=features), 200
