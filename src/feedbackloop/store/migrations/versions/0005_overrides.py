"""overrides and signals: review verdicts, requester index for re-contact

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('review_tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verdict', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('verdict_notes', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('verdict_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                      nullable=True))
        batch_op.add_column(sa.Column('verdict_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index('ix_tickets_requester', ['tenant_id', 'requester_id', 'solved_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_requester')
    with op.batch_alter_table('review_tasks', schema=None) as batch_op:
        batch_op.drop_column('verdict_at')
        batch_op.drop_column('verdict_by')
        batch_op.drop_column('verdict_notes')
        batch_op.drop_column('verdict')
