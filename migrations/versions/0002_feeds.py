"""feeds: a meeting's attendance_option (TSML's, or derived at import) and its page at the source

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 00:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attendance_option", sa.String(length=20), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("source_url", sa.String(length=2000), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("source_url")
        batch_op.drop_column("attendance_option")
