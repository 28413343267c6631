"""Metrics by segment and period, the statistics under them, attribution as of the rating, and drop alerts."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from conftest import Clock
from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import Settings
from feedbackloop.insight import alerts, metrics
from feedbackloop.insight.metrics import MetricsQuery, Window, bucket_start, parse_moment, shift
from feedbackloop.insight.stats import (
    Stratum,
    benjamini_hochberg,
    drop_p_value,
    mantel_haenszel_difference,
    wilson,
)
from feedbackloop.loop.attribution import snapshot_attribution
from feedbackloop.runner.scheduler import Runner, make_enqueue_reconcile
from feedbackloop.store.db import make_session_factory, session_scope
from feedbackloop.store.models import AiDecision, DropAlert, Job, Override, Rating, ReviewTask, Signal, TicketState
from feedbackloop.wiring.services import Services
from insight_factories import HOSTILE, T0, rated, sent_survey

WEEK = timedelta(days=7)


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session on the test database, committed at the end of the test."""
    with session_scope(make_session_factory(engine)) as session:
        yield session


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


# --- time ------------------------------------------------------------------------------------------


def test_periods_are_calendar_days_iso_weeks_and_months_in_utc() -> None:
    sunday_night = datetime(2026, 3, 8, 23, 59, 59, tzinfo=timezone.utc)
    assert bucket_start(sunday_night, "week") == datetime(2026, 3, 2, tzinfo=timezone.utc)
    assert bucket_start(sunday_night + timedelta(seconds=1), "week") == datetime(2026, 3, 9, tzinfo=timezone.utc)
    assert bucket_start(sunday_night, "month") == datetime(2026, 3, 1, tzinfo=timezone.utc)
    assert bucket_start(sunday_night, "day") == datetime(2026, 3, 8, tzinfo=timezone.utc)
    january = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert shift(january, "month", -1) == datetime(2025, 12, 1, tzinfo=timezone.utc)
    assert shift(january, "month", 13) == datetime(2027, 2, 1, tzinfo=timezone.utc)
    assert shift(january, "week", 1) == datetime(2026, 1, 8, tzinfo=timezone.utc)


def test_since_and_until_accept_relative_spans_dates_and_times() -> None:
    now = datetime(2026, 3, 31, 12, tzinfo=timezone.utc)
    assert parse_moment("30d", now) == now - timedelta(days=30)
    assert parse_moment("12h", now) == now - timedelta(hours=12)
    assert parse_moment("2026-03-01", now) == datetime(2026, 3, 1, tzinfo=timezone.utc)
    assert parse_moment("2026-03-01", now, end_of_day=True) == datetime(2026, 3, 2, tzinfo=timezone.utc)
    assert parse_moment("2026-03-01T12:30:00Z", now) == datetime(2026, 3, 1, 12, 30, tzinfo=timezone.utc)
    with pytest.raises(ValueError, match="not a time"):
        parse_moment("last tuesday", now)
    with pytest.raises(ValueError, match="not a time"):
        parse_moment("99999999999d", now)  # past what dates can hold: refused, not an OverflowError
    with pytest.raises(ValueError, match="between 1970 and 2200"):
        parse_moment("9999-12-31", now)


def test_the_cli_knows_the_same_segments_as_the_queries() -> None:
    from feedbackloop.insight.segments import DIMENSION_NAMES

    assert tuple(metrics.DIMENSIONS) == DIMENSION_NAMES


def test_a_query_refuses_unknown_segments_periods_and_empty_ranges() -> None:
    with pytest.raises(ValueError, match="unknown segment 'colour'"):
        MetricsQuery("default", T0, day(1), by=("colour",))
    with pytest.raises(ValueError, match="period"):
        MetricsQuery("default", T0, day(1), period="year")
    with pytest.raises(ValueError, match="empty"):
        MetricsQuery("default", T0, T0)


# --- segments --------------------------------------------------------------------------------------


def seed_intents(db: Session) -> None:
    """billing 9/12 now, 5/10 before; shipping 10/20 now; returns 2/3 now (small); no intent 10/10."""
    ticket = iter(range(1000, 2000))
    for score in [5] * 9 + [2] * 3:
        rated(db, next(ticket), score, day(1), intent="billing")
    for score in [5] * 5 + [1] * 5:
        rated(db, next(ticket), score, day(-3), intent="billing")
    for score in [4] * 10 + [3] * 4 + [1] * 6:
        rated(db, next(ticket), score, day(2), intent="shipping", channel="chat")
    for score in (5, 5, 1):
        rated(db, next(ticket), score, day(3), intent="returns")
    for _ in range(10):
        rated(db, next(ticket), 5, day(4), intent=None)
    rated(db, next(ticket), 1, day(8), intent="billing")  # after the range
    rated(db, next(ticket), 1, day(1), intent="billing", tenant_id="other")  # another tenant


def test_segments_are_ranked_worst_first_with_intervals_and_the_previous_period(db: Session) -> None:
    seed_intents(db)
    rows = metrics.segment_rows(db, MetricsQuery("default", T0, day(7), by=("intent",)))
    assert [row.key for row in rows] == [("shipping",), ("billing",), (None,), ("returns",)]
    shipping, billing, no_intent, returns = rows
    assert (shipping.current.n, shipping.current.k, shipping.current.bad) == (20, 10, 6)
    assert shipping.csat == wilson(10, 20)
    assert (billing.current.n, billing.current.k) == (12, 9)
    assert billing.current.mean == pytest.approx(51 / 12)
    assert (billing.previous.n, billing.previous.k) == (10, 5)
    assert billing.previous.csat == wilson(5, 10)
    assert billing.delta == pytest.approx(25.0)
    assert billing.window == Window(T0, day(7)) and not billing.suppressed
    assert no_intent.csat.value == 1.0 and shipping.previous.n == 0 and shipping.delta is None
    assert returns.suppressed and returns.current.n == 3  # shown, not ranked


def test_overall_counts_the_whole_range_and_its_twin_before_it(db: Session) -> None:
    seed_intents(db)
    row = metrics.overall(db, MetricsQuery("default", T0, day(7), by=("intent",), period="day"))
    assert (row.current.n, row.current.k) == (12 + 20 + 3 + 10, 9 + 10 + 2 + 10)
    assert (row.previous.n, row.previous.k) == (10, 5)


def test_filters_select_one_segment_and_none_means_no_value(db: Session) -> None:
    seed_intents(db)
    billing = metrics.overall(db, MetricsQuery("default", T0, day(7), filters={"intent": "billing"}))
    assert (billing.current.n, billing.current.k) == (12, 9)
    nothing = metrics.overall(db, MetricsQuery("default", T0, day(7), filters={"intent": None}))
    assert (nothing.current.n, nothing.current.k) == (10, 10)
    everyone = metrics.segment_rows(db, MetricsQuery(None, T0, day(7), by=("tenant",)))
    assert {row.key: row.current.n for row in everyone} == {("default",): 45, ("other",): 1}


def test_weeks_split_at_monday_midnight_utc_and_compare_with_the_week_before(db: Session) -> None:
    sunday_night = datetime(2026, 3, 8, 23, 59, 59, tzinfo=timezone.utc)
    rated(db, 1, 5, sunday_night, intent="billing")
    rated(db, 2, 1, sunday_night + timedelta(seconds=1), intent="billing")
    rated(db, 3, 5, datetime(2026, 3, 1, 12, tzinfo=timezone.utc), intent="billing")
    rated(db, 4, 4, datetime(2026, 3, 10, 12, tzinfo=timezone.utc), intent="billing")
    query = MetricsQuery("default", day(3), datetime(2026, 3, 16, tzinfo=timezone.utc), by=("intent",),
                         period="week", min_n=1)
    rows = metrics.segment_rows(db, query)
    by_week = {row.window.start.day: row for row in rows}
    assert set(by_week) == {2, 9}  # the range's start is rounded down to its Monday
    assert (by_week[2].current.n, by_week[2].current.k, by_week[2].previous.n) == (1, 1, 1)
    assert (by_week[9].current.n, by_week[9].current.k) == (2, 1)
    assert (by_week[9].previous.n, by_week[9].previous.k) == (1, 1)
    assert [row.window.start.day for row in rows] == [9, 2]  # newest period first


def test_days_and_months_bucket_the_same_way_on_every_database(db: Session) -> None:
    rated(db, 1, 5, datetime(2026, 3, 31, 23, 59, tzinfo=timezone.utc))
    rated(db, 2, 1, datetime(2026, 4, 1, 0, 0, tzinfo=timezone.utc))
    days = metrics.trend(db, MetricsQuery("default", datetime(2026, 3, 31, tzinfo=timezone.utc),
                                          datetime(2026, 4, 2, tzinfo=timezone.utc)), "day")
    assert [(row.window.start.day, row.current.n, row.current.k) for row in days] == [(31, 1, 1), (1, 1, 0)]
    months = metrics.trend(db, MetricsQuery("default", datetime(2026, 3, 1, tzinfo=timezone.utc),
                                            datetime(2026, 5, 1, tzinfo=timezone.utc)), "month")
    assert [(row.window.start.month, row.current.n) for row in months] == [(3, 1), (4, 1)]
    assert months[1].previous.n == 1


def test_trend_keeps_empty_periods_as_gaps(db: Session) -> None:
    rated(db, 1, 5, day(0.5))
    rated(db, 2, 5, day(2.5))
    rows = metrics.trend(db, MetricsQuery("default", T0, day(3)), "day")  # 2 March 09:00 → 5 March 09:00
    assert [(row.window.start.day, row.current.n) for row in rows] == [(2, 1), (3, 0), (4, 1), (5, 0)]
    assert rows[-1].window.end == day(3)  # the last period ends with the range


def test_response_rate_counts_sent_surveys_by_channel_answered_or_not(db: Session) -> None:
    for ticket in range(4):
        rated(db, ticket, 5, day(1), channel="email") if ticket < 2 else sent_survey(db, ticket, day(1))
    for ticket in range(10, 13):
        sent_survey(db, ticket, day(1), channel="chat")
    rows = metrics.segment_rows(db, MetricsQuery("default", T0, day(7), by=("channel",)))
    responses = {row.key: row.response for row in rows}
    assert responses[("email",)] == wilson(2, 4)
    assert responses[("chat",)] == wilson(0, 3)  # nobody answered: still a segment, with n=0 ratings
    by_intent = metrics.segment_rows(db, MetricsQuery("default", T0, day(7), by=("intent",)))
    # surveys carry their segment as of the solve, so every cut has a response rate
    assert {row.key: row.response for row in by_intent} == {(None,): wilson(2, 7)}
    assert metrics.supports_response(MetricsQuery("default", T0, day(7), by=("intent",)))


def test_response_rate_is_ratings_received_over_surveys_sent_in_the_window(db: Session) -> None:
    rated(db, 1, 5, day(1), sent_at=day(-1))  # sent before the window, answered in it
    rated(db, 2, 5, day(1))
    sent_survey(db, 3, day(2))
    row = metrics.overall(db, MetricsQuery("default", T0, day(7)))
    assert row.response == wilson(2, 2) and row.previous_response == wilson(0, 1)
    agents = metrics.segment_rows(db, MetricsQuery("default", T0, day(7), by=("agent",)))
    # an unanswered survey counts with the agent of its solve (here none)
    assert {r.key: r.response for r in agents} == {(None,): wilson(2, 2)}


def test_the_one_scan_report_agrees_with_the_separate_queries(db: Session) -> None:
    seed_intents(db)
    for ticket, (intent, resolver) in enumerate([("billing", "ai"), ("billing", "human"), ("shipping", "ai")] * 4):
        rated(db, 5000 + ticket, 1 + ticket % 5, day(1.5), intent=intent, resolver=resolver, channel="web")
    for by in (("intent",), ("channel",), ("resolver", "channel")):
        query = MetricsQuery("default", T0, day(7), by=by)
        rows, total, ai = metrics.report_figures(db, query)
        assert rows == metrics.segment_rows(db, query)
        assert total == metrics.overall(db, query)
        assert ai == metrics.ai_vs_human(db, query)


def test_the_tickets_behind_a_figure_come_worst_first_then_newest(db: Session) -> None:
    for ticket, (score, hours) in enumerate([(2, 1), (1, 2), (1, 5), (5, 3), (2, 9)]):
        rated(db, 700 + ticket, score, day(1) + timedelta(hours=hours), intent="billing", comment=f"c{ticket}")
    rated(db, 800, 1, day(1), intent="shipping")
    query = MetricsQuery("default", T0, day(7), filters={"intent": "billing"})
    found, total = metrics.ratings_behind(db, query, limit=4)
    assert [(r.score, r.ticket_id) for r in found] == [(1, 702), (1, 701), (2, 704), (2, 700)]
    assert total == 5
    bad, bad_total = metrics.ratings_behind(db, query, band="bad", count=False)
    assert len(bad) == 4 and bad_total is None


# --- attribution as of the rating --------------------------------------------------------------------


def test_ratings_keep_who_and_what_they_were_about_when_the_customer_rated(db: Session) -> None:
    state = TicketState(tenant_id="default", ticket_id=77, assignee_id=11, group_id=21, brand_id=31,
                        channel="chat", category="billing", tags=["product_widget", "language_de", "vip"],
                        final=False, is_review_task=False, created_at=T0, updated_at=T0)
    db.add_all([state, AiDecision(tenant_id="default", ticket_id=77, decision_id="d1", step="intent_classification",
                                  intent="refund_request", policy_refs=[], created_at=T0, received_at=T0)])
    db.flush()
    rating = Rating(tenant_id="default", ticket_id=77, score=2, scale="five", channel="chat")
    snapshot_attribution(db, rating, state)
    assert (rating.assignee_id, rating.group_id, rating.brand_id) == (11, 21, 31)
    assert (rating.intent, rating.category, rating.resolver) == ("refund_request", "billing", "ai")
    assert (rating.product, rating.language) == ("widget", "de")
    db.add(Override(tenant_id="default", ticket_id=77, source="sidebar", kind="override", missing=[], details={},
                    dedupe_key="o1", occurred_at=T0, created_at=T0))
    db.flush()
    snapshot_attribution(db, rating, state)
    assert rating.resolver == "ai_overridden"


def test_a_reassigned_ticket_keeps_its_rating_with_the_agent_who_had_it(db: Session, settings: Settings) -> None:
    from feedbackloop.loop.ratings import record_rating

    db.add(TicketState(tenant_id="default", ticket_id=5, assignee_id=101, category="shipping", tags=[],
                       final=False, is_review_task=False, created_at=T0, updated_at=T0))
    survey = sent_survey(db, 5, day(1))
    record_rating(db, survey, 1, None, None, day(1))
    state = db.scalars(select(TicketState).where(TicketState.ticket_id == 5)).one()
    state.assignee_id = 202  # reassigned after the bad rating
    db.flush()
    (row,) = [r for r in metrics.segment_rows(db, MetricsQuery("default", T0, day(7), by=("agent", "resolver", "intent"),
                                                                min_n=1)) if r.current.n]  # the survey's own segment row aside
    assert row.key == ("101", "human", "shipping")


# --- statistics ----------------------------------------------------------------------------------------


def test_drop_test_matches_the_textbook_two_proportion_z_test() -> None:
    # 40/100 against 60/100: pooled p = .5, se = sqrt(.25 · .02) = .0707, z = 2.828, one-sided p = .00234
    assert drop_p_value(40, 100, 60, 100) == pytest.approx(0.002339, abs=1e-5)
    assert drop_p_value(60, 100, 40, 100) == pytest.approx(1 - 0.002339, abs=1e-5)  # a rise is no drop
    assert drop_p_value(0, 10, 0, 10) == 1.0 and drop_p_value(1, 0, 1, 1) == 1.0


def test_benjamini_hochberg_matches_r_p_adjust() -> None:
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "BH") = 0.025 0.050 0.050 0.025 0.500
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005, 0.5]) == pytest.approx([0.025, 0.05, 0.05, 0.025, 0.5])
    assert benjamini_hochberg([]) == []


def test_mantel_haenszel_sees_through_a_mix_difference() -> None:
    """Simpson's paradox: the AI does better on each intent, but takes the hard intents."""
    strata = [Stratum("easy", k1=19, n1=20, k0=160, n0=200), Stratum("hard", k1=90, n1=200, k0=6, n0=20)]
    crude_ai, crude_human = (19 + 90) / 220, (160 + 6) / 220
    assert crude_ai < crude_human
    diff = mantel_haenszel_difference(strata)
    assert diff is not None
    # by hand: weights 20·200/220 each; (0.95 − 0.80) and (0.45 − 0.30) → +0.15
    assert diff.estimate == pytest.approx(0.15)
    assert diff.low < 0.15 < diff.high and diff.strata == 2
    assert mantel_haenszel_difference([Stratum("ai only", 5, 10, 0, 0)]) is None


def test_mantel_haenszel_interval_agrees_with_the_large_sample_variance() -> None:
    strata = [Stratum("a", 400, 500, 210, 300), Stratum("b", 100, 200, 270, 600)]
    diff = mantel_haenszel_difference(strata)
    assert diff is not None
    weights = [s.n1 * s.n0 / (s.n1 + s.n0) for s in strata]
    var = sum(w * w * ((s.k1 / s.n1) * (1 - s.k1 / s.n1) / s.n1 + (s.k0 / s.n0) * (1 - s.k0 / s.n0) / s.n0)
              for w, s in zip(weights, strata)) / sum(weights) ** 2
    assert (diff.high - diff.estimate) / 1.959964 == pytest.approx(var ** 0.5, rel=0.02)


def test_ai_vs_human_compares_within_intents(db: Session) -> None:
    ticket = iter(range(1, 1000))
    for intent, resolver, good, total in (("easy", "ai", 19, 20), ("easy", "human", 160, 200),
                                          ("hard", "ai", 90, 200), ("hard", "human", 6, 20)):
        for index in range(total):
            rated(db, next(ticket), 5 if index < good else 1, day(1), intent=intent, resolver=resolver)
    result = metrics.ai_vs_human(db, MetricsQuery("default", T0, day(7)))
    assert result.crude["ai"] == wilson(109, 220) and result.crude["human"] == wilson(166, 220)
    assert result.adjusted is not None and result.adjusted.estimate == pytest.approx(0.15)
    assert [item.intent for item in result.intents] == ["easy", "hard"]


def test_outcome_rates_are_per_solve_and_per_ai_ticket(db: Session) -> None:
    for ticket in range(10):
        sent_survey(db, ticket, day(1))
    db.add_all([Signal(tenant_id="default", ticket_id=1, type="reopen", value=1.0, source="webhook",
                       dedupe_key="r1", details={}, occurred_at=day(2), created_at=day(2)),
                AiDecision(tenant_id="default", ticket_id=1, decision_id="a", step="reply", policy_refs=[],
                           created_at=day(1), received_at=day(1)),
                AiDecision(tenant_id="default", ticket_id=2, decision_id="b", step="reply", policy_refs=[],
                           created_at=day(1), received_at=day(1)),
                Override(tenant_id="default", ticket_id=2, source="macro", kind="override", missing=[], details={},
                         dedupe_key="o", occurred_at=day(1), created_at=day(1))])
    db.flush()
    def signal(ticket: int, kind: str, value: float | None, at: datetime) -> Signal:
        return Signal(tenant_id="default", ticket_id=ticket, type=kind, value=value, source="webhook",
                      dedupe_key=f"{kind}:{ticket}", details={}, occurred_at=at, created_at=at)

    db.add_all([signal(3, "recontact", 1.0, day(2)), signal(4, "recontact", 1.0, day(9)),  # one after the range
                *(signal(t, "first_contact_resolution", 1.0 if t < 3 else 0.0, day(3)) for t in range(4)),
                *(signal(t, "time_to_resolution", hours * 3600, day(3)) for t, hours in enumerate((1, 5, 2, 40))),
                ReviewTask(tenant_id="default", source_ticket_id=1, generation=1, state="solved", reasons=[],
                           verdict="knowledge_gap", verdict_at=day(2), created_at=day(1), updated_at=day(2)),
                ReviewTask(tenant_id="default", source_ticket_id=2, generation=1, state="solved", reasons=[],
                           verdict="knowledge_gap", verdict_at=day(3), created_at=day(1), updated_at=day(3)),
                ReviewTask(tenant_id="default", source_ticket_id=3, generation=1, state="solved", reasons=[],
                           verdict="policy", verdict_at=day(3), created_at=day(1), updated_at=day(3))])
    db.flush()
    outcomes = metrics.outcome_rates(db, "default", Window(T0, day(7)))
    assert outcomes.reopen == wilson(1, 10)
    assert outcomes.failed_resolution == wilson(0, 10)
    assert outcomes.override == wilson(1, 2)
    assert outcomes.recontact == wilson(1, 10)
    assert outcomes.first_contact_resolution == wilson(3, 4)
    assert (outcomes.median_hours_to_resolution, outcomes.resolved) == (pytest.approx(3.5), 4)  # (2 + 5) / 2
    assert outcomes.verdicts == {"knowledge_gap": 2, "policy": 1}


# --- drop alerts -----------------------------------------------------------------------------------------

CHECK_AT = datetime(2026, 3, 4, 12, tzinfo=timezone.utc)  # Wednesday; the week began Monday 2 March


def alert_settings(settings: Settings, **extra: str) -> Settings:
    return settings.with_(extra={"FEEDBACKLOOP_ALERT_DIMENSIONS": "intent", **extra})


def seed_drop(db: Session) -> None:
    """billing: 80 % over the four weeks before, 50 % this week; shipping steady at about 75 %."""
    ticket = iter(range(1, 10_000))
    for index in range(200):
        at = datetime(2026, 2, 2, tzinfo=timezone.utc) + timedelta(hours=3 * index + 1)
        rated(db, next(ticket), 5 if index % 5 else 1, at, intent="billing")
        rated(db, next(ticket), 5 if index % 4 else 2, at, intent="shipping")
    for index in range(60):
        at = datetime(2026, 3, 2, tzinfo=timezone.utc) + timedelta(minutes=40 * index + 1)
        rated(db, next(ticket), 5 if index % 2 else 1, at, intent="billing", comment=HOSTILE if index == 58 else None)
        rated(db, next(ticket), 5 if index % 4 else 2, at, intent="shipping")


def test_a_significant_drop_is_found_and_a_steady_segment_is_not(db: Session, settings: Settings) -> None:
    seed_drop(db)
    config = alerts.alert_config(alert_settings(settings))
    check = alerts.find_drops(db, "default", config, CHECK_AT)
    assert check.current == Window(datetime(2026, 3, 2, tzinfo=timezone.utc), datetime(2026, 3, 9, tzinfo=timezone.utc))
    assert check.baseline.start == datetime(2026, 2, 2, tzinfo=timezone.utc)
    assert sorted(c.value or "" for c in check.tested) == ["billing", "shipping"]
    ((candidate, q),) = check.drops(config.fdr)
    assert candidate.value == "billing"
    assert (candidate.current.k, candidate.current.n, candidate.baseline.k, candidate.baseline.n) == (30, 60, 160, 200)
    assert candidate.p_value == pytest.approx(drop_p_value(30, 60, 160, 200))
    assert q == pytest.approx(min(1.0, candidate.p_value * 2))  # rank 1 of 2 tested


def test_segments_below_the_alert_minimum_are_not_tested(db: Session, settings: Settings) -> None:
    seed_drop(db)
    config = alerts.alert_config(alert_settings(settings, FEEDBACKLOOP_ALERT_MIN_N="61"))
    assert alerts.find_drops(db, "default", config, CHECK_AT).tested == []


def test_the_check_opens_one_alert_per_segment_and_period_however_often_it_runs(
        db: Session, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    seed_drop(db)
    configured = alert_settings(settings)
    assert alerts.check_drops(db, configured, "default", CHECK_AT) == "tested 2 segments; 1 new drop(s)"
    assert alerts.check_drops(db, configured, "default", CHECK_AT + timedelta(hours=1)).endswith("0 new drop(s)")
    (alert,) = db.scalars(select(DropAlert)).all()
    assert alert.label == "intent=billing" and alert.segment == {"intent": "billing"} and alert.tested == 2
    (job,) = db.scalars(select(Job).where(Job.kind == "drop_task")).all()
    assert job.args == {"alert_id": alert.id}
    assert not db.scalars(select(Job).where(Job.kind == "alert_webhook")).all()  # no webhook configured
    assert "CSAT drop: intent=billing" in caplog.text


def test_the_drop_task_is_one_review_task_with_the_figures_and_worst_tickets(
        engine: Engine, services: Services, runner: Runner, sandbox: Any) -> None:
    with session_scope(services.factory) as db:
        seed_drop(db)
        alerts.check_drops(db, alert_settings(services.settings), "default", CHECK_AT)
    runner.run_until_idle()
    (task,) = [t for t in sandbox.tickets() if t["subject"].startswith("CSAT drop")]
    assert task["subject"] == "CSAT drop: intent=billing" and task["type"] == "task"
    assert {"feedback_review", "csat_skip"} <= set(task["tags"])
    (note,) = sandbox.ticket_comments(task["id"])
    assert "50.0% [" in note["body"] and "80.0% [" in note["body"] and "Benjamini–Hochberg" in note["body"]
    assert HOSTILE in note["body"]  # a plain-text internal note: the worst ticket's comment, verbatim
    assert "/dashboard/tickets?" in note["body"] and "intent=billing" in note["body"]
    with session_scope(services.factory) as db:
        (alert,) = db.scalars(select(DropAlert)).all()
        assert (alert.state, alert.task_ticket_id) == ("open", task["id"])
        assert db.scalars(select(TicketState).where(TicketState.ticket_id == task["id"])).one().is_review_task


def test_the_scheduler_tick_queues_one_drop_check_per_interval(services: Services, clock: Clock) -> None:
    tick = make_enqueue_reconcile(services.factory, services.job_context(), ["default"])
    tick()
    tick()
    with session_scope(services.factory) as db:
        assert db.scalar(select(func.count()).select_from(Job).where(Job.kind == "drop_alerts")) == 1
    clock.advance(3600)
    tick()
    with session_scope(services.factory) as db:
        assert db.scalar(select(func.count()).select_from(Job).where(Job.kind == "drop_alerts")) == 2


# --- the outbound webhook ----------------------------------------------------------------------------------


class Receiver:
    """A loopback HTTP endpoint standing in for Slack: records requests, answers `status`."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/hook"

    def app(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        self.requests.append((dict(request.headers), request.get_data()))
        return Response("ok" if self.status < 300 else "no", status=self.status)(environ, start_response)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hook = Receiver()
    yield hook
    hook.server.shutdown()


def webhook_services(services: Services, receiver: Receiver) -> Services:
    services.settings = alert_settings(services.settings, FEEDBACKLOOP_ALERT_WEBHOOK_URL=receiver.url,
                                       FEEDBACKLOOP_ALERT_WEBHOOK_SECRET="alert-secret-123")
    return services


def test_a_drop_is_posted_signed_to_the_alert_webhook(services: Services, runner: Runner, sandbox: Any,
                                                       receiver: Receiver) -> None:
    webhook_services(services, receiver)
    runner.ctx.settings = services.settings
    with session_scope(services.factory) as db:
        seed_drop(db)
        alerts.check_drops(db, services.settings, "default", CHECK_AT)
    runner.run_until_idle()
    ((headers, body),) = receiver.requests
    assert json.loads(body)["text"].startswith("CSAT drop: intent=billing: 50.0% [")
    assert alerts.verify_alert("alert-secret-123", headers, body, datetime.now(timezone.utc))
    assert not alerts.verify_alert("another-secret", headers, body, datetime.now(timezone.utc))
    assert not alerts.verify_alert("alert-secret-123", headers, body + b" ", datetime.now(timezone.utc))


def test_a_failing_webhook_is_retried_as_a_job(services: Services, runner: Runner, receiver: Receiver,
                                               clock: Clock) -> None:
    webhook_services(services, receiver)
    runner.ctx.settings = services.settings
    receiver.status = 503
    with session_scope(services.factory) as db:
        rating = rated(db, 5, 1, day(1), comment="bad")
        alerts.queue_bad_rating_alert(db, services.settings, rating.id, 1, CHECK_AT)
    runner.run_until_idle()
    with session_scope(services.factory) as db:
        (job,) = db.scalars(select(Job).where(Job.kind == "alert_webhook")).all()
        assert (job.state, job.attempts, job.last_error) == ("pending", 1, "alert webhook answered 503")
    receiver.status = 200
    clock.advance(3600)
    runner.run_until_idle()
    with session_scope(services.factory) as db:
        assert db.scalars(select(Job.state).where(Job.kind == "alert_webhook")).one() == "done"
    assert len(receiver.requests) == 2


def test_a_refusing_webhook_gives_up_with_the_reason(services: Services, runner: Runner,
                                                     receiver: Receiver) -> None:
    webhook_services(services, receiver)
    runner.ctx.settings = services.settings
    receiver.status = 404
    with session_scope(services.factory) as db:
        rating = rated(db, 5, 2, day(1))
        alerts.queue_bad_rating_alert(db, services.settings, rating.id, 1, CHECK_AT)
    runner.run_until_idle()
    with session_scope(services.factory) as db:
        job = db.scalars(select(Job).where(Job.kind == "alert_webhook")).one()
        assert job.state == "dead" and "404" in (job.result or "")


def test_every_bad_rating_goes_to_the_webhook_after_its_write_back(services: Services, runner: Runner,
                                                                    sandbox: Any, receiver: Receiver) -> None:
    from feedbackloop.loop.ratings import record_rating

    webhook_services(services, receiver)
    runner.ctx.settings = services.settings
    ticket = sandbox.simulate_customer_ticket(name="Ann", email="ann@example.net", subject="Help", body="Hi",
                                              channel="web", tags=["category_billing"])
    with session_scope(services.factory) as db:
        good = sent_survey(db, ticket, day(1))
        record_rating(db, good, 1, "not_resolved", HOSTILE + " <!channel>", day(1))
    runner.run_until_idle()
    ((_, body),) = receiver.requests
    text = json.loads(body)["text"]
    assert text.startswith(f"Bad rating 1/5 on ticket #{ticket}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;!channel&gt;" in text and "<script>" not in text
    assert f"/agent/tickets/{ticket}|open ticket>" in text


def test_customer_text_in_chat_alerts_is_redacted_unless_turned_off(services: Services, runner: Runner,
                                                                    sandbox: Any, receiver: Receiver) -> None:
    from feedbackloop.loop.ratings import record_rating

    webhook_services(services, receiver)
    runner.ctx.settings = services.settings
    comment = "Awful. I'm Ana Lima, call me on +44 20 7946 0958 or ana.lima@example.com; card 4111 1111 1111 1111"
    ticket = sandbox.simulate_customer_ticket(name="Ann", email="ann@example.net", subject="Help", body="Hi",
                                              channel="web", tags=["category_billing"])
    with session_scope(services.factory) as db:
        record_rating(db, sent_survey(db, ticket, day(1)), 1, "not_resolved", comment, day(1))
    runner.run_until_idle()
    ((_, body),) = receiver.requests
    text = json.loads(body)["text"]
    assert "Awful." in text and "[PHONE]" in text and "[EMAIL]" in text and "[CARD]" in text
    for value in ("7946 0958", "ana.lima@example.com", "4111"):
        assert value not in text
    plain = alerts.alert_config(services.settings.with_(extra={**services.settings.extra,
                                                               "FEEDBACKLOOP_ALERT_REDACT": "0"}))
    assert plain.redact is False and alerts.alert_config(services.settings).redact is True
    with pytest.raises(ConfigError, match="FEEDBACKLOOP_ALERT_REDACT must be 1 or 0"):
        alerts.alert_config(services.settings.with_(extra={"FEEDBACKLOOP_ALERT_REDACT": "maybe"}))


def test_good_ratings_and_unconfigured_webhooks_send_nothing(db: Session, settings: Settings) -> None:
    rating = rated(db, 5, 5, day(1))
    alerts.queue_bad_rating_alert(db, settings.with_(extra={"FEEDBACKLOOP_ALERT_WEBHOOK_URL": "https://h.example/x",
                                                            "FEEDBACKLOOP_ALERT_WEBHOOK_SECRET": "s"}),
                                  rating.id, 1, day(1))
    bad = rated(db, 6, 1, day(1))
    alerts.queue_bad_rating_alert(db, settings, bad.id, 1, day(1))
    assert not db.scalars(select(Job).where(Job.kind == "alert_webhook")).all()


@pytest.mark.parametrize(("extra", "message"), [
    ({"FEEDBACKLOOP_ALERT_WEBHOOK_URL": "https://hooks.example/x"}, "FEEDBACKLOOP_ALERT_WEBHOOK_SECRET is required"),
    ({"FEEDBACKLOOP_ALERT_WEBHOOK_URL": "http://hooks.example/x", "FEEDBACKLOOP_ALERT_WEBHOOK_SECRET": "s"},
     "plain http only to a loopback"),
    ({"FEEDBACKLOOP_ALERT_PERIOD": "year"}, "FEEDBACKLOOP_ALERT_PERIOD must be one of"),
    ({"FEEDBACKLOOP_ALERT_FDR": "0.9"}, "FEEDBACKLOOP_ALERT_FDR must be between"),
    ({"FEEDBACKLOOP_ALERT_DIMENSIONS": "intent,colour"}, "unknown segment 'colour'"),
])
def test_alert_settings_are_checked_with_the_variable_named(settings: Settings, extra: dict[str, str],
                                                            message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        alerts.alert_config(settings.with_(extra=extra))


def test_alert_settings_come_from_the_environment() -> None:
    from feedbackloop.core.settings import settings_from_env

    loaded = settings_from_env({"FEEDBACKLOOP_ALERT_PERIOD": "day", "FEEDBACKLOOP_ALERT_BASELINE_PERIODS": "14",
                                "OTHER": "x"}, demo=True)
    config = alerts.alert_config(loaded)
    assert (config.period, config.baseline_periods, config.fdr) == ("day", 14, 0.05)
    assert "OTHER" not in loaded.extra
