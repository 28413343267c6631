"""ces_answers: the customer effort score (issue 24)

One row per survey: the 1–7 answer to "How easy was it to get your issue resolved?", from a CES-only
survey's links or the page after a CSAT answer, with the ticket's attribution as of the answer.
Sentiment needs no table: it is computed from the stored messages when a report runs.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    big = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
    op.create_table(
        'ces_answers',
        sa.Column('id', big, primary_key=True, autoincrement=True),
        sa.Column('tenant_id', sa.String(64), nullable=False),
        sa.Column('survey_id', big, sa.ForeignKey('surveys.id'), nullable=False),
        sa.Column('ticket_id', big, nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(16), nullable=False),
        sa.Column('after_csat', sa.Boolean(), nullable=False),
        sa.Column('channel', sa.String(40), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('written_version', sa.Integer(), nullable=False),
        sa.Column('assignee_id', big, nullable=True),
        sa.Column('group_id', big, nullable=True),
        sa.Column('brand_id', big, nullable=True),
        sa.Column('category', sa.String(80), nullable=True),
        sa.Column('resolver', sa.String(16), nullable=True),
        sa.Column('intent', sa.String(120), nullable=True),
        sa.Column('product', sa.String(80), nullable=True),
        sa.Column('language', sa.String(16), nullable=True),
        sa.Column('model', sa.String(120), nullable=True),
        sa.Column('prompt_version', sa.String(120), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('survey_id', name='uq_ces_answers_survey'),
    )
    op.create_index('ix_ces_answers_tenant_time', 'ces_answers', ['tenant_id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_ces_answers_tenant_time', table_name='ces_answers')
    op.drop_table('ces_answers')
