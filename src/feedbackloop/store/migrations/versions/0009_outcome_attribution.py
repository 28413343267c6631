"""surveys and signals: attribution columns, so every outcome rate can be cut by every segment

Surveys get the segment as of the solve (response, reopen and override rates per intent, agent …),
signals as of the signal (reopens, re-contacts, first-contact resolution, time to resolution,
review verdicts). Rows written before this revision keep NULLs: reports show them as "(none)".

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def attribution_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column('assignee_id', BIG_ID, nullable=True),
        sa.Column('group_id', BIG_ID, nullable=True),
        sa.Column('brand_id', BIG_ID, nullable=True),
        sa.Column('category', sa.String(length=80), nullable=True),
        sa.Column('resolver', sa.String(length=16), nullable=True),
        sa.Column('intent', sa.String(length=120), nullable=True),
        sa.Column('product', sa.String(length=80), nullable=True),
        sa.Column('language', sa.String(length=16), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        for column in attribution_columns():
            batch_op.add_column(column)
    with op.batch_alter_table('signals', schema=None) as batch_op:
        for column in attribution_columns():
            batch_op.add_column(column)
        batch_op.add_column(sa.Column('channel', sa.String(length=40), nullable=True))


def downgrade() -> None:
    names = [column.name for column in attribution_columns()]
    with op.batch_alter_table('signals', schema=None) as batch_op:
        for name in [*names, 'channel']:
            batch_op.drop_column(name)
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        for name in names:
            batch_op.drop_column(name)
