"""webhook_events.queued: a delivery stores its event alone; the job queue adds the processing job

An accepted delivery used to insert two rows in its transaction, the event and its `process_ticket`
job (a heap row and four index entries more). Now it inserts the event with `queued` false; the job
runner's feeder (`jobs.queue.queue_stored_events`) takes the unqueued events in batches, inserts their
jobs and sets `queued` in one transaction, so each event still gets exactly one job (the jobs' unique
key would refuse a second). The partial index holds only the events waiting for the feeder.

Existing rows already have their jobs: they are marked queued.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('webhook_events') as batch:
        batch.add_column(sa.Column('queued', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(sa.text("UPDATE webhook_events SET queued = :yes").bindparams(yes=True))
    op.create_index('ix_webhook_events_to_queue', 'webhook_events', ['id'],
                    postgresql_where=sa.text('NOT queued'), sqlite_where=sa.text('queued = 0'))


def downgrade() -> None:
    # The events still waiting get their jobs first: the code before 0023 never looks at `queued`.
    op.execute(sa.text(
        "INSERT INTO jobs (tenant_id, kind, dedupe_key, ticket_id, args, state, run_after, attempts, "
        "rate_limited, lost_leases, created_at, updated_at) "
        "SELECT tenant_id, 'process_ticket', 'process:' || id, ticket_id, "
        + ("json_build_object('event_id', id)" if op.get_bind().dialect.name == "postgresql"
           else "json_object('event_id', id)")
        + ", 'pending', received_at, 0, 0, 0, received_at, received_at FROM webhook_events WHERE queued = :no "
        "ON CONFLICT (tenant_id, dedupe_key) DO NOTHING").bindparams(no=False))
    op.drop_index('ix_webhook_events_to_queue', table_name='webhook_events')
    with op.batch_alter_table('webhook_events') as batch:
        batch.drop_column('queued')
