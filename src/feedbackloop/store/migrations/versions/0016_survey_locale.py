"""surveys.locale: the requester's language, read from the helpdesk when the survey is sent

The survey comment and its page speak the requester's language (what-people-see.md): the requester's
helpdesk locale is read once, when the survey is sent, and kept here so the page that opens weeks
later speaks the same language as the message, without another API call.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('surveys') as batch:
        batch.add_column(sa.Column('locale', sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('surveys') as batch:
        batch.drop_column('locale')
