"""daily_rollups.five_rated: the mean score over five-point ratings only; `sent` without CES-only surveys

Thumbs ratings (ours, and Zendesk's legacy good/bad, issue 23) are stored as 5 and 1; the mean score
counted them as if they were 1–5 answers. From this revision `score_sum` sums the five-point scores
only and `five_rated` counts them (the mean is score_sum / five_rated), while `rated`, `satisfied`
and `bad` keep counting every scale. `sent`, the CSAT response rate's denominator, no longer counts
CES-only surveys (scale "ces", issue 24). The backfill is written out here so this revision does not
depend on later code; it assumes the rollup equals its raw tables (rollups.py's invariant).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

#: the segment, in the order of rollups.SEGMENTS (bit i of `nulls` is column i); True: an id
SEGMENTS = [('intent', False), ('category', False), ('product', False), ('channel', False), ('resolver', False),
            ('assignee_id', True), ('group_id', True), ('brand_id', True), ('language', False),
            ('model', False), ('prompt_version', False)]
EMPTY = {True: "0", False: "''"}  # what a NULL id / text is stored as
KEY = ['tenant_id', 'day', 'nulls', *(name for name, _ in SEGMENTS)]
OTHERS = ['rated', 'satisfied', 'bad', 'solved', 'ai_solved', 'reopens', 'failed', 'recontacts', 'fcr_n', 'fcr_k']


def upgrade() -> None:
    op.add_column('daily_rollups', sa.Column('five_rated', sa.Integer(), nullable=False, server_default='0'))
    dialect = op.get_bind().dialect.name
    op.execute("UPDATE daily_rollups SET score_sum = 0")
    op.execute(_upsert(dialect, 'ratings', 'created_at', "scale = 'five'",
                       {'five_rated': '1', 'score_sum': 'score', 'sent': '0'},
                       "five_rated = excluded.five_rated, score_sum = excluded.score_sum"))
    op.execute(_upsert(dialect, 'surveys', 'sent_at', "sent_at IS NOT NULL AND scale = 'ces'",
                       {'five_rated': '0', 'score_sum': '0', 'sent': '1'},
                       "sent = daily_rollups.sent - excluded.sent"))


def _upsert(dialect: str, table: str, moment: str, where: str, counted: dict[str, str], update: str) -> str:
    """The rows of `table` matching `where`, summed per (tenant, day, segment) into the rollup; on an
    existing row (every one, while the invariant holds) `update` applies."""
    day = f"CAST(timezone('UTC', {moment}) AS DATE)" if dialect == 'postgresql' else f"date({moment})"
    nulls = ' + '.join(f"CASE WHEN {name} IS NULL THEN {1 << i} ELSE 0 END" for i, (name, _) in enumerate(SEGMENTS))
    values = ', '.join(f"coalesce({name}, {EMPTY[numeric]}) AS {name}" for name, numeric in SEGMENTS)
    measures = ', '.join(f"{expression} AS {name}" for name, expression in counted.items())
    source = f"SELECT tenant_id, {day} AS day, {nulls} AS nulls, {values}, {measures} FROM {table} WHERE {where}"
    sums = ', '.join(f"sum({name})" for name in counted)
    return (f"INSERT INTO daily_rollups ({', '.join(KEY + OTHERS + list(counted))}) "
            f"SELECT {', '.join(KEY)}, {', '.join('0' for _ in OTHERS)}, {sums} FROM ({source}) AS source "
            f"WHERE true GROUP BY {', '.join(KEY)} "
            f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {update}")


def downgrade() -> None:
    # Back to 0020's meaning: the score sum of every rating, CES-only surveys counted as sent.
    dialect = op.get_bind().dialect.name
    op.execute("UPDATE daily_rollups SET score_sum = 0")
    op.execute(_upsert(dialect, 'ratings', 'created_at', "true", {'five_rated': '0', 'score_sum': 'score', 'sent': '0'},
                       "score_sum = excluded.score_sum"))
    op.execute(_upsert(dialect, 'surveys', 'sent_at', "sent_at IS NOT NULL AND scale = 'ces'",
                       {'five_rated': '0', 'score_sum': '0', 'sent': '1'},
                       "sent = daily_rollups.sent + excluded.sent"))
    if dialect == 'postgresql':
        op.drop_column('daily_rollups', 'five_rated')
    else:  # SQLite ≥ 3.35 drops a non-key column in place (the table is WITHOUT ROWID: no batch copy)
        op.execute("ALTER TABLE daily_rollups DROP COLUMN five_rated")
