"""daily_rollups: signal counts (reopens, failed resolutions, re-contacts, first-contact resolution), backfilled

The report's per-segment outcome rates counted these by scanning `signals` (50 000 reopens in 60
days: the largest statement of a report over a million ratings). rollups.py now adds them in the
same transaction as each signal. The backfill is written out here so this revision does not depend
on later code.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

#: the segment, in the order of rollups.SEGMENTS (bit i of `nulls` is column i); True: an id
SEGMENTS = [('intent', False), ('category', False), ('product', False), ('channel', False), ('resolver', False),
            ('assignee_id', True), ('group_id', True), ('brand_id', True), ('language', False)]
EMPTY = {True: "0", False: "''"}  # what a NULL id / text is stored as
#: each new measure and the signals it counts
COUNTED = {
    'reopens': "type = 'reopen'",
    'failed': "type = 'failed_resolution'",
    'recontacts': "type = 'recontact'",
    'fcr_n': "type = 'first_contact_resolution'",
    'fcr_k': "type = 'first_contact_resolution' AND value >= 0.5",
}


def upgrade() -> None:
    for name in COUNTED:
        op.add_column('daily_rollups', sa.Column(name, sa.Integer(), nullable=False, server_default='0'))
    op.execute(backfill_sql(op.get_bind().dialect.name))


def backfill_sql(dialect: str) -> str:
    """Every existing signal of those types added to its (tenant, day, segment) row: one upsert."""
    day = "CAST(timezone('UTC', occurred_at) AS DATE)" if dialect == 'postgresql' else "date(occurred_at)"
    nulls = ' + '.join(f"CASE WHEN {name} IS NULL THEN {1 << i} ELSE 0 END" for i, (name, _) in enumerate(SEGMENTS))
    values = ', '.join(f"coalesce({name}, {EMPTY[numeric]}) AS {name}" for name, numeric in SEGMENTS)
    key = ['tenant_id', 'day', 'nulls', *(name for name, _ in SEGMENTS)]
    counted = ', '.join(f"CASE WHEN {condition} THEN 1 ELSE 0 END AS {name}" for name, condition in COUNTED.items())
    source = (f"SELECT tenant_id, {day} AS day, {nulls} AS nulls, {values}, {counted} FROM signals "
              "WHERE type IN ('reopen', 'failed_resolution', 'recontact', 'first_contact_resolution')")
    others = ['rated', 'satisfied', 'score_sum', 'bad', 'sent', 'solved', 'ai_solved']
    sums = ', '.join(f"sum({name})" for name in COUNTED)
    updates = ', '.join(f"{name} = excluded.{name}" for name in COUNTED)  # the rows had none of these yet
    return (f"INSERT INTO daily_rollups ({', '.join(key + others + list(COUNTED))}) "
            f"SELECT {', '.join(key)}, {', '.join('0' for _ in others)}, {sums} FROM ({source}) AS source "
            f"WHERE true GROUP BY {', '.join(key)} "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}")


def downgrade() -> None:
    with op.batch_alter_table('daily_rollups') as batch:
        for name in COUNTED:
            batch.drop_column(name)
