"""jobs.lost_leases: claims of a job whose previous worker was lost, counted apart from its failures

A job is claimed again when its lease runs out: its worker crashed or was killed while running it.
`attempts` counts every claim (a re-run looks for its own marker at the helpdesk before writing
again); `lost_leases` counts the claims that followed a lost worker, so a job's failures are
attempts - lost_leases and a crash no longer lengthens its backoff or brings it nearer to dead.
Existing rows start at 0: their past crashes were counted as failures, as before.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('jobs') as batch:
        batch.add_column(sa.Column('lost_leases', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('jobs') as batch:
        batch.drop_column('lost_leases')
