"""A write-back that has been in a bulk update is never put in another one: it runs alone and
looks for its note first. Seen at scale (3 workers, a shared 200 req/min budget): a leader's own
row is unlocked by the commit of its marks, and a leader whose status poll was rate-limited goes
back to the queue; another leader then took either as a member and wrote its note a second time."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from feedbackloop.jobs import queue as jobs
from feedbackloop.loop import bulk
from feedbackloop.store.models import Job

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=timezone.utc)


def due_write_backs(session: Session, count: int) -> list[Job]:
    made = [jobs.enqueue(session, "write_rating", f"writeback:{n}:v1", {"rating_id": n, "version": 1}, now=NOW,
                         ticket_id=1000 + n) for n in range(count)]
    session.flush()
    return made


def test_a_job_already_in_a_bulk_update_is_not_taken_into_another(engine: Engine) -> None:
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        leader, sent_before, *others = due_write_backs(session, 25)
        # what a leader's committed marks (or a rate-limited leader back in the queue) look like
        sent_before.args = {**sent_before.args, "batched": True}
        session.commit()

        members = bulk.members_for(session, leader, NOW)

    chosen = {job.id for job in members}
    assert sent_before.id not in chosen
    assert chosen == {leader.id, *(job.id for job in others)}


def test_a_job_whose_own_update_may_have_gone_out_is_not_taken(engine: Engine) -> None:
    """Claimed by a worker that was lost after its update went out: its lease is still running and no
    row lock is left, so only its committed mark (`writing_alone`) tells it from a claimed job that has
    not started. Seen at scale: such a job was taken into a bulk update, and its ticket got two notes."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        leader, written_alone, claimed, *others = due_write_backs(session, 25)
        session.commit()
        # a runner claims them all; it is lost right after the update of `written_alone` went out
        assert len(jobs.claim_due(factory, "lost-worker", NOW, limit=25)) == 25
        session.refresh(written_alone)
        bulk.writing_alone(session, written_alone)  # what it committed before that update

        members = bulk.members_for(session, leader, NOW)

    chosen = {job.id for job in members}
    assert written_alone.id not in chosen
    assert claimed.id in chosen  # claimed but not started: a bulk update may still take it
