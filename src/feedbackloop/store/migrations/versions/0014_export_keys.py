"""export_keys: the salt that keys export hashes and train/test splits, made once and kept

Export ticket hashes and the train/test split were keyed by FEEDBACKLOOP_SECRET_KEY, so rotating
the secret moved tickets between train and test. The salt now lives in the database, written by
the first export that needs it (exports/keys.py) and never changed afterwards.

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'export_keys',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.String(length=128), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('export_keys')
