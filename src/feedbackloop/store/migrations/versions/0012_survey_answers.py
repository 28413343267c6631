"""survey_answers: every click, scanner fetch and form post of a survey; ratings.previous_score

A click on a rating link no longer records a rating at once: mail scanners open every link of a
message before the person does. The click waits here as a pending answer until it settles
(answers.py); scanner fetches are kept as `bot` answers for audit and never counted.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'survey_answers',
        sa.Column('id', BIG, primary_key=True, autoincrement=True),
        sa.Column('tenant_id', sa.String(64), nullable=False),
        sa.Column('survey_id', BIG, sa.ForeignKey('surveys.id'), nullable=False),
        sa.Column('ticket_id', BIG, nullable=False),
        sa.Column('score', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('verdict', sa.String(16), nullable=False),
        sa.Column('bot_reason', sa.String(120), nullable=True),
        sa.Column('user_agent', sa.String(200), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_survey_answers_survey', 'survey_answers', ['survey_id', 'created_at'])
    op.create_index('ix_survey_answers_tenant_time', 'survey_answers', ['tenant_id', 'created_at', 'verdict'])
    with op.batch_alter_table('ratings') as batch:
        batch.add_column(sa.Column('previous_score', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ratings') as batch:
        batch.drop_column('previous_score')
    op.drop_index('ix_survey_answers_tenant_time', table_name='survey_answers')
    op.drop_index('ix_survey_answers_survey', table_name='survey_answers')
    op.drop_table('survey_answers')
