"""daily_rollups: rating and survey counts per tenant, UTC day and segment, backfilled

Reports read whole days from here instead of scanning every rating (rollups.py keeps it up to
date in the same transaction as each write). The backfill is the same GROUP BY as
`feedbackloop rollups rebuild`, written out here so this revision does not depend on later code.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
#: (column, is an id): the segment, in the order of rollups.SEGMENTS (bit i of `nulls` is column i)
SEGMENTS = [('intent', False), ('category', False), ('product', False), ('channel', False), ('resolver', False),
            ('assignee_id', True), ('group_id', True), ('brand_id', True), ('language', False)]
MEASURES = ['rated', 'satisfied', 'score_sum', 'bad', 'sent', 'solved', 'ai_solved']
EMPTY = {True: "0", False: "''"}  # what a NULL id / text is stored as


def upgrade() -> None:
    op.create_table(
        'daily_rollups',
        sa.Column('tenant_id', sa.String(length=64), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('nulls', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('intent', sa.String(length=120), nullable=False),
        sa.Column('category', sa.String(length=80), nullable=False),
        sa.Column('product', sa.String(length=80), nullable=False),
        sa.Column('channel', sa.String(length=40), nullable=False),
        sa.Column('resolver', sa.String(length=16), nullable=False),
        sa.Column('assignee_id', BIG_ID, autoincrement=False, nullable=False),
        sa.Column('group_id', BIG_ID, autoincrement=False, nullable=False),
        sa.Column('brand_id', BIG_ID, autoincrement=False, nullable=False),
        sa.Column('language', sa.String(length=16), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES),
        sa.PrimaryKeyConstraint('tenant_id', 'day', 'nulls', *(name for name, _ in SEGMENTS)),
        sqlite_with_rowid=False,
    )
    op.execute(backfill_sql(op.get_bind().dialect.name))


def key_sql(dialect: str, moment: str) -> str:
    """tenant, UTC day, null bits and the segment with NULLs replaced, of one source row."""
    day = f"CAST(timezone('UTC', {moment}) AS DATE)" if dialect == 'postgresql' else f"date({moment})"
    nulls = ' + '.join(f"CASE WHEN {name} IS NULL THEN {1 << i} ELSE 0 END" for i, (name, _) in enumerate(SEGMENTS))
    values = ', '.join(f"coalesce({name}, {EMPTY[numeric]}) AS {name}" for name, numeric in SEGMENTS)
    return f"tenant_id, {day} AS day, {nulls} AS nulls, {values}"


def backfill_sql(dialect: str) -> str:
    """The rollup of every existing rating, sent survey and solve: one INSERT … SELECT … GROUP BY."""
    key = ['tenant_id', 'day', 'nulls', *(name for name, _ in SEGMENTS)]
    ratings = (f"SELECT {key_sql(dialect, 'created_at')}, 1 AS rated, CASE WHEN score >= 4 THEN 1 ELSE 0 END "
               "AS satisfied, score AS score_sum, CASE WHEN score <= 2 THEN 1 ELSE 0 END AS bad, 0 AS sent, "
               "0 AS solved, 0 AS ai_solved FROM ratings")
    surveys = f"SELECT {key_sql(dialect, 'sent_at')}, 0, 0, 0, 0, 1, 0, 0 FROM surveys WHERE sent_at IS NOT NULL"
    solves = (f"SELECT {key_sql(dialect, 'solved_at')}, 0, 0, 0, 0, 0, 1, CASE WHEN resolver IN "
              "('ai', 'ai_then_human', 'ai_overridden') THEN 1 ELSE 0 END FROM surveys")
    sums = ', '.join(f"sum({name})" for name in MEASURES)
    return (f"INSERT INTO daily_rollups ({', '.join(key + MEASURES)}) SELECT {', '.join(key)}, {sums} "
            f"FROM ({ratings} UNION ALL {surveys} UNION ALL {solves}) AS source GROUP BY {', '.join(key)}")


def downgrade() -> None:
    op.drop_table('daily_rollups')
