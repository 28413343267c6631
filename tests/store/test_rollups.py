"""The daily rollup gives exactly the figures a GROUP BY over the raw tables gives, for every query shape.

Data is written through the real write paths (ratings.record_rating, survey._mark_sent: the
functions the survey page, the email-reply classifier and the send job call), with NULL, empty and
set segment values, several tenants and changed scores; then every cut is computed twice, from the
rollup and from the raw tables (`use_rollups=False`, the oracle), and compared key for key.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, case, event, func, select
from sqlalchemy.orm import Session

from feedbackloop.cli import cli
from feedbackloop.core.settings import Settings
from feedbackloop.insight import metrics, outcomes, reports
from feedbackloop.insight.metrics import DIMENSIONS, MetricsQuery
from feedbackloop.loop.ratings import record_rating
from feedbackloop.loop.records import record_signal
from feedbackloop.loop.survey import _mark_sent
from feedbackloop.store import rollups
from feedbackloop.store.db import make_session_factory, session_scope
from feedbackloop.store.models import AiDecision, DailyRollup, Rating, Survey, TicketState

T0 = datetime(2026, 3, 2, tzinfo=timezone.utc)  # a Monday, midnight
TENANTS = ("default", "acme", "zeta")
SPAN_DAYS = 75


def maybe(rng: random.Random, *values: Any) -> Any:
    """One of `values`, or None (missing), or '' for text (present but empty: not the same as missing)."""
    return rng.choice((None, *values))


def random_moment(rng: random.Random) -> datetime:
    """Anywhere in the span, one in five exactly at a midnight (the edge a day split must get right)."""
    days = rng.randrange(SPAN_DAYS)
    if rng.random() < 0.2:
        return T0 + timedelta(days=days)
    return T0 + timedelta(days=days, seconds=rng.randrange(86400), microseconds=rng.randrange(1_000_000))


def score_on(rng: random.Random, scale: str) -> int:
    """A score the scale has: 1–5, or thumbs down/up stored as 1/5."""
    return rng.randint(1, 5) if scale == "five" else rng.choice((1, 5))


def seed(session: Session, settings: Settings, rng: random.Random, tickets: int = 240) -> None:
    """Surveys sent and rated through the application's own functions; some ratings changed later."""
    rated_surveys: list[tuple[Survey, datetime]] = []
    tenant_of: dict[int, str] = {}
    for ticket in range(1, tickets + 1):
        tenant = tenant_of[ticket] = rng.choice(TENANTS)
        category = maybe(rng, "billing", "shipping", "")
        session.add(TicketState(
            tenant_id=tenant, ticket_id=ticket, assignee_id=maybe(rng, 11, 12, 13), group_id=maybe(rng, 21, 22),
            brand_id=maybe(rng, 31), channel=maybe(rng, "email", "chat", ""), category=category,
            tags=[t for t in (maybe(rng, "product_widget", "product_gadget"), maybe(rng, "language_de")) if t],
            final=False, is_review_task=False, created_at=T0, updated_at=T0,
        ))
        if rng.random() < 0.4:  # the AI worked on it: intent and resolver follow
            session.add(AiDecision(tenant_id=tenant, ticket_id=ticket, decision_id=f"d{ticket}", step="reply",
                                   intent=maybe(rng, "refund", "where_is_my_order"), policy_refs=[],
                                   created_at=T0, received_at=T0))
        sent_at = random_moment(rng)
        # five-point, thumbs (5/1, Zendesk's good/bad too) and CES-only surveys (not CSAT surveys sent)
        scale = rng.choice(("five", "five", "thumbs", "ces"))
        survey = Survey(
            tenant_id=tenant, ticket_id=ticket, requester_id=9000 + ticket, solve_key=f"solve-{ticket}",
            solved_at=sent_at - timedelta(hours=1), state="scheduled", scale=scale, scheduled_for=sent_at,
            channel=maybe(rng, "email", "chat", ""), intent=maybe(rng, "refund", ""), category=category,
            product=maybe(rng, "widget"), resolver=maybe(rng, "ai", "human"), assignee_id=maybe(rng, 11, 12),
            group_id=maybe(rng, 21), brand_id=maybe(rng, 31), language=maybe(rng, "de", "en"),
            created_at=sent_at - timedelta(hours=1), updated_at=sent_at - timedelta(hours=1),
        )
        session.add(survey)
        session.flush()
        rollups.add_solve(session, survey)  # as lifecycle.schedule_survey does
        if rng.random() < 0.9:
            _mark_sent(survey, settings, sent_at, "sent")
        if rng.random() < 0.7 and scale != "ces":  # a CES answer is no rating (loop/ces.py)
            at = sent_at + timedelta(seconds=rng.randrange(3 * 86400)) if rng.random() < 0.8 else random_moment(rng)
            record_rating(session, survey, score_on(rng, scale), None, None, at)
            rated_surveys.append((survey, at))
    for survey, at in rng.sample(rated_surveys, len(rated_surveys) // 3):  # the customer clicks again
        record_rating(session, survey, score_on(rng, survey.scale), None, None, at + timedelta(minutes=5))
    for survey, _ in rated_surveys[20:40]:  # a scale changed under a rating (5 and 1 exist on both)
        rating = session.scalars(select(Rating).where(Rating.survey_id == survey.id)).one()
        if rating.score in (1, 5):
            other = "thumbs" if rating.scale == "five" else "five"
            rollups.change_rating(session, rating, rating.score, other)
            rating.scale = other
            session.flush()
    for survey, _ in rated_surveys[:20]:
        rating = session.scalars(select(Rating).where(Rating.survey_id == survey.id)).one()
        rollups.change_rating(session, rating, rating.score)  # a change to the same score changes nothing
    kinds = ("reopen", "failed_resolution", "recontact", "first_contact_resolution", "time_to_resolution",
             "override", "csat")
    for index in range(tickets * 2):  # signals through the application's own function, some twice
        ticket = rng.randint(1, tickets)
        kind = rng.choice(kinds)
        value = rng.choice((0.0, 0.5, 1.0, None)) if kind == "first_contact_resolution" else 3600.0
        key = f"{kind}:{ticket}:{index % (tickets + tickets // 4)}"  # some keys repeat: deduplicated, counted once
        record_signal(session, tenant_of[ticket], ticket, kind, value, "test", key, random_moment(rng), {}, T0)
    for ticket in range(tickets + 1, tickets + 21):  # rows from before the insight columns: no resolver
        at = random_moment(rng)
        survey = Survey(tenant_id="default", ticket_id=ticket, solve_key=f"old-{ticket}", solved_at=at, state="sent",
                        scale="five", scheduled_for=at, sent_at=at, created_at=at, updated_at=at)
        session.add(survey)
        session.flush()
        rating = Rating(tenant_id="default", survey_id=survey.id, ticket_id=ticket, score=rng.randint(1, 5),
                        scale="five", source="link", version=1, written_version=1, channel=maybe(rng, "email"),
                        assignee_id=maybe(rng, 11), created_at=at, updated_at=at)
        session.add(rating)
        session.flush()
    rollups.rebuild(session, "default")  # they were written without the application: rebuild, as an operator would
    session.flush()


@pytest.fixture
def seeded(engine: Engine, settings: Settings) -> Iterator[Session]:
    with session_scope(make_session_factory(engine)) as session:
        seed(session, settings, random.Random(20261203))
        yield session


def rollup_rows(session: Session) -> set[tuple[Any, ...]]:
    """The rollup table's rows with anything in them."""
    rows = session.execute(select(DailyRollup.__table__)).all()
    return {tuple(row) for row in rows if any(getattr(row, name) for name in rollups.MEASURES)}


def queries(rng: random.Random) -> Iterator[MetricsQuery]:
    """Every dimension alone and a sample of pairs, with and without filters, each period, a tenant
    or all, ranges starting and ending at midnight and mid-day, and the alerts' trailing baseline."""
    names = list(DIMENSIONS)
    cuts: list[tuple[str, ...]] = [(), *((name,) for name in names)]
    cuts += rng.sample(list(itertools.combinations(names, 2)), 12)
    filters: list[dict[str, str | None]] = [
        {}, {"channel": "email"}, {"channel": ""}, {"agent": "11"}, {"intent": None}, {"tenant": "acme"},
        {"group": None, "language": "de"}, {"resolver": "human", "brand": "31"},
    ]
    ranges = [
        (T0 + timedelta(days=30, hours=13, minutes=37), T0 + timedelta(days=60, hours=2)),  # mid-day both ends
        (T0 + timedelta(days=28), T0 + timedelta(days=56)),  # midnight both ends
        (T0 + timedelta(days=40, hours=6), T0 + timedelta(days=40, hours=18)),  # inside one day
        (T0 + timedelta(days=20), T0 + timedelta(days=SPAN_DAYS + 5, seconds=1)),
    ]
    for by in cuts:
        for period in (None, "day", "week", "month"):
            since, until = rng.choice(ranges)
            tenant = rng.choice((None, "default"))
            yield MetricsQuery(tenant, since, until, by=by, period=period, filters=rng.choice(filters))
    for since, until in ranges:
        baseline = since - timedelta(days=17, hours=5)
        yield MetricsQuery("acme", since, until, by=("intent",), baseline_since=baseline)
        yield MetricsQuery(None, since, until, by=("tenant", "channel"), baseline_since=since - timedelta(days=21))


def test_every_query_shape_gives_the_raw_tables_figures(seeded: Session) -> None:
    compared, total = 0, 0
    for query in queries(random.Random(7)):
        total += 1
        raw = metrics.rating_counts(seeded, query, use_rollups=False)
        assert metrics.rating_counts(seeded, query) == raw, query
        raw_sent = metrics.sent_counts(seeded, query, use_rollups=False)
        assert metrics.sent_counts(seeded, query) == raw_sent, query
        assert metrics.build_rows(query, raw, raw_sent) == metrics.segment_rows(seeded, query), query
        raw_outcomes = outcomes.outcome_counts(seeded, query, use_rollups=False)
        assert outcomes.outcome_counts(seeded, query) == raw_outcomes, query
        with metrics.shared_rollup_reads(seeded):  # as the report reads: each rollup scan cut several ways
            assert metrics.rating_counts(seeded, query) == raw, query
            assert metrics.sent_counts(seeded, query) == raw_sent, query
            assert outcomes.outcome_counts(seeded, query) == raw_outcomes, query
            assert metrics.rating_counts(seeded, query) == raw, query  # read again: from what was kept
        compared += bool(raw)
    assert compared > 0.8 * total  # the data reaches most queries: the comparison is not of empty dicts


def test_a_report_scans_the_rollup_once_per_segment(engine: Engine, seeded: Session) -> None:
    """Ratings (cut by intent and resolver for AI vs human), surveys sent, solves and signals of the
    same days: two scans of daily_rollups, not four."""
    query = MetricsQuery("default", T0 + timedelta(days=30, hours=13), T0 + timedelta(days=60, hours=2), by=("intent",))
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        report = reports.build_report(seeded, query, T0 + timedelta(days=61))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert sum("FROM daily_rollups" in s for s in statements) == 2
    assert report.overall.current.n > 0 and metrics._SHARED_READS not in seeded.info  # nothing kept after


def test_the_incremental_rollup_equals_a_rebuild(seeded: Session) -> None:
    """(The backfills of 0010 and 0011 were replayed here until 0019 widened the rollup's key: their
    SQL names the old key. test_migrations.py checks that 0019 carries the old rows over.)"""
    incremental = rollup_rows(seeded)
    done = rollups.rebuild(seeded)
    assert rollup_rows(seeded) == incremental
    assert done.ratings == seeded.scalar(select(func.count(Rating.id)))
    assert done.sent == seeded.scalar(select(func.count(Survey.id)).where(Survey.sent_at.is_not(None),
                                                                         Survey.scale != "ces"))


def test_the_mean_is_of_five_point_ratings_and_sent_of_csat_surveys(seeded: Session) -> None:
    """The rollup's mean inputs and `sent` against plain SQL over the raw tables: score_sum and
    five_rated of scale "five" only, `rated`/`satisfied` of every scale, `sent` without CES-only surveys."""
    five = Rating.scale == "five"
    raw = seeded.execute(select(func.count(), func.sum(case((Rating.score >= 4, 1), else_=0)),
                                func.sum(case((five, 1), else_=0)), func.sum(case((five, Rating.score), else_=0)))).one()
    kept = seeded.execute(select(func.sum(DailyRollup.rated), func.sum(DailyRollup.satisfied),
                                 func.sum(DailyRollup.five_rated), func.sum(DailyRollup.score_sum))).one()
    assert tuple(int(v) for v in kept) == tuple(int(v) for v in raw)
    assert 0 < raw[2] < raw[0]  # both scales are there: the test is not of one scale
    sent = seeded.scalar(select(func.count()).select_from(Survey).where(Survey.sent_at.is_not(None),
                                                                     Survey.scale != "ces"))
    ces_sent = seeded.scalar(select(func.count()).select_from(Survey).where(Survey.sent_at.is_not(None),
                                                                         Survey.scale == "ces"))
    assert seeded.scalar(select(func.sum(DailyRollup.sent))) == sent and ces_sent
    whole = metrics.overall(seeded, MetricsQuery(None, T0, T0 + timedelta(days=SPAN_DAYS + 1))).current
    assert whole.five == raw[2] and whole.two_point == raw[0] - raw[2]
    assert whole.mean == raw[3] / raw[2]


def test_missing_and_empty_segment_values_stay_apart(engine: Engine, settings: Settings) -> None:
    with session_scope(make_session_factory(engine)) as session:
        for ticket, channel in ((1, None), (2, ""), (3, "")):
            session.add(TicketState(tenant_id="default", ticket_id=ticket, channel=channel, tags=[], final=False,
                                    is_review_task=False, created_at=T0, updated_at=T0))
            survey = Survey(tenant_id="default", ticket_id=ticket, solve_key=f"s{ticket}", solved_at=T0,
                            state="scheduled", scale="five", scheduled_for=T0, channel=channel,
                            created_at=T0, updated_at=T0)
            session.add(survey)
            session.flush()
            _mark_sent(survey, settings, T0 + timedelta(hours=1), "sent")
            record_rating(session, survey, 5, None, None, T0 + timedelta(hours=2))
        query = MetricsQuery("default", T0 - timedelta(days=3), T0 + timedelta(days=3), by=("channel",))
        counts = metrics.rating_counts(session, query)
        assert counts[((None,), query.since)].n == 1 and counts[(("",), query.since)].n == 2
        assert metrics.sent_counts(session, query) == {((None,), query.since): 1, (("",), query.since): 2}


def test_whole_days_come_from_the_rollup_and_only_the_edges_from_the_raw_tables() -> None:
    since = datetime(2026, 3, 10, 13, 30, tzinfo=timezone.utc)
    until = datetime(2026, 4, 9, 8, 0, tzinfo=timezone.utc)
    query = MetricsQuery("default", since, until, by=("intent",))  # previous window starts mid-day too
    days, raw = metrics._split(query)
    assert days == [(date(2026, 2, 9), date(2026, 3, 10)), (date(2026, 3, 11), date(2026, 4, 9))]
    assert raw == [(query.scanned().start, datetime(2026, 2, 9, tzinfo=timezone.utc)),
                   (datetime(2026, 3, 10, tzinfo=timezone.utc), datetime(2026, 3, 11, tzinfo=timezone.utc)),
                   (datetime(2026, 4, 9, tzinfo=timezone.utc), until)]
    weekly = MetricsQuery("default", since, until, period="week")  # periods start at midnights
    assert metrics._split(weekly)[1] == [(datetime(2026, 4, 9, tzinfo=timezone.utc), until)]


def test_rebuild_from_the_command_line_reports_what_it_did(seeded: Session, engine: Engine) -> None:
    seeded.commit()
    url = engine.url.render_as_string(hide_password=False)
    env = {"FEEDBACKLOOP_DATABASE_URL": url}
    everyone = CliRunner().invoke(cli, ["rollups", "rebuild"], env=env)
    assert everyone.exit_code == 0, everyone.output
    assert "rebuilt the daily rollups of every tenant:" in everyone.output and "ratings and" in everyone.output
    one = CliRunner().invoke(cli, ["rollups", "rebuild", "--tenant", "acme"], env=env)
    assert one.exit_code == 0 and "of tenant acme" in one.output
    bad = CliRunner().invoke(cli, ["rollups", "rebuild", "--tenant", "x" * 65], env=env)
    assert bad.exit_code == 2 and "not a tenant id" in bad.output


def _rate_in_own_session(engine: Engine, survey_id: int, score: int, at: datetime, started: threading.Barrier,
                         hold: float, errors: list[BaseException]) -> None:
    """record_rating in a session of its own, holding the transaction open for `hold` seconds."""
    try:
        started.wait(timeout=10)  # before the first statement: SQLite's BEGIN IMMEDIATE would block the other
        with session_scope(make_session_factory(engine)) as session:
            survey = session.get(Survey, survey_id)
            assert survey is not None
            record_rating(session, survey, score, None, None, at)
            threading.Event().wait(hold)
    except BaseException as exc:  # noqa: BLE001 - reported by the test thread
        errors.append(exc)


def test_concurrent_ratings_and_score_changes_all_count(engine: Engine, settings: Settings) -> None:
    """Two sessions writing the same segment and day at once: the upsert adds both; two changes of
    one rating at once: the old score is read under a lock, so neither is subtracted twice."""
    at = T0 + timedelta(hours=10)
    with session_scope(make_session_factory(engine)) as session:
        ids = []
        for ticket in (1, 2, 3):
            survey = Survey(tenant_id="default", ticket_id=ticket, solve_key=f"s{ticket}", solved_at=T0,
                            state="scheduled", scale="five", scheduled_for=T0, channel="email",
                            created_at=T0, updated_at=T0)
            session.add(survey)
            session.flush()
            rollups.add_solve(session, survey)
            _mark_sent(survey, settings, T0 + timedelta(hours=1), "sent")
            ids.append(survey.id)
        record_rating(session, survey, 3, None, None, at)  # ticket 3, changed twice at once below

    def race(*writes: tuple[int, int]) -> None:
        started, errors = threading.Barrier(len(writes)), list[BaseException]()
        threads = [threading.Thread(target=_rate_in_own_session,
                                    args=(engine, survey_id, score, at, started, 0.5 - 0.4 * i, errors))
                   for i, (survey_id, score) in enumerate(writes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors

    race((ids[0], 5), (ids[1], 4))
    race((ids[2], 5), (ids[2], 1))
    with session_scope(make_session_factory(engine)) as session:
        query = MetricsQuery("default", T0 - timedelta(days=2), T0 + timedelta(days=2))
        raw = metrics.rating_counts(session, query, use_rollups=False)
        assert raw[((), query.since)].n == 3
        assert metrics.rating_counts(session, query) == raw
        incremental = rollup_rows(session)
        rollups.rebuild(session)
        assert rollup_rows(session) == incremental
