"""The job functions: module-level, idempotent, taking ids; the table maps job kinds to them."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from feedbackloop.core.errors import Permanent
from feedbackloop.insight import alerts
from feedbackloop.jobs import queue as jobs
from feedbackloop.jobs.step import StepContext, step_of
from feedbackloop.loop import (
    bulk,
    ces,
    csat_sources,
    lifecycle,
    native,
    overrides,
    ratings,
    reconcile,
    signals,
    survey,
    verdicts,
    writeback,
)
from feedbackloop.store import access
from feedbackloop.store.models import Job, WebhookEvent

log = logging.getLogger(__name__)


def process_ticket(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    event = session.get(WebhookEvent, job.args["event_id"])
    if event is None or event.tenant_id != job.tenant_id:
        return "event gone"
    if event.kind == native.TRIGGER_KIND:  # Zendesk's satisfaction trigger: read the rating through the API
        jobs.enqueue(session, "read_native", f"native-read:{event.id}", {}, now=ctx.now(), tenant_id=job.tenant_id,
                     ticket_id=event.ticket_id)
    return lifecycle.process_ticket(session, ctx.for_tenant(job.tenant_id), job.tenant_id, event.ticket_id, ctx.now())


def step(ctx: jobs.JobContext, job: Job) -> StepContext:
    """The job run's context: its tenant's settings and client, the clock, the attempt."""
    return step_of(ctx.for_tenant(job.tenant_id), ctx.clients, ctx.now(), job)


def send_survey(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return survey.send_survey(session, step(ctx, job), job.args["survey_id"])


def send_reminder(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return survey.send_reminder(session, step(ctx, job), job.args["survey_id"])


def write_rating(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    run = step(ctx, job)
    settings, now = run.settings, run.now
    outcome = None
    if bulk.leads_bulk_job(job):  # a leader's re-run: its bulk job's status settles it and its held members
        outcome = bulk.resume_bulk(session, run, job)
    elif bulk.should_bulk(session, job, now, settings):  # a long queue: up to 100 tickets in one update_many
        outcome = bulk.write_in_bulk(session, run, job)
    if outcome is not None:
        result, written = outcome
        for rating_id, version in written:
            alerts.queue_bad_rating_alert(session, settings, rating_id, version, now)
        return result
    bulk.writing_alone(session, job)  # committed before the update: no bulk leader takes this job from here on
    # A write-back that was part of a bulk update looks for its note (or the bulk job's) first, like any retry.
    attempt = max(job.attempts, 2) if job.args.get("batched") else job.attempts
    markers = (job.args["bulk_marker"],) if job.args.get("bulk_marker") else ()
    result = writeback.write_rating(session, replace(run, attempt=attempt), job.args["rating_id"],
                                    job.args["version"], other_markers=markers)
    alerts.queue_bad_rating_alert(session, settings, job.args["rating_id"], job.args["version"], now)
    return result


def settle_answer(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return ratings.settle_answer(session, job.tenant_id, job.args["answer_id"], ctx.now())


def withdraw_review(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return writeback.withdraw_review(session, step(ctx, job), job.args["old_score"], job.args["new_score"])


def tag_ticket(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return writeback.tag_ticket(session, step(ctx, job), job.args["add"])


def review_task(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return writeback.review_task(session, step(ctx, job), job.args["reason"], job.args.get("details", {}))


def classify_reply(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return signals.classify_reply(
        session, step(ctx, job), job.args["survey_id"], job.args["reopen_key"],
        datetime.fromisoformat(job.args["solved_at"]), datetime.fromisoformat(job.args["reopened_at"]),
    )


def reconcile_tickets(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    """Reconciliation, unless the credentials may not read the incremental export (access.py): then it
    reports itself disabled, and is tried again hourly, instead of failing every interval."""
    now = ctx.now()
    state = access.feature(session, job.tenant_id, access.RECONCILIATION)
    if not access.recheck_due(state, now):
        assert state is not None
        return f"reconciliation disabled: {state.reason}"
    try:
        settings = ctx.for_tenant(job.tenant_id)
        result = reconcile.reconcile(session, ctx.clients(job.tenant_id), job.tenant_id, "zendesk", now,
                                     watched_tags=(settings.override_tag,),
                                     native_ratings=settings.survey_source != "feedbackloop")
    except Permanent as exc:
        if exc.code != "forbidden":
            raise
        reason = access.RECONCILIATION_REFUSED.format(detail=exc.reason)
        access.disable(session, job.tenant_id, access.RECONCILIATION, reason, now)
        return f"reconciliation disabled: {reason}"
    access.enable(session, job.tenant_id, access.RECONCILIATION, now)
    return result


def read_native(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    assert job.ticket_id is not None
    return native.read_native(session, ctx.clients(job.tenant_id), job.tenant_id, job.ticket_id, ctx.now())


def record_native(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    reading = native.whole(ctx.clients(job.tenant_id), csat_sources.from_json(job.args["rating"]))
    return native.record(session, job.tenant_id, reading, ctx.now())


def reconcile_native(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    """Zendesk's satisfaction ratings by time window (agents may read them), for a tenant whose
    survey source is zendesk or both."""
    if ctx.for_tenant(job.tenant_id).survey_source == "feedbackloop":
        return "survey source is feedbackloop: no native ratings to read"
    try:
        return native.reconcile_native(session, ctx.clients(job.tenant_id), job.tenant_id, ctx.now())
    except Permanent as exc:
        if exc.code != "forbidden":
            raise
        # Zendesk's reference has said both "Agents" and "Admins" for this endpoint: say so, do not retry
        log.warning("native rating reconciliation refused for tenant %s: %s", job.tenant_id, exc.reason)
        return f"native rating reconciliation refused by Zendesk ({exc.reason}); webhooks and ticket reads still count"


def queue_reminders(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    now = ctx.now()
    due = survey.due_reminders(session, ctx.for_tenant(job.tenant_id), now)
    for item in due:
        jobs.enqueue(session, "send_reminder", f"reminder:{item.id}", {"survey_id": item.id}, now=now,
                     tenant_id=item.tenant_id, ticket_id=item.ticket_id)
    return f"queued {len(due)} reminders"


def capture_override(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return overrides.capture_override(session, step(ctx, job), job.args)


def capture_verdict(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return verdicts.capture_verdict(session, step(ctx, job), job.args)


def drop_alerts(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return alerts.check_drops(session, ctx.for_tenant(job.tenant_id), job.tenant_id, ctx.now())


def drop_task(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return alerts.create_drop_task(session, step(ctx, job), job.args["alert_id"])


def write_ces(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return ces.write_ces(session, ctx.clients(job.tenant_id), job.args["ces_id"], job.args["version"], ctx.now())


def alert_webhook(ctx: jobs.JobContext, session: Session, job: Job) -> str:
    return alerts.send_alert(session, ctx.for_tenant(job.tenant_id), job.args, ctx.now())


HANDLERS: dict[str, jobs.Handler] = {
    "process_ticket": process_ticket,
    "send_survey": send_survey,
    "send_reminder": send_reminder,
    "write_rating": write_rating,
    "tag_ticket": tag_ticket,
    "review_task": review_task,
    "classify_reply": classify_reply,
    "reconcile": reconcile_tickets,
    "queue_reminders": queue_reminders,
    "capture_override": capture_override,  # the macro/tag override: read the agent's note
    "capture_verdict": capture_verdict,  # a solved review task: read its root cause and notes
    "drop_alerts": drop_alerts,  # insight: the scheduled CSAT drop check
    "drop_task": drop_task,
    "alert_webhook": alert_webhook,
    "write_ces": write_ces,  # issue 24: the CES answer's tags on the ticket
    "settle_answer": settle_answer,  # a click on a rating link, once its settle time has passed
    "withdraw_review": withdraw_review,  # a bad rating became a good one: solve its review task
    "read_native": read_native,  # Zendesk's satisfaction trigger fired: read the ticket's rating (issue 23)
    "record_native": record_native,  # a native rating seen on a ticket we read
    "reconcile_native": reconcile_native,  # Zendesk's satisfaction ratings by time window
}
