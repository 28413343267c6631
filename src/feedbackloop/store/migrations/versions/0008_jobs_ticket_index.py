"""jobs: index (tenant_id, ticket_id, state) for the claim query's "a job of this ticket is running" check

Without it, claiming jobs read every pending job once per candidate: quadratic in the backlog
(1.6 s per claim at 1 600 pending jobs on PostgreSQL; bench/README.md, helpdesk economy).

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-23
"""
from __future__ import annotations

from alembic import op

revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_jobs_ticket', 'jobs', ['tenant_id', 'ticket_id', 'state'])


def downgrade() -> None:
    op.drop_index('ix_jobs_ticket', table_name='jobs')
