"""Event history → surveys and signals, whatever order the events arrive in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from factories import status_event
from feedbackloop.core.settings import Settings
from feedbackloop.loop.lifecycle import process_ticket
from feedbackloop.loop.receive import store_event
from feedbackloop.store.db import make_session_factory, session_scope, utcnow
from feedbackloop.store.models import Job, Signal, Survey

SETTINGS = Settings(secret_key="k" * 20, survey_delay=3600, reopen_window=86400)


def _feed(engine: Engine, *events: object, settings: Settings = SETTINGS) -> None:
    factory = make_session_factory(engine)
    for event in events:
        with session_scope(factory) as session:
            store_event(session, "default", "zendesk", event, source="webhook", now=utcnow())  # type: ignore[arg-type]
        with session_scope(factory) as session:
            process_ticket(session, settings, "default", event.ticket_id, utcnow())  # type: ignore[attr-defined]


def _rows(engine: Engine, model: type) -> list:  # type: ignore[type-arg]
    with Session(engine) as session:
        return list(session.scalars(select(model)))


def test_solved_schedules_one_survey_after_the_delay(engine: Engine) -> None:
    t0 = utcnow()
    solved = status_event(1, "open", "solved", t0, key="e1")
    _feed(engine, solved, solved)
    (survey,) = _rows(engine, Survey)
    assert survey.state == "scheduled"
    assert survey.scheduled_for == t0 + timedelta(seconds=3600)
    (job,) = [j for j in _rows(engine, Job) if j.kind == "send_survey"]
    assert job.run_after == survey.scheduled_for


def test_reopen_before_the_survey_cancels_it_and_counts_as_failed_resolution(engine: Engine) -> None:
    t0 = utcnow()
    _feed(engine, status_event(2, "open", "solved", t0), status_event(2, "solved", "open", t0 + timedelta(hours=2)))
    (survey,) = _rows(engine, Survey)
    assert survey.state == "cancelled"
    types = sorted(s.type for s in _rows(engine, Signal))
    assert types == ["failed_resolution", "reopen"]
    kinds = sorted(j.kind for j in _rows(engine, Job) if j.state == "pending")
    assert "review_task" in kinds and "tag_ticket" in kinds
    assert [j.state for j in _rows(engine, Job) if j.kind == "send_survey"] == ["cancelled"]


@pytest.mark.parametrize("order", ["in order", "reopen first"])
def test_order_of_arrival_does_not_matter(engine: Engine, order: str) -> None:
    t0 = utcnow()
    solve = status_event(3, "open", "solved", t0)
    reopen = status_event(3, "solved", "open", t0 + timedelta(minutes=30))
    _feed(engine, *((solve, reopen) if order == "in order" else (reopen, solve)))
    assert [s.state for s in _rows(engine, Survey)] in ([], ["cancelled"])
    assert "failed_resolution" in {s.type for s in _rows(engine, Signal)}
    assert not [j for j in _rows(engine, Job) if j.kind == "send_survey" and j.state == "pending"]


def test_reopen_after_the_window_is_a_reopen_but_not_a_failure(engine: Engine) -> None:
    t0 = utcnow()
    _feed(engine, status_event(4, "open", "solved", t0), status_event(4, "solved", "open", t0 + timedelta(days=3)))
    assert [s.type for s in _rows(engine, Signal)] == ["reopen"]


def test_second_solve_gets_its_own_survey(engine: Engine) -> None:
    t0 = utcnow()
    _feed(engine, status_event(5, "open", "solved", t0), status_event(5, "solved", "open", t0 + timedelta(hours=1)),
          status_event(5, "open", "solved", t0 + timedelta(hours=2)))
    states = sorted(s.state for s in _rows(engine, Survey))
    assert states == ["cancelled", "scheduled"]


@pytest.mark.parametrize("tag", ["feedback_review", "csat_skip"])
def test_tagged_tickets_are_not_surveyed(engine: Engine, tag: str) -> None:
    _feed(engine, status_event(6, "open", "solved", utcnow(), tags=(tag,)))
    (survey,) = _rows(engine, Survey)
    assert survey.state == "skipped" and tag in (survey.reason or "")
    assert not [j for j in _rows(engine, Job) if j.kind == "send_survey"]


def test_requester_in_cooldown_is_not_surveyed_again(engine: Engine) -> None:
    factory = make_session_factory(engine)
    _feed(engine, status_event(7, "open", "solved", utcnow(), requester_id=42))
    with session_scope(factory) as session:
        survey = session.scalars(select(Survey)).one()
        survey.state, survey.sent_at = "sent", utcnow()
    _feed(engine, status_event(8, "open", "solved", utcnow(), requester_id=42))
    second = [s for s in _rows(engine, Survey) if s.ticket_id == 8][0]
    assert second.state == "skipped" and "cooldown" in (second.reason or "")


def test_closed_before_the_survey_makes_it_undeliverable_without_a_call(engine: Engine) -> None:
    t0 = utcnow()
    _feed(engine, status_event(9, "open", "solved", t0), status_event(9, "solved", "closed", t0 + timedelta(minutes=5)))
    (survey,) = _rows(engine, Survey)
    assert survey.state == "undeliverable" and "closed" in (survey.reason or "")
    assert "resolution_final" in {s.type for s in _rows(engine, Signal)}


def test_comments_and_tag_changes_on_a_solved_ticket_are_not_new_solves(engine: Engine) -> None:
    """Our own survey update comes back as comment and tag events that carry status solved."""
    from dataclasses import replace

    t0 = utcnow()
    solved = status_event(40, "open", "solved", t0)
    comment = replace(status_event(40, None, "solved", t0 + timedelta(minutes=1)), kind="comment_added",
                      event_type="zen:event-type:ticket.comment_added")
    tags = replace(status_event(40, None, "solved", t0 + timedelta(minutes=1)), kind="tags_changed",
                   event_type="zen:event-type:ticket.tags_changed", tags=("csat_sent",))
    _feed(engine, solved, comment, tags)
    assert len(_rows(engine, Survey)) == 1
    # A second real solve after a reopen is a new solve, and gets its own survey.
    reopened = status_event(40, "solved", "open", t0 + timedelta(days=3))
    solved_again = status_event(40, "open", "solved", t0 + timedelta(days=3, hours=1))
    _feed(engine, reopened, solved_again)
    assert sorted(s.state for s in _rows(engine, Survey)) == ["cancelled", "scheduled"]


@pytest.mark.parametrize("first", ["comment", "status"])
def test_events_of_one_update_make_one_reopen_whatever_arrives_first(engine: Engine, first: str) -> None:
    """A customer reply emits comment_added and status_changed with the same time."""
    from dataclasses import replace

    t0 = utcnow()
    at = t0 + timedelta(minutes=30)
    status = status_event(41, "solved", "open", at)
    comment = replace(status_event(41, None, "open", at), kind="comment_added",
                      event_type="zen:event-type:ticket.comment_added")
    pair = (comment, status) if first == "comment" else (status, comment)
    _feed(engine, status_event(41, "open", "solved", t0), *pair)
    types = sorted(s.type for s in _rows(engine, Signal))
    assert types == ["failed_resolution", "reopen"]
    assert [s.state for s in _rows(engine, Survey)] == ["cancelled"]
