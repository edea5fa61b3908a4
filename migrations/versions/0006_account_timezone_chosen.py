"""account timezone_chosen: whether the person picked their time zone or it is the UTC default

Registration now asks for the zone. Accounts made before were told "you haven't
picked one yet, so we use UTC" while their zone was UTC, so any other zone was
picked on purpose.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "account",
        sa.Column("timezone_chosen", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    account = sa.table(
        "account", sa.column("timezone", sa.String), sa.column("timezone_chosen", sa.Boolean)
    )
    op.execute(account.update().where(account.c.timezone != "UTC").values(timezone_chosen=True))


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("timezone_chosen")
