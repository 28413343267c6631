"""decision segments: model and prompt_version on ratings, surveys, signals and the daily rollup's key;
ai_decisions.mode (live | shadow)

Existing rows get no model or prompt version (NULL; in the rollup '' with their bits set in
`nulls`), which is what a rebuild from the raw tables gives: the invariant of rollups.py holds.
The rollup's primary key grows by two columns: PostgreSQL alters it in place, SQLite (a WITHOUT
ROWID table whose key cannot change) gets a new table, filled from the old one.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

ATTRIBUTED = ('ratings', 'surveys', 'signals')
NEW = ('model', 'prompt_version')
#: rollups.SEGMENT_BITS of the new columns (bits 9 and 10, after the nine older segments)
NEW_BITS = (1 << 9) | (1 << 10)
OLD_KEY = ['tenant_id', 'day', 'nulls', 'intent', 'category', 'product', 'channel', 'resolver', 'assignee_id',
           'group_id', 'brand_id', 'language']
MEASURES = ['rated', 'satisfied', 'score_sum', 'bad', 'sent', 'solved', 'ai_solved', 'reopens', 'failed',
            'recontacts', 'fcr_n', 'fcr_k']
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    for table in ATTRIBUTED:
        with op.batch_alter_table(table) as batch:
            for name in NEW:
                batch.add_column(sa.Column(name, sa.String(length=120), nullable=True))
    with op.batch_alter_table('ai_decisions') as batch:
        batch.add_column(sa.Column('mode', sa.String(length=16), nullable=False, server_default='live'))
    if op.get_bind().dialect.name == 'postgresql':
        for name in NEW:
            op.add_column('daily_rollups', sa.Column(name, sa.String(length=120), nullable=False, server_default=''))
        op.execute(f"UPDATE daily_rollups SET nulls = nulls | {NEW_BITS}")
        op.execute("ALTER TABLE daily_rollups DROP CONSTRAINT daily_rollups_pkey")
        op.create_primary_key('daily_rollups_pkey', 'daily_rollups', [*OLD_KEY, *NEW])
        return
    _recreate_rollups([*OLD_KEY, *NEW], f"nulls | {NEW_BITS}", "'', ''")


def _rollup_table(name: str, key: list[str]) -> None:
    columns: list[sa.schema.SchemaItem] = [
        sa.Column('tenant_id', sa.String(length=64), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('nulls', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('intent', sa.String(length=120), nullable=False),
        sa.Column('category', sa.String(length=80), nullable=False),
        sa.Column('product', sa.String(length=80), nullable=False),
        sa.Column('channel', sa.String(length=40), nullable=False),
        sa.Column('resolver', sa.String(length=16), nullable=False),
        sa.Column('assignee_id', BigId, autoincrement=False, nullable=False),
        sa.Column('group_id', BigId, autoincrement=False, nullable=False),
        sa.Column('brand_id', BigId, autoincrement=False, nullable=False),
        sa.Column('language', sa.String(length=16), nullable=False),
        *[sa.Column(new, sa.String(length=120), nullable=False, server_default='') for new in NEW if new in key],
        *[sa.Column(measure, sa.Integer(), nullable=False, server_default='0') for measure in MEASURES],
    ]
    op.create_table(name, *columns, sa.PrimaryKeyConstraint(*key), sqlite_with_rowid=False)


def _recreate_rollups(key: list[str], nulls: str, extra_values: str) -> None:
    """SQLite: a new table with `key`, the old rows copied in (with `nulls` and `extra_values`)."""
    _rollup_table('daily_rollups_new', key)
    kept = [name for name in OLD_KEY if name != 'nulls']
    columns = ', '.join(['nulls', *kept, *(name for name in NEW if name in key), *MEASURES])
    values = ', '.join([nulls, *kept, *([extra_values] if extra_values else []), *MEASURES])
    op.execute(f"INSERT INTO daily_rollups_new ({columns}) SELECT {values} FROM daily_rollups")
    op.drop_table('daily_rollups')
    op.rename_table('daily_rollups_new', 'daily_rollups')


def downgrade() -> None:
    # Rows of the same old segment that differed only by model or prompt version merge back into one.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("ALTER TABLE daily_rollups DROP CONSTRAINT daily_rollups_pkey")
        merged = ', '.join(f"sum({name}) AS {name}" for name in MEASURES)
        key = ', '.join(OLD_KEY)
        op.execute(f"CREATE TEMPORARY TABLE rollups_0019 AS SELECT {key}, {merged} FROM "
                   f"(SELECT {key.replace('nulls', f'nulls & ~{NEW_BITS} AS nulls')}, {', '.join(MEASURES)} "
                   f"FROM daily_rollups) AS old GROUP BY {key}")
        op.execute("DELETE FROM daily_rollups")
        for name in NEW:
            op.drop_column('daily_rollups', name)
        op.execute(f"INSERT INTO daily_rollups ({key}, {', '.join(MEASURES)}) "
                   f"SELECT {key}, {', '.join(MEASURES)} FROM rollups_0019")
        op.execute("DROP TABLE rollups_0019")
        op.create_primary_key('daily_rollups_pkey', 'daily_rollups', OLD_KEY)
    else:
        _rollup_table('daily_rollups_old', OLD_KEY)
        key = ', '.join(OLD_KEY)
        merged = ', '.join(f"sum({name})" for name in MEASURES)
        op.execute(f"INSERT INTO daily_rollups_old ({key}, {', '.join(MEASURES)}) "
                   f"SELECT {key.replace('nulls', f'(nulls & ~{NEW_BITS})')}, {merged} FROM daily_rollups "
                   f"GROUP BY {key.replace('nulls', f'(nulls & ~{NEW_BITS})')}")
        op.drop_table('daily_rollups')
        op.rename_table('daily_rollups_old', 'daily_rollups')
    with op.batch_alter_table('ai_decisions') as batch:
        batch.drop_column('mode')
    for table in ATTRIBUTED:
        with op.batch_alter_table(table) as batch:
            for name in NEW:
                batch.drop_column(name)
