"""Typed SQLAlchemy 2.0 models. Every row carries `tenant_id`; every query filters on it.

Uniqueness constraints are the idempotency mechanism: a duplicate webhook, a re-run job or a
second process hits a unique key instead of making a second effect.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

DEFAULT_TENANT = "default"
#: Width of every dedupe-key column.
KEY_WIDTH = 200


def fit_key(key: str, width: int = KEY_WIDTH) -> str:
    """A dedupe key that fits its column: as it is when short enough, else its start and its SHA-256,
    so two long keys that share a prefix stay two keys (cutting them made them one)."""
    if len(key) <= width:
        return key
    import hashlib

    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{key[:width - len(digest) - 1]}~{digest}"


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on both backends (SQLite stores naive text; we re-attach UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


#: Zendesk ids exceed 32 bits; SQLite needs plain INTEGER for its rowid primary keys.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, int: BigId}


class Attribution:
    """Who and what a row is about, frozen when it was written (attribution.py fills it).

    Surveys carry it as of the solve, signals as of the signal: a reopen counts against the
    agent, intent and resolver of the solve it undoes, not whoever holds the ticket when a report
    runs. Ratings carry the same columns (declared on Rating itself, older than this mixin).
    """

    assignee_id: Mapped[int | None]
    group_id: Mapped[int | None]
    brand_id: Mapped[int | None]
    category: Mapped[str | None] = mapped_column(String(80))
    resolver: Mapped[str | None] = mapped_column(String(16))  # ai | human | ai_then_human | ai_overridden
    intent: Mapped[str | None] = mapped_column(String(120))  # the AI's intent, else the category
    product: Mapped[str | None] = mapped_column(String(80))
    language: Mapped[str | None] = mapped_column(String(16))
    # migration 0019: the model and prompt version of the live AI decision in force at the moment
    model: Mapped[str | None] = mapped_column(String(120))
    prompt_version: Mapped[str | None] = mapped_column(String(120))


class WebhookEvent(Base):
    """A verified webhook (or a reconciliation finding), stored before we answer 200."""

    __tablename__ = "webhook_events"
    __table_args__ = (
        UniqueConstraint("tenant_id", "helpdesk", "dedupe_key", name="uq_webhook_events_dedupe"),
        Index("ix_webhook_events_ticket", "tenant_id", "ticket_id", "occurred_at"),
        # migration 0023: the events stored but not yet given their processing job (see `queued`): small
        # (the feeder empties it every poll), so a delivery adds one short entry here instead of a job row
        Index("ix_webhook_events_to_queue", "id", postgresql_where=text("NOT queued"),
              sqlite_where=text("queued = 0")),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    helpdesk: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16), default="webhook")  # webhook | reconcile
    event_type: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))
    ticket_id: Mapped[int]
    status: Mapped[str | None] = mapped_column(String(16))
    previous_status: Mapped[str | None] = mapped_column(String(16))
    occurred_at: Mapped[datetime]
    received_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]]
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    # migration 0023: whether the event's process_ticket job exists. A delivery stores the event alone
    # (false, the server's default); `jobs.queue.queue_stored_events` adds the job and sets this true in
    # one transaction, so every stored event gets its job exactly once.
    queued: Mapped[bool] = mapped_column(Boolean, server_default=false())


class Job(Base):
    """The durable queue: every helpdesk call is one of these, claimed with a lease."""

    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("tenant_id", "dedupe_key", name="uq_jobs_dedupe"),
        Index("ix_jobs_due", "state", "run_after"),
        # claim_due's "no other job of this ticket is running" check probes this, not every pending job
        Index("ix_jobs_ticket", "tenant_id", "ticket_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    kind: Mapped[str] = mapped_column(String(40))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    ticket_id: Mapped[int | None]
    args: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|done|dead|cancelled
    run_after: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    rate_limited: Mapped[int] = mapped_column(Integer, default=0)
    # claims that followed a lost worker (its lease ran out, migration 0022); failures = attempts - lost_leases
    lost_leases: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lease_until: Mapped[datetime | None]
    locked_by: Mapped[str | None] = mapped_column(String(80))
    last_error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Throttle(Base):
    """A tenant's helpdesk told us to wait (429 Retry-After): no job of it runs before `until`."""

    __tablename__ = "throttles"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)


class TicketState(Base):
    """What we know of a ticket: the latest snapshot seen in an event or an API answer."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ticket_id", name="uq_tickets_ticket"),
        Index("ix_tickets_requester", "tenant_id", "requester_id", "solved_at"),  # re-contact lookups
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    ticket_id: Mapped[int]
    status: Mapped[str | None] = mapped_column(String(16))
    status_at: Mapped[datetime | None]
    requester_id: Mapped[int | None]
    assignee_id: Mapped[int | None]
    group_id: Mapped[int | None]
    brand_id: Mapped[int | None]
    organization_id: Mapped[int | None]
    channel: Mapped[str | None] = mapped_column(String(40))
    ticket_type: Mapped[str | None] = mapped_column(String(16))
    category: Mapped[str | None] = mapped_column(String(80))
    subject: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    snapshot_at: Mapped[datetime | None]  # the helpdesk's updated_at of `tags`
    solved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    is_review_task: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Survey(Attribution, Base):
    """One survey per solve of a ticket; `solve_key` is the solve event's dedupe key."""

    __tablename__ = "surveys"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ticket_id", "solve_key", name="uq_surveys_solve"),
        Index("ix_surveys_requester", "tenant_id", "requester_id", "sent_at"),
        Index("ix_surveys_tenant_sent", "tenant_id", "sent_at", "channel"),  # insight: surveys sent, covering
        Index("ix_surveys_tenant_solved", "tenant_id", "solved_at"),  # insight: solves per period (reopen rate)
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    ticket_id: Mapped[int]
    requester_id: Mapped[int | None]
    solve_key: Mapped[str] = mapped_column(String(200))
    solved_at: Mapped[datetime]
    # scheduled | sent | cancelled | skipped | undeliverable
    state: Mapped[str] = mapped_column(String(16), default="scheduled")
    reason: Mapped[str | None] = mapped_column(Text)
    scale: Mapped[str] = mapped_column(String(8), default="five")
    scheduled_for: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    channel: Mapped[str | None] = mapped_column(String(40))
    # migration 0016: the requester's helpdesk locale as read when the survey was sent (i18n.py)
    locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Rating(Base):
    """The customer's answer; one per survey, changed in place when they click again."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("survey_id", name="uq_ratings_survey"),
        Index("ix_ratings_tenant_time", "tenant_id", "created_at"),
        # insight: every metric GROUP BY reads this index alone (it holds each segment column), so a
        # report scans index pages of one time range, never the rows with their comments
        Index("ix_ratings_insight", "tenant_id", "created_at", "score", "intent", "channel", "resolver",
              "assignee_id", "group_id", "brand_id", "category", "product", "language"),
        # insight: the lowest-rated tickets of a range without sorting the range; per-ticket lookups
        Index("ix_ratings_tenant_score", "tenant_id", "score", "created_at"),
        Index("ix_ratings_ticket", "tenant_id", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"))
    ticket_id: Mapped[int]
    score: Mapped[int] = mapped_column(Integer)
    scale: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(String(40))
    comment: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="link")  # link | email_reply | zendesk
    version: Mapped[int] = mapped_column(Integer, default=1)
    written_version: Mapped[int] = mapped_column(Integer, default=0)
    # attribution as of the rating (insight issue): who held the ticket when the customer rated
    assignee_id: Mapped[int | None]
    group_id: Mapped[int | None]
    channel: Mapped[str | None] = mapped_column(String(40))
    category: Mapped[str | None] = mapped_column(String(80))
    # insight (migration 0002): the rest of the attribution, also as of the rating
    resolver: Mapped[str | None] = mapped_column(String(16))  # ai | human | ai_then_human | ai_overridden
    intent: Mapped[str | None] = mapped_column(String(120))  # the AI's intent, else the category
    brand_id: Mapped[int | None]
    product: Mapped[str | None] = mapped_column(String(80))
    language: Mapped[str | None] = mapped_column(String(16))
    # migration 0019: the model and prompt version of the live AI decision that handled the rated solve
    model: Mapped[str | None] = mapped_column(String(120))
    prompt_version: Mapped[str | None] = mapped_column(String(120))
    # migration 0012: the score before the last change, for the write-back note ("changed from X to Y")
    previous_score: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # migration 0018 (source "zendesk"): Zendesk's own satisfaction rating this is, its reason as
    # Zendesk words it, and its updated_at as last recorded (an older read never overwrites a newer one)
    native_id: Mapped[int | None]
    native_reason: Mapped[str | None] = mapped_column(String(200))
    native_updated_at: Mapped[datetime | None]


class SurveyAnswer(Base):
    """Every fetch of a survey's rating links and every form post, kept for audit (migration 0012).

    A click is `pending` until it settles (answers.py): then it becomes the rating (`counted`),
    loses to a later answer (`superseded`), or turns out to be a mail scanner's (`bot`, with why).
    Only `counted` answers ever reach `ratings`.
    """

    __tablename__ = "survey_answers"
    __table_args__ = (
        Index("ix_survey_answers_survey", "survey_id", "created_at"),
        Index("ix_survey_answers_tenant_time", "tenant_id", "created_at", "verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"))
    ticket_id: Mapped[int]
    score: Mapped[int | None] = mapped_column(Integer)  # None for a trap link
    kind: Mapped[str] = mapped_column(String(16))  # click | head | trap | form | email
    verdict: Mapped[str] = mapped_column(String(16))  # pending | counted | superseded | bot
    bot_reason: Mapped[str | None] = mapped_column(String(120))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]


class CesAnswer(Attribution, Base):
    """The customer's effort score (issue 24): 1–7, "How easy was it to get your issue resolved?"; one
    per survey, changed in place like a rating (migration 0020, ces.py).

    A CES-only survey (scale "ces") gets it from its one-click links, settled by the same anti-scanner
    rules as CSAT clicks (answers.py); a csat+ces survey asks it on the page after the CSAT answer
    (`after_csat`). Attribution as of the answer, like a rating.
    """

    __tablename__ = "ces_answers"
    __table_args__ = (
        UniqueConstraint("survey_id", name="uq_ces_answers_survey"),
        Index("ix_ces_answers_tenant_time", "tenant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"))
    ticket_id: Mapped[int]
    score: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16), default="link")  # link | form
    after_csat: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    written_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Signal(Attribution, Base):
    """Every explicit or implicit signal in one table: type, value, source, time."""

    __tablename__ = "signals"
    __table_args__ = (
        UniqueConstraint("tenant_id", "dedupe_key", name="uq_signals_dedupe"),
        Index("ix_signals_ticket", "tenant_id", "ticket_id"),
        Index("ix_signals_type_time", "tenant_id", "type", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    ticket_id: Mapped[int]
    type: Mapped[str] = mapped_column(String(40))
    value: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(24))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    channel: Mapped[str | None] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    created_at: Mapped[datetime]


class ReviewTask(Base):
    """A helpdesk task ticket asking a human to look at a bad outcome."""

    __tablename__ = "review_tasks"
    __table_args__ = (
        UniqueConstraint("tenant_id", "source_ticket_id", "generation", name="uq_review_tasks_source"),
        Index("ix_review_tasks_task", "tenant_id", "task_ticket_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    source_ticket_id: Mapped[int]
    generation: Mapped[int] = mapped_column(Integer, default=1)  # a new one after the last was solved
    task_ticket_id: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|open|solved|failed
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    due_at: Mapped[datetime | None]
    # The reviewer's verdict, read when the task is solved (issue 3): the label exports learn from.
    # kb_gap | wrong_intent | tone | policy_violation | action_error | not_ai | no_issue | None
    verdict: Mapped[str | None] = mapped_column(String(32))
    verdict_notes: Mapped[str | None] = mapped_column(Text)
    verdict_by: Mapped[int | None]
    verdict_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Tenant(Base):
    """One Zendesk account served by this deployment (issue 4). The env-configured account is the
    implicit tenant "default" and has no row.

    `api_token` and `webhook_secret` hold Fernet ciphertext (FEEDBACKLOOP_ENCRYPTION_KEY), never the
    secret itself; `ingest_token_hash` is the SHA-256 of the tenant's decisions-API token, which is
    shown once and not stored. `overrides` holds per-tenant settings (delay, cooldown, scale, language).
    """

    __tablename__ = "tenants"
    __table_args__ = (UniqueConstraint("ingest_token_hash", name="uq_tenants_ingest_token"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    helpdesk: Mapped[str] = mapped_column(String(32), default="zendesk")
    subdomain: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200))
    api_token: Mapped[str] = mapped_column(Text)  # encrypted
    webhook_secret: Mapped[str] = mapped_column(Text)  # encrypted
    api_url: Mapped[str | None] = mapped_column(String(300))
    ingest_token_hash: Mapped[str | None] = mapped_column(String(64))
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    def __repr__(self) -> str:  # secrets (even encrypted) stay out of logs
        return f"Tenant(id={self.id!r}, subdomain={self.subdomain!r}, active={self.active})"


class SyncCursor(Base):
    """Where reconciliation stopped reading the helpdesk's incremental export."""

    __tablename__ = "sync_cursors"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(Text)
    since: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class AiDecision(Base):
    """One step the AI agent logged for a ticket (issue 3, the decision log).

    `decision_id` is the agent's idempotency key: unique per tenant, so a retried POST or two
    racing posts store it once. `created_at` is when the agent decided, `received_at` when we
    stored it; the timeline orders by the former.
    """

    __tablename__ = "ai_decisions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "decision_id", name="uq_ai_decisions_decision"),
        Index("ix_ai_decisions_ticket", "tenant_id", "ticket_id", "created_at"),
        Index("ix_ai_decisions_time", "tenant_id", "created_at", "ticket_id"),  # insight: AI tickets per period
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    ticket_id: Mapped[int]
    decision_id: Mapped[str] = mapped_column(String(200))
    # intent_classification | retrieval | policy_check | action | reply
    step: Mapped[str] = mapped_column(String(32))
    intent: Mapped[str | None] = mapped_column(String(120))
    confidence: Mapped[float | None] = mapped_column(Float)  # 0..1
    action: Mapped[str | None] = mapped_column(Text)
    draft_reply: Mapped[str | None] = mapped_column(Text)
    # retrieved documents: a list of ids or {"id", "snippet", ...} objects, or an object
    context: Mapped[list[Any] | dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    policy_refs: Mapped[list[str]] = mapped_column(JSON, default=list)
    model: Mapped[str | None] = mapped_column(String(120))
    prompt_version: Mapped[str | None] = mapped_column(String(120))
    trace_id: Mapped[str | None] = mapped_column(String(200))
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    tokens_in: Mapped[int | None] = mapped_column(Integer)
    tokens_out: Mapped[int | None] = mapped_column(Integer)
    cost: Mapped[float | None] = mapped_column(Float)  # the agent's own unit (usually USD); an estimate
    # migration 0019: live (the AI acted) | shadow (logged beside a human who handled the ticket; never acts)
    mode: Mapped[str] = mapped_column(String(16), default="live", server_default="live")
    created_at: Mapped[datetime]
    received_at: Mapped[datetime]


class Override(Base):
    """A human correcting the AI: the whole triad (AI decision, final action, why), one row.

    Three ways in (sidebar form, macro + tag, automatic detection) share this record. `missing`
    lists the parts nobody gave (e.g. ["rationale", "policy_clause"]) so the review task can ask
    for them; `dedupe_key` makes a re-delivered webhook or a re-run job record it once.
    """

    __tablename__ = "overrides"
    __table_args__ = (
        UniqueConstraint("tenant_id", "dedupe_key", name="uq_overrides_dedupe"),
        Index("ix_overrides_ticket", "tenant_id", "ticket_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    ticket_id: Mapped[int]
    source: Mapped[str] = mapped_column(String(16))  # sidebar | macro | automatic
    # override | edit_to_final | handoff | intent_changed | status_reverted
    kind: Mapped[str] = mapped_column(String(32), default="override")
    ai_decision_id: Mapped[int | None] = mapped_column(ForeignKey("ai_decisions.id", ondelete="SET NULL"))
    ai_decision: Mapped[str | None] = mapped_column(Text)
    ai_confidence: Mapped[float | None] = mapped_column(Float)
    final_action: Mapped[str | None] = mapped_column(Text)
    rationale: Mapped[str | None] = mapped_column(Text)
    policy_clause: Mapped[str | None] = mapped_column(Text)
    agent_id: Mapped[int | None]
    missing: Mapped[list[str]] = mapped_column(JSON, default=list)
    similarity: Mapped[float | None] = mapped_column(Float)  # edit_to_final: AI draft vs sent reply, 0..1
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime]
    created_at: Mapped[datetime]


class ExportKey(Base):
    """A random key the learning exports derive their hashes and train/test split from (issue 18).

    Written once, by the first export that needs it, and never changed: a split that moved when
    FEEDBACKLOOP_SECRET_KEY was rotated put a ticket in train that an earlier run had tested on.
    """

    __tablename__ = "export_keys"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


# --- insight (issue 5): CSAT drop alerts ------------------------------------------------------------


class DropAlert(Base):
    """A segment whose CSAT this period fell significantly below its trailing baseline.

    `dedupe_key` names segment + period, so the scheduled check, however often it runs, opens one
    review task per drop. The figures are kept as found, for the task, the report and the dashboard.
    """

    __tablename__ = "drop_alerts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "dedupe_key", name="uq_drop_alerts_dedupe"),
        Index("ix_drop_alerts_period", "tenant_id", "period_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    dedupe_key: Mapped[str] = mapped_column(String(200))
    segment: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"intent": "billing"}
    label: Mapped[str] = mapped_column(String(200))  # intent=billing
    period: Mapped[str] = mapped_column(String(8))  # day | week | month
    period_start: Mapped[datetime]
    baseline_start: Mapped[datetime]
    current_k: Mapped[int] = mapped_column(Integer)
    current_n: Mapped[int] = mapped_column(Integer)
    baseline_k: Mapped[int] = mapped_column(Integer)
    baseline_n: Mapped[int] = mapped_column(Integer)
    p_value: Mapped[float] = mapped_column(Float)
    q_value: Mapped[float] = mapped_column(Float)  # Benjamini–Hochberg adjusted, across the run's segments
    tested: Mapped[int] = mapped_column(Integer)  # how many segments that run tested
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | open | failed
    task_ticket_id: Mapped[int | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


# --- install (issue 4): what `feedbackloop install` created in the helpdesk ----------------------


class InstalledResource(Base):
    """One helpdesk object (webhook, trigger, field, group, view, macro) that install created or adopted.

    `name` is our stable key for it (e.g. "solved"), not its title, so a renamed title still
    maps to the same row; `remote_id` is the helpdesk's id (webhook ids are strings). `checksum`
    is the hash of the body we last sent: a changed setting changes it, and the object is
    updated in place. `uninstall` deletes exactly these rows' objects. `secret` holds a webhook's
    signing secret, sealed with FEEDBACKLOOP_ENCRYPTION_KEY when one is set.
    """

    __tablename__ = "installed_resources"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", "name", name="uq_installed_resources_name"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_TENANT)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    remote_id: Mapped[str] = mapped_column(String(64))
    checksum: Mapped[str] = mapped_column(String(64))
    secret: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


# --- insight (issue 5): reports that stay fast as data grows ---------------------------------------


class DailyRollup(Base):
    """Rating, survey and signal counts per tenant, UTC day and segment, kept up to date by rollups.py
    in the same transaction as the write, so a report reads days instead of a million rating rows.

    The segment is the whole key. PostgreSQL and SQLite unique keys treat NULLs as distinct, so a
    missing value is stored as '' (text) or 0 (ids) and its bit is set in `nulls`
    (rollups.SEGMENT_BITS): a real '' stays apart from a missing value. Rating measures are keyed by
    the rating's snapshot and day(created_at); `sent` by the survey's own columns and day(sent_at).
    On SQLite the table is clustered on its key (WITHOUT ROWID): a day range is one contiguous read.
    """

    __tablename__ = "daily_rollups"
    __table_args__ = {"sqlite_with_rowid": False}

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    nulls: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    intent: Mapped[str] = mapped_column(String(120), primary_key=True)
    category: Mapped[str] = mapped_column(String(80), primary_key=True)
    product: Mapped[str] = mapped_column(String(80), primary_key=True)
    channel: Mapped[str] = mapped_column(String(40), primary_key=True)
    resolver: Mapped[str] = mapped_column(String(16), primary_key=True)
    assignee_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    group_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    brand_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    # migration 0019: the model and prompt version segments (rollups.SEGMENTS bits 9 and 10)
    model: Mapped[str] = mapped_column(String(120), primary_key=True, server_default="")
    prompt_version: Mapped[str] = mapped_column(String(120), primary_key=True, server_default="")
    rated: Mapped[int] = mapped_column(Integer, default=0)  # ratings created that day
    satisfied: Mapped[int] = mapped_column(Integer, default=0)  # of them scored 4–5 (thumbs up is 5)
    score_sum: Mapped[int] = mapped_column(Integer, default=0)  # of the five-point ones only (migration 0021)
    bad: Mapped[int] = mapped_column(Integer, default=0)  # of them scored 1–2
    sent: Mapped[int] = mapped_column(Integer, default=0)  # CSAT surveys sent that day (not CES-only ones)
    solved: Mapped[int] = mapped_column(Integer, default=0)  # solves that day (a survey row each, sent or not)
    ai_solved: Mapped[int] = mapped_column(Integer, default=0)  # of them with the AI involved (outcomes.py)
    # Signals by the signal's own segment and day(occurred_at) (outcomes.py's per-solve rates):
    reopens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # failed resolutions
    recontacts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    fcr_n: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # first-contact resolution signals
    fcr_k: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # of them with value ≥ 0.5
    # migration 0021: ratings on the five-point scale (the mean score's n: score_sum / five_rated)
    five_rated: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


# --- the helpdesk's limits and what our credentials may do (issue 17) ------------------------------


class ApiBudget(Base):
    """How we pace one of a tenant's helpdesk budgets; today only "ticket_updates", Zendesk's Update
    Ticket limit (per account, shared with the agents' own updates in the Zendesk UI).

    `total` and `remaining` are what the helpdesk last reported for it (None: never reported, the
    configured figure applies); `paused_until` holds ticket updates back while the reported
    remainder is down to the share we leave to the agents, or after a 429 of that endpoint. The row
    is also the lock that serialises claims (pacing.py).
    """

    __tablename__ = "api_budgets"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    total: Mapped[int | None] = mapped_column(Integer)
    remaining: Mapped[int | None] = mapped_column(Integer)
    paused_until: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class ApiSpend(Base):
    """One call we made (or are about to make) against a paced budget: our own use in the last 60 s
    is counted from these rows, so the cap holds across worker processes."""

    __tablename__ = "api_spends"
    __table_args__ = (Index("ix_api_spends_window", "tenant_id", "name", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]


class FeatureState(Base):
    """Whether a tenant's helpdesk credentials allow a feature. Today: "reconciliation", which reads
    Zendesk's incremental ticket export (allowed for admins only): with an agent's token it is
    disabled, reported on /healthz and /metrics and logged once, instead of failing every interval."""

    __tablename__ = "feature_states"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    feature: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime]
    changed_at: Mapped[datetime]
