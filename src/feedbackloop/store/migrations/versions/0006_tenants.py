"""tenants: many Zendesk accounts in one deployment, secrets encrypted at rest

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'tenants',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('helpdesk', sa.String(length=32), nullable=False),
        sa.Column('subdomain', sa.String(length=100), nullable=False),
        sa.Column('email', sa.String(length=200), nullable=False),
        sa.Column('api_token', sa.Text(), nullable=False),
        sa.Column('webhook_secret', sa.Text(), nullable=False),
        sa.Column('api_url', sa.String(length=300), nullable=True),
        sa.Column('ingest_token_hash', sa.String(length=64), nullable=True),
        sa.Column('overrides', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('ingest_token_hash', name='uq_tenants_ingest_token'),
    )


def downgrade() -> None:
    op.drop_table('tenants')
