"""GET /healthz: is the database reachable (503 if not), is a job runner alive, how deep and how old is
the queue, and any configuration problem found since the start (`configuration`: ok or problem, with
`configuration_problems`: tenant, problem, since). Keys only ever get added, so probes written against
older answers keep working."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from feedbackloop.jobs import queue as jobs
from feedbackloop.store import access, config_problems, heartbeat
from feedbackloop.store.db import session_scope, utcnow
from feedbackloop.store.models import DEFAULT_TENANT
from feedbackloop.web import prom
from feedbackloop.wiring.services import Services, services_of

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    services = services_of(current_app)
    now = utcnow()
    try:
        with session_scope(services.factory) as session:
            session.execute(text("SELECT 1"))
            unqueued = jobs.unqueued_events(session)  # stored events waiting for their job: read once for both
            depth = jobs.queue_depth(session, now, unqueued)
            oldest_due = prom.oldest_due_age(session, now, unqueued)  # operability
            beat = heartbeat.last_beat(session)  # operability: a runner in any process (`worker`)
            problems = config_problems.current(session)  # found by a job in any process
            features = {f"{row.tenant_id}/{row.feature}": f"disabled: {row.reason}" for row in access.disabled(session)}
    except Exception as exc:  # the check's whole purpose is to report this, not raise it
        return jsonify(status="error", database="unreachable", error=type(exc).__name__), 503
    runner = current_app.extensions.get("feedbackloop.runner")
    ticks = [tick for tick in (beat, runner.last_tick if runner is not None else None) if tick is not None]
    runner_state, age = "off", None
    if ticks:
        age = max(0.0, (now - max(ticks)).total_seconds())
        runner_state = "ok" if age < max(30.0, services.settings.poll_interval * 10) else f"stale ({int(age)} s)"
    problems.extend(secret_problems(services))
    return jsonify(status="ok", database="ok", job_runner=runner_state, queue=depth,
                   job_runner_age_seconds=None if age is None else round(age, 1),
                   oldest_due_job_age_seconds=round(oldest_due, 1),
                   configuration="problem" if problems else "ok", configuration_problems=problems,
                   features=features), 200


def secret_problems(services: Services) -> list[dict[str, str]]:
    """The env-configured account can verify no delivery: no ZENDESK_WEBHOOK_SECRET and none stored by install."""
    account = services.settings.zendesk
    if account is None or account.webhook_secret or services.has_webhook_secrets(DEFAULT_TENANT):
        return []
    return [{"tenant": DEFAULT_TENANT, "since": "",
             "problem": "no webhook signing secret: every delivery from Zendesk is refused (401); run "
                        "`feedbackloop install`, which stores the secret of each webhook it creates"}]
