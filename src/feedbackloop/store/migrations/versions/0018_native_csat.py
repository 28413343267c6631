"""native CSAT (issue 23): a Zendesk satisfaction rating's id, reason text and update time on the rating
it became, so a re-read of the same rating is a duplicate and an older read never overwrites a newer one

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("ratings") as batch:
        batch.add_column(sa.Column("native_id", BigId, nullable=True))
        batch.add_column(sa.Column("native_reason", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("native_updated_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ratings") as batch:
        batch.drop_column("native_updated_at")
        batch.drop_column("native_reason")
        batch.drop_column("native_id")
