"""insight: rating attribution as of the rating, metric indexes, CSAT drop alerts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
#: The covering index every metric GROUP BY reads (see models.Rating).
INSIGHT_COLUMNS = ['tenant_id', 'created_at', 'score', 'intent', 'channel', 'resolver', 'assignee_id', 'group_id',
                   'brand_id', 'category', 'product', 'language']

#: Ratings stored before this revision get the best attribution still available (today's, not the
#: rating moment's): the AI's last intent else the category, the resolver from the decision log and
#: overrides (as decisions.resolver_of judges it), the ticket's brand. Product and language stay empty.
BACKFILL = '''
UPDATE ratings SET
  intent = COALESCE((SELECT d.intent FROM ai_decisions d
                     WHERE d.tenant_id = ratings.tenant_id AND d.ticket_id = ratings.ticket_id AND d.intent IS NOT NULL
                     ORDER BY d.created_at DESC, d.id DESC LIMIT 1), category),
  resolver = CASE
    WHEN EXISTS (SELECT 1 FROM overrides o WHERE o.tenant_id = ratings.tenant_id AND o.ticket_id = ratings.ticket_id
                 AND o.kind <> 'handoff') THEN 'ai_overridden'
    WHEN EXISTS (SELECT 1 FROM overrides o WHERE o.tenant_id = ratings.tenant_id AND o.ticket_id = ratings.ticket_id)
      THEN 'ai_then_human'
    WHEN EXISTS (SELECT 1 FROM ai_decisions d WHERE d.tenant_id = ratings.tenant_id AND d.ticket_id = ratings.ticket_id)
      THEN 'ai'
    ELSE 'human' END,
  brand_id = (SELECT t.brand_id FROM tickets t WHERE t.tenant_id = ratings.tenant_id AND t.ticket_id = ratings.ticket_id)
WHERE resolver IS NULL
'''


def upgrade() -> None:
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resolver', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('intent', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('brand_id', BIG_ID, nullable=True))
        batch_op.add_column(sa.Column('product', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=16), nullable=True))
        batch_op.create_index('ix_ratings_insight', INSIGHT_COLUMNS, unique=False)
        batch_op.create_index('ix_ratings_tenant_score', ['tenant_id', 'score', 'created_at'], unique=False)
        batch_op.create_index('ix_ratings_ticket', ['tenant_id', 'ticket_id'], unique=False)
    op.execute(BACKFILL)

    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index('ix_surveys_tenant_sent', ['tenant_id', 'sent_at', 'channel'], unique=False)
        batch_op.create_index('ix_surveys_tenant_solved', ['tenant_id', 'solved_at'], unique=False)
    with op.batch_alter_table('ai_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_ai_decisions_time', ['tenant_id', 'created_at', 'ticket_id'], unique=False)

    op.create_table('drop_alerts',
    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('segment', sa.JSON(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('baseline_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('current_k', sa.Integer(), nullable=False),
    sa.Column('current_n', sa.Integer(), nullable=False),
    sa.Column('baseline_k', sa.Integer(), nullable=False),
    sa.Column('baseline_n', sa.Integer(), nullable=False),
    sa.Column('p_value', sa.Float(), nullable=False),
    sa.Column('q_value', sa.Float(), nullable=False),
    sa.Column('tested', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('task_ticket_id', BIG_ID, nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'dedupe_key', name='uq_drop_alerts_dedupe')
    )
    with op.batch_alter_table('drop_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_drop_alerts_period', ['tenant_id', 'period_start'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('drop_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_drop_alerts_period')
    op.drop_table('drop_alerts')
    with op.batch_alter_table('ai_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_ai_decisions_time')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index('ix_surveys_tenant_solved')
        batch_op.drop_index('ix_surveys_tenant_sent')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_ratings_ticket')
        batch_op.drop_index('ix_ratings_tenant_score')
        batch_op.drop_index('ix_ratings_insight')
        batch_op.drop_column('language')
        batch_op.drop_column('product')
        batch_op.drop_column('brand_id')
        batch_op.drop_column('intent')
        batch_op.drop_column('resolver')
