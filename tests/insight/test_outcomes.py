"""Outcome rates by segment: reopens, re-contacts, failed resolutions, overrides, first-contact
resolution, time to resolution and verdicts, cut like CSAT and shown beside the previous window."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from feedbackloop.core.settings import Settings
from feedbackloop.insight import metrics, outcomes, reports
from feedbackloop.insight.metrics import MetricsQuery, Window
from feedbackloop.insight.stats import wilson
from feedbackloop.loop import lifecycle
from feedbackloop.store.db import make_session_factory
from feedbackloop.store.models import AiDecision, Override, ReviewTask, Signal, Survey, TicketState
from insight_factories import T0, rated, sent_survey
from insight_factories import signalled as signal


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    session = make_session_factory(engine)()
    yield session
    session.rollback()
    session.close()


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def seed(db: Session) -> None:
    """This week (days 7–13): billing 10 solves (3 reopened, 1 failed, 4 by the AI of which 1
    corrected), shipping 5 solves (nothing went wrong); the week before: billing 10 solves, 1 reopen."""
    for ticket in range(10):
        sent_survey(db, ticket, day(8), intent="billing", resolver="ai" if ticket < 4 else "human")
    for ticket in range(10, 15):
        sent_survey(db, ticket, day(8), intent="shipping", resolver="human")
    for ticket in range(20, 30):
        sent_survey(db, ticket, day(1), intent="billing", resolver="human")
    for ticket in (0, 1, 2):
        signal(db, ticket, "reopen", day(9), intent="billing")
    signal(db, 0, "failed_resolution", day(9), intent="billing")
    signal(db, 1, "override", day(8), intent="billing")
    signal(db, 1, "override", day(8) + timedelta(hours=1), intent="billing")  # same ticket: counted once
    signal(db, 20, "reopen", day(2), intent="billing")
    for ticket, fcr, hours in ((10, 1.0, 2), (11, 1.0, 4), (12, 0.0, 30)):
        signal(db, ticket, "first_contact_resolution", day(10), fcr, intent="shipping")
        signal(db, ticket, "time_to_resolution", day(10), hours * 3600.0, intent="shipping")
    task = ReviewTask(tenant_id="default", source_ticket_id=0, generation=1, state="solved", reasons=[],
                      verdict="knowledge_gap", verdict_at=day(11), created_at=day(9), updated_at=day(11))
    db.add(task)
    db.flush()
    db.add(Signal(tenant_id="default", ticket_id=0, type="review_verdict", value=None, source="review",
                  dedupe_key=f"verdict:{task.id}", details={}, occurred_at=day(11), created_at=day(11),
                  intent="billing"))
    db.flush()


def test_every_outcome_rate_is_cut_by_segment_beside_the_previous_window(db: Session) -> None:
    seed(db)
    query = MetricsQuery("default", day(7), day(14), by=("intent",))
    counts = outcomes.outcome_counts(db, query)
    billing, before = counts[(("billing",), day(7))], counts[(("billing",), day(0))]
    assert (billing.solves, billing.ai_solves) == (10, 4)
    assert billing.reopen == wilson(3, 10) and billing.failed_resolution == wilson(1, 10)
    assert billing.override == wilson(1, 4)
    assert billing.verdicts == {"knowledge_gap": 1}
    assert before.reopen == wilson(1, 10)
    shipping = counts[(("shipping",), day(7))]
    assert shipping.reopen == wilson(0, 5) and shipping.recontact == wilson(0, 5)
    assert shipping.first_contact_resolution == wilson(2, 3)
    assert shipping.median_hours == pytest.approx(4.0)
    everything = outcomes.total(counts, day(7))
    assert everything.reopen == wilson(3, 15) and everything.first_contact_resolution == wilson(2, 3)


def test_outcomes_follow_filters_periods_and_tenants(db: Session) -> None:
    seed(db)
    sent_survey(db, 99, day(8), tenant_id="other", intent="billing")
    signal(db, 99, "reopen", day(9), tenant_id="other", key="o", intent="billing")
    filtered = outcomes.outcome_counts(db, MetricsQuery("default", day(7), day(14), filters={"intent": "shipping"}))
    assert set(filtered) == {((), day(7))}
    by_week = outcomes.outcome_counts(db, MetricsQuery("default", day(0), day(14), period="week", by=("intent",)))
    assert by_week[(("billing",), day(7) - timedelta(hours=9))].reopens == 3  # weeks start at midnight
    by_tenant = outcomes.outcome_counts(db, MetricsQuery(None, day(7), day(14), by=("tenant",)))
    assert by_tenant[(("other",), day(7))].reopen == wilson(1, 1)
    assert by_tenant[(("default",), day(7))].reopen == wilson(3, 15)


@pytest.mark.parametrize("by", [("intent",), ("intent", "channel"), ("resolver",)])
def test_the_reports_headline_summed_from_its_segments_equals_its_own_queries(db: Session, by: tuple[str, ...]) -> None:
    """The report takes the headline's solves and signals from the per-segment counts it already
    read (whole days from the rollup); they must be what outcome_rates reads on its own."""
    seed(db)
    signal(db, 40, "reopen", day(12) + timedelta(hours=5))  # no segment at all
    signal(db, 13, "time_to_resolution", day(11), 7 * 3600.0)  # four times: the two middle ones averaged
    signal(db, 41, "recontact", day(14) - timedelta(hours=4), intent="shipping")  # the last partial day
    signal(db, 42, "first_contact_resolution", day(7) + timedelta(minutes=1), 0.0)  # before --since
    query = MetricsQuery("default", day(7) + timedelta(hours=6), day(14) - timedelta(hours=3), by=by)
    report = reports.build_report(db, query, day(14))
    assert report.outcomes == metrics.outcome_rates(db, "default", Window(query.since, query.until))
    assert report.outcomes.median_hours_to_resolution == pytest.approx(5.5)
    assert (report.outcomes.reopen.k, report.outcomes.recontact.k, report.outcomes.first_contact_resolution.n) == (4, 1, 3)


def test_report_shows_outcomes_per_segment_in_all_three_formats(db: Session) -> None:
    seed(db)
    rated(db, 500, 5, day(9), intent="billing")  # its survey is billing's eleventh solve
    query = MetricsQuery("default", day(7), day(14), by=("intent",))
    report = reports.build_report(db, query, day(14))
    table = reports.render(report, "table")
    assert "Outcomes by intent" in table and "27.3% [9.7–56.6] ← 10.0%" in table
    data = json.loads(reports.render(report, "json"))
    segments = {tuple(s["segment"].values()): s for s in data["segments"]}
    expected = wilson(3, 11)
    assert segments[("billing",)]["outcomes"]["reopen"] == {
        "k": 3, "n": 11, "rate": pytest.approx(3 / 11, abs=1e-6), "low": pytest.approx(expected.low, abs=1e-6),
        "high": pytest.approx(expected.high, abs=1e-6)}
    assert segments[("billing",)]["previous_outcomes"]["reopen"]["k"] == 1
    assert segments[("shipping",)]["outcomes"]["median_hours_to_resolution"] == 4.0  # no ratings, still listed
    lines = list(csv.DictReader(io.StringIO(reports.render(report, "csv"))))
    billing = next(line for line in lines if line["intent"] == "billing")
    assert (billing["reopen_k"], billing["reopen_n"], billing["reopen_prev_rate"]) == ("3", "11", "0.1")
    assert billing["override_rate"] == "0.25" and billing["review_verdicts"] == "knowledge_gap=1"


def test_surveys_and_signals_carry_the_segment_of_their_moment(db: Session, settings: Settings) -> None:
    db.add(TicketState(tenant_id="default", ticket_id=7, status="solved", assignee_id=41, group_id=5, brand_id=3,
                       channel="email", category="billing", tags=["product_widgets", "language_de"],
                       final=False, is_review_task=False, created_at=T0, updated_at=T0))
    db.add(AiDecision(tenant_id="default", ticket_id=7, decision_id="d1", step="classify", intent="refund",
                      policy_refs=[], created_at=T0, received_at=T0))
    db.add(Override(tenant_id="default", ticket_id=7, source="sidebar", kind="override", missing=[], details={},
                    dedupe_key="o7", occurred_at=T0, created_at=T0))
    db.flush()
    assert lifecycle.record_signal(db, "default", 7, "reopen", 1.0, "webhook", "reopen:7", T0, {}, T0)
    recorded = db.query(Signal).filter_by(dedupe_key="reopen:7").one()
    assert (recorded.assignee_id, recorded.group_id, recorded.brand_id, recorded.channel) == (41, 5, 3, "email")
    assert (recorded.product, recorded.language, recorded.intent, recorded.resolver) == (
        "widgets", "de", "refund", "ai_overridden")
    state = db.query(TicketState).filter_by(ticket_id=7).one()
    transition = lifecycle.Transition(key="solve-7", at=T0, status="solved", previous="open")
    lifecycle.schedule_survey(db, settings, "default", state, transition, T0)
    survey = db.query(Survey).filter_by(ticket_id=7).one()
    assert (survey.intent, survey.resolver, survey.product, survey.assignee_id) == (
        "refund", "ai_overridden", "widgets", 41)

